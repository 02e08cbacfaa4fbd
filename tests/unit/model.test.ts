import {describe, expect, it} from "vitest";
import {activeUnits, createModel, elbo, modelConfig, tf, validateConfig, type Tensor2D} from "../../lib/index.ts";
import {normalSampler} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const small = {imageShape: [4, 4, 1] as [number, number, number], hiddenSizes: [8], latentDim: 2, seed: 3};

describe("model", () => {
  it("createModel(modelConfig()) is the 784-512-20 MLP VAE with a Bernoulli decoder, with the expected parameter count", () => {
    const model = createModel(modelConfig());
    // encoder 784·512+512 + 512·40+40, decoder 20·512+512 + 512·784+784
    expect(model.params.size()).toBe(784 * 512 + 512 + 512 * 40 + 40 + 20 * 512 + 512 + 512 * 784 + 784);
    model.dispose();
  });

  it("encode, decode, decodeMean, sample and reconstruct return the documented shapes and ranges", () => {
    const model = createModel(modelConfig(small));
    const x = tf.randomUniform([5, 16], 0, 1, "float32", 1);
    const {mean, logVar} = model.encode(x);
    expect(mean.shape).toEqual([5, 2]);
    expect(logVar.shape).toEqual([5, 2]);
    expect(model.decode(mean).shape).toEqual([5, 16]);
    const images = values(model.sample(7, {seed: 1, temperature: 0.5}));
    expect(images).toHaveLength(7 * 16);
    expect(images.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(model.reconstruct(x).shape).toEqual([5, 16]);
    expect(() => model.sample(2, {temperature: Number.NaN})).toThrow(/temperature/);
    model.dispose();
  });

  it("the same seed gives the same initial weights; another seed gives others", () => {
    const [a, b, c] = [3, 3, 4].map((seed) => createModel(modelConfig({...small, seed})));
    const first = (m: typeof a) => values(m.params.get("encoder/dense0/kernel"));
    expect(first(a)).toEqual(first(b));
    expect(first(a)).not.toEqual(first(c));
    [a, b, c].forEach((m) => m.dispose());
  });

  it("model.terms(x) is lib's elbo() of its own encoder and decoder (same seed, same numbers)", () => {
    const model = createModel(modelConfig(small));
    const x = tf.randomUniform([6, 16], 0, 1, "float32", 2).greater(0.5).toFloat();
    const got = model.terms(x, {seed: 9});
    const {mean, logVar} = model.encode(x);
    const want = elbo({x, mean, logVar, decode: (z) => model.decode(z), likelihood: {kind: "bernoulli"}, seed: 9});
    expect(values(got.elbo)).toEqual(values(want.elbo).map((v) => expect.closeTo(v, 5)));
    model.dispose();
  });

  it("the gradient of model.loss matches central finite differences (float64-free check on a tiny model)", () => {
    const model = createModel(modelConfig({...small, likelihood: {kind: "gaussian", sigma: 0.5}}));
    const x = tf.randomUniform([4, 16], 0, 1, "float32", 5);
    const kernel = model.params.get("decoder/output/kernel");
    const lossValue = () => values(model.loss(x, {seed: 11}).loss)[0];
    const {grads} = tf.variableGrads(() => model.loss(x, {seed: 11}).loss as tf.Scalar, [kernel]);
    const analytic = values(grads[kernel.name]);
    const original = values(kernel);
    const h = 1e-2;
    for (const i of [0, 5, 17, 40]) {
      const at = (s: number) => {
        kernel.assign(tf.tensor(original.map((v, j) => (j === i ? v + s * h : v)), kernel.shape));
        return lossValue();
      };
      const fd = (at(1) - at(-1)) / (2 * h);
      kernel.assign(tf.tensor(original, kernel.shape));
      expect(analytic[i]).toBeCloseTo(fd, 1);
    }
    model.dispose();
  });

  it("a cvae needs its condition, and its learned prior p(z|c) enters the KL", () => {
    const cvae = createModel(modelConfig({...small, kind: "cvae", numClasses: 3, prior: "learned"}));
    const x = tf.randomUniform([3, 16], 0, 1, "float32", 2).greater(0.5).toFloat();
    const condition = tf.oneHot(tf.tensor1d([0, 1, 2], "int32"), 3).toFloat() as Tensor2D;
    expect(() => cvae.encode(x)).toThrow(/needs a condition/);
    expect(cvae.params.variables.has("prior/code/kernel")).toBe(true);
    const prior = cvae.prior(3, condition);
    expect(prior.mean.shape).toEqual([3, 2]);
    expect(values(cvae.terms(x, {condition, seed: 1}).kl).every(Number.isFinite)).toBe(true);
    expect(cvae.sample(3, {condition, seed: 1}).shape).toEqual([3, 16]);
    cvae.dispose();
  });

  it("the conv VAE and the plain autoencoder build and compute a loss", () => {
    const conv = createModel(modelConfig({arch: "conv", imageShape: [8, 8, 1], hiddenSizes: [4, 8], latentDim: 2, seed: 1}));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, "float32", 1).greater(0.5).toFloat();
    expect(conv.decode(conv.encode(x).mean).shape).toEqual([2, 64]);
    expect(Number.isFinite(values(conv.loss(x, {seed: 1}).loss)[0])).toBe(true);
    const ae = createModel(modelConfig({...small, kind: "ae", likelihood: {kind: "gaussian", sigma: 1}}));
    const y = tf.randomUniform([3, 16], 0, 1, "float32", 4);
    const terms = ae.terms(y);
    // The autoencoder's loss is the squared error of its deterministic reconstruction, with no KL.
    const sse = values(tf.square(tf.sub(y, ae.decode(ae.encode(y).mean))).sum(1));
    expect(values(terms.logLikelihood)).toEqual(sse.map((v) => expect.closeTo(-v, 5)));
    expect(values(terms.kl)).toEqual([0, 0, 0]);
    conv.dispose();
    ae.dispose();
  });

  it("activeUnits() counts the units whose mean varies across inputs, with variances that match a hand computation", () => {
    // Three units: one varying with standard deviation 1, one with 0.05 (variance 0.0025, collapsed), one constant.
    const normal = normalSampler(4);
    const n = 2000;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) rows.push(normal(), 0.05 * normal(), 0.3);
    const means = tf.tensor2d(rows, [n, 3]);
    const {variances, active} = activeUnits(means);
    const column = (u: number) => rows.filter((_, i) => i % 3 === u);
    const variance = (v: number[]) => {
      const m = v.reduce((a, b) => a + b, 0) / v.length;
      return v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length;
    };
    for (let u = 0; u < 3; u++) expect(variances[u]).toBeCloseTo(variance(column(u)), 4);
    expect(active).toBe(1);
    expect(activeUnits(means, 0.001).active).toBe(2);
    expect(() => activeUnits(tf.zeros([1, 3]) as Tensor2D)).toThrow(/at least 2/);
    means.dispose();
  });

  it("validateConfig() explains what is wrong with a bad config", () => {
    expect(() => validateConfig({...modelConfig(), latentDim: 0})).toThrow(/latentDim must be a whole number/);
    expect(() => validateConfig({...modelConfig(), kind: "gan"})).toThrow(/kind must be vae, cvae or ae/);
    expect(() => validateConfig({...modelConfig(), likelihood: {kind: "gaussian", sigma: -1}})).toThrow(/likelihood/);
    expect(() => validateConfig({...modelConfig(), arch: "conv", imageShape: [30, 30, 1], hiddenSizes: [4, 8]})).toThrow(/divisible by 4/);
    expect(() => validateConfig(null)).toThrow(/not an object/);
  });

  it("model methods leak no tensors", async () => {
    const model = createModel(modelConfig(small));
    const x = tf.randomUniform([2, 16]);
    const leaked = await leakedBy(() => {
      tf.dispose(model.loss(x, {seed: 1}));
      tf.dispose(model.encode(x));
      model.sample(2, {seed: 1}).dispose();
      model.reconstruct(x).dispose();
    });
    expect(leaked).toBe(0);
    model.dispose();
  });
});
