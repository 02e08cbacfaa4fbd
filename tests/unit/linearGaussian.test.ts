import {describe, expect, it} from "vitest";
import {LinearGaussianModel, logMeanExpNumbers, normalSampler} from "../../lib/index.ts";

// A 4-D observation, 2-D latent model with generic (non-orthogonal) weights.
const model = new LinearGaussianModel([[1, 0.5], [-0.3, 0.8], [0.2, -1.1], [0.7, 0.4]], [0.1, -0.2, 0.3, 0], 0.6);
const x = [1.2, -0.4, 0.3, 0.9];

describe("LinearGaussianModel", () => {
  it("logMarginal(x) matches naive Monte Carlo with a million prior draws in this easy 4-D case", () => {
    const {estimate} = model.naiveMonteCarlo(x, 1_000_000, 1);
    expect(estimate).toBeCloseTo(model.logMarginal(x), 2);
  });

  it("elbo(x, q) + klToPosterior(x, q) = logMarginal(x) to float64 precision, for any q", () => {
    const draw = normalSampler(3);
    for (let trial = 0; trial < 20; trial++) {
      const q = {mean: [draw(), draw()], logVar: [draw(), draw()]};
      const {elbo} = model.elbo(x, q);
      expect(elbo + model.klToPosterior(x, q)).toBeCloseTo(model.logMarginal(x), 10);
      expect(elbo).toBeLessThan(model.logMarginal(x));
    }
  });

  it("elbo(x, q) is a Monte Carlo average of log p(x|z) + log p(z) − log q(z), as its definition says", () => {
    const q = {mean: [0.3, -0.2], logVar: [-1, -0.5]};
    const draw = normalSampler(9);
    let sum = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const z = q.mean.map((m, j) => m + Math.exp(q.logVar[j] / 2) * draw());
      const logPz = z.reduce((s, v) => s - 0.5 * (Math.log(2 * Math.PI) + v * v), 0);
      const logQz = z.reduce((s, v, j) => s - 0.5 * (Math.log(2 * Math.PI) + q.logVar[j] + (v - q.mean[j]) ** 2 / Math.exp(q.logVar[j])), 0);
      sum += model.logLikelihood(x, z) + logPz - logQz;
    }
    expect(sum / n).toBeCloseTo(model.elbo(x, q).elbo, 2);
  });

  it("the gap closes when q is the exact posterior (1-D latent, where a diagonal q can be exact)", () => {
    const oneD = new LinearGaussianModel([[1], [0.5], [-2]], [0, 0, 0], 0.8);
    const y = [0.4, 0.1, -0.9];
    const {mean, covariance} = oneD.posterior(y);
    const exact = {mean, logVar: [Math.log(covariance[0][0])]};
    expect(oneD.klToPosterior(y, exact)).toBeCloseTo(0, 12);
    expect(oneD.elbo(y, exact).elbo).toBeCloseTo(oneD.logMarginal(y), 12);
    expect(oneD.elbo(y, {mean, logVar: [0]}).elbo).toBeLessThan(oneD.logMarginal(y) - 0.1);
  });

  it("naiveMonteCarlo is hopeless in many dimensions: in 200-D one draw carries almost all the weight", () => {
    const wide = new LinearGaussianModel(Array.from({length: 200}, (_, i) => [Math.sin(i), Math.cos(i)]), new Array(200).fill(0), 0.3);
    const y = wide.sample(4);
    const {estimate, logWeights} = wide.naiveMonteCarlo(y, 2000, 5);
    const max = Math.max(...logWeights);
    const weights = Array.from(logWeights, (w) => Math.exp(w - max));
    const total = weights.reduce((a, b) => a + b, 0);
    expect(Math.max(...weights) / total).toBeGreaterThan(0.3);
    expect(estimate).toBeLessThan(wide.logMarginal(y));
  });

  it("logMeanExpNumbers(values) is stable for log-weights near −1000", () => {
    expect(logMeanExpNumbers([-1000, -1000 + Math.log(3)])).toBeCloseTo(-1000 + Math.log(2), 10);
  });
});

describe("LinearGaussianModel.logMarginal", () => {
  it("logMarginal(x) (Woodbury form) equals the dense Gaussian log-density of N(b, W Wᵀ + σ² I)", async () => {
    const {cholesky, matMul, solveSpd, transpose} = await import("../../lib/linalg.ts");
    const w = [[0.5, -1], [1, 0.3], [-0.2, 0.8], [0.4, 0.4], [1.5, -0.7]];
    const m = new LinearGaussianModel(w, [0.1, 0, -0.3, 0.2, 0], 0.7);
    const y = [0.3, -1, 0.5, 2, -0.4];
    const cov = matMul(w, transpose(w)).map((row, i) => row.map((v, j) => v + (i === j ? 0.49 : 0)));
    const c = y.map((v, i) => v - m.bias[i]);
    const solved = solveSpd(cov, c);
    const quad = c.reduce((s, v, i) => s + v * solved[i], 0);
    const logDet = 2 * cholesky(cov).reduce((s, row, i) => s + Math.log(row[i]), 0);
    expect(m.logMarginal(y)).toBeCloseTo(-0.5 * (5 * Math.log(2 * Math.PI) + logDet + quad), 10);
  });
});
