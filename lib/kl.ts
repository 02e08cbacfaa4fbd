import {gaussianLogDensity} from "./logDensity.js";
import {repeatSamples, reparameterize} from "./reparameterize.js";
import {tf, type Tensor, type Tensor1D, type Tensor2D} from "./tf.js";

/**
 * KL(N(mean_j, σ_j²) ‖ N(0, 1)) for each latent unit j on its own, σ² = exp(logVar):
 * ½ [σ_j² + mean_j² − 1 − logVar_j]. The one place this formula is written.
 * @param mean [batch, latentDim]
 * @param logVar [batch, latentDim]
 * @returns perUnit [batch, latentDim]
 */
export function klStandardNormalPerUnit(mean: Tensor, logVar: Tensor): Tensor2D {
  return tf.tidy(() => tf.exp(logVar).add(tf.square(mean)).sub(1).sub(logVar).mul(0.5) as Tensor2D);
}

/**
 * KL(N(mean, diag σ²) ‖ N(0, I)) in closed form, summed over latent dims, σ² = exp(logVar).
 * = ½ Σ_j [σ_j² + mean_j² − 1 − logVar_j]
 * @param mean [batch, latentDim]
 * @param logVar [batch, latentDim]
 * @returns perExample [batch]
 */
export function klStandardNormal(mean: Tensor, logVar: Tensor): Tensor1D {
  return tf.tidy(() => klStandardNormalPerUnit(mean, logVar).sum(-1) as Tensor1D);
}

/**
 * KL(N(meanQ_j, exp(logVarQ_j)) ‖ N(meanP_j, exp(logVarP_j))) for each latent unit j on its own:
 * ½ [logVarP_j − logVarQ_j + (exp(logVarQ_j) + (meanQ_j − meanP_j)²) / exp(logVarP_j) − 1].
 * @returns perUnit [batch, latentDim]
 */
export function klDiagonalGaussiansPerUnit(meanQ: Tensor, logVarQ: Tensor, meanP: Tensor, logVarP: Tensor): Tensor2D {
  return tf.tidy(() => {
    const ratio = tf.exp(logVarQ).add(tf.square(tf.sub(meanQ, meanP))).div(tf.exp(logVarP));
    return tf.sub(logVarP, logVarQ).add(ratio).sub(1).mul(0.5) as Tensor2D;
  });
}

/**
 * KL(N(meanQ, diag exp(logVarQ)) ‖ N(meanP, diag exp(logVarP))) in closed form, summed over latent dims.
 * = ½ Σ_j [logVarP_j − logVarQ_j + (exp(logVarQ_j) + (meanQ_j − meanP_j)²) / exp(logVarP_j) − 1]
 * The CVAE's learned prior p(z | c) needs it; with meanP = 0, logVarP = 0 it is klStandardNormal.
 * @returns perExample [batch]
 */
export function klDiagonalGaussians(meanQ: Tensor, logVarQ: Tensor, meanP: Tensor, logVarP: Tensor): Tensor1D {
  return tf.tidy(() => klDiagonalGaussiansPerUnit(meanQ, logVarQ, meanP, logVarP).sum(-1) as Tensor1D);
}

export interface KlMonteCarloOptions {
  samples: number;
  seed?: number;
}

/**
 * Monte Carlo KL(q ‖ p) = E_q[log q(z) − log p(z)], from `samples` draws z ~ q per example.
 * Unbiased, with a spread that shrinks as 1/√samples: the chapters race it against the closed form.
 * @returns estimate [batch] (the average) and perSample [samples, batch] (each draw's log q − log p)
 */
export function klMonteCarlo(
  meanQ: Tensor2D,
  logVarQ: Tensor2D,
  meanP: Tensor2D,
  logVarP: Tensor2D,
  {samples, seed}: KlMonteCarloOptions
): {estimate: Tensor1D; perSample: Tensor2D} {
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`klMonteCarlo: samples must be a positive integer, got ${samples}`);
  return tf.tidy(() => {
    const [batch, latentDim] = meanQ.shape;
    const epsilon = tf.randomNormal([samples, batch, latentDim], 0, 1, "float32", seed);
    const z = reparameterize(meanQ.expandDims(0), logVarQ.expandDims(0), epsilon).reshape([samples * batch, latentDim]);
    const logQ = gaussianLogDensity(z, repeatSamples(meanQ, samples), repeatSamples(logVarQ, samples));
    const logP = gaussianLogDensity(z, repeatSamples(meanP, samples), repeatSamples(logVarP, samples));
    const perSample = tf.sub(logQ, logP).reshape([samples, batch]) as Tensor2D;
    return {estimate: perSample.mean(0) as Tensor1D, perSample};
  });
}
