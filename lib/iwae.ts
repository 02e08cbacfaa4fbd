import {gaussianLogDensity, logLikelihoodSamples, type Likelihood} from "./logDensity.js";
import {repeatSamples, reparameterize} from "./reparameterize.js";
import {tf, type Tensor, type Tensor1D, type Tensor2D} from "./tf.js";
import type {Decoder} from "./elbo.js";

/**
 * log((1/n) Σ_i exp(v_i)) along `axis`, computed as m + log mean exp(v − m) with m = max v, so that
 * values like −500 (log-weights of images) do not underflow to log 0.
 */
export function logMeanExp(values: Tensor, axis = 0): Tensor {
  return tf.tidy(() => {
    const max = tf.max(values, axis, true);
    const safeMax = tf.where(tf.isFinite(max), max, tf.zerosLike(max));
    return tf.exp(tf.sub(values, safeMax)).mean(axis).log().add(safeMax.squeeze([axis]));
  });
}

export interface IwaeInputs {
  x: Tensor;
  mean: Tensor2D;
  logVar: Tensor2D;
  decode: Decoder;
  likelihood: Likelihood;
  /** Importance samples per example; k = 1 is the ELBO (with one sample). */
  k: number;
  seed?: number;
  /** Samples decoded at once, to bound memory for k in the thousands. */
  chunk?: number;
  prior?: {mean: Tensor2D; logVar: Tensor2D};
}

/**
 * The importance-weighted bound (Burda et al. 2016), a log-likelihood estimate:
 *   L_k(x) = log (1/k) Σ_i p(x | z_i) p(z_i) / q(z_i | x),   z_i ~ q(z | x).
 * L_1 is the ELBO; L_k ≤ L_{k+1} ≤ log p(x) in expectation, and L_k → log p(x) as k → ∞.
 * @returns perExample [batch]
 */
export function iwaeBound({x, mean, logVar, decode, likelihood, k, seed = 0, chunk = 256, prior}: IwaeInputs): Tensor1D {
  if (!Number.isInteger(k) || k < 1) throw new Error(`iwaeBound: k must be a positive integer, got ${k}`);
  const [batch, latentDim] = mean.shape;
  // log Σ_i w_i accumulated chunk by chunk, so memory stays O(chunk · batch) for any k.
  let logSum: Tensor1D | null = null;
  for (let start = 0, index = 0; start < k; start += chunk, index++) {
    const size = Math.min(chunk, k - start);
    const next: Tensor1D = tf.tidy(() => {
      const epsilon = tf.randomNormal([size, batch, latentDim], 0, 1, "float32", seed + index);
      const z = reparameterize(mean.expandDims(0), logVar.expandDims(0), epsilon).reshape([size * batch, latentDim]) as Tensor2D;
      const logPxz = logLikelihoodSamples(x, decode(z), likelihood, size);
      const logPz = prior ? gaussianLogDensity(z, repeatSamples(prior.mean, size), repeatSamples(prior.logVar, size)) : gaussianLogDensity(z, tf.zerosLike(z), tf.zerosLike(z));
      const logQz = gaussianLogDensity(z, repeatSamples(mean, size), repeatSamples(logVar, size));
      const chunkLogSum = tf.logSumExp(logPxz.add(logPz.sub(logQz).reshape([size, batch])), 0) as Tensor1D;
      return logSum ? (tf.logSumExp(tf.stack([logSum, chunkLogSum]), 0) as Tensor1D) : chunkLogSum;
    });
    logSum?.dispose();
    logSum = next;
  }
  const total = logSum as Tensor1D;
  const bound = tf.tidy(() => total.sub(Math.log(k)) as Tensor1D);
  total.dispose();
  return bound;
}
