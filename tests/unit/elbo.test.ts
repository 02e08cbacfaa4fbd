import {describe, expect, it} from "vitest";
import {elbo, elboLoss, normalSampler, tf, type Tensor2D} from "../../lib/index.ts";
import {linearGaussianFixture} from "./fixtures.ts";
import {leakedBy, meanAndStd, useBackend, values} from "./helpers.ts";

useBackend("cpu");

// lib's tfjs ELBO on the linear-Gaussian model, whose ELBO is known in closed form.
const {model, decode, sigma, x} = linearGaussianFixture();
const q = {mean: [0.3, -0.2], logVar: [-1, -0.5]};

describe("elbo", () => {
  it("elbo({samples}) matches the linear-Gaussian model's exact ELBO: KL exactly, reconstruction within Monte Carlo error", () => {
    const exact = model.elbo(x, q);
    const terms = elbo({
      x: tf.tensor2d([x]),
      mean: tf.tensor2d([q.mean]),
      logVar: tf.tensor2d([q.logVar]),
      decode,
      likelihood: {kind: "gaussian", sigma},
      samples: 100_000,
      seed: 1
    });
    expect(values(terms.kl)[0]).toBeCloseTo(exact.kl, 5);
    // The spread of one draw of log p(x|z), from the float64 model, sets the tolerance: 4 standard errors.
    const draw = normalSampler(8);
    const singles = Array.from({length: 20_000}, () => model.logLikelihood(x, q.mean.map((m, j) => m + Math.exp(q.logVar[j] / 2) * draw())));
    const tolerance = (4 * meanAndStd(singles).std) / Math.sqrt(100_000);
    expect(Math.abs(values(terms.logLikelihood)[0] - exact.reconstruction)).toBeLessThan(tolerance);
    expect(Math.abs(values(terms.elbo)[0] - exact.elbo)).toBeLessThan(tolerance);
  });

  it("elbo({beta}) is reconstruction − β·kl, per example, and elboLoss is −batchMean(elbo)", () => {
    const inputs = {
      x: tf.tensor2d([x, x.map((v) => -v)]),
      mean: tf.tensor2d([q.mean, [0, 0]]) as Tensor2D,
      logVar: tf.tensor2d([q.logVar, [0, 0]]) as Tensor2D,
      decode,
      likelihood: {kind: "gaussian", sigma} as const,
      seed: 4
    };
    const one = elbo({...inputs, beta: 1});
    const four = elbo({...inputs, beta: 4});
    expect(values(four.logLikelihood)).toEqual(values(one.logLikelihood)); // same seed, same z
    const want = values(one.logLikelihood).map((r, i) => r - 4 * values(one.kl)[i]);
    values(four.elbo).forEach((v, i) => expect(v).toBeCloseTo(want[i], 4));
    const loss = values(elboLoss({...inputs, beta: 1}))[0];
    expect(loss).toBeCloseTo(-(values(one.elbo)[0] + values(one.elbo)[1]) / 2, 4);
  });

  it("elbo({prior}) uses the KL to a conditional prior p(z|c)", () => {
    const prior = {mean: tf.tensor2d([[1, -1]]) as Tensor2D, logVar: tf.tensor2d([[0.5, -0.5]]) as Tensor2D};
    const base = {x: tf.tensor2d([x]), mean: tf.tensor2d([q.mean]) as Tensor2D, logVar: tf.tensor2d([q.logVar]) as Tensor2D, decode, likelihood: {kind: "gaussian", sigma} as const, seed: 2};
    const standard = values(elbo(base).kl)[0];
    const conditional = values(elbo({...base, prior}).kl)[0];
    expect(standard).toBeCloseTo(model.elbo(x, q).kl, 5);
    expect(conditional).not.toBeCloseTo(standard, 1);
  });

  it("elbo() refuses a negative or NaN β with a clear message, and leaks no tensors", async () => {
    const base = {x: tf.tensor2d([x]), mean: tf.tensor2d([q.mean]) as Tensor2D, logVar: tf.tensor2d([q.logVar]) as Tensor2D, decode, likelihood: {kind: "bernoulli"} as const};
    expect(() => elbo({...base, beta: Number.NaN})).toThrow(/beta must be a number ≥ 0/);
    expect(() => elbo({...base, beta: -1})).toThrow(/beta/);
    const leaked = await leakedBy(() => {
      const t = elbo({...base, samples: 3, seed: 1});
      [t.elbo, t.kl, t.klPerUnit, t.logLikelihood].forEach((v) => v.dispose());
      elboLoss(base).dispose();
    });
    // decode() makes W and b inside the caller's tidy: nothing may survive.
    expect(leaked).toBe(0);
  });
});
