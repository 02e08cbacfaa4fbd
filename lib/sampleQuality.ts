import {tf, type Tensor2D} from "./tf.js";

/**
 * For each query image, the squared Euclidean distance to the nearest reference image:
 * min_j ‖q − r_j‖² = ‖q‖² − max_j (2 q·r_j − ‖r_j‖²), with the products on the backend in chunks of
 * references. A sample far from every real digit is not a digit; one at distance 0 is a copy.
 * @param queries [n · dim], row by row
 * @param references [m · dim], row by row
 * @returns [n]
 */
export async function minSquaredDistances(queries: Float32Array, references: Float32Array, dim: number, {chunk = 2000}: {chunk?: number} = {}): Promise<Float64Array> {
  const n = queries.length / dim;
  const m = references.length / dim;
  if (!Number.isInteger(n) || !Number.isInteger(m) || m < 1) throw new Error(`minSquaredDistances: expected whole rows of ${dim} values and at least one reference`);
  const best = new Float64Array(n).fill(-Infinity);
  const q = tf.tensor2d(queries, [n, dim]);
  for (let start = 0; start < m; start += chunk) {
    const size = Math.min(chunk, m - start);
    const scores = tf.tidy(() => {
      const r = tf.tensor2d(references.subarray(start * dim, (start + size) * dim), [size, dim]) as Tensor2D;
      return tf.max(tf.sub(tf.matMul(q, tf.transpose(r)).mul(2), tf.sum(tf.square(r), 1).expandDims(0)), 1);
    });
    const values = await scores.data();
    scores.dispose();
    for (let i = 0; i < n; i++) if (values[i] > best[i]) best[i] = values[i];
  }
  const normTensor = tf.tidy(() => tf.sum(tf.square(q), 1));
  const norms = await normTensor.data();
  tf.dispose([q, normTensor]);
  // Rounding can leave a tiny negative for an exact copy.
  return best.map((b, i) => Math.max(0, norms[i] - b));
}
