import {expect} from "vitest";
import {independentBernoulliLogLikelihood} from "../../lib/index.ts";
import {readFile} from "node:fs/promises";
import {loadMnist, loadMnistBytes} from "../../lib/node/mnistFiles.ts";
import {claim} from "./claim.ts";

const page = "/chapters/01-generative-models";

/** μ_i = mean grey level over the 60,000 training digits, straight from the IDX bytes (not lib's fit). */
async function trainingMeans(): Promise<{means: Float64Array; rows: number; cols: number; count: number}> {
  const {images, rows, cols} = await loadMnistBytes("train");
  const pixels = rows * cols;
  const count = images.length / pixels;
  const means = new Float64Array(pixels);
  for (let n = 0; n < count; n++) for (let i = 0; i < pixels; i++) means[i] += images[n * pixels + i] / 255;
  return {means: means.map((m) => m / count), rows, cols, count};
}

/** Σ_i [g_i log μ_i + (1 − g_i) log(1 − μ_i)]: the exact expected score of an image with grey levels g binarized by coin flips. */
function expectedScore(means: Float64Array, grey: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < means.length; i++) {
    const mu = Math.min(0.999, Math.max(0.001, means[i]));
    sum += grey[i] * Math.log(mu) + (1 - grey[i]) * Math.log(1 - mu);
  }
  return sum;
}

