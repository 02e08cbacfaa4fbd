import {binarize, oneHotLabels, type Binarization, type Dataset} from "./batches.js";
import {iwaeBound} from "./iwae.js";
import type {Model} from "./model.js";
import {mulberry32} from "./random.js";
import {repeatSamples} from "./reparameterize.js";
import {tf, type Tensor2D} from "./tf.js";

export interface EvaluationOptions {
  /** Importance samples for the log-likelihood estimate; 0 skips it. */
  k?: number;
  /** Seeds the test set's binarization and every sample of z. */
  seed?: number;
  /**
   * "dynamic" (the default for a Bernoulli decoder) here means one seeded Bernoulli draw per pixel, made
   * once: a fixed binarization of the test set, the same for every model evaluated with the same seed
   * (not a fresh draw each time, as in training). "static" does the same; "none" keeps the grey levels.
   */
  binarize?: Binarization;
  batchSize?: number;
  /** Only the first `limit` images (for quick checks). */
  limit?: number;
  /** Variance of E_q[z_u] across the data above which unit u counts as active (Burda et al.: 0.01). */
  activeThreshold?: number;
  onProgress?: (done: number, total: number, phase: "elbo" | "iwae") => void;
}

export interface Metrics {
  examples: number;
  /** Mean over the data of −ELBO (nats per image) = reconstructionLoss + kl. Null for the autoencoder. */
  negElbo: number | null;
  /** −E_q[log p(x|z)] (the autoencoder's: its squared error ‖x − x̂‖² per image). */
  reconstructionLoss: number;
  kl: number | null;
  /** −(IWAE bound with k samples), the log-likelihood estimate in nats (a stochastic upper bound on −log p(x)). */
  iwae: {k: number; nll: number} | null;
  activeUnits: {count: number; threshold: number; variances: number[]};
  protocol: string;
}

function binarized(data: Dataset, start: number, end: number, mode: Binarization, draw: () => number): Float32Array {
  const slice = data.images.subarray(start * data.pixels, end * data.pixels);
  if (mode === "none") return Float32Array.from(slice);
  return binarize(slice, draw);
}

/**
 * Test-set metrics as the papers measure them: mean −ELBO with its reconstruction and KL, the
 * importance-weighted log-likelihood estimate with k samples (Burda et al. 2016), and the number of
 * active latent units. All in nats per image; the data is binarized once with a fixed seed.
 */
