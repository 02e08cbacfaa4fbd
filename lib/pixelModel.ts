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

/**
 * The average of log p(x) over images whose pixel i is ink a fraction `frequencies[i]` of the time:
 *   Σ_i [f_i log μ_i + (1 − f_i) log(1 − μ_i)],  μ clipped as in independentBernoulliLogLikelihood.
 * log p(x) is a sum of one term per pixel, so this depends on a set of images only through f. With
 * f = μ it is E_{x ~ p}[log p(x)], the model's own samples' expected score: minus the entropy (up to
 * the clipping). With f = a data set's pixel means (grey levels) it is the expected score of that set
 * binarized by one coin flip per pixel.
 * @param means μ [pixels]; @param frequencies f [pixels] in [0, 1]
 */
export function independentBernoulliExpectedLogLikelihood(means: ArrayLike<number>, frequencies: ArrayLike<number>, epsilon = 1e-3): number {
  let sum = 0;
  for (let i = 0; i < means.length; i++) {
    const mu = Math.min(1 - epsilon, Math.max(epsilon, means[i]));
    sum += frequencies[i] * Math.log(mu) + (1 - frequencies[i]) * Math.log(1 - mu);
  }
  return sum;
}

/** H = −Σ_i [μ_i log μ_i + (1 − μ_i) log(1 − μ_i)], the entropy of Π Bernoulli(μ_i) in nats (0 log 0 = 0). */
export function independentBernoulliEntropy(means: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < means.length; i++) {
    const mu = means[i];
    if (mu > 0) h -= mu * Math.log(mu);
    if (mu < 1) h -= (1 - mu) * Math.log(1 - mu);
  }
  return h;
}

/** The most probable image of Π Bernoulli(μ_i): pixel i is ink exactly when μ_i > ½. [pixels] zeros and ones. */
export function independentBernoulliMode(means: ArrayLike<number>): Float32Array {
  return Float32Array.from(means as ArrayLike<number>, (mu) => (mu > 0.5 ? 1 : 0));
}

/** The standard deviation of log p(x) over x ~ Π Bernoulli(f_i) (pixels independent, so variances add), clipped μ as above. */
export function independentBernoulliLogLikelihoodStd(means: ArrayLike<number>, frequencies: ArrayLike<number>, epsilon = 1e-3): number {
  let variance = 0;
  for (let i = 0; i < means.length; i++) {
    const mu = Math.min(1 - epsilon, Math.max(epsilon, means[i]));
    const diff = Math.log(mu) - Math.log(1 - mu);
    variance += frequencies[i] * (1 - frequencies[i]) * diff * diff;
  }
  return Math.sqrt(variance);
}
