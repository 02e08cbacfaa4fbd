// Training on few images (chapter 11): a held-out slice to see overfitting, more images from small
// shifts, and a rule for when to stop. Pure functions over plain arrays; all seeded.
import type {Dataset} from "./batches.js";
import {mulberry32} from "./random.js";

/**
 * A seeded split of `count` items into training and held-out indices: round(fraction·count) held out,
 * at least 1 and at most count − 1 (so each side has something). Needs count ≥ 2.
 */
export function holdOut(count: number, {fraction = 0.2, seed = 0}: {fraction?: number; seed?: number} = {}): {train: Uint32Array; heldOut: Uint32Array} {
  if (!Number.isInteger(count) || count < 2) throw new Error(`holdOut: needs at least 2 images to hold one out, got ${count}`);
  if (!(fraction > 0 && fraction < 1)) throw new Error(`holdOut: the fraction must be between 0 and 1, got ${fraction}`);
  const held = Math.min(count - 1, Math.max(1, Math.round(fraction * count)));
  const order = Uint32Array.from({length: count}, (_, i) => i);
  const draw = mulberry32(seed * 40503 + 7);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(draw() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  // sorted, so each side keeps the images' order
  return {train: order.slice(held).sort(), heldOut: order.slice(0, held).sort()};
}

/** The images (and labels) at `indices`, as a new Dataset. */
export function subset<T extends Dataset>(data: T, indices: ArrayLike<number>): Dataset {
  const {pixels} = data;
  const images = new Float32Array(indices.length * pixels);
  const labels = data.labels ? new Uint8Array(indices.length) : undefined;
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n];
    if (!(i >= 0 && i < data.count)) throw new Error(`subset: index ${i} is outside the ${data.count} images`);
    images.set(data.images.subarray(i * pixels, (i + 1) * pixels), n * pixels);
    if (labels) labels[n] = (data.labels as Uint8Array)[i];
  }
  return {images, count: indices.length, pixels, ...(labels ? {labels, numClasses: data.numClasses} : {})};
}

/**
 * An image moved by (dx, dy) whole pixels (right and down positive), the edge pixels repeated into the
 * space it leaves, so the background carries on whatever its colour.
 * @param image side·side·channels values, row by row, channels last
 */
export function shiftClamped(image: ArrayLike<number>, side: number, channels: number, dx: number, dy: number): Float32Array {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new Error(`shiftClamped: shifts must be whole pixels, got (${dx}, ${dy})`);
  if (image.length !== side * side * channels) throw new Error(`shiftClamped: expected ${side}×${side}×${channels} values, got ${image.length}`);
  const out = new Float32Array(image.length);
  const clamp = (v: number) => Math.min(side - 1, Math.max(0, v));
  for (let y = 0; y < side; y++) {
    const sy = clamp(y - dy);
    for (let x = 0; x < side; x++) {
      const sx = clamp(x - dx);
      for (let c = 0; c < channels; c++) out[(y * side + x) * channels + c] = image[(sy * side + sx) * channels + c];
    }
  }
  return out;
}

export interface AugmentOptions {
  side: number;
  channels?: number;
  /** Shifted copies per image (default 4). */
  copies?: number;
  /** Largest shift in pixels along each axis (default 2). */
  maxShift?: number;
  seed?: number;
}

/**
 * The images followed by `copies` shifted copies of each: shifts (dx, dy) drawn uniformly from
 * {−maxShift … maxShift}², never (0, 0), from the seed. Augment the training slice only, after
 * holdOut, or the held-out images leak into training as shifted copies. `shifts` lists each copy's
 * (dx, dy), copy k of image i at index count + i·copies + k.
 */
export function augmentWithShifts(data: Dataset, {side, channels = 1, copies = 4, maxShift = 2, seed = 0}: AugmentOptions): Dataset & {shifts: Int8Array} {
  if (data.pixels !== side * side * channels) throw new Error(`augmentWithShifts: ${data.pixels} pixels per image are not ${side}×${side}×${channels}`);
  if (!Number.isInteger(copies) || copies < 0 || copies > 64) throw new Error(`augmentWithShifts: copies must be a whole number from 0 to 64, got ${copies}`);
  if (!Number.isInteger(maxShift) || maxShift < 1 || maxShift >= side / 2) throw new Error(`augmentWithShifts: maxShift must be a whole number from 1 to ${Math.ceil(side / 2) - 1}, got ${maxShift}`);
  const {count, pixels} = data;
  const total = count * (1 + copies);
  const images = new Float32Array(total * pixels);
  images.set(data.images.subarray(0, count * pixels));
  const labels = data.labels ? new Uint8Array(total) : undefined;
  if (labels) labels.set((data.labels as Uint8Array).subarray(0, count));
  const shifts = new Int8Array(count * copies * 2);
  const draw = mulberry32(seed * 65537 + 11);
  const span = 2 * maxShift + 1;
  for (let i = 0; i < count; i++) {
    const image = data.images.subarray(i * pixels, (i + 1) * pixels);
    for (let k = 0; k < copies; k++) {
      let dx = 0;
      let dy = 0;
      while (dx === 0 && dy === 0) {
        dx = Math.floor(draw() * span) - maxShift;
        dy = Math.floor(draw() * span) - maxShift;
      }
      const at = count + i * copies + k;
      images.set(shiftClamped(image, side, channels, dx, dy), at * pixels);
      if (labels) labels[at] = labels[i];
      shifts[(i * copies + k) * 2] = dx;
      shifts[(i * copies + k) * 2 + 1] = dy;
    }
  }
  return {images, count: total, pixels, shifts, ...(labels ? {labels, numClasses: data.numClasses} : {})};
}