export async function evaluateModel(model: Model, data: Dataset, options: EvaluationOptions = {}): Promise<Metrics> {
  const {seed = 0, batchSize = 100, activeThreshold = 0.01, onProgress} = options;
  const stochastic = model.config.kind !== "ae";
  const k = stochastic ? (options.k ?? 1000) : 0;
  const binarize = options.binarize ?? (model.config.likelihood.kind === "bernoulli" && stochastic ? "dynamic" : "none");
  const total = Math.min(options.limit ?? data.count, data.count);
  const latentDim = model.config.latentDim;
  const draw = mulberry32(seed * 7 + 3);
  const inputs: Float32Array[] = [];
  for (let start = 0; start < total; start += batchSize) inputs.push(binarized(data, start, Math.min(total, start + batchSize), binarize, draw));
  const condition = (start: number, size: number) =>
    model.config.kind === "cvae" ? oneHotLabels((data.labels as Uint8Array).subarray(start, start + size), model.config.numClasses as number) : undefined;

  let sums = {elbo: 0, logLikelihood: 0, kl: 0, iwae: 0};
  const moments = new UnitMoments(latentDim);
  for (let b = 0; b < inputs.length; b++) {
    const start = b * batchSize;
    const size = inputs[b].length / data.pixels;
    const c = condition(start, size);
    const [elbo, logLikelihood, kl, means] = tf.tidy(() => {
      const x = tf.tensor2d(inputs[b], [size, data.pixels]);
      // tfjs takes a seed of 0 for no seed at all (a fresh random draw), so batch 0 of seed 0 gets another.
      const terms = model.terms(x, {seed: seed * 1_000_003 + b || 4_294_967_291, condition: c});
      return [terms.elbo.sum(), terms.logLikelihood.sum(), terms.kl.sum(), model.encode(x, c).mean];
    });
    const [e, r, l, m] = await Promise.all([elbo.data(), logLikelihood.data(), kl.data(), means.data()]);
    tf.dispose([elbo, logLikelihood, kl, means]);
    sums = {...sums, elbo: sums.elbo + e[0], logLikelihood: sums.logLikelihood + r[0], kl: sums.kl + l[0]};
    moments.add(m);
    c?.dispose();
    onProgress?.(start + size, total, "elbo");
  }
  if (k > 0) {
    for (let b = 0; b < inputs.length; b++) {
      const start = b * batchSize;
      const size = inputs[b].length / data.pixels;
      const c = condition(start, size);
      const bound = tf.tidy(() => {
        const x = tf.tensor2d(inputs[b], [size, data.pixels]);
        const {mean, logVar} = model.encode(x, c);
        const prior = model.config.kind === "cvae" && model.config.prior === "learned" ? model.prior(size, c) : undefined;
        return iwaeBound({x, mean, logVar, decode: (z) => model.decode(z, c ? repeatSamples(c, z.shape[0] / size) : undefined), likelihood: model.config.likelihood, k, seed: seed * 1_000_003 + 500_000 + b * 1000, chunk: Math.max(1, Math.floor(20_000 / size)), prior}).sum();
      });
      sums.iwae += (await bound.data())[0];
      bound.dispose();
      c?.dispose();
      onProgress?.(start + size, total, "iwae");
    }
  }
  const variances = moments.variances();
  const likelihood = model.config.likelihood.kind === "bernoulli" ? "Bernoulli" : `Gaussian (σ = ${model.config.likelihood.sigma}, grey levels: a density, not comparable with Bernoulli nats)`;
  return {
    examples: total,
    negElbo: stochastic ? -sums.elbo / total : null,
    reconstructionLoss: -sums.logLikelihood / total,
    kl: stochastic ? sums.kl / total : null,
    iwae: k > 0 ? {k, nll: -sums.iwae / total} : null,
    activeUnits: {count: countActive(variances, activeThreshold), threshold: activeThreshold, variances},
    protocol: stochastic
      ? `${total} test images, ${binarize === "dynamic" ? `binarized once by a Bernoulli draw per pixel (seed ${seed})` : "grey levels in [0, 1]"}; ` +
        `${likelihood} decoder; nats per image, summed over pixels and latent dimensions. ` +
        `−ELBO with one z per image; log-likelihood from the importance-weighted bound with k = ${k}; ` +
        `a latent unit is active when the variance of its posterior mean over the data exceeds ${activeThreshold}.`
      : `${total} test images, grey levels in [0, 1]. The autoencoder has no likelihood: its reconstruction is the squared error ` +
        `‖x − x̂‖² per image, summed over pixels; a latent unit is active when the variance of its code over the data exceeds ${activeThreshold}.`
  };
}

/**
 * Running per-unit mean and variance of the encoder's means over a data set, for Burda et al.'s
 * activity: Cov_x(E_q[z_u]) is the population variance over the inputs of unit u's mean.
 */
export class UnitMoments {
  private readonly sum: Float64Array;
  private readonly squares: Float64Array;
  private n = 0;
  constructor(readonly latentDim: number) {
    this.sum = new Float64Array(latentDim);
    this.squares = new Float64Array(latentDim);
  }

  /** Adds rows of means, [rows, latentDim] flattened row-major. */
  add(means: ArrayLike<number>): void {
    const rows = Math.floor(means.length / this.latentDim);
    for (let i = 0; i < rows; i++) {
      for (let u = 0; u < this.latentDim; u++) {
        const v = means[i * this.latentDim + u];
        this.sum[u] += v;
        this.squares[u] += v * v;
      }
    }
    this.n += rows;
  }

