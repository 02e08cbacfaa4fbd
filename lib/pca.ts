import {mulberry32} from "./random.js";

export interface Pca {
  /** The data's mean, [dim]. */
  mean: Float64Array;
  /** Unit principal directions, largest variance first: components[k] is [dim]. */
  components: Float64Array[];
  /** Variance of the data along each component. */
  variances: number[];
}

/**
 * Principal components of n points in dim dimensions (row-major `data`, n·dim values), by power
 * iteration with deflation on the dim×dim covariance: enough for projecting latent codes (dim ≤ a few
 * hundred) to a plane in the browser, deterministic for a given seed.
 */
export function pca(data: ArrayLike<number>, dim: number, k = 2, {iterations = 200, seed = 1} = {}): Pca {
  const n = Math.floor(data.length / dim);
  if (n < 2 || n * dim !== data.length) throw new Error(`pca: expected n·${dim} values with n ≥ 2, got ${data.length}`);
  if (k > dim) throw new Error(`pca: asked for ${k} components of ${dim}-dimensional data`);
  const mean = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j] / n;
  const cov = Array.from({length: dim}, () => new Float64Array(dim));
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dim; a++) {
      const da = data[i * dim + a] - mean[a];
      for (let b = a; b < dim; b++) cov[a][b] += (da * (data[i * dim + b] - mean[b])) / (n - 1);
    }
  }
  for (let a = 0; a < dim; a++) for (let b = 0; b < a; b++) cov[a][b] = cov[b][a];
  const draw = mulberry32(seed);
  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < k; c++) {
    let v = Float64Array.from({length: dim}, () => draw() - 0.5);
    let lambda = 0;
    for (let it = 0; it < iterations; it++) {
      const w = new Float64Array(dim);
      for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) w[a] += cov[a][b] * v[b];
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    components.push(v);
    variances.push(lambda);
    // Deflate: remove this direction's variance so the next iteration finds the next one.
    for (let a = 0; a < dim; a++) for (let b = 0; b < dim; b++) cov[a][b] -= lambda * v[a] * v[b];
  }
  return {mean, components, variances};
}

/** Coordinates of each point along the components: [n][k]. */
export function project(model: Pca, data: ArrayLike<number>, dim: number): number[][] {
  const n = Math.floor(data.length / dim);
  return Array.from({length: n}, (_, i) => model.components.map((c) => c.reduce((s, w, j) => s + w * (data[i * dim + j] - model.mean[j]), 0)));
}