export const claims = [
  claim(page, "A handwritten digit from MNIST is a grid of 28 × 28 = 784 pixels.", async () => {
    const {rows, cols} = await loadMnistBytes("test");
    expect([rows, cols, rows * cols]).toEqual([28, 28, 784]);
  }),
  claim(page, "D = 784 pixel values", () => expect(28 * 28).toBe(784)),
  claim(page, "one point in a 784-dimensional space", () => expect(28 * 28).toBe(784)),
  claim(page, "MNIST stores each pixel as a whole number from 0 (background) to 255 (full ink).", async () => {
    // The IDX files hold unsigned bytes; the corners of every digit are background, 0.
    const {images} = await loadMnistBytes("test");
    let max = 0, min = 255, cornersInked = 0;
    for (const b of images) (max = Math.max(max, b)), (min = Math.min(min, b));
    for (let n = 0; n < images.length / 784; n++) cornersInked += images[n * 784] + images[n * 784 + 783];
    expect([min, max]).toEqual([0, 255]);
    expect(cornersInked).toBe(0);
  }),
  claim(page, "Divided by 255, that is a grey level between 0 and 1, drawn on this site from white (0) to black (1).", async () => {
    // The site's loader divides the bytes by 255 (compared here with the raw bytes), and DigitGrid paints
    // a value v as the grey 255·(1 − v): 0 → white, 1 → black.
    const {images: bytes} = await loadMnistBytes("test");
    const test = await loadMnist("test");
    for (const i of [0, 150, 202, 350, 1_000_000, 7_839_999]) expect(test.images[i]).toBeCloseTo(bytes[i] / 255, 6);
    const source = await readFile("src/components/digitGrid.ts", "utf-8");
    // A value clamped to [0, 1] is painted 255·(1 − v) when drawn as ink, the default; chapter 1 never asks for light.
    expect(source).toContain("Math.min(1, Math.max(0, images[");
    expect(source).toContain("Math.round(255 * (ink ? 1 - value : value))");
    expect(source).toMatch(/ink = true\}: DigitGridOptions/);
    expect(await readFile("src/chapters/01-generative-models.md", "utf-8")).not.toMatch(/ink: false/);
  }),
  // The math beside it: one nat is 1/ln 2 ≈ 1.443 bits.
  claim(page, "(One nat is", () => expect(1 / Math.LN2).toBeCloseTo(1.443, 3)),
  claim(page, "never lets a", () => {
    // "… never lets a μ_i fall below 0.001": a pixel with μ = 0 that is ink scores log 0.001.
    expect(independentBernoulliLogLikelihood(Float32Array.from([0]), [1])).toBeCloseTo(Math.log(0.001), 6);
    expect(independentBernoulliLogLikelihood(Float32Array.from([1]), [0])).toBeCloseTo(Math.log(0.001), 6);
  }),
  claim(page, "fall below 0.001, so that a pixel never seen as ink cannot make log p(x) minus infinity", async () => {
    // Some pixels are never ink in any training digit, so without the floor log p(x) could be −∞.
    const {means} = await trainingMeans();
    expect(means.filter((m) => m === 0).length).toBeGreaterThan(0);
  }),
  claim(page, "(a thin 1 has little ink and scores high, a bold 8 scores low)", async () => {
    const {means} = await trainingMeans();
    const {images, labels} = await loadMnistBytes("test");
    const byLabel = (label: number) => {
      let score = 0, ink = 0, n = 0;
      for (let k = 0; k < labels.length; k++) {
        if (labels[k] !== label) continue;
        const grey = Array.from(images.subarray(k * 784, (k + 1) * 784), (b) => b / 255);
        score += expectedScore(means, grey);
        ink += grey.reduce((a, b) => a + b, 0);
        n++;
      }
      return {score: score / n, ink: ink / n};
    };
    const [ones, eights] = [byLabel(1), byLabel(8)];
    expect(ones.ink).toBeLessThan(eights.ink);
    expect(ones.score).toBeGreaterThan(eights.score + 50);
  }),
  // Exercise 1 (the answer, 2^784 ≈ 10^236.0, is in math).
  claim(page, "How many distinct black-and-white 28 × 28 images are there? Give the power of ten.", () => {
    expect(784 * Math.log10(2)).toBeCloseTo(236.0, 1);
  }),
  // Exercise 3 and its solution (log 0.3 ≈ −1.204, log 0.7 ≈ −0.357, in math).
  claim(page, "A pixel is ink in 30% of the training images.", () => {
    expect(Math.log(0.3)).toBeCloseTo(-1.204, 3);
    expect(Math.log(0.7)).toBeCloseTo(-0.357, 3);
    expect(independentBernoulliLogLikelihood(Float32Array.from([0.3]), [1])).toBeCloseTo(-1.204, 3);
  }),
  // Exercise 4 and its solution, all in math: H = ln 2 + 2 h(0.1) ≈ 0.693 + 2 × 0.325 = 1.343; mode log 0.405 ≈ −0.904.
  claim(page, "A three-pixel model has", () => {
    const mu = [0.5, 0.1, 0.9];
    let entropy = 0, best = -Infinity; // by enumerating the 8 images
    for (let k = 0; k < 8; k++) {
      const p = mu.reduce((prod, m, i) => prod * ((k >> i) & 1 ? m : 1 - m), 1);
      entropy -= p * Math.log(p);
      best = Math.max(best, Math.log(p));
    }
    expect(entropy).toBeCloseTo(1.343, 3);
    expect(Math.LN2).toBeCloseTo(0.693, 3);
    expect(-0.1 * Math.log(0.1) - 0.9 * Math.log(0.9)).toBeCloseTo(0.325, 3);
    expect(best).toBeCloseTo(Math.log(0.405), 10);
    expect(Math.log(0.405)).toBeCloseTo(-0.904, 3);
  }),
  // Exercise 5's solution: −log 60,000 ≈ −11.0 nats (in math), against the pixel model's score on the training digits.
  claim(page, "memorizes the", async () => {
    const {means, count} = await trainingMeans();
    expect(count).toBe(60_000);
    expect(-Math.log(count)).toBeCloseTo(-11.0, 1);
    const {images} = await loadMnistBytes("train");
    let total = 0;
    for (let n = 0; n < 2000; n++) total += expectedScore(means, Array.from(images.subarray(n * 784, (n + 1) * 784), (b) => b / 255));
    expect(total / 2000).toBeLessThan(-150); // "far better than the pixel model's score on them"
  })
];