  /** Each unit's population variance over the rows added so far ([latentDim]); zeros before any. */
  variances(): number[] {
    const n = Math.max(1, this.n);
    return Array.from(this.sum, (s, u) => Math.max(0, this.squares[u] / n - (s / n) ** 2));
  }
}

/** Burda et al.'s active units from the variances of the means: how many exceed `threshold` (0.01). */
export function countActive(variances: readonly number[], threshold = 0.01): number {
  return variances.filter((v) => v > threshold).length;
}

/** q's means of every row of a tensor x, read back without blocking: [n, latentDim] flattened (encodeMeans in lib/encode.ts takes raw images, in batches). */
export async function readMeans(model: Model, x: Tensor2D, condition?: Tensor2D): Promise<Float32Array> {
  const means = tf.tidy(() => model.encode(x, condition).mean);
  const values = (await means.data()) as Float32Array;
  means.dispose();
  return values;
}

/** A fixed held-out set for a lab: the first `count` digits, binarized once with a seed when the decoder is Bernoulli. */
export interface HeldOut {
  x: Tensor2D;
  /** One-hot labels, for a CVAE. */
  condition?: Tensor2D;
  labels?: Uint8Array;
  count: number;
  binarize: Binarization;
  dispose(): void;
}

/**
 * The first `count` images of `data` as tensors: binarized by one seeded Bernoulli draw per pixel
 * ("static") for a Bernoulli decoder, grey levels ("none") for a Gaussian one. The caller disposes.
 */
export function heldOutSet(data: Dataset, {count = 500, binarize: mode = "static", seed = 0, numClasses}: {count?: number; binarize?: "static" | "none"; seed?: number; numClasses?: number} = {}): HeldOut {
  const n = Math.min(count, data.count);
  const pixels = data.images.subarray(0, n * data.pixels);
  const values = mode === "static" ? binarize(pixels, mulberry32(seed * 7 + 5)) : Float32Array.from(pixels);
  const labels = data.labels?.slice(0, n);
  const x = tf.tensor2d(values, [n, data.pixels]);
  const condition = numClasses && labels ? oneHotLabels(labels, numClasses) : undefined;
  return {x, condition, labels, count: n, binarize: mode, dispose: () => tf.dispose([x, ...(condition ? [condition] : [])])};
}

/** What a lab shows of its model on held-out digits, in nats per image. */
export interface HeldOutScore {
  count: number;
  /** −ELBO with β = 1 (for the autoencoder: its squared error). */
  negElbo: number;
  reconstructionLoss: number;
  kl: number;
  /** Per-unit variance of q's mean over the digits, and how many exceed 0.01 (Burda et al.). */
  variances: number[];
  activeUnits: number;
  /** q's means, [count, latentDim] flattened (for a latent plane). */
  means: Float32Array;
}

/**
 * Scores a model on a held-out set with one seeded z per digit: batchMean −ELBO, its two parts, and the
 * active units. Reads back asynchronously (a training loop can keep going meanwhile).
 */
export async function evaluateHeldOut(model: Model, held: HeldOut, {seed = 0, threshold = 0.01}: {seed?: number; threshold?: number} = {}): Promise<HeldOutScore> {
  const [numbers, meanTensor] = tf.tidy(() => {
    const terms = model.terms(held.x, {seed, condition: held.condition});
    return [tf.stack([terms.elbo.mean().neg(), terms.logLikelihood.mean().neg(), terms.kl.mean()]), model.encode(held.x, held.condition).mean];
  });
  const [values, means] = await Promise.all([numbers.data(), meanTensor.data() as Promise<Float32Array>]);
  tf.dispose([numbers, meanTensor]);
  const moments = new UnitMoments(model.config.latentDim);
  moments.add(means);
  const variances = moments.variances();
  return {count: held.count, negElbo: values[0], reconstructionLoss: values[1], kl: values[2], variances, activeUnits: countActive(variances, threshold), means};
}
