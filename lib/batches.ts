import {tf, type Tensor2D} from "./tf.js";
import {mulberry32} from "./random.js";

/** Images as flat float32 pixels in [0, 1], with optional labels. */
export interface Dataset {
  /** count × pixels values, row-major. */
  images: Float32Array;
  count: number;
  pixels: number;
  labels?: Uint8Array;
  numClasses?: number;
}

/**
 * How pixels in [0, 1] become the {0, 1} data a Bernoulli decoder models:
 * - "dynamic": a fresh draw x ~ Bernoulli(pixel) every time an image is used (the IWAE paper's protocol);
 * - "static": one seeded draw, fixed for the whole run;
 * - "none": grey levels as they are (for the Gaussian decoder; Bernoulli on grey pixels is not a likelihood).
 */
export type Binarization = "dynamic" | "static" | "none";

/** One Bernoulli draw per pixel: 1 with probability equal to the grey level, from a uniform source. */
export function binarize(pixels: Float32Array, draw: () => number): Float32Array {
  return pixels.map((p) => (draw() < p ? 1 : 0));
}

export interface Batch {
  x: Float32Array;
  labels?: Uint8Array;
  size: number;
  epoch: number;
  /** True when this batch ends an epoch. */
  lastOfEpoch: boolean;
}

/** Checks a dataset's sizes and values, with a sentence saying what is wrong. */
export function validateDataset(data: Dataset): void {
  if (!(data.count > 0) || !(data.pixels > 0)) throw new Error("dataset is empty");
  if (data.images.length !== data.count * data.pixels) {
    throw new Error(`dataset has ${data.images.length} pixel values, expected ${data.count} × ${data.pixels}`);
  }
  if (data.labels && data.labels.length !== data.count) throw new Error(`dataset has ${data.labels.length} labels for ${data.count} images`);
}

/**
 * Seeded mini-batches: a new shuffle each epoch and seeded binarization, so the same seed gives the
 * same batches in the same order on every machine.
 */
export class BatchSampler {
  readonly data: Dataset;
  readonly batchSize: number;
  readonly binarize: Binarization;
  private readonly seed: number;
  private order: Uint32Array;
  private position = 0;
  private epochIndex = 0;
  private readonly staticImages: Float32Array | null;
  private random: () => number;

  constructor(data: Dataset, {batchSize, seed = 0, binarize: mode = "none"}: {batchSize: number; seed?: number; binarize?: Binarization}) {
    validateDataset(data);
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch size must be a positive whole number, got ${batchSize}`);
    this.data = data;
    this.batchSize = Math.min(batchSize, data.count);
    this.binarize = mode;
    this.seed = seed;
    this.random = mulberry32(seed * 31 + 1);
    this.order = this.shuffled();
    if (mode === "static") {
      const draw = mulberry32(seed * 31 + 2);
      this.staticImages = binarize(data.images, draw);
    } else {
      this.staticImages = null;
    }
  }

  get epoch(): number {
    return this.epochIndex;
  }

  /** Batches per epoch; the last partial batch of an epoch is dropped. */
  get batchesPerEpoch(): number {
    return Math.floor(this.data.count / this.batchSize);
  }

  next(): Batch {
    const {pixels} = this.data;
    const size = this.batchSize;
    const x = new Float32Array(size * pixels);
    const labels = this.data.labels ? new Uint8Array(size) : undefined;
    const source = this.staticImages ?? this.data.images;
    for (let i = 0; i < size; i++) {
      const index = this.order[this.position + i];
      const row = source.subarray(index * pixels, (index + 1) * pixels);
      if (this.binarize === "dynamic") {
        for (let p = 0; p < pixels; p++) x[i * pixels + p] = this.random() < row[p] ? 1 : 0;
      } else {
        x.set(row, i * pixels);
      }
      if (labels) labels[i] = (this.data.labels as Uint8Array)[index];
    }
    const epoch = this.epochIndex;
    this.position += size;
    const lastOfEpoch = this.position + size > this.data.count;
    if (lastOfEpoch) {
      this.epochIndex++;
      this.position = 0;
      this.order = this.shuffled();
    }
    return {x, labels, size, epoch, lastOfEpoch};
  }

  private shuffled(): Uint32Array {
    const order = Uint32Array.from({length: this.data.count}, (_, i) => i);
    const draw = mulberry32(this.seed * 1009 + this.epochIndex + 17);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(draw() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }
}

/**
 * The CVAE's condition: one-hot rows [n, numClasses] (float32) for the labels. The one place a
 * condition is built from labels; the caller disposes it.
 */
export function oneHotLabels(labels: ArrayLike<number>, numClasses: number): Tensor2D {
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new Error(`oneHotLabels: numClasses must be a positive whole number, got ${numClasses}`);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) throw new Error(`oneHotLabels: label ${label} is not one of 0…${numClasses - 1}`);
  }
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), numClasses).toFloat() as Tensor2D);
}
