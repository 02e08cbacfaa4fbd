import {beforeAll, describe, expect, it} from "vitest";
import {anomalySets, createModel, invert, modelConfig, mulberry32, negElboScores, rotate90, tf, type Model} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const side = 4;
const pixels = side * side;
const latent = 2;
let model: Model;
beforeAll(() => {
  model = createModel(modelConfig({imageShape: [side, side, 1], hiddenSizes: [5], latentDim: latent, seed: 3}));
});

/** The weights as plain rows of numbers. */
function weights(name: string): number[][] {
  const t = model.params.get(name);
  const flat = Array.from(t.dataSync());
  if (t.shape.length === 1) return [flat];
  const cols = t.shape[1] as number;
  return Array.from({length: t.shape[0] as number}, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

function affine(input: number[], name: string): number[] {
  const kernel = weights(`${name}/kernel`);
  const [bias] = weights(`${name}/bias`);
  return bias.map((b, j) => input.reduce((sum, v, i) => sum + v * kernel[i][j], b));
}

const relu = (v: number[]) => v.map((a) => Math.max(0, a));
const softplus = (l: number) => Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));

/**
 * −ELBO of one image written out in plain float64 arithmetic from the weights: the 1-hidden-layer
 * encoder, z = μ + σ ε, the decoder's logits, −Σ [x l − softplus(l)] + ½ Σ (σ² + μ² − 1 − log σ²).
 */
function negElboByHand(x: number[], epsilon: number[]): number {
  const code = affine(relu(affine(x, "encoder/dense0")), "encoder/code");
  const mu = code.slice(0, latent);
  const logVar = code.slice(latent);
  const z = mu.map((m, j) => m + Math.exp(logVar[j] / 2) * epsilon[j]);
  const logits = affine(relu(affine(z, "decoder/dense0")), "decoder/output");
  const logLikelihood = logits.reduce((sum, l, i) => sum + x[i] * l - softplus(l), 0);
  const kl = 0.5 * mu.reduce((sum, m, j) => sum + Math.exp(logVar[j]) + m * m - 1 - logVar[j], 0);
  return -(logLikelihood - kl);
}

describe("anomaly", () => {
  it("negElboScores(model, images, {seed, batchSize}) is each image's −ELBO, batch b drawing its z with seed + b", async () => {
    const draw = mulberry32(8);
    const count = 7;
    const images = Float32Array.from({length: count * pixels}, () => (draw() < 0.3 ? 1 : 0));
    const scores = await negElboScores(model, images, {seed: 10, batchSize: 3});
    expect(scores).toHaveLength(count);
    // The noise each batch's reparameterization draws: tf.randomNormal([size, latent]) seeded with seed + b.
    const noise = [0, 1, 2].flatMap((b) => {
      const size = Math.min(3, count - 3 * b);
      const rows = values(tf.randomNormal([size, latent], 0, 1, "float32", 10 + b));
      return Array.from({length: size}, (_, i) => rows.slice(i * latent, (i + 1) * latent));
    });
    scores.forEach((score, n) => expect(score).toBeCloseTo(negElboByHand(Array.from(images.subarray(n * pixels, (n + 1) * pixels)), noise[n]), 3));
  });

  it("negElboScores leaks no tensors and refuses a partial image", async () => {
    const images = new Float32Array(2 * pixels);
    expect(await leakedBy(() => negElboScores(model, images).then(() => undefined))).toBe(0);
    await expect(negElboScores(model, new Float32Array(pixels + 1))).rejects.toThrow(/not a whole number of 16-pixel images/);
  });

  it("anomalySets(digits) gives the digits, their quarter turns, their inverses, and random pixels with the asked-for ink", () => {
    const draw = mulberry32(1);
    const digits = Float32Array.from({length: 50 * 784}, () => (draw() < 0.15 ? 1 : 0));
    const sets = anomalySets(digits, {ink: 0.13, seed: 5});
    expect(sets.map((s) => s.name)).toEqual(["test digits", "rotated 90°", "inverted", "random pixels"]);
    expect(sets[1].images).toEqual(rotate90(digits));
    expect(sets[2].images).toEqual(invert(digits));
    const noise = sets[3].images;
    expect(noise.length).toBe(digits.length);
    expect(noise.every((p) => p === 0 || p === 1)).toBe(true);
    // 39,200 coin flips with p = 0.13: the standard error of the fraction is about 0.0017.
    const ink = noise.reduce((s, p) => s + p, 0) / noise.length;
    expect(Math.abs(ink - 0.13)).toBeLessThan(0.007);
  });
});
