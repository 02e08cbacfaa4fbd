import {binarize, type Binarization, type Dataset} from "./batches.js";
import {iwaeBound} from "./iwae.js";
import type {Model} from "./model.js";
import {mulberry32} from "./random.js";
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
  /** Mean over the data of −ELBO (nats per image), and its two parts. Null for the autoencoder. */
  negElbo: number | null;
  reconstruction: number;
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
    model.config.kind === "cvae"
      ? (tf.tidy(() => tf.oneHot(tf.tensor1d((data.labels as Uint8Array).subarray(start, start + size), "int32"), model.config.numClasses as number).toFloat()) as Tensor2D)
      : undefined;

  let sums = {elbo: 0, reconstruction: 0, kl: 0, iwae: 0};
  const meanSum = new Float64Array(latentDim);
  const meanSquares = new Float64Array(latentDim);
  for (let b = 0; b < inputs.length; b++) {
    const start = b * batchSize;
    const size = inputs[b].length / data.pixels;
    const c = condition(start, size);
    const [elbo, reconstruction, kl, means] = tf.tidy(() => {
      const x = tf.tensor2d(inputs[b], [size, data.pixels]);
      // tfjs takes a seed of 0 for no seed at all (a fresh random draw), so batch 0 of seed 0 gets another.
      const terms = model.terms(x, {seed: seed * 1_000_003 + b || 4_294_967_291, condition: c});
      return [terms.elbo.sum(), terms.reconstruction.sum(), terms.kl.sum(), model.encode(x, c).mean];
    });
    const [e, r, l, m] = await Promise.all([elbo.data(), reconstruction.data(), kl.data(), means.data()]);
    tf.dispose([elbo, reconstruction, kl, means]);
    sums = {...sums, elbo: sums.elbo + e[0], reconstruction: sums.reconstruction + r[0], kl: sums.kl + l[0]};
    for (let i = 0; i < size; i++) {
      for (let u = 0; u < latentDim; u++) {
        const v = m[i * latentDim + u];
        meanSum[u] += v;
        meanSquares[u] += v * v;
      }
    }
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
        return iwaeBound({x, mean, logVar, decode: (z) => model.decode(z, c ? (tf.tile(c, [z.shape[0] / size, 1]) as Tensor2D) : undefined), likelihood: model.config.likelihood, k, seed: seed * 1_000_003 + 500_000 + b * 1000, chunk: Math.max(1, Math.floor(20_000 / size)), prior}).sum();
      });
      sums.iwae += (await bound.data())[0];
      bound.dispose();
      c?.dispose();
      onProgress?.(start + size, total, "iwae");
    }
  }
  const variances = Array.from(meanSum, (s, u) => meanSquares[u] / total - (s / total) ** 2);
  const likelihood = model.config.likelihood.kind === "bernoulli" ? "Bernoulli" : `Gaussian (σ = ${model.config.likelihood.sigma}, grey levels: a density, not comparable with Bernoulli nats)`;
  return {
    examples: total,
    negElbo: stochastic ? -sums.elbo / total : null,
    reconstruction: stochastic ? -sums.reconstruction / total : -sums.reconstruction / total,
    kl: stochastic ? sums.kl / total : null,
    iwae: k > 0 ? {k, nll: -sums.iwae / total} : null,
    activeUnits: {count: variances.filter((v) => v > activeThreshold).length, threshold: activeThreshold, variances},
    protocol: stochastic
      ? `${total} test images, ${binarize === "dynamic" ? `binarized once by a Bernoulli draw per pixel (seed ${seed})` : "grey levels in [0, 1]"}; ` +
        `${likelihood} decoder; nats per image, summed over pixels and latent dimensions. ` +
        `−ELBO with one z per image; log-likelihood from the importance-weighted bound with k = ${k}; ` +
        `a latent unit is active when the variance of its posterior mean over the data exceeds ${activeThreshold}.`
      : `${total} test images, grey levels in [0, 1]. The autoencoder has no likelihood: its reconstruction is the squared error ` +
        `‖x − x̂‖² per image, summed over pixels; a latent unit is active when the variance of its code over the data exceeds ${activeThreshold}.`
  };
}