export interface EarlyStopping {
  /** True once `patience` evaluations in a row have not improved on the best by more than minDelta. */
  stop: boolean;
  /** Index of the best evaluation so far (−1 when none is finite). */
  bestIndex: number;
  best: number;
  /** Evaluations since the best one. */
  sinceBest: number;
}

/**
 * Early stopping on a held-out loss (e.g. the held-out −ELBO after each evaluation; lower is better):
 * an evaluation improves when it is below the best so far by more than `minDelta`; stop after
 * `patience` evaluations in a row without an improvement. A NaN or infinite value never improves.
 * Restore the weights saved at bestIndex when it says stop.
 */
export function earlyStopping(history: ArrayLike<number>, {patience = 5, minDelta = 0}: {patience?: number; minDelta?: number} = {}): EarlyStopping {
  if (!Number.isInteger(patience) || patience < 1) throw new Error(`earlyStopping: patience must be a whole number ≥ 1, got ${patience}`);
  if (!(minDelta >= 0)) throw new Error(`earlyStopping: minDelta must be ≥ 0, got ${minDelta}`);
  let bestIndex = -1;
  let best = Infinity;
  for (let i = 0; i < history.length; i++) {
    const v = history[i];
    if (Number.isFinite(v) && (bestIndex < 0 || v < best - minDelta)) {
      best = v;
      bestIndex = i;
    }
  }
  const sinceBest = history.length - 1 - bestIndex;
  return {stop: bestIndex >= 0 ? sinceBest >= patience : history.length >= patience, bestIndex, best, sinceBest};
}

/** A small data set split for training: see splitForTraining. */
export interface TrainingSplit {
  /** The training slice with its shifted copies: what the model trains on. */
  train: Dataset;
  /** The training slice as it is, to score it the same way as the held-out slice. */
  trainPlain: Dataset;
  heldOut: Dataset;
  /** Indices into the whole set of each slice, in the set's order. */
  trainIndices: Uint32Array;
  heldOutIndices: Uint32Array;
}

/** The split whose held-out indices are given (e.g. the ones a saved model was trained without). */
function givenSplit(count: number, given: ArrayLike<number>): {train: Uint32Array; heldOut: Uint32Array} {
  const heldOut = Uint32Array.from(new Set(Array.from(given))).sort();
  if (heldOut.length < 1 || heldOut.length >= count || heldOut.some((i) => !Number.isInteger(i) || i >= count)) {
    throw new Error(`splitForTraining: the held-out indices must be 1 to ${count - 1} distinct whole numbers below ${count}`);
  }
  const held = new Set(heldOut);
  return {train: Uint32Array.from({length: count}, (_, i) => i).filter((i) => !held.has(i)), heldOut};
}

/**
 * Holds out a seeded `fraction` of the images (or the `heldOut` indices given), then adds `copies` shifted copies (up to `maxShift`
 * pixels) of each training image only, so no held-out image reaches training, even shifted.
 */
export function splitForTraining(
  data: Dataset,
  {side, channels = 1, fraction = 0.2, seed = 0, copies = 4, maxShift = 2, heldOut: given}: {side: number; channels?: number; fraction?: number; seed?: number; copies?: number; maxShift?: number; heldOut?: ArrayLike<number>}
): TrainingSplit {
  const {train: trainIndices, heldOut: heldOutIndices} = given ? givenSplit(data.count, given) : holdOut(data.count, {fraction, seed});
  const trainPlain = subset(data, trainIndices);
  const heldOut = subset(data, heldOutIndices);
  const train = copies > 0 ? augmentWithShifts(trainPlain, {side, channels, copies, maxShift, seed}) : trainPlain;
  return {train, trainPlain, heldOut, trainIndices, heldOutIndices};
}
