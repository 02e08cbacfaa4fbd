import {describe, expect, it} from "vitest";
import {createModel, elboEstimate, inferenceGaps, LinearGaussianModel, modelConfig, mulberry32, normalSampler, PosteriorOptimizer, tf, type Tensor2D} from "../../lib/index.ts";
import {linearGaussianFixture} from "./fixtures.ts";
import {leakedBy, meanAndStd, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const sigma = 0.6;
const likelihood = {kind: "gaussian", sigma} as const;
const linearDecoder = (W: number[][], b: number[]) => (z: Tensor2D) => tf.tidy(() => tf.matMul(z, tf.tensor2d(W), false, true).add(tf.tensor1d(b)));

/** Runs the optimizer from a poor start (q = N(0, I)) with a step size that falls from 0.05 to 0.0005. */
async function optimize(W: number[][], b: number[], x: number[], steps = 1500) {
  const optimizer = new PosteriorOptimizer({
    x: tf.tensor2d([x]),
    mean: tf.zeros([1, 2]) as Tensor2D,
    logVar: tf.zeros([1, 2]) as Tensor2D,
    decode: linearDecoder(W, b),
    likelihood,
    samples: 16,
    learningRateAt: (t) => 0.05 * 0.01 ** ((t - 1) / (steps - 1)),
    seed: 3
  });
  await optimizer.step(steps);
  const {mean, logVar} = optimizer.current();
  const q = {mean: values(mean), logVar: values(logVar)};
  tf.dispose([mean, logVar]);
  optimizer.dispose();
  return q;
}

describe("amortization", () => {
  it("PosteriorOptimizer finds the exact posterior when it is a diagonal Gaussian (orthogonal W), and its ELBO equals log p(x)", async () => {
    // Columns (0.7, 0.7, 0, 0.7) and (0.5, −0.5, 0.5, 0) are orthogonal, so WᵀW and the posterior covariance are diagonal.
    const W = [[0.7, 0.5], [0.7, -0.5], [0, 0.5], [0.7, 0]];
    const b = [0.1, -0.2, 0.3, 0];
    const x = [1.2, -0.4, 0.3, 0.9];
    const model = new LinearGaussianModel(W, b, sigma);
    const posterior = model.posterior(x);
    expect(Math.abs(posterior.covariance[0][1])).toBeLessThan(1e-12);
    const q = await optimize(W, b, x);
    // Within 0.02 of the posterior's mean (its standard deviations are 0.44 and 0.57) and 5 % of its variances.
    q.mean.forEach((m, j) => expect(Math.abs(m - posterior.mean[j])).toBeLessThan(0.02));
    q.logVar.forEach((lv, j) => expect(Math.abs(Math.exp(lv) / posterior.covariance[j][j] - 1)).toBeLessThan(0.05));
    // The ELBO of the q it found, in closed form, is log p(x) to within a thousandth of a nat.
    expect(model.logMarginal(x) - model.elbo(x, q).elbo).toBeLessThan(1e-3);
  });

  it("PosteriorOptimizer finds the best diagonal Gaussian when the posterior is correlated: the posterior mean, and variances 1/Λ_jj", async () => {
    const {W, b, x} = linearGaussianFixture();
    const model = new LinearGaussianModel(W, b, sigma);
    // The posterior precision Λ = I + WᵀW/σ², written out; the best diagonal q under KL(q ‖ p) has variances 1/Λ_jj.
    const precision = [0, 1].map((i) => [0, 1].map((j) => (i === j ? 1 : 0) + W.reduce((s, row) => s + row[i] * row[j], 0) / sigma ** 2));
    const best = {mean: model.posterior(x).mean, logVar: [0, 1].map((j) => -Math.log(precision[j][j]))};
    const q = await optimize(W, b, x);
    q.mean.forEach((m, j) => expect(Math.abs(m - best.mean[j])).toBeLessThan(0.02));
    q.logVar.forEach((lv, j) => expect(Math.abs(lv - best.logVar[j])).toBeLessThan(0.05));
    const reached = model.elbo(x, q).elbo;
    expect(Math.abs(reached - model.elbo(x, best).elbo)).toBeLessThan(1e-3);
    // What is left is the approximation gap: KL(best q ‖ p(z|x)) > 0, since no diagonal q is the posterior.
    const gap = model.logMarginal(x) - reached;
    expect(gap).toBeGreaterThan(0.01);
    expect(gap).toBeCloseTo(model.klToPosterior(x, best), 3);
  });

  it("elboEstimate(...) matches the linear-Gaussian model's closed-form ELBO, and one seed gives two q's the same noise", async () => {
    const {W, b, x, model} = linearGaussianFixture();
    const qs = [{mean: [0.3, -0.2], logVar: [-1, -0.5]}, {mean: [0.35, -0.2], logVar: [-1, -0.5]}];
    const estimates = await Promise.all(
      qs.map((q) => elboEstimate({x: tf.tensor2d([x]), mean: tf.tensor2d([q.mean]) as Tensor2D, logVar: tf.tensor2d([q.logVar]) as Tensor2D, decode: linearDecoder(W, b), likelihood, samples: 20_000, seed: 4}))
    );
    // Tolerance: 4 standard errors, from the spread of one draw of log p(x|z) under the float64 model.
    const draw = normalSampler(8);
    const singles = Array.from({length: 20_000}, () => model.logLikelihood(x, qs[0].mean.map((m, j) => m + Math.exp(qs[0].logVar[j] / 2) * draw())));
    expect(Math.abs(estimates[0][0] - model.elbo(x, qs[0]).elbo)).toBeLessThan((4 * meanAndStd(singles).std) / Math.sqrt(20_000));
    // With the same ε, the difference of the two estimates is far closer to the exact difference than either estimate is to its ELBO.
    const exactDifference = model.elbo(x, qs[1]).elbo - model.elbo(x, qs[0]).elbo;
    expect(Math.abs(estimates[1][0] - estimates[0][0] - exactDifference)).toBeLessThan(0.005);
  });

  it("inferenceGaps(model, images) on an untrained VAE: the optimizer beats the random encoder, the IWAE estimate tops the optimized ELBO, nothing leaks", async () => {
    const vae = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 2}));
    const draw = mulberry32(6);
    const images = Float32Array.from({length: 3 * 16}, () => (draw() < 0.4 ? 1 : 0));
    const progress: number[] = [];
    let result: Awaited<ReturnType<typeof inferenceGaps>> | undefined;
    const leaked = await leakedBy(async () => {
      result = await inferenceGaps(vae, images, {steps: 60, every: 20, samples: 8, learningRate: 0.1, evalSamples: 500, k: 2000, seed: 1, onProgress: (p) => void progress.push(p.step)});
    });
    expect(leaked).toBe(0);
    const r = result!;
    expect(progress).toEqual([0, 20, 40, 60]);
    expect(r.history.map((h) => h.step)).toEqual([0, 20, 40, 60]);
    r.amortizationGap.forEach((gap) => expect(gap).toBeGreaterThan(0.1));
    r.approximationGap.forEach((gap) => expect(gap).toBeGreaterThan(-0.05));
    r.encoderElbo.forEach((e, i) => expect(r.approximationGap[i] + r.amortizationGap[i]).toBeCloseTo(r.logLikelihood[i] - e, 6));
    vae.dispose();
  });
});
