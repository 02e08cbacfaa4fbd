import {mulberry32} from "./random.js";
import {tf, type Tensor2D} from "./tf.js";

// Tools for asking where a model's codes lie and what its decoder makes elsewhere (chapter 2): the
// nearest neighbour of a point among many, points of code space far from every code, and how often
// each class comes out. Plain arrays, no tensors.

export interface Nearest {
  /** For each query, the index of its nearest reference [queries]. */
  index: Int32Array;
  /** For each query, the squared Euclidean distance to that reference [queries]. */
  squaredDistance: Float64Array;
}

/**
 * The nearest reference to each query by Euclidean distance, by brute force.
 * @param queries [n · dim], row by row; @param references [m · dim], row by row
 * @param exclude optional: for each query, a reference index to skip (leave-one-out), or −1
 */
export function nearestNeighbours(queries: ArrayLike<number>, references: ArrayLike<number>, dim: number, exclude?: ArrayLike<number>): Nearest {
  const n = Math.floor(queries.length / dim);
  const m = Math.floor(references.length / dim);
  if (m === 0) throw new Error("nearestNeighbours: no references");
  const index = new Int32Array(n);
  const squaredDistance = new Float64Array(n);
  for (let q = 0; q < n; q++) {
    let best = Infinity;
    let bestIndex = -1;
    const skip = exclude ? exclude[q] : -1;
    for (let r = 0; r < m; r++) {
      if (r === skip) continue;
      let sum = 0;
      for (let d = 0; d < dim && sum < best; d++) {
        const diff = queries[q * dim + d] - references[r * dim + d];
        sum += diff * diff;
      }
      if (sum < best) {
        best = sum;
        bestIndex = r;
      }
    }
    index[q] = bestIndex;
    squaredDistance[q] = best;
  }
  return {index, squaredDistance};
}

export interface AwayOptions {
  /** Every point returned is at least this far (Euclidean) from every code. */
  minDistance: number;
  /** The box sampled is the codes' bounding box widened by this fraction of its size on each side. */
  margin?: number;
  seed: number;
  /** Gives up after this many rejected draws (throws): the box may have no room left. */
  maxTries?: number;
}

/**
 * `count` points of a 2-D code space where the data have no codes: drawn uniformly from the codes'
 * bounding box (widened by `margin` on each side), keeping only points at least `minDistance` from
 * every code. Both gaps between clusters and the outskirts qualify.
 * @param codes [[z1, z2], …]
 */
export function codesAwayFrom(codes: readonly (readonly number[])[], count: number, {minDistance, margin = 0.25, seed, maxTries = 1_000_000}: AwayOptions): number[][] {
  if (codes.length === 0) throw new Error("codesAwayFrom: no codes");
  const xs = codes.map((c) => c[0]);
  const ys = codes.map((c) => c[1]);
  const [xMin, xMax, yMin, yMax] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const [w, h] = [xMax - xMin, yMax - yMin];
  const box = [xMin - margin * w, xMax + margin * w, yMin - margin * h, yMax + margin * h];
  const flat = Float64Array.from(codes.flatMap((c) => [c[0], c[1]]));
  const draw = mulberry32(seed);
  const points: number[][] = [];
  for (let tries = 0; points.length < count; tries++) {
    if (tries >= maxTries) throw new Error(`codesAwayFrom: found only ${points.length} of ${count} points at least ${minDistance} from every code`);
    const p = [box[0] + draw() * (box[1] - box[0]), box[2] + draw() * (box[3] - box[2])];
    if (nearestNeighbours(p, flat, 2).squaredDistance[0] >= minDistance * minDistance) points.push(p);
  }
  return points;
}

/** The fraction of `labels` equal to each of 0 … classes − 1. */
export function classFrequencies(labels: ArrayLike<number>, classes = 10): number[] {
  const counts = new Array(classes).fill(0);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return counts.map((c) => c / Math.max(1, labels.length));
}

/**
 * For each query image, the squared Euclidean distance to its nearest reference image, on the tfjs
 * backend: ‖a − b‖² = ‖a‖² − 2 a·b + ‖b‖², minimized over b, as one matrix product (fast enough for
 * hundreds of decodes against a thousand digits in a page). Clamped at 0 against float32 rounding.
 * @param queries [n · pixels]; @param references [m, pixels] (a tensor the caller keeps) or [m · pixels]
 * @returns [n]
 */
export function nearestSquaredDistances(queries: Float32Array, references: Tensor2D | Float32Array, pixels: number): Float32Array {
  return tf.tidy(() => {
    const q = tf.tensor2d(queries, [queries.length / pixels, pixels]);
    const r = references instanceof Float32Array ? tf.tensor2d(references, [references.length / pixels, pixels]) : references;
    const qq = q.square().sum(1, true); // [n, 1]
    const rr = r.square().sum(1).expandDims(0); // [1, m]
    const cross = tf.matMul(q, r, false, true); // [n, m]
    const squared = qq.add(rr).sub(cross.mul(2)).relu();
    return squared.min(1).dataSync() as Float32Array;
  });
}
