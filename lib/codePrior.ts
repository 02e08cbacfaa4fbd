import {mulberry32} from "./random.js";
import {tf, type Tensor2D} from "./tf.js";
import type {VqVae} from "./vqvae.js";

/**
 * The simplest prior over a VQ-VAE's code grids: every grid position independent, each drawing its
 * code from the frequencies seen in training, p(k) = Π_i π_i(k_i). It knows which codes are common at
 * each position, but not which codes go together, so samples mix strokes of different digits: the
 * reason VQ-VAE trains a second, autoregressive prior over the codes (PixelCNN in the paper).
 * Code grids are flat, image by image, position by position in raster order: [n · positions].
 */
export interface IndependentCodePrior {
  codebookSize: number;
  positions: number;
  /** true: one distribution per grid position; false: one shared by all positions. */
  perPosition: boolean;
  /** log π_i(k), [positions × K] (or [1 × K] when shared), natural log. */
  logProbs: Float64Array;
}

export interface IndependentPriorOptions {
  codebookSize: number;
  positions: number;
  perPosition?: boolean;
  /** Pseudo-count added to every code (1: add-one / Laplace), so held-out grids never get probability 0. */
  smoothing?: number;
}

function checkGrid(codes: ArrayLike<number>, positions: number, codebookSize: number): void {
  if (codes.length % positions !== 0) throw new Error(`the code grids hold ${codes.length} codes, not a whole number of grids of ${positions}`);
  for (let i = 0; i < codes.length; i++) {
    const k = codes[i];
    if (!Number.isInteger(k) || k < 0 || k >= codebookSize) throw new Error(`code ${k} is outside 0…${codebookSize - 1}`);
  }
}

/** π_i(k) = (count_i(k) + smoothing) / (n + K·smoothing), from training code grids [n · positions]. */
export function fitIndependentCodePrior(codes: ArrayLike<number>, {codebookSize, positions, perPosition = true, smoothing = 1}: IndependentPriorOptions): IndependentCodePrior {
  if (!(smoothing >= 0) || !Number.isFinite(smoothing)) throw new Error(`smoothing must be a number ≥ 0, got ${smoothing}`);
  checkGrid(codes, positions, codebookSize);
  const rows = perPosition ? positions : 1;
  const counts = new Float64Array(rows * codebookSize);
  for (let i = 0; i < codes.length; i++) counts[(perPosition ? i % positions : 0) * codebookSize + codes[i]]++;
  const logProbs = new Float64Array(rows * codebookSize);
  for (let r = 0; r < rows; r++) {
    let total = 0;
    for (let k = 0; k < codebookSize; k++) total += counts[r * codebookSize + k] + smoothing;
    for (let k = 0; k < codebookSize; k++) logProbs[r * codebookSize + k] = Math.log((counts[r * codebookSize + k] + smoothing) / total);
  }
  return {codebookSize, positions, perPosition, logProbs};
}

/** log p(grid) = Σ_i log π_i(k_i), one number per grid. */
export function independentCodeLogLikelihood(prior: IndependentCodePrior, codes: ArrayLike<number>): number[] {
  const {positions, codebookSize, perPosition, logProbs} = prior;
  checkGrid(codes, positions, codebookSize);
  return Array.from({length: codes.length / positions}, (_, n) => {
    let sum = 0;
    for (let i = 0; i < positions; i++) sum += logProbs[(perPosition ? i : 0) * codebookSize + codes[n * positions + i]];
    return sum;
  });
}

/** n code grids, each position drawn independently from its π_i (inverse CDF, seeded). */
export function sampleIndependentCodes(prior: IndependentCodePrior, n: number, seed: number): Int32Array {
  const {positions, codebookSize, perPosition, logProbs} = prior;
  const draw = mulberry32(seed);
  const out = new Int32Array(n * positions);
  for (let j = 0; j < n * positions; j++) {
    const row = (perPosition ? j % positions : 0) * codebookSize;
    let u = draw();
    let k = 0;
    while (k < codebookSize - 1) {
      u -= Math.exp(logProbs[row + k]);
      if (u < 0) break;
      k++;
    }
    out[j] = k;
  }
  return out;
}

/**
 * n pictures from the independent prior: code grids drawn by sampleIndependentCodes and decoded to
 * pixel probabilities [n, pixels]. The caller owns the tensor.
 */
export function sampleFromIndependentPrior(model: VqVae, prior: IndependentCodePrior, n: number, seed: number): Tensor2D {
  if (prior.codebookSize !== model.config.codebookSize || prior.positions !== model.config.latentDim) {
    throw new Error(`the prior is for ${prior.positions} positions of ${prior.codebookSize} codes, the model has ${model.config.latentDim} of ${model.config.codebookSize}`);
  }
  const codes = sampleIndependentCodes(prior, n, seed);
  return tf.tidy(() => model.decodeCodesMean(tf.tensor2d(codes, [n, prior.positions], "int32")));
}
