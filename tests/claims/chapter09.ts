import {expect} from "vitest";
import {claim} from "./claim.ts";
import {decodeMeans, encoderOutputs, mnist, shippedModel} from "./shipped.ts";

const page = "/chapters/09-conditional-vae";

/** The summed Bernoulli entropy of each decoded image (nats), written out. */
function meanEntropy(images: Float32Array, pixels = 784): number {
  let h = 0;
  for (const p of images) if (p > 0 && p < 1) h -= p * Math.log(p) + (1 - p) * Math.log(1 - p);
  return h / (images.length / pixels);
}

/** The same 500 codes from N(0, I₂) for both models, with labels 0–9 in turn for the CVAE. */
async function sampleEntropies() {
  let state = 11;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const codes = Array.from({length: 500}, () => [normal(), normal()]);
  const cvae = await shippedModel("cvae-2d");
  const vae = await shippedModel("vae-2d");
  return {cvae: meanEntropy(decodeMeans(cvae, codes, codes.map((_, i) => i % 10))), vae: meanEntropy(decodeMeans(vae, codes))};
}

/** The share of codes whose nearest other code (leave-one-out, Euclidean) has the same label. */
function sameLabelNeighbour(codes: number[][], labels: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < codes.length; i++) {
    let [best, bestDistance] = [-1, Infinity];
    for (let j = 0; j < codes.length; j++) {
      if (j === i) continue;
      const d = (codes[i][0] - codes[j][0]) ** 2 + (codes[i][1] - codes[j][1]) ** 2;
      if (d < bestDistance) [best, bestDistance] = [j, d];
    }
    if (labels[best] === labels[i]) same++;
  }
  return same / codes.length;
}

export const claims = [
  // The summary's sentence, on the figure's 1,000 test digits (the first of the test set): the CVAE's
  // codes (given the labels) barely beat chance at naming a digit's neighbour's label; the 2-D VAE's do.
  claim(page, "in the shipped CVAE the codes say little about the digit", async () => {
    const test = await mnist("test");
    const labels = test.labels as Uint8Array;
    const first = labels.subarray(0, 1000);
    const chance = Array.from({length: 10}, (_, c) => (first.filter((l) => l === c).length / 1000) ** 2).reduce((a, b) => a + b, 0);
    const cvae = sameLabelNeighbour((await encoderOutputs(await shippedModel("cvae-2d"), test, 1000, labels)).mean, first);
    const vae = sameLabelNeighbour((await encoderOutputs(await shippedModel("vae-2d"), test, 1000)).mean, first);
    expect(cvae).toBeLessThan(chance + 0.1);
    expect(vae).toBeGreaterThan(cvae + 0.3);
  }),

  // Exercise 2 and its solution (the solution's 5120, 1.3 % and 401,408 are in math).
  claim(page, "The CVAE's first layer receives 784 pixels plus a one-hot label of 10 digits. With 512 hidden units, how many more weights does conditioning add to that layer?", async () => {
    const cvae = await shippedModel("cvae-2d");
    const [h, w, channels] = cvae.config.imageShape;
    expect(h * w * channels).toBe(784);
    expect(cvae.config.numClasses).toBe(10);
    expect(cvae.config.hiddenSizes[0]).toBe(512);
    const kernel = cvae.params.get("encoder/dense0/kernel").shape;
    expect(kernel).toEqual([794, 512]);
    const [fanIn, units] = kernel as [number, number];
    const extra = (fanIn - 784) * units;
    expect(extra).toBe(5120);
    expect(784 * 512).toBe(401_408);
    expect(extra / (784 * 512)).toBeLessThan(0.013);
  }),

  // Exercise 2's solution: 5120 of 401,408 weights.
  claim(page, "extra weights, under 1.3 % of the layer's", () => {
    expect((10 * 512) / (784 * 512)).toBeLessThan(0.013);
    expect((10 * 512) / (784 * 512)).toBeGreaterThan(0.012);
  }),

  claim(page, "Why can a 2-D code be enough for a CVAE to produce clear digits of every class, when a 2-D VAE produces blurrier ones?", async () => {
    expect((await shippedModel("cvae-2d")).config.latentDim).toBe(2);
    expect((await shippedModel("vae-2d")).config.latentDim).toBe(2);
    const {cvae, vae} = await sampleEntropies();
    expect(cvae).toBeLessThan(vae - 10);
  }),

  // Exercise 3's solution.
  claim(page, "averages about 132 nats for the CVAE's samples against about 152 for the VAE's", async () => {
    const {cvae, vae} = await sampleEntropies();
    expect(Math.abs(cvae - 132)).toBeLessThan(3);
    expect(Math.abs(vae - 152)).toBeLessThan(3);
  })
];
