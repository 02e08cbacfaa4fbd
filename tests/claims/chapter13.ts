import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect} from "vitest";
import {chooseBackend, tf, vectorQuantize, type Tensor, type Tensor2D, type Tensor4D} from "../../lib/index.ts";
import {claim} from "./claim.ts";
import {chapterSource} from "./gaussianAverage.ts";

const page = "/chapters/13-vaes-today";
const data = (path: string) => JSON.parse(readFileSync(join(import.meta.dirname, "../../data", path), "utf8"));
const source = () => chapterSource("13-vaes-today.md");
/** The metadata a checkpoint was saved with (the flags of the run that made it). */
const metadata = (dir: string) => data(join(dir, "model.json")).userDefinedMetadata.metadata;
const topology = (dir: string) => data(join(dir, "model.json")).modelTopology.config;
const latent = () => data("references/latent-autoencoder.json");
const ldm = () => data("references/latent-diffusion.json");

export const claims = [
  claim(page, "pixels (4 times smaller each way)", () => {
    // The shipped VQ-VAE: 28×28 images, a 7×7 grid of 49 positions (two stride-2 convolutions).
    const config = topology("checkpoints/vqvae");
    expect(config.imageShape.slice(0, 2)).toEqual([28, 28]);
    expect(config.latentDim).toBe(49);
    expect(28 / Math.sqrt(config.latentDim)).toBe(4);
  }),

  claim(page, "to train a fresh VQ-VAE on 10,000 training digits", () => {
    // The lab downloads mnist-train-0.bin, the first chunk of 10,000 training digits.
    expect(source()).toContain('FileAttachment("../data/mnist-train-0.bin")');
    expect(readFileSync(join(import.meta.dirname, "../../src/data/mnist-[part].bin.ts"), "utf8")).toContain("[Number(match[4]) * 10_000, 10_000]");
  }),

  claim(page, "fitted to the code grids of the 60,000 training digits and scored on the 10,000 test digits' code grids", () => {
    const priors = data("references/vqvae-priors.json");
    expect(priors.protocol).toContain("Code grids of the 60,000 training digits (binarized once, seed 1) fit the priors");
    expect(priors.protocol).toContain("independent: one histogram per position (add-one smoothing)");
    expect(priors.protocol).toContain("the 10,000 test digits (binarized once, seed 0) are scored");
    // Per grid = per position × 49, the test digits' mean: consistent with the table's two columns.
    for (const name of ["uniform", "pooled", "independent", "autoregressive"]) {
      expect(priors.negLogPriorPerGrid[name] / 49).toBeCloseTo(priors.negLogPriorPerPosition[name], 6);
      expect(priors.negElbo[name]).toBeCloseTo(priors.testReconstructionLoss + priors.negLogPriorPerGrid[name], 6);
    }
    // The uniform prior's row is log K per position, by definition.
    expect(priors.negLogPriorPerPosition.uniform).toBeCloseTo(Math.log(128), 9);
  }),

  claim(page, "the shipped 20-dimensional VAE of chapter 7 scored one binarized draw of each of 1,000 decoded samples", () => {
    expect(topology("checkpoints/vae-20d").latentDim).toBe(20);
    const priors = data("references/vqvae-priors.json");
    expect(priors.protocol).toContain("Samples: 1000 code grids from each prior");
    expect(priors.protocol).toContain("judgeNegElbo is vae-20d's −ELBO (one z) of one Bernoulli draw of each picture");
    // "The autoregressive prior helps, and this tiny one is still far from real digits."
    expect(priors.samples.autoregressive.judgeNegElbo).toBeLessThan(priors.samples.independent.judgeNegElbo);
    expect(priors.samples.autoregressive.judgeNegElbo).toBeGreaterThan(priors.realTestDigitsJudgeNegElbo + 20);
  }),

  claim(page, "steps each, one with β = 10⁻⁶ and one with β = 1", () => {
    expect(metadata("latent-autoencoders/beta-0.000001").beta).toBe(1e-6);
    expect(metadata("latent-autoencoders/beta-1").beta).toBe(1);
    const [a, b] = [metadata("latent-autoencoders/beta-0.000001"), metadata("latent-autoencoders/beta-1")];
    for (const key of ["steps", "batchSize", "learningRate", "seed"]) expect(a[key]).toBe(b[key]);
    expect(latent().models.map((m: {beta: number}) => m.beta)).toEqual([1e-6, 1]);
  }),

  // The panel labels and the caption's β values name the two shipped checkpoints.
  claim(page, "β = 10⁻⁶", () => expect(metadata("latent-autoencoders/beta-0.000001").beta).toBe(1e-6)),
  claim(page, "β = 1", () => expect(metadata("latent-autoencoders/beta-1").beta).toBe(1)),
  claim(page, "nats with β = 10⁻⁶ and", () => expect(source()).toMatch(/\[tinyVae, oneVae\][\s\S]*kl-tiny[\s\S]*kl-one/)),
  claim(page, "nats with β = 1.", () => expect(source()).toContain('FileAttachment("../data/chapter13-beta-1.bin")')),

  claim(page, "Over the 10,000 test digits: with β = 10⁻⁶ the reconstruction term is", () => {
    expect(latent().protocol).toContain("Test numbers over the 10,000 test digits binarized once");
    const [tiny, one] = latent().models;
    // The sentence that follows: sharper reconstructions, a far larger KL.
    expect(tiny.test.reconstructionLoss).toBeLessThan(one.test.reconstructionLoss);
    expect(tiny.test.kl).toBeGreaterThan(50 * one.test.kl);
  }),
  claim(page, "; with β = 1 they are", () => expect(latent().models[1].beta).toBe(1)),

  claim(page, "are nearly blank: the average ink (the sum of pixel values) of its", () => {
    const {models, reference} = latent();
    expect(models[0].samples.ink).toBeLessThan(0.2 * reference.testDigitsInk);
    expect(models[1].samples.ink).toBeGreaterThan(3 * models[0].samples.ink);
  }),
  claim(page, "for the β = 1 model's samples. The reason is where the encoder puts digits.", () => {
    const [tiny, one] = latent().models;
    // The tiny-β encoder's means lie far outside the typical length √196 = 14 of z ~ N(0, I); β = 1's do not.
    expect(tiny.test.latent.sqrtDims).toBeCloseTo(14, 6);
    expect(tiny.test.latent.meanNormOfMeans).toBeGreaterThan(5 * tiny.test.latent.sqrtDims);
    expect(one.test.latent.meanNormOfMeans).toBeLessThan(tiny.test.latent.sqrtDims);
  }),
  claim(page, "; with β = 10⁻⁶ the encoder's means have an average length of", () => expect(latent().models[0].beta).toBe(1e-6)),
  claim(page, "(with β = 1,", () => expect(latent().models[1].beta).toBe(1)),

  claim(page, "In the lab, train with K = 128 and automatic re-seeding off", () => expect(source()).toContain("Inputs.select([16, 32, 64, 128]")),
  claim(page, "compare the reconstruction and the number of codes used with γ = 0.25 after the same number of steps", () => {
    expect(source()).toContain('Inputs.range([0, 2], {step: 0.05, value: 0.25, label: "commitment γ"})');
  }),
  claim(page, "The β = 10⁻⁶ model above has the sharpest reconstructions on this page", () => {
    const priors = data("references/vqvae-priors.json");
    expect(latent().models[0].test.reconstructionLoss).toBeLessThan(Math.min(latent().models[1].test.reconstructionLoss, priors.testReconstructionLoss));
  }),

  // Exercise 1.
  claim(page, "The shipped VQ-VAE has a 7×7 grid and K = 128 codes.", () => {
    const config = topology("checkpoints/vqvae");
    expect(config.latentDim).toBe(7 * 7);
    expect(config.codebookSize).toBe(128);
  }),
  // The question's K = 512 is the solution's second case: 49 · 9 ln 2, because 512 = 2⁹.
  claim(page, "What would it be with K = 512?", () => expect(source()).toMatch(/What would it be with K = 512\?[\s\S]*49 · ln 512 ≈ 305\.7 nats for K = 512/)),
  claim(page, "M log K with M = 49 positions: 49 · ln 128 ≈ 237.7 nats for K = 128, and 49 · ln 512 ≈ 305.7 nats for K = 512", () => {
    // ln 128 = 7 ln 2, ln 512 = 9 ln 2; and npm run evaluate's KL for the shipped model.
    expect(49 * 7 * Math.LN2).toBeCloseTo(237.7, 1);
    expect(49 * 9 * Math.LN2).toBeCloseTo(305.7, 1);
    expect(data("checkpoints/vqvae/metrics.json").kl).toBeCloseTo(237.7, 1);
  }),

  // Exercise 2: the gradients through the straight-through estimator, by tfjs autodiff of the model's
  // own loss terms on a one-position, one-dimension quantizer, against the hand-derived 0.9 and 0.4.
  // γ = 0.25 is the paper's commitment weight, the shipped model's and the lab's default.
  claim(page, "commitment weight γ = 0.25, and the decoder's gradient", () => {
    expect(data("checkpoints/vqvae/metrics.json").commitment).toBe(0.25);
    expect(source()).toContain('{step: 0.05, value: 0.25, label: "commitment γ"}');
  }),
  claim(page, "adds 2γ(z_e − e_k) = 2 · 0.25 · (0.3 − 0.5) = −0.1, so z_e gets 1 − 0.1 = 0.9", async () => {
    const {zE, code} = await exerciseGradients();
    expect(zE).toBeCloseTo(0.9, 5);
    expect(code).toBeCloseTo(0.4, 5);
  }),
  claim(page, "it gets 2(e_k − z_e) = 0.4, which moves e_k toward z_e", async () => {
    const {code} = await exerciseGradients();
    expect(code).toBeCloseTo(0.4, 5);
  }),
  claim(page, "(b) Raise β toward 1, so the KL pulls the latents toward", () => {
    const [tiny, one] = latent().models;
    expect(one.test.latent.meanNormOfMeans).toBeLessThan(tiny.test.latent.meanNormOfMeans);
  }),
  claim(page, "the cost is the reconstruction, as the β = 1 model on this page shows", () => {
    const [tiny, one] = latent().models;
    expect(one.test.reconstructionLoss).toBeGreaterThan(tiny.test.reconstructionLoss + 20);
  }),

  // Perplexity's two ends, from its definition exp(−Σ p log p), by hand: K equal counts give K, one code 1.
  claim(page, "if all were used equally, 1 if one code took every position", () => {
    const perplexity = (counts: number[]) => {
      const total = counts.reduce((a, b) => a + b, 0);
      return Math.exp(-counts.reduce((h, c) => (c > 0 ? h + (c / total) * Math.log(c / total) : h), 0));
    };
    expect(perplexity(new Array(128).fill(7))).toBeCloseTo(128, 9);
    expect(perplexity([0, 0, 5, 0])).toBe(1);
    // And the shipped model's perplexity (npm run evaluate) is that of its counts.
    const metrics = data("checkpoints/vqvae/metrics.json");
    expect(metrics.perplexity).toBeCloseTo(perplexity(metrics.counts), 9);
  }),

  // Latent diffusion's published settings (data/references/latent-diffusion.json, from the paper and its configs).
  claim(page, "(Stable Diffusion's autoencoder uses a factor of 8 and 4 channels)", () => {
    const sd = ldm().stableDiffusionAutoencoder;
    expect(2 ** (sd.chMult.length - 1)).toBe(8);
    expect(sd.downsamplingFactor).toBe(8);
    expect(sd.channels).toBe(4);
  }),
  claim(page, "the paper's KL-regularized autoencoders use about 10⁻⁶", () => {
    expect(ldm().klAutoencoders.klWeight).toBe(1e-6);
    expect(ldm().klAutoencoders.config).toContain("kl_weight: 0.000001");
  })
];

/**
 * Exercise 2's set-up through lib's quantizer: z_e = 0.3, one code e = 0.5 (a second code far away so
 * the argmin is real), a "decoder" whose loss is z_q itself (gradient 1), and γ = 0.25. Autodiff of
 * z_q + codebook loss + γ·commitment loss, as lib's VQ-VAE sums them.
 */
async function exerciseGradients(): Promise<{zE: number; code: number}> {
  await chooseBackend({prefer: "cpu"});
  const codebook = tf.tensor2d([[0.5], [10]]);
  const zE = tf.tensor4d([[[[0.3]]]]);
  const gamma = 0.25;
  const grads = tf.grads((z: Tensor, table: Tensor) => {
    const out = vectorQuantize(z as Tensor4D, table as Tensor2D);
    return out.quantized.sum().add(out.codebookLoss.sum()).add(out.commitmentLoss.sum().mul(gamma));
  });
  const [gz, gt] = grads([zE, codebook]);
  const [zValue, table] = [(await gz.data())[0], await gt.data()];
  tf.dispose([codebook, zE, gz, gt]);
  return {zE: zValue, code: table[0]};
}
