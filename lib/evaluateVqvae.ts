import {binarize, type Dataset} from "./batches.js";
import {codeCounts, codePerplexity} from "./codebookUsage.js";
import {mulberry32} from "./random.js";
import {tf} from "./tf.js";
import {uniformCodePriorKl, type VqVae} from "./vqvae.js";

export interface VqVaeEvaluationOptions {
  /** Seeds the test set's one binarization: the same draw as evaluateModel's with the same seed. */
  seed?: number;
  /** Only the first `limit` images. */
  limit?: number;
  batchSize?: number;
  /** β for the reported training loss (default 0.25). */
  commitment?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface VqVaeMetrics {
  examples: number;
  /** batchMean over the data of −log p(x | z_q), nats per image. */
  reconstructionLoss: number;
  /** Per image: Σ over grid positions of ‖z_e − e_k‖² (the codebook and commitment losses' common value). */
  codebookLoss: number;
  /** reconstructionLoss + codebookLoss + β·commitmentLoss, the training objective on this data. */
  trainingLoss: number;
  commitment: number;
  /** The chosen codes, image by image, grid position by position in raster order: examples × positions. */
  codes: Int32Array;
  /** How often each code was chosen over all images and positions. */
  counts: number[];
  codesUsed: number;
  /** Codes chosen nowhere in this data. */
  deadCodes: number;
  perplexity: number;
  /** positions · log K: the KL to a uniform prior over code grids (q is one-hot, so −log p(k)). */
  uniformPriorKl: number;
  /** reconstructionLoss + uniformPriorKl: the −ELBO with a uniform prior over codes, an upper bound on −log p(x) of that model. */
  negElboUniformPrior: number;
  /** Grid positions whose code is not the same for (almost) every image: the entropy of its codes over the data exceeds `threshold` nats. */
  activePositions: {count: number; threshold: number; entropies: number[]};
  protocol: string;
}

/** The first `limit` images, binarized once pixel by pixel with mulberry32(seed·7 + 3), in order: evaluateModel's draw. */
export function binarizedTestImages(data: Dataset, {seed = 0, limit = data.count}: {seed?: number; limit?: number} = {}): Float32Array {
  const total = Math.min(limit, data.count);
  return binarize(data.images.subarray(0, total * data.pixels), mulberry32(seed * 7 + 3));
}

/**
 * Test-set numbers for a VQ-VAE: the reconstruction in nats per image, the codebook terms, the code
 * histogram (usage, dead codes, perplexity), and the −ELBO under a uniform prior over codes.
 */
export async function evaluateVqVae(model: VqVae, data: Dataset, options: VqVaeEvaluationOptions = {}): Promise<VqVaeMetrics> {
  const {seed = 0, batchSize = 100, commitment = 0.25, onProgress} = options;
  const total = Math.min(options.limit ?? data.count, data.count);
  const images = binarizedTestImages(data, {seed, limit: total});
  const positions = model.config.latentDim;
  const codes = new Int32Array(total * positions);
  let sums = {reconstruction: 0, codebook: 0};
  for (let start = 0; start < total; start += batchSize) {
    const size = Math.min(batchSize, total - start);
    const [reconstruction, codebook, indices] = tf.tidy(() => {
      const x = tf.tensor2d(images.subarray(start * data.pixels, (start + size) * data.pixels), [size, data.pixels]);
      const t = model.terms(x, {commitment});
      return [t.reconstructionLoss.sum(), t.codebookLoss.sum(), t.indices];
    });
    const [r, c, k] = await Promise.all([reconstruction.data(), codebook.data(), indices.data()]);
    tf.dispose([reconstruction, codebook, indices]);
    sums = {reconstruction: sums.reconstruction + r[0], codebook: sums.codebook + c[0]};
    codes.set(k as Int32Array, start * positions);
    onProgress?.(start + size, total);
  }
  const K = model.config.codebookSize;
  const counts = codeCounts(codes, K);
  const reconstructionLoss = sums.reconstruction / total;
  const codebookLoss = sums.codebook / total;
  const uniformPriorKl = uniformCodePriorKl(model.config);
  const threshold = 0.01;
  const entropies = Array.from({length: positions}, (_, p) => {
    const column = Array.from({length: total}, (_, i) => codes[i * positions + p]);
    return Math.log(codePerplexity(codeCounts(column, K)));
  });
  const [h, w] = model.grid;
  return {
    examples: total,
    reconstructionLoss,
    codebookLoss,
    trainingLoss: reconstructionLoss + codebookLoss * (1 + commitment),
    commitment,
    codes,
    counts,
    codesUsed: counts.filter((c) => c > 0).length,
    deadCodes: counts.filter((c) => c === 0).length,
    perplexity: codePerplexity(counts),
    uniformPriorKl,
    negElboUniformPrior: reconstructionLoss + uniformPriorKl,
    activePositions: {count: entropies.filter((e) => e > threshold).length, threshold, entropies},
    protocol:
      `${total} test images, binarized once by a Bernoulli draw per pixel (seed ${seed}); Bernoulli decoder; nats per image, summed over pixels. ` +
      `The latent is a ${h}×${w} grid of codes, each one of K = ${K}. The encoder is deterministic (q puts all its mass on the nearest codes), ` +
      `so with a uniform prior over codes the KL is ${positions}·log ${K} = ${uniformPriorKl.toFixed(2)} nats for every image and −ELBO = reconstruction + KL. ` +
      `No importance-weighted estimate: with a one-hot q it equals the ELBO. A grid position is active when the entropy of its code over the test images exceeds ${threshold} nats.`
  };
}
