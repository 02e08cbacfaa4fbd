import {describe, expect, it} from "vitest";
import {createModel, evaluateModel, modelConfig, tf, Trainer} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend} from "./helpers.ts";

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
