import {describe, expect, it} from "vitest";
import {
  fitIndependentBernoulli,
  independentBernoulliEntropy,
  independentBernoulliExpectedLogLikelihood,
  independentBernoulliLogLikelihood,
  independentBernoulliLogLikelihoodStd,
  independentBernoulliMode,
  sampleIndependentBernoulli
} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";

describe("pixelModel", () => {
  const data = prototypeData({count: 200});

  it("fitIndependentBernoulli(data) is the per-pixel mean", () => {
    const means = fitIndependentBernoulli(data);
    for (const i of [0, 7, 15]) {
      let sum = 0;
      for (let n = 0; n < data.count; n++) sum += data.images[n * 16 + i];
      expect(means[i]).toBeCloseTo(sum / data.count, 6);
    }
  });

  it("sampleIndependentBernoulli draws each pixel on with probability μ_i, reproducibly", () => {
    const means = Float32Array.from([0.1, 0.5, 0.9]);
    const samples = sampleIndependentBernoulli(means, 20_000, 1);
    means.forEach((mu, i) => {
      let on = 0;
      for (let s = 0; s < 20_000; s++) on += samples[s * 3 + i];
      expect(Math.abs(on / 20_000 - mu)).toBeLessThan(4 * Math.sqrt((mu * (1 - mu)) / 20_000));
    });
    expect(sampleIndependentBernoulli(means, 5, 3)).toEqual(sampleIndependentBernoulli(means, 5, 3));
  });

  it("independentBernoulliLogLikelihood sums per-pixel log-probabilities and stays finite for μ = 0 or 1", () => {
    const means = Float32Array.from([0.2, 0.7]);
    expect(independentBernoulliLogLikelihood(means, [1, 0])).toBeCloseTo(Math.log(0.2) + Math.log(0.3), 5);
    expect(Number.isFinite(independentBernoulliLogLikelihood(Float32Array.from([0, 1]), [1, 0]))).toBe(true);
  });

  it("independentBernoulliExpectedLogLikelihood(μ, μ) = −independentBernoulliEntropy(μ) matches the average score of many samples", () => {
    const means = Float32Array.from({length: 50}, (_, i) => (i % 10) / 10 + 0.05);
    const n = 20_000;
    const samples = sampleIndependentBernoulli(means, n, 5);
    let total = 0;
    for (let s = 0; s < n; s++) total += independentBernoulliLogLikelihood(means, samples.subarray(s * 50, (s + 1) * 50));
    const std = independentBernoulliLogLikelihoodStd(means, means);
    expect(Math.abs(total / n - independentBernoulliExpectedLogLikelihood(means, means))).toBeLessThan((4 * std) / Math.sqrt(n));
    expect(independentBernoulliExpectedLogLikelihood(means, means)).toBeCloseTo(-independentBernoulliEntropy(means), 10);
  });

  it("independentBernoulliEntropy(μ) is the entropy of the 2^D images, enumerated", () => {
    const means = [0.5, 0.1, 0.9, 0, 0.3];
    let h = 0;
    for (let k = 0; k < 2 ** means.length; k++) {
      let p = 1;
      means.forEach((mu, i) => (p *= (k >> i) & 1 ? mu : 1 - mu));
      if (p > 0) h -= p * Math.log(p);
    }
    expect(independentBernoulliEntropy(means)).toBeCloseTo(h, 12);
    expect(independentBernoulliEntropy([0.5])).toBeCloseTo(Math.LN2, 12);
  });

  it("independentBernoulliExpectedLogLikelihood(μ, f) is the mean score of images binarized at grey levels f", () => {
    const means = Float32Array.from([0.2, 0.7, 0.001, 0.5]);
    const grey = [0.9, 0.1, 0.6, 0.3];
    let exact = 0; // enumerate the 16 binarized images with their probabilities
    for (let k = 0; k < 16; k++) {
      const x = grey.map((_, i) => (k >> i) & 1);
      const p = grey.reduce((prod, g, i) => prod * (x[i] ? g : 1 - g), 1);
      exact += p * independentBernoulliLogLikelihood(means, x);
    }
    expect(independentBernoulliExpectedLogLikelihood(means, grey)).toBeCloseTo(exact, 10);
  });

  it("independentBernoulliLogLikelihoodStd(μ, f) is the spread of the score over the 2^D images, enumerated", () => {
    const means = Float32Array.from([0.2, 0.7, 0.05]);
    const f = [0.3, 0.6, 0.5];
    let m1 = 0, m2 = 0;
    for (let k = 0; k < 8; k++) {
      const x = f.map((_, i) => (k >> i) & 1);
      const p = f.reduce((prod, g, i) => prod * (x[i] ? g : 1 - g), 1);
      const score = independentBernoulliLogLikelihood(means, x);
      m1 += p * score;
      m2 += p * score * score;
    }
    expect(independentBernoulliLogLikelihoodStd(means, f)).toBeCloseTo(Math.sqrt(m2 - m1 * m1), 6);
  });

  it("independentBernoulliMode(μ) is the most probable of the 2^D images, enumerated", () => {
    const means = Float32Array.from([0.6, 0.2, 0.51, 0.49, 0.95, 0.05]);
    let best = -Infinity, bestImage: number[] = [];
    for (let k = 0; k < 2 ** means.length; k++) {
      const x = Array.from(means, (_, i) => (k >> i) & 1);
      const score = independentBernoulliLogLikelihood(means, x);
      if (score > best) [best, bestImage] = [score, x];
    }
    expect(Array.from(independentBernoulliMode(means))).toEqual(bestImage);
  });
});
