import {describe, expect, it} from "vitest";
import {jensenGap, klNumeric1d, LinearGaussianModel, naiveRun, normalLogDensity, normalSampler, posteriorKlToPrior, priorSampleLogLikelihoods} from "../../lib/index.ts";
import {cholesky} from "../../lib/linalg.ts";

// The chapter 3 model: W's columns are smooth waves, σ = 0.3, one x drawn from the model.
const waveModel = (dimension: number) =>
  new LinearGaussianModel(
    Array.from({length: dimension}, (_, i) => Array.from({length: 5}, (_, k) => Math.sin(0.3 * (k + 1) * i + k))),
    new Array(dimension).fill(0),
    0.3
  );

describe("naiveMonteCarlo", () => {
  it("priorSampleLogLikelihoods(model, x, S, seed) equals model.naiveMonteCarlo's log p(x|z_s), computed the slow way", () => {
    for (const dimension of [2, 50, 784]) {
      const model = waveModel(dimension);
      const x = model.sample(17);
      const fast = priorSampleLogLikelihoods(model, x, 300, 9);
      const {logWeights, estimate} = model.naiveMonteCarlo(x, 300, 9);
      for (let s = 0; s < 300; s++) expect(Math.abs(fast[s] - logWeights[s])).toBeLessThan(1e-8 * Math.max(1, Math.abs(logWeights[s])));
      expect(naiveRun(model, x, 300, 9).estimate).toBeCloseTo(estimate, 8);
    }
  });

  it("naiveRun(model, x, S, seed).largestShare is the best draw's share of Σ p(x|z_s): 1 for S = 1, between 1/S and 1 otherwise", () => {
    const model = waveModel(10);
    const x = model.sample(17);
    expect(naiveRun(model, x, 1, 3).largestShare).toBe(1);
    const run = naiveRun(model, x, 1000, 3);
    const weights = Array.from(model.naiveMonteCarlo(x, 1000, 3).logWeights, Math.exp);
    expect(run.largestShare).toBeCloseTo(Math.max(...weights) / weights.reduce((a, b) => a + b, 0), 8);
    expect(run.largestShare).toBeGreaterThanOrEqual(1 / 1000);
  });

  it("naive Monte Carlo is unbiased for p(x): the average of p̂/p(x) over many runs is 1 within its error (D = 2)", () => {
    const model = waveModel(2);
    const x = model.sample(17);
    const truth = model.logMarginal(x);
    const ratios = Array.from({length: 4000}, (_, r) => Math.exp(naiveRun(model, x, 20, 100 + r).estimate - truth));
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    const sd = Math.sqrt(ratios.reduce((s, v) => s + (v - mean) ** 2, 0) / (ratios.length - 1));
    expect(Math.abs(mean - 1)).toBeLessThan((4 * sd) / Math.sqrt(ratios.length));
    // …while the average of log p̂ is below log p(x) (Jensen).
    const meanLog = ratios.reduce((s, v) => s + Math.log(v), 0) / ratios.length;
    expect(meanLog).toBeLessThan(0);
  });

  it("posteriorKlToPrior(model, x) equals E_{p(z|x)}[log p(x|z)] − log p(x), by Monte Carlo from the exact posterior", () => {
    for (const dimension of [10, 784]) {
      const model = waveModel(dimension);
      const x = model.sample(17);
      const {mean, covariance} = model.posterior(x);
      const chol = cholesky(covariance);
      const draw = normalSampler(5);
      const n = 20_000;
      let sum = 0;
      const values: number[] = [];
      for (let s = 0; s < n; s++) {
        const eps = Array.from({length: 5}, draw);
        const z = mean.map((m, i) => m + chol[i].reduce((acc, l, j) => acc + l * eps[j], 0));
        const v = model.logLikelihood(x, z);
        values.push(v);
        sum += v;
      }
      const average = sum / n;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - average) ** 2, 0) / (n - 1));
      const kl = posteriorKlToPrior(model, x);
      expect(Math.abs(average - model.logMarginal(x) - kl)).toBeLessThan((4 * sd) / Math.sqrt(n));
      expect(kl).toBeGreaterThan(0);
    }
  });

  it("klNumeric1d(log p, log q, lo, hi) matches the Gaussian closed form log(s₂/s₁) + (s₁² + (m₁ − m₂)²)/(2 s₂²) − ½", () => {
    for (const [m1, s1, m2, s2] of [[1, 0.5, 0, 1], [-2, 1.7, 0, 1], [0.3, 0.1, 0, 1], [0, 1, 0, 1], [0, 1, 2, 0.5]]) {
      const exact = Math.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5;
      const numeric = klNumeric1d((z) => normalLogDensity(z, m1, s1), (z) => normalLogDensity(z, m2, s2), m1 - 12 * s1, m1 + 12 * s1);
      expect(numeric).toBeCloseTo(exact, 6);
    }
  });

  it("normalLogDensity(z, m, s) integrates to 1 and peaks at 1/(s√(2π))", () => {
    let total = 0;
    for (let i = 0; i < 10_000; i++) total += Math.exp(normalLogDensity(-10 + (i + 0.5) * 0.002, 0, 0.7)) * 0.002;
    expect(total).toBeCloseTo(1, 8);
    expect(Math.exp(normalLogDensity(2, 2, 0.5))).toBeCloseTo(1 / (0.5 * Math.sqrt(2 * Math.PI)), 12);
  });

  it("jensenGap(values, log) is never negative, is 0 for equal values, and tends to s²/2 for t = exp(sε − s²/2)", () => {
    expect(jensenGap([2, 2, 2]).gap).toBeCloseTo(0, 12);
    const draw = normalSampler(8);
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({length: 5}, () => Math.exp(3 * draw()));
      expect(jensenGap(values).gap).toBeGreaterThanOrEqual(0);
    }
    const s = 0.8;
    const many = Array.from({length: 200_000}, () => Math.exp(s * draw() - (s * s) / 2));
    const {mean, meanOfF, gap} = jensenGap(many);
    expect(mean).toBeCloseTo(1, 2);
    expect(meanOfF).toBeCloseTo(-(s * s) / 2, 2);
    expect(gap).toBeCloseTo((s * s) / 2, 2);
    // Weights: a weighted average equals the plain average of the values repeated.
    expect(jensenGap([1, 4], Math.log, [3, 1]).meanOfF).toBeCloseTo(jensenGap([1, 1, 1, 4]).meanOfF, 12);
  });
});
