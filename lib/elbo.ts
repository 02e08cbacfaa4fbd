import {klDiagonalGaussiansPerUnit, klStandardNormalPerUnit} from "./kl.js";
import {logLikelihood, logLikelihoodSamples, type Likelihood} from "./logDensity.js";
import {reparameterize} from "./reparameterize.js";
import {tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D} from "./tf.js";

/** Maps latent codes [n, latentDim] to the decoder's output [n, ...] (logits or means). */
export type Decoder = (z: Tensor2D) => Tensor;

export interface ElboInputs {
  /** The data, [batch, ...]. */
  x: Tensor;
  /** q(z | x)'s parameters, [batch, latentDim]. */
  mean: Tensor2D;
  logVar: Tensor2D;
  decode: Decoder;
  likelihood: Likelihood;
  /** Weight of the KL term (β-VAE); 1 gives the true bound. */
  beta?: number;
  /** Draws of z per example for the reconstruction term. */
  samples?: number;
  seed?: number;
  /** Fixed noise, [samples, batch, latentDim]; overrides seed. */
  epsilon?: Tensor;
  /** A conditional prior p(z | c) (the CVAE's); N(0, I) when absent. */
  prior?: {mean: Tensor2D; logVar: Tensor2D};
}

/**
 * The ELBO's parts, perExample: elbo = logLikelihood − β·kl. `logLikelihood` is the reconstruction
 * term E_q[log p(x | z)] (a log-probability, ≤ 0 for a Bernoulli decoder); its negative, the number a
 * loss curve shows, is called `reconstructionLoss` everywhere in this project.
 */
export type ElboTerms = {
  /** E_q[log p(x | z)], summed over pixels, averaged over the samples. [batch] */
  logLikelihood: Tensor1D;
  /** KL(q(z | x) ‖ p(z)), closed form, summed over latent dims. [batch] */
  kl: Tensor1D;
  /** The same KL for each latent unit on its own (kl is its sum over units). [batch, latentDim] */
  klPerUnit: Tensor2D;
  /** logLikelihood − β·kl (with β = 1, the ELBO itself). [batch] */
  elbo: Tensor1D;
};

/**
 * The evidence lower bound per example, with S samples of z:
 *   ELBO(x) = (1/S) Σ_s log p(x | z_s) − β · KL(q(z | x) ‖ p(z)),   z_s = mean + exp(logVar/2) ⊙ ε_s.
 * With β ≠ 1 this is the β-VAE objective, not a bound on log p(x).
 *
 * Reductions, stated because they decide what β means: both terms are SUMMED over their dimensions
 * (pixels, latent dims), so β = 1 is the true bound on log p(x). Averaging the reconstruction over the
 * 784 pixels while summing the KL is the same as β = 784 on the KL of the summed form (the trap of
 * keras-io #983). Averaging or summing over the batch scales both terms alike and leaves β alone,
 * though a sum multiplies the effective learning rate by the batch size (pytorch/examples #234).
 * Take the batch MEAN of `elbo` for a loss: elboLoss does.
 */
export function elbo(inputs: ElboInputs): ElboTerms {
  const {x, mean, logVar, decode, likelihood, beta = 1, samples = 1, seed, epsilon, prior} = inputs;
  if (!Number.isFinite(beta) || beta < 0) throw new Error(`elbo: beta must be a number ≥ 0, got ${beta}`);
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`elbo: samples must be a positive integer, got ${samples}`);
  return tf.tidy(() => {
    const [batch, latentDim] = mean.shape;
    let expected: Tensor1D;
    if (samples === 1 && !epsilon) {
      const z = reparameterize(mean, logVar, undefined, seed) as Tensor2D;
      expected = logLikelihood(x, decode(z), likelihood);
    } else {
      const noise = epsilon ?? tf.randomNormal([samples, batch, latentDim], 0, 1, "float32", seed);
      const z = reparameterize(mean.expandDims(0), logVar.expandDims(0), noise.reshape([samples, batch, latentDim]));
      const perSample = logLikelihoodSamples(x, decode(z.reshape([samples * batch, latentDim]) as Tensor2D), likelihood, samples);
      expected = perSample.mean(0) as Tensor1D;
    }
    const klPerUnit = prior ? klDiagonalGaussiansPerUnit(mean, logVar, prior.mean, prior.logVar) : klStandardNormalPerUnit(mean, logVar);
    const kl = klPerUnit.sum(1) as Tensor1D;
    return {logLikelihood: expected, kl, klPerUnit, elbo: expected.sub(kl.mul(beta)) as Tensor1D};
  });
}

/** The training loss: −batchMean(ELBO), a scalar to minimize. */
export function elboLoss(inputs: ElboInputs): Scalar {
  return tf.tidy(() => {
    const {elbo: perExample} = elbo(inputs);
    return perExample.mean().neg() as Scalar;
  });
}
