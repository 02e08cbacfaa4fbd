import {binarize} from "./batches.js";
import {invert, rotate90} from "./imageTransforms.js";
import type {Model} from "./model.js";
import {mulberry32} from "./random.js";
import {tf} from "./tf.js";

/**
 * −ELBO per image under `model`, in nats: a score of how poorly the model explains each input (high =
 * unusual). One z per image (the one-sample estimate of the ELBO), seeded; images are scored
 * `batchSize` at a time, batch b with seed `seed + b`.
 * @param images count·pixels values, binary for a Bernoulli decoder
 * @returns perExample, count numbers
 */
export async function negElboScores(model: Model, images: Float32Array, {seed = 3, batchSize = 200}: {seed?: number; batchSize?: number} = {}): Promise<number[]> {
  const [h, w, c] = model.config.imageShape;
  const pixels = h * w * c;
  const count = images.length / pixels;
  if (!Number.isInteger(count)) throw new Error(`negElboScores: ${images.length} values are not a whole number of ${pixels}-pixel images`);
  const scores: number[] = [];
  for (let start = 0, b = 0; start < count; start += batchSize, b++) {
    const size = Math.min(batchSize, count - start);
    const negElbo = tf.tidy(() => model.terms(tf.tensor2d(images.subarray(start * pixels, (start + size) * pixels), [size, pixels]), {seed: seed + b}).elbo.neg());
    scores.push(...(await negElbo.data()));
    negElbo.dispose();
  }
  return scores;
}

/** One set of inputs for an anomaly test: a name and its images. */
export interface InputSet {
  name: string;
  images: Float32Array;
}

/**
 * Binary test digits and three kinds of input a digit model never saw: the same digits turned a
 * quarter turn, the same digits with ink and paper swapped, and independent random pixels that are
 * ink with probability `ink` (MNIST's average grey level is about 0.13), as many images as digits.
 */
export function anomalySets(binaryDigits: Float32Array, {side = 28, ink = 0.13, seed = 5}: {side?: number; ink?: number; seed?: number} = {}): InputSet[] {
  return [
    {name: "test digits", images: binaryDigits},
    {name: "rotated 90°", images: rotate90(binaryDigits, side)},
    {name: "inverted", images: invert(binaryDigits)},
    {name: "random pixels", images: binarize(new Float32Array(binaryDigits.length).fill(ink), mulberry32(seed))}
  ];
}
