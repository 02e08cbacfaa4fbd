import type {Dataset} from "./batches.js";
import {mulberry32} from "./random.js";

/**
 * The independent-pixel model: p(x) = Π_i Bernoulli(x_i; μ_i). Fitting it by maximum likelihood sets
 * μ_i to the fraction of images where pixel i is on (here: the mean grey level). It knows where ink
 * tends to be, but not that strokes are connected: its samples are speckled clouds, not digits.
 * @returns μ, one probability per pixel [pixels]
 */
export function fitIndependentBernoulli(data: Dataset): Float32Array {
  const means = new Float64Array(data.pixels);
  for (let n = 0; n < data.count; n++) {
    for (let i = 0; i < data.pixels; i++) means[i] += data.images[n * data.pixels + i];
  }
  return Float32Array.from(means, (sum) => sum / data.count);
}

/** n samples x ~ Π Bernoulli(μ_i), seeded: [n · pixels] zeros and ones. */
export function sampleIndependentBernoulli(means: Float32Array, n: number, seed: number): Float32Array {
  const draw = mulberry32(seed);
  const out = new Float32Array(n * means.length);
  for (let s = 0; s < n; s++) {
    for (let i = 0; i < means.length; i++) out[s * means.length + i] = draw() < means[i] ? 1 : 0;
  }
  return out;
}

/**
 * log p(x) = Σ_i [x_i log μ_i + (1 − x_i) log(1 − μ_i)] for a binary image x, in nats. μ is clipped to
 * [ε, 1 − ε] so a pixel never seen on does not make the log-likelihood −∞.
 */
export function independentBernoulliLogLikelihood(means: Float32Array, x: ArrayLike<number>, epsilon = 1e-3): number {
  let sum = 0;
  for (let i = 0; i < means.length; i++) {
    const mu = Math.min(1 - epsilon, Math.max(epsilon, means[i]));
    sum += x[i] > 0.5 ? Math.log(mu) : Math.log(1 - mu);
  }
  return sum;
}
