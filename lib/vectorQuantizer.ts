import {tf, type Tensor, type Tensor1D, type Tensor2D} from "./tf.js";

/**
 * The vector quantizer of VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017, "Neural Discrete
 * Representation Learning"). The encoder's output z_e is a grid of D-dimensional vectors; each is
 * replaced by its nearest entry of a codebook e_1 … e_K:
 *   k(z) = argmin_k ‖z − e_k‖²,   z_q = e_{k(z)}.
 * argmin has no useful gradient, so training copies the decoder's gradient from z_q to z_e unchanged
 * (the straight-through estimator), and two extra losses move the codebook and the encoder together:
 *   codebook loss    ‖sg[z_e] − e_k‖²   (moves e_k towards the encoder outputs assigned to it),
 *   commitment loss  β‖z_e − sg[e_k]‖²  (keeps z_e near its code, so the encoder cannot drift away).
 * sg[·] is the stop-gradient: the identity going forward, a zero gradient going back.
 */

/** sg[x]: x going forward, a zero gradient going back. */
export function stopGradient<T extends Tensor>(x: T): T {
  const op = tf.customGrad((...args: unknown[]) => {
    const [input] = args as [Tensor];
    return {value: input.clone(), gradFunc: (dy: Tensor | Tensor[]) => tf.zerosLike(dy as Tensor)};
  });
  return op(x) as T;
}

/**
 * The straight-through estimator: z_e + sg[z_q − z_e]. Its value is z_q; its gradient goes to z_e
 * unchanged and none goes to z_q (so none to the codebook through this path).
 * @param zE [..., D] the encoder's output
 * @param zQ [..., D] the chosen codes, same shape
 */
export function straightThrough<T extends Tensor>(zE: T, zQ: T): T {
  return tf.tidy(() => tf.add(zE, stopGradient(tf.sub(zQ, zE))) as T);
}

/**
 * Squared distances from every vector to every code: ‖z‖² − 2 z·e + ‖e‖².
 * @param vectors [n, D]
 * @param codebook [K, D]
 * @returns [n, K]
 */
export function squaredDistances(vectors: Tensor2D, codebook: Tensor2D): Tensor2D {
  return tf.tidy(() => {
    const zz = tf.sum(tf.square(vectors), 1, true);
    const ee = tf.sum(tf.square(codebook), 1).expandDims(0);
    const cross = tf.matMul(vectors, tf.transpose(codebook));
    // Rounding can make a distance of 0 come out slightly negative; clamp it.
    return tf.relu(zz.sub(cross.mul(2)).add(ee)) as Tensor2D;
  });
}

/**
 * The index of the nearest code for each vector (the lowest index on a tie). No gradient.
 * @param vectors [n, D]
 * @param codebook [K, D]
 * @returns [n], int32
 */
export function nearestCodes(vectors: Tensor2D, codebook: Tensor2D): Tensor1D {
  return tf.tidy(() => tf.argMin(squaredDistances(vectors, codebook), 1) as Tensor1D);
}

/**
 * e_{k_i} for each index, as oneHot(k) · codebook, with a hand-written gradient for the codebook:
 * ∂L/∂codebook = oneHot(k)ᵀ · dy. (tf.gather's gradient needs UnsortedSegmentSum, which the WASM
 * backend lacks.)
 * @param codebook [K, D]
 * @param indices [n], int32
 * @returns [n, D]
 */
export function lookupCodes(codebook: Tensor2D, indices: Tensor1D): Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [table, save] = args as [Tensor2D, (tensors: Tensor[]) => void];
    save([indices]);
    return {
      value: tf.gather(table, indices),
      // The saved copy, not `indices`: a caller's tidy may have disposed that before the backward pass.
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => tf.matMul(tf.transpose(tf.oneHot(saved[0] as Tensor1D, table.shape[0]).toFloat()), dy as Tensor2D)
    };
  });
  return op(codebook) as Tensor2D;
}

/** What `vectorQuantize` returns; every tensor is the caller's. */
export interface Quantized<T extends Tensor = Tensor> {
  /** Nearest code per vector, shape of the input without its last axis, int32. */
  indices: Tensor;
  /** The straight-through output: value e_k, gradient passed to z_e. Same shape as z_e. */
  quantized: T;
  /** ‖sg[z_e] − e_k‖², summed over D, per vector: shape of `indices`. Gradient only to the codebook. */
  codebookLoss: Tensor;
  /** ‖z_e − sg[e_k]‖², summed over D, per vector (not yet multiplied by β). Gradient only to z_e. */
  commitmentLoss: Tensor;
}

/**
 * Quantizes a grid (or any batch) of encoder vectors against a codebook.
 * @param zE [..., D], e.g. [batch, 7, 7, D]
 * @param codebook [K, D]
 */
export function vectorQuantize<T extends Tensor>(zE: T, codebook: Tensor2D): Quantized<T> {
  const [codes, dim] = codebook.shape;
  if (zE.shape[zE.rank - 1] !== dim) throw new Error(`vectorQuantize: the vectors have ${zE.shape[zE.rank - 1]} dimensions, the codebook's codes ${dim}`);
  if (codes < 1) throw new Error("vectorQuantize: the codebook is empty");
  return tf.tidy(() => {
    const outer = zE.shape.slice(0, -1);
    const flat = zE.reshape([-1, dim]) as Tensor2D;
    const indices = nearestCodes(flat, codebook);
    const chosen = lookupCodes(codebook, indices);
    const codebookLoss = tf.sum(tf.square(tf.sub(stopGradient(flat), chosen)), 1);
    const commitmentLoss = tf.sum(tf.square(tf.sub(flat, stopGradient(chosen))), 1);
    return {
      indices: indices.reshape(outer),
      quantized: straightThrough(flat, chosen).reshape(zE.shape) as T,
      codebookLoss: codebookLoss.reshape(outer),
      commitmentLoss: commitmentLoss.reshape(outer)
    };
  });
}
