import {expect} from "vitest";
import {chooseBackend, loadCheckpoint, normalSampler, tf} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {claim} from "./claim.ts";
import {chapterSource} from "./gaussianAverage.ts";

const page = "/chapters/02-autoencoders";

/** P(‖z‖ ≤ r) for z ~ N(0, I) in two dimensions, by counting draws (independent of the closed form the page gives). */
function fractionWithin(r: number, n = 400_000): number {
  const draw = normalSampler(2024);
  let inside = 0;
  for (let i = 0; i < n; i++) if (Math.hypot(draw(), draw()) <= r) inside++;
  return inside / n;
}

/** The shipped autoencoder, on an explicitly chosen backend (claims run in Node). */
async function shippedAutoencoder() {
  await chooseBackend({prefer: "wasm"});
  return loadCheckpoint(folderHandler("data/checkpoints/ae-2d"));
}

export const claims = [
  claim(page, "makes those draws: 20 codes of two numbers each, every number drawn from the standard normal.", () => {
    // The snippet above it calls torch.randn(20, 2): a 20 × 2 tensor of independent standard normal draws.
    expect(chapterSource("02-autoencoders.md")).toContain("new_digits = decoder(torch.randn(20, 2))");
  }),
  claim(page, "squeezes an image of 784 pixels into", async () => {
    const test = await loadMnist("test");
    expect(test.pixels).toBe(784);
  }),
  claim(page, "expands the code back into 784 pixels", async () => {
    const model = await shippedAutoencoder();
    const out = tf.tidy(() => model.decodeMean(tf.zeros([1, 2])).shape);
    expect(out).toEqual([1, 784]);
    expect(model.config.latentDim).toBe(2);
    model.dispose();
  }),
  claim(page, "shifting or stretching every code, and undoing that in the decoder's first layer, gives exactly the same reconstructions and the same loss", async () => {
    // Re-run the shipped autoencoder with every code moved by t (encoder bias + t, decoder bias − t·V).
    const model = await shippedAutoencoder();
    const test = await loadMnist("test");
    const x = tf.tensor2d(test.images.subarray(0, 200 * 784), [200, 784]);
    const before = tf.tidy(() => ({codes: model.encode(x).mean.arraySync(), out: model.reconstruct(x).dataSync()}));
    const t = tf.tensor1d([5, -3]);
    const encoderBias = model.params.get("encoder/code/bias");
    const decoderBias = model.params.get("decoder/dense0/bias");
    const V = model.params.get("decoder/dense0/kernel"); // [2, hidden]
    tf.tidy(() => {
      encoderBias.assign(encoderBias.add(t));
      decoderBias.assign(decoderBias.sub(tf.matMul(t.expandDims(0), V).squeeze()));
    });
    const after = tf.tidy(() => ({codes: model.encode(x).mean.arraySync(), out: model.reconstruct(x).dataSync()}));
    after.codes.forEach(([a, b], i) => {
      expect(a - before.codes[i][0]).toBeCloseTo(5, 3);
      expect(b - before.codes[i][1]).toBeCloseTo(-3, 3);
    });
    let worst = 0;
    for (let i = 0; i < before.out.length; i++) worst = Math.max(worst, Math.abs(after.out[i] - before.out[i]));
    expect(worst).toBeLessThan(1e-4);
    tf.dispose([x, t]);
    model.dispose();
  }),
  claim(page, "the circle holding 95% of N(0, I)'s draws", () => {
    expect(fractionWithin(Math.sqrt(-2 * Math.log(0.05)))).toBeCloseTo(0.95, 2);
  }),
  claim(page, "circle where N(0, I) puts 95% of its draws. For this autoencoder the N(0, I) codes happen to land among its codes", async () => {
    expect(fractionWithin(Math.sqrt(-2 * Math.log(0.05)))).toBeCloseTo(0.95, 2);
    // Codes from N(0, I) land among the autoencoder's codes of the 1,000 test digits: nearly all within 1 unit of one.
    const model = await shippedAutoencoder();
    const test = await loadMnist("test");
    const codes = tf.tidy(() => model.encode(tf.tensor2d(test.images.subarray(0, 1000 * 784), [1000, 784])).mean.arraySync());
    const draw = normalSampler(99);
    let near = 0;
    for (let i = 0; i < 2000; i++) {
      const [a, b] = [draw(), draw()];
      if (codes.some(([u, v]) => Math.hypot(u - a, v - b) <= 1)) near++;
    }
    expect(near / 2000).toBeGreaterThan(0.95);
    model.dispose();
  }),
  // Exercise 1's solution.
  claim(page, "the average is the sum divided by 784, so the gradients shrink by 784", () => {
    // d/dθ (S / 784) = (dS/dθ) / 784: checked on a toy sum of squares by finite differences.
    const target = Array.from({length: 784}, (_, i) => Math.sin(i));
    const sum = (theta: number) => target.reduce((s, v) => s + (v - theta) ** 2, 0);
    const h = 1e-4;
    const gSum = (sum(0.3 + h) - sum(0.3 - h)) / (2 * h);
    const gMean = (sum(0.3 + h) / 784 - sum(0.3 - h) / 784) / (2 * h);
    expect(gSum / gMean).toBeCloseTo(784, 3);
  }),
  // Exercise 2 and its solution (2 × 32 = 64 bits, 784 × 8 = 6,272 bits, a ratio of 98; the products are in math).
  claim(page, "A 2-D code of 32-bit floats stores how many bits per image, against 784 pixels of 8 bits?", () => {
    expect(2 * 32).toBe(64);
    expect(784 * 8).toBe(6272);
    expect(Math.round(6272 / 64)).toBe(98);
  }),
  claim(page, "a compression ratio of 98", () => expect(6272 / 64).toBe(98)),
  // Exercise 4 and its solution: r = √(−2 ln 0.05) ≈ 2.45 and √(−2 ln 0.01) ≈ 3.03 (in math); beyond 4, e^{−8} ≈ 0.03%.
  claim(page, "Which radius holds 95% of them (the dashed circle)? And 99%?", () => {
    expect(Math.sqrt(-2 * Math.log(0.05))).toBeCloseTo(2.45, 2);
    expect(Math.sqrt(-2 * Math.log(0.01))).toBeCloseTo(3.03, 2);
    expect(fractionWithin(2.45)).toBeCloseTo(0.95, 2);
    expect(fractionWithin(3.03)).toBeCloseTo(0.99, 2);
  }),
  claim(page, "for 95%, and", () => expect(1 - Math.exp(-(2.45 ** 2) / 2)).toBeCloseTo(0.95, 2)),
  claim(page, "for 99%. Beyond 4 units lie only", () => {
    expect(100 * Math.exp(-8)).toBeCloseTo(0.03, 2);
    expect(1 - fractionWithin(4, 2_000_000)).toBeLessThan(0.0006);
  })
];
