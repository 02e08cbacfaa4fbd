// The Numbers page's claim about the PyTorch example: binary cross-entropy against a grey image is the
// expected −log-likelihood of its random binarizations, so the example's test loss is an expected −ELBO.
// Checked by Monte Carlo over binarizations b against the closed form; used by tests/claims/numbers.ts
// and tests/unit/bceLinearity.test.ts.
import {expect} from "vitest";
import {bernoulliLogLikelihood, mulberry32, tf} from "../../lib/index.ts";

/** BCE(x, sigmoid(logits)) summed over pixels, in plain numbers: −Σ [x log π + (1 − x) log(1 − π)]. */
export function closedFormBce(x: ArrayLike<number>, logits: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    // log π = −softplus(−l), log(1 − π) = −softplus(l), written stably.
    const l = logits[i];
    const softplus = (t: number) => Math.max(t, 0) + Math.log1p(Math.exp(-Math.abs(t)));
    sum += x[i] * softplus(-l) + (1 - x[i]) * softplus(l);
  }
  return sum;
}

/**
 * The mean and standard error over `draws` binarizations b ~ Bernoulli(x) of −log Bernoulli(b; sigmoid(logits)),
 * each computed by lib's bernoulliLogLikelihood (a different formula: b·l − softplus(l)).
 */
export function monteCarloBce(x: ArrayLike<number>, logits: Float32Array, draws: number, seed: number): {mean: number; standardError: number} {
  const uniform = mulberry32(seed);
  const b = new Float32Array(draws * x.length);
  for (let s = 0; s < draws; s++) for (let i = 0; i < x.length; i++) b[s * x.length + i] = uniform() < x[i] ? 1 : 0;
  const values = tf.tidy(() => {
    const l = tf.tensor2d(logits, [1, x.length]).tile([draws, 1]);
    return bernoulliLogLikelihood(tf.tensor2d(b, [draws, x.length]), l).neg().dataSync() as Float32Array;
  });
  const mean = values.reduce((a, v) => a + v, 0) / draws;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (draws - 1);
  return {mean, standardError: Math.sqrt(variance / draws)};
}

/** Asserts that the Monte Carlo mean is within 4 standard errors of the closed form, and that the error is small. */
export function expectLinearity(x: ArrayLike<number>, logits: Float32Array, draws: number, seed: number): void {
  const exact = closedFormBce(x, logits);
  const {mean, standardError} = monteCarloBce(x, logits, draws, seed);
  expect(Math.abs(mean - exact)).toBeLessThan(4 * standardError + 1e-3);
  expect(standardError).toBeLessThan(0.02 * Math.abs(exact) + 0.05);
}
