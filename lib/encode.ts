import type {Model} from "./model.js";
import {tf, type Tensor2D} from "./tf.js";

/** The encoder's q(z|x) = N(mean, diag exp(logVar)) for n images: [n][latentDim] each, as numbers. */
export interface Posteriors {
  mean: number[][];
  logVar: number[][];
}

/**
 * Encodes images once, in batches, and reads q(z|x)'s parameters back asynchronously (`await data()`),
 * so a page stays responsive while a slow backend works. The image size comes from the model's config.
 * @param images count·pixels values in [0, 1], row-major, pixels = the product of config.imageShape
 * @param options.condition for a CVAE: one label per image (a one-hot condition is built from it)
 */
export async function encodePosteriors(model: Model, images: ArrayLike<number>, {batchSize = 250, condition}: {batchSize?: number; condition?: ArrayLike<number>} = {}): Promise<Posteriors> {
  const pixels = model.config.imageShape.reduce((a, b) => a * b, 1);
  const count = images.length / pixels;
  if (!Number.isInteger(count)) throw new Error(`encodePosteriors: ${images.length} values is not a whole number of ${pixels}-pixel images`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`encodePosteriors: batchSize must be a whole number ≥ 1, got ${batchSize}`);
  if (model.config.kind === "cvae" && condition?.length !== count) throw new Error(`encodePosteriors: a cvae needs one label per image (${count})`);
  const latent = model.config.latentDim;
  const out: Posteriors = {mean: [], logVar: []};
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const slice = Float32Array.from({length: n * pixels}, (_, i) => images[start * pixels + i]);
    const {mean, logVar} = tf.tidy(() => {
      const labels = condition && model.config.kind === "cvae" ? (tf.oneHot(tf.tensor1d(Array.from({length: n}, (_, i) => condition[start + i]), "int32"), model.config.numClasses as number).toFloat() as Tensor2D) : undefined;
      return model.encode(tf.tensor2d(slice, [n, pixels]), labels);
    });
    try {
      const [m, v] = await Promise.all([mean.data(), logVar.data()]);
      for (let i = 0; i < n; i++) {
        out.mean.push(Array.from(m.subarray(i * latent, (i + 1) * latent)));
        out.logVar.push(Array.from(v.subarray(i * latent, (i + 1) * latent)));
      }
    } finally {
      tf.dispose([mean, logVar]);
    }
  }
  return out;
}

/** The encoder's means only (the usual "codes" of a latent plot): [n][latentDim]. */
export async function encodeMeans(model: Model, images: ArrayLike<number>, options: {batchSize?: number; condition?: ArrayLike<number>} = {}): Promise<number[][]> {
  return (await encodePosteriors(model, images, options)).mean;
}

/**
 * The decoder's mean images for given codes, read back asynchronously: count·pixels values in [0, 1].
 * @param codes [count][latentDim]
 * @param options.condition for a CVAE: one label per code
 */
export async function decodeCodes(model: Model, codes: ArrayLike<number>[], {condition}: {condition?: ArrayLike<number>} = {}): Promise<Float32Array> {
  const latent = model.config.latentDim;
  if (codes.some((z) => z.length !== latent)) throw new Error(`decodeCodes: every code needs ${latent} numbers`);
  if (codes.length === 0) return new Float32Array(0);
  if (model.config.kind === "cvae" && condition?.length !== codes.length) throw new Error(`decodeCodes: a cvae needs one label per code (${codes.length})`);
  const images = tf.tidy(() => {
    const z = tf.tensor2d(codes.map((c) => Array.from(c)), [codes.length, latent]);
    const labels = condition && model.config.kind === "cvae" ? (tf.oneHot(tf.tensor1d(Array.from(condition), "int32"), model.config.numClasses as number).toFloat() as Tensor2D) : undefined;
    return model.decodeMean(z, labels);
  });
  try {
    return (await images.data()) as Float32Array;
  } finally {
    images.dispose();
  }
}
