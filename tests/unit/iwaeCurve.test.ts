import {describe, expect, it} from "vitest";
import {createModel, importanceLogWeights, iwaeCurveOfModel, logMeanExpNumbers, modelConfig, mulberry32, nestedIwaeEstimates, NestedIwaeCurve, tf, type Tensor2D} from "../../lib/index.ts";
import {linearGaussianFixture} from "./fixtures.ts";
import {leakedBy, meanAndStd, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const {model, decode, sigma, x} = linearGaussianFixture();
// A poor q (not the posterior), so that the bound has room to tighten.
const q = {mean: [0.6, 0.2], logVar: [-0.3, 0.4]};
const likelihood = {kind: "gaussian", sigma} as const;
const copies = (n: number, row: number[]) => tf.tensor2d(Array.from({length: n}, () => row));

describe("iwaeCurve", () => {
  it("nestedIwaeEstimates(logWeights, batch, ks) is log-mean-exp of the first k draws of each column, stable near −1000", () => {
    const draw = mulberry32(3);
    const draws = 50;
    const batch = 3;
    const logWeights = Float64Array.from({length: draws * batch}, (_, i) => (i % batch === 2 ? -1000 : 0) + 10 * (draw() - 0.5));
    const ks = [1, 2, 7, 50];
    const got = nestedIwaeEstimates(logWeights, batch, ks);
    ks.forEach((k, j) => {
      for (let b = 0; b < batch; b++) {
        const column = Array.from({length: k}, (_, i) => logWeights[i * batch + b]);
        // Direct formula, shifted by −1000 where exp would underflow.
        const shift = b === 2 ? -1000 : 0;
        const direct = shift + Math.log(column.reduce((s, v) => s + Math.exp(v - shift), 0) / k);
        expect(got[j][b]).toBeCloseTo(direct, 9);
      }
    });
    expect(() => nestedIwaeEstimates(logWeights, batch, [51])).toThrow(/from 1 to 50/);
  });

  it("importanceLogWeights(...) on the linear-Gaussian model: mean log w is the exact ELBO, and log-mean-exp w the exact log p(x)", () => {
    const weights = importanceLogWeights({x: tf.tensor2d([x]), mean: tf.tensor2d([q.mean]) as Tensor2D, logVar: tf.tensor2d([q.logVar]) as Tensor2D, decode, likelihood, count: 200_000, seed: 2, chunk: 50_000});
    expect(weights.shape).toEqual([200_000, 1]);
    const w = values(weights);
    const {mean, std} = meanAndStd(w);
    expect(Math.abs(mean - model.elbo(x, q).elbo)).toBeLessThan((4 * std) / Math.sqrt(w.length));
    expect(Math.abs(logMeanExpNumbers(w) - model.logMarginal(x))).toBeLessThan(0.03);
  });

  it("NestedIwaeCurve: averaged over many repeats, the nested estimate starts at the exact ELBO and rises with k towards the exact log p(x)", async () => {
    const curve = new NestedIwaeCurve({x: copies(50, x), mean: copies(50, q.mean) as Tensor2D, logVar: copies(50, q.logVar) as Tensor2D, decode, likelihood, repeats: 40, seed: 5});
    const ks = [1, 3, 10, 30, 100];
    const points = [];
    for (const k of ks) {
      await curve.extendTo(k);
      points.push(curve.point(k));
    }
    curve.dispose();
    const exactElbo = model.elbo(x, q).elbo;
    const logPx = model.logMarginal(x);
    // 2,000 estimates at each k: the standard error of their mean is about 0.04 nats at k = 1 and smaller after.
    expect(Math.abs(points[0].mean - exactElbo)).toBeLessThan(4 * points[0].standardError);
    for (let i = 1; i < points.length; i++) expect(points[i].mean).toBeGreaterThan(points[i - 1].mean);
    expect(logPx - exactElbo).toBeGreaterThan(3);
    expect(points[4].mean).toBeLessThan(logPx);
    expect(logPx - points[4].mean).toBeLessThan(0.1 * (logPx - exactElbo));
  });

  it("NestedIwaeCurve.extendTo(k) keeps earlier draws: the estimates at small k do not change as k grows", async () => {
    const curve = new NestedIwaeCurve({x: copies(3, x), mean: copies(3, q.mean) as Tensor2D, logVar: copies(3, q.logVar) as Tensor2D, decode, likelihood, repeats: 2, seed: 1});
    await curve.extendTo(3);
    const before = curve.estimates(3);
    await curve.extendTo(40);
    expect(curve.draws).toBe(40);
    expect(curve.estimates(3)).toEqual(before);
    expect(curve.estimates(40)).toHaveLength(2);
    expect(curve.estimates(40)[0]).toHaveLength(3);
    curve.dispose();
  });

  it("NestedIwaeCurve gives the same numbers for the same seed and leaks no tensors once disposed", async () => {
    const run = async () => {
      const curve = new NestedIwaeCurve({x: copies(2, x), mean: copies(2, q.mean) as Tensor2D, logVar: copies(2, q.logVar) as Tensor2D, decode, likelihood, repeats: 3, seed: 9});
      await curve.extendTo(1);
      await curve.extendTo(10);
      const point = curve.point(10);
      curve.dispose();
      return point;
    };
    expect(await run()).toEqual(await run());
    const inputs = [copies(2, x), copies(2, q.mean), copies(2, q.logVar)];
    const leaked = await leakedBy(async () => {
      const curve = new NestedIwaeCurve({x: inputs[0], mean: inputs[1] as Tensor2D, logVar: inputs[2] as Tensor2D, decode, likelihood, repeats: 3, seed: 9});
      await curve.extendTo(300);
      curve.dispose();
    });
    expect(leaked).toBe(0);
  });

  it("iwaeCurveOfModel(model, images, {ks}) yields one more point per k, in order, and frees its tensors when stopped early", async () => {
    const vae = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [6], latentDim: 2, seed: 4}));
    const draw = mulberry32(2);
    const images = Float32Array.from({length: 5 * 16}, () => (draw() < 0.3 ? 1 : 0));
    const seen: number[][] = [];
    const leaked = await leakedBy(async () => {
      for await (const {points, done} of iwaeCurveOfModel(vae, images, {ks: [10, 1, 3], repeats: 2, seed: 1})) {
        seen.push(points.map((p) => p.k));
        expect(done).toBe(points.length === 3);
      }
      // Stopped after the first point: the finally block disposes the curve.
      for await (const {points} of iwaeCurveOfModel(vae, images, {ks: [1, 3], repeats: 2, seed: 1})) if (points.length === 1) break;
    });
    expect(seen).toEqual([[1], [1, 3], [1, 3, 10]]);
    expect(leaked).toBe(0);
    vae.dispose();
  });
});
