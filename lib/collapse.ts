// Two remedies for posterior collapse, as training-loss modifications. Neither changes what the
// ELBO is; both change what is minimized, so a run that uses them reports the −ELBO separately.
import {tf, type Scalar, type Tensor2D} from "./tf.js";

/**
 * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): the KL's weight rises linearly from 0 to β
 * over the first `warmupSteps` steps, so the decoder learns to use z before the KL pushes q towards
 * the prior.
 *   β_t = β · min(1, t / warmupSteps),   t = steps already taken (the first step has t = 0).
 * warmupSteps = 0 means no warm-up: β from the first step.
 */
export function klWarmupBeta(step: number, beta: number, warmupSteps: number): number {
  if (!Number.isInteger(step) || step < 0) throw new Error(`klWarmupBeta: step must be a whole number ≥ 0, got ${step}`);
  checkWarmupSteps(warmupSteps);
  checkBeta(beta);
  return warmupSteps === 0 ? beta : beta * Math.min(1, step / warmupSteps);
}

/**
 * The free-bits KL term (Kingma et al. 2016, "Improved variational inference with inverse
 * autoregressive flow", appendix C.8), with one group per latent unit:
 *   Σ_j max(λ, (1/B) Σ_n KL_nj),
 * where KL_nj is unit j's KL for example n. A unit whose batchMean KL is below λ nats pays λ and gets
 * no gradient, so the optimizer gains nothing by pushing it all the way to the prior. λ = 0 gives the
 * plain batchMean KL.
 * @param klPerUnit [batch, latentDim]
 * @returns a scalar: the KL term of the loss, batchMean
 */
export function freeBitsKl(klPerUnit: Tensor2D, lambda: number): Scalar {
  checkFreeBits(lambda);
  return tf.tidy(() => tf.maximum(klPerUnit.mean(0), lambda).sum() as Scalar);
}

/** β must be a finite number ≥ 0; throws a sentence saying so. */
export function checkBeta(beta: number): void {
  if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`β must be a number ≥ 0, got ${beta}`);
}

export function checkWarmupSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 0) throw new Error(`warm-up steps must be a whole number ≥ 0, got ${steps}`);
}

export function checkFreeBits(lambda: number): void {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new Error(`free bits λ must be a number ≥ 0 (nats per unit), got ${lambda}`);
}
