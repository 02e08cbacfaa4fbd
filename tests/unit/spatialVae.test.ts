import {describe, expect, it} from "vitest";
import {createSpatialVae, mulberry32, spatialVaeConfig, tf, trainSpatialVae} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const tiny = spatialVaeConfig({imageShape: [8, 8, 1], hiddenSizes: [8, 8], latentChannels: 2, seed: 3});

/** 8×8 images with one of four 4×4 quadrants on (pixel probability 0.97), the rest off (0.03). */
function quadrants(count: number, seed: number) {
  const draw = mulberry32(seed);
  const images = new Float32Array(count * 64);
  for (let i = 0; i < count; i++) {
    const q = Math.floor(draw() * 4);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) images[i * 64 + r * 8 + c] = Math.floor(r / 4) * 2 + Math.floor(c / 4) === q ? 0.97 : 0.03;
  }
  return {images, count, pixels: 64};
}

describe("spatial VAE", () => {
  it("spatialVaeConfig() is the 7×7×4 latent for MNIST (196 dimensions); the encoder outputs a mean and a log-variance per channel", () => {
    const config = spatialVaeConfig();
    expect(config.latentDim).toBe(196);
    const model = createSpatialVae(config);
    tf.tidy(() => {
      const {mean, logVar} = model.encode(tf.zeros([2, 784]));
      expect(mean.shape).toEqual([2, 7, 7, 4]);
      expect(logVar.shape).toEqual([2, 7, 7, 4]);
      const pictures = values(model.sample(3, 1));
      expect(pictures).toHaveLength(3 * 784);
      expect(pictures.every((p) => p >= 0 && p <= 1)).toBe(true);
    });
    model.dispose();
  });

  it("model.terms(x, {beta}): the KL is ½Σ(σ² + μ² − 1 − log σ²) over the whole grid, recomputed in float64, and loss = reconstruction + β·KL", async () => {
    const model = createSpatialVae(tiny);
    expect(
      await leakedBy(() =>
        tf.tidy(() => {
          const x = tf.randomUniform([3, 64], 0, 1, "float32", 4).greater(0.5).toFloat();
          const {mean, logVar} = model.encode(x);
          const m = values(mean);
          const lv = values(logVar);
          const want = [0, 1, 2].map((i) => {
            let s = 0;
            for (let j = i * 8; j < (i + 1) * 8; j++) s += 0.5 * (Math.exp(lv[j]) + m[j] * m[j] - 1 - lv[j]);
            return s;
          });
          const t = model.terms(x, {beta: 0.3, seed: 5});
          expect(values(t.kl)).toEqual(want.map((v) => expect.closeTo(v, 5)));
          const r = values(t.reconstructionLoss);
          expect(values(t.loss)).toEqual(r.map((v, i) => expect.closeTo(v + 0.3 * want[i], 4)));
        })
      )
    ).toBe(0);
    model.dispose();
  });

  it("model.loss(x, {seed})'s gradient for a decoder filter matches central finite differences (the seed fixes ε)", () => {
    const model = createSpatialVae(tiny);
    const x = tf.tidy(() => tf.randomUniform([4, 64], 0, 1, "float32", 6).greater(0.5).toFloat());
    const filter = model.params.get("decoder/conv1/filter");
    const {grads} = tf.variableGrads(() => model.loss(x, {seed: 7}).loss, [filter]);
    const analytic = values(grads[filter.name]);
    const original = values(filter);
    const at = (i: number, delta: number) => {
      filter.assign(tf.tensor(original.map((v, j) => (j === i ? v + delta : v)), filter.shape));
      return tf.tidy(() => values(model.loss(x, {seed: 7}).loss)[0]);
    };
    const scale = Math.max(...analytic.map(Math.abs));
    for (const i of [0, 9, 100, 300]) expect(Math.abs((at(i, 3e-3) - at(i, -3e-3)) / 6e-3 - analytic[i])).toBeLessThan(0.05 * scale + 1e-3);
    tf.dispose([x, ...Object.values(grads)]);
    model.dispose();
  });

  it("trainSpatialVae with β = 1e-6 ends with a far larger KL and a lower reconstruction loss than with β = 1 (same data, seed and steps)", async () => {
    const data = quadrants(128, 2);
    const run = async (beta: number) => {
      const model = createSpatialVae(tiny);
      const records = await trainSpatialVae(model, data, {steps: 80, beta, batchSize: 32, learningRate: 1e-2, seed: 1});
      model.dispose();
      const last = records.slice(-10);
      return {kl: last.reduce((s, r) => s + r.kl, 0) / 10, reconstructionLoss: last.reduce((s, r) => s + r.reconstructionLoss, 0) / 10};
    };
    const small = await run(1e-6);
    const one = await run(1);
    expect(small.kl).toBeGreaterThan(5 * one.kl);
    expect(small.reconstructionLoss).toBeLessThan(one.reconstructionLoss);
  });
});
