import {describe, expect, it} from "vitest";
import {countActive, createModel, readMeans, evaluateHeldOut, evaluateModel, heldOutSet, modelConfig, tf, Trainer, UnitMoments} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("wasm");

describe("evaluate", () => {
  const data = prototypeData({count: 128});

  it("evaluateModel reports −ELBO = reconstruction + KL, an IWAE estimate below −ELBO, and active units", async () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [16], latentDim: 3, seed: 2}));
    const trainer = new Trainer({model, data, batchSize: 32, learningRate: 1e-2, epochs: 30, seed: 1});
    await trainer.run();
    const before = tf.memory().numTensors;
    const metrics = await evaluateModel(model, data, {k: 200, seed: 4, batchSize: 32});
    expect(tf.memory().numTensors).toBe(before);
    expect(metrics.examples).toBe(128);
    expect(metrics.negElbo).toBeCloseTo(metrics.reconstructionLoss + (metrics.kl as number), 3);
    // The IWAE bound is tighter than the ELBO: its negative is smaller (in expectation; the gap here is large).
    expect(metrics.iwae?.k).toBe(200);
    expect(metrics.iwae?.nll as number).toBeLessThan(metrics.negElbo as number);
    const variances = metrics.activeUnits.variances;
    expect(variances).toHaveLength(3);
    expect(metrics.activeUnits.count).toBe(variances.filter((v) => v > 0.01).length);
    expect(metrics.protocol).toMatch(/binarized once by a Bernoulli draw per pixel \(seed 4\)/);
    trainer.dispose();
    model.dispose();
  });

  it("evaluateModel is reproducible with a seed, and reports the autoencoder's squared error with no ELBO", async () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 2}));
    const a = await evaluateModel(model, data, {k: 20, seed: 1});
    const b = await evaluateModel(model, data, {k: 20, seed: 1});
    expect(b).toEqual(a);
    // Seed 0 too (npm run evaluate's default), although tfjs reads a seed of 0 as "no seed".
    expect(await evaluateModel(model, data, {k: 0, seed: 0})).toEqual(await evaluateModel(model, data, {k: 0, seed: 0}));
    const ae = createModel(modelConfig({kind: "ae", imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 2, likelihood: {kind: "gaussian", sigma: 1}}));
    const m = await evaluateModel(ae, data, {limit: 50});
    expect(m).toMatchObject({examples: 50, negElbo: null, kl: null, iwae: null});
    expect(m.reconstructionLoss).toBeGreaterThan(0);
    model.dispose();
    ae.dispose();
  });
});

describe("evaluate a cvae", () => {
  it("evaluateModel gives a cvae's IWAE estimate of log p(x|c), with the condition repeated for every sample", async () => {
    const data = prototypeData({count: 64});
    const cvae = createModel(modelConfig({kind: "cvae", numClasses: 4, prior: "learned", imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 2}));
    const metrics = await evaluateModel(cvae, data, {k: 30, batchSize: 16});
    expect(Number.isFinite(metrics.iwae?.nll)).toBe(true);
    expect(metrics.iwae?.nll as number).toBeLessThan((metrics.negElbo as number) + 1);
    cvae.dispose();
  });
});

describe("held-out evaluation for the labs", () => {
  const data = prototypeData({count: 64});

  it("UnitMoments gives each unit's population variance, as a two-pass computation in float64 does", () => {
    const rows = [[0.5, 3], [1.5, 3], [-1, 3.5], [2, 2.5]];
    const moments = new UnitMoments(2);
    moments.add(Float32Array.from(rows.slice(0, 3).flat()));
    moments.add(Float32Array.from(rows[3]));
    const mean = [0, 1].map((u) => rows.reduce((s, r) => s + r[u], 0) / rows.length);
    const want = [0, 1].map((u) => rows.reduce((s, r) => s + (r[u] - mean[u]) ** 2, 0) / rows.length);
    moments.variances().forEach((v, u) => expect(v).toBeCloseTo(want[u], 5));
    expect(countActive([0.5, 0.01, 0.0099, 0.02])).toBe(2);
  });

  it("heldOutSet(data, {binarize: 'static', seed}) is one seeded coin flip per pixel: 0s and 1s, the same for the same seed", () => {
    const a = heldOutSet(data, {count: 40, seed: 3});
    const b = heldOutSet(data, {count: 40, seed: 3});
    const c = heldOutSet(data, {count: 40, seed: 4, binarize: "none"});
    const va = values(a.x);
    expect(a.count).toBe(40);
    expect(new Set(va)).toEqual(new Set([0, 1]));
    expect(values(b.x)).toEqual(va);
    // The fraction of ones matches the grey levels' mean (40 × 16 flips: within a few standard errors).
    const grey = Array.from(data.images.subarray(0, 40 * 16));
    const p = grey.reduce((s, v) => s + v, 0) / grey.length;
    expect(Math.abs(va.reduce((s, v) => s + v, 0) / va.length - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / va.length));
    expect(values(c.x)).toEqual(grey.map((v) => expect.closeTo(v, 6)));
    [a, b, c].forEach((h) => h.dispose());
  });

  it("evaluateHeldOut(model, held) reports the encoder's means, their variances, and a KL that matches the closed form in plain numbers", async () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 3, seed: 2}));
    const held = heldOutSet(data, {count: 32, seed: 1});
    const before = tf.memory().numTensors;
    const score = await evaluateHeldOut(model, held, {seed: 5});
    expect(tf.memory().numTensors).toBe(before);
    const {mean, logVar} = tf.tidy(() => {
      const e = model.encode(held.x);
      return {mean: e.mean.arraySync() as number[][], logVar: e.logVar.arraySync() as number[][]};
    });
    const kl = mean.reduce((s, row, n) => s + row.reduce((t, m, j) => t + 0.5 * (Math.exp(logVar[n][j]) + m * m - 1 - logVar[n][j]), 0), 0) / mean.length;
    expect(score.kl).toBeCloseTo(kl, 4);
    expect(Array.from(score.means)).toEqual(mean.flat().map((v) => expect.closeTo(v, 5)));
    expect(Array.from(await readMeans(model, held.x))).toEqual(Array.from(score.means));
    const variance = (u: number) => {
      const m = mean.reduce((s, r) => s + r[u], 0) / mean.length;
      return mean.reduce((s, r) => s + (r[u] - m) ** 2, 0) / mean.length;
    };
    score.variances.forEach((v, u) => expect(v).toBeCloseTo(variance(u), 5));
    expect(score.activeUnits).toBe(score.variances.filter((v) => v > 0.01).length);
    expect(score.negElbo).toBeCloseTo(score.reconstructionLoss + score.kl, 3);
    held.dispose();
    model.dispose();
  });
});
