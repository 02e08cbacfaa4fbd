// Chapter 11: the reader's own images made into a model's input. No DOM here: the page decodes each
// file into pixels (src/components/imageFiles.ts) and hands them over as a RawImage; everything that
// can be tested (which files to refuse and why, crop or pad, resize, grey or colour, inversion,
// binarization, the data set's file format) lives here.
// Types only from batches.js, which loads tfjs: a page draws its first figure from this file before tfjs has loaded.
import type {Dataset} from "./batches.js";
import {mulberry32} from "./random.js";

/** Decoded pixels as a canvas gives them: `channels` values per pixel (0–255), row by row. */
export interface RawImage {
  width: number;
  height: number;
  /** 1 grey, 3 RGB, 4 RGBA (ImageData). */
  channels: 1 | 3 | 4;
  data: ArrayLike<number>;
}

/**
 * What the page takes, and why:
 * - maxImages 2,000: a data set of 2,000 images trains in minutes in a browser and fits its storage
 *   (2,000 × 32×32×3 bytes is 6 MB); files beyond it are refused, the ones already taken are kept;
 * - maxFileBytes 25 MB: a larger file is refused before it is read (a 200 MB image would need several
 *   hundred MB to decode);
 * - maxPixels 40 megapixels (e.g. 8000 × 5000): decoded as RGBA that is 160 MB;
 * - minSide 8 pixels: a 1×1 or 4×4 image has too little in it to make a 28×28 input from;
 * - the file's first bytes must say PNG, JPEG or WebP, whatever its name says.
 */
export const IMAGE_LIMITS = {maxImages: 2000, maxFileBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, minSide: 8} as const;

export type ImageType = "png" | "jpeg" | "webp";
export type RefusalReason = "not-an-image" | "too-small" | "too-large" | "too-many" | "unreadable";

/** A file the page did not take, with a sentence for the reader. */
export interface Refusal {
  name: string;
  reason: RefusalReason;
  message: string;
}

const MB = 1024 * 1024;
const thousands = (n: number) => Math.round(n).toLocaleString("en");

/** The image type the file's first bytes announce (PNG, JPEG or WebP signatures), or null. */
export function sniffImageType(head: Uint8Array): ImageType | null {
  const at = (offset: number, bytes: number[]) => bytes.every((b, i) => head[offset + i] === b);
  if (at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (at(0, [0xff, 0xd8, 0xff])) return "jpeg";
  if (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50])) return "webp"; // "RIFF" … "WEBP"
  return null;
}

/**
 * An image's width and height from its header, without decoding it: PNG's IHDR, JPEG's first
 * start-of-frame marker, WebP's VP8, VP8L or VP8X chunk. Null when the header is cut short or does not
 * parse (a damaged file). `bytes` should hold the file's first 512 KB (a JPEG's EXIF comes before its
 * frame header).
 */
export function imageDimensions(bytes: Uint8Array): {type: ImageType; width: number; height: number} | null {
  const type = sniffImageType(bytes);
  if (!type) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (offset: number, length: number) => offset + length <= bytes.length;
  const found = (width: number, height: number) => (width > 0 && height > 0 ? {type, width, height} : null);
  if (type === "png") {
    // signature (8), chunk length (4), "IHDR" (4), width (4), height (4), big-endian
    if (!has(24, 0) || String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return null;
    return found(view.getUint32(16), view.getUint32(20));
  }
  if (type === "jpeg") {
    let offset = 2;
    while (has(offset, 4)) {
      if (bytes[offset] !== 0xff) return null;
      const marker = bytes[offset + 1];
      if (marker === 0xff) {
        offset++; // fill byte
        continue;
      }
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        offset += 2; // markers without a length
        continue;
      }
      const length = view.getUint16(offset + 2);
      if (length < 2) return null;
      // SOF0–SOF15 but not DHT (C4), JPG (C8), DAC (CC): length, precision, height, width
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        if (!has(offset + 5, 4)) return null;
        return found(view.getUint16(offset + 7), view.getUint16(offset + 5));
      }
      if (marker === 0xda || marker === 0xd9) return null; // image data before any frame header
      offset += 2 + length;
    }
    return null;
  }
  // WebP: "RIFF" size "WEBP", then the first chunk at 12
  if (!has(16, 0)) return null;
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk === "VP8 " && has(30, 0)) return found(view.getUint16(26, true) & 0x3fff, view.getUint16(28, true) & 0x3fff);
  if (chunk === "VP8L" && has(25, 0) && bytes[20] === 0x2f) {
    const bits = view.getUint32(21, true);
    return found((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === "VP8X" && has(30, 0)) {
    const u24 = (o: number) => bytes[o] | (bytes[o + 1] << 8) | (bytes[o + 2] << 16);
    return found(u24(24) + 1, u24(27) + 1);
  }
  return null;
}

function refusal(name: string, reason: RefusalReason, message: string): Refusal {
  return {name, reason, message: `${name}: ${message}`};
}

/**
 * Whether to take a file, before decoding it, from its name, size, first bytes (up to 512 KB) and how
 * many images the set already has. Returns the type and size the header declares, or a Refusal.
 */
export function checkFile(file: {name: string; size: number; head: Uint8Array}, alreadyTaken = 0): {type: ImageType; width: number; height: number} | Refusal {
  const {name, size, head} = file;
  const {maxImages, maxFileBytes} = IMAGE_LIMITS;
  if (alreadyTaken >= maxImages) return refusal(name, "too-many", `not taken: the set already has ${thousands(maxImages)} images, the most this page trains on. Remove some first.`);
  if (size > maxFileBytes) return refusal(name, "too-large", `${(size / MB).toFixed(0)} MB is more than the ${maxFileBytes / MB} MB this page reads per file. Save a smaller copy (a few hundred pixels across is plenty for a 28×28 input).`);
  const type = sniffImageType(head);
  if (!type) return refusal(name, "not-an-image", "not an image: its contents are not PNG, JPEG or WebP, whatever its name says.");
  const dims = imageDimensions(head);
  if (!dims) return refusal(name, "unreadable", `unreadable: it starts like a ${type.toUpperCase()} file but its header is damaged or cut short.`);
  return checkSize(name, dims) ?? dims;
}

/** A Refusal when an image's size is outside the limits, else null. */
export function checkSize(name: string, {width, height}: {width: number; height: number}): Refusal | null {
  const {maxPixels, minSide} = IMAGE_LIMITS;
  if (width < minSide || height < minSide) return refusal(name, "too-small", `too small: ${width}×${height} pixels; an image needs at least ${minSide}×${minSide}.`);
  if (width * height > maxPixels) return refusal(name, "too-large", `too large: ${width}×${height} is ${(width * height / 1e6).toFixed(0)} megapixels, more than the ${maxPixels / 1e6} this page decodes.`);
  return null;
}

/** The Refusal for a file the browser could not decode. */
export function unreadableFile(name: string, cause?: unknown): Refusal {
  const why = cause instanceof Error && cause.message ? ` (${cause.message})` : "";
  return refusal(name, "unreadable", `unreadable: the browser could not decode it${why}; the file may be damaged or cut short.`);
}

const REASON_WORDS: Record<RefusalReason, [string, string]> = {
  "not-an-image": ["not an image", "not images"],
  "too-small": ["too small", "too small"],
  "too-large": ["too large", "too large"],
  "too-many": ["over the limit", "over the limit"],
  unreadable: ["unreadable", "unreadable"]
};

/** One line for the page: "3 refused: 2 not images (notes.txt, x.png), 1 too small (dot.png)". */
export function summarizeRefusals(refusals: Refusal[], namesShown = 3): string {
  if (refusals.length === 0) return "none refused";
  const groups = new Map<RefusalReason, string[]>();
  for (const r of refusals) groups.set(r.reason, [...(groups.get(r.reason) ?? []), r.name]);
  const parts = [...groups].map(([reason, names]) => {
    const shown = names.slice(0, namesShown).join(", ") + (names.length > namesShown ? `, and ${thousands(names.length - namesShown)} more` : "");
    return `${thousands(names.length)} ${REASON_WORDS[reason][names.length === 1 ? 0 : 1]} (${shown})`;
  });
  return `${thousands(refusals.length)} refused: ${parts.join(", ")}`;
}

/**
 * Area-averaging resize: each output pixel is the mean of the input over the rectangle it covers
 * (fractions of a pixel counted by area), done one axis at a time. The image's mean is preserved.
 * @param pixels inHeight·inWidth·channels values, row by row, channels last
 * @returns outHeight·outWidth·channels values
 */
export function resizeArea(pixels: ArrayLike<number>, inWidth: number, inHeight: number, channels: number, outWidth: number, outHeight: number): Float32Array {
  if (pixels.length !== inWidth * inHeight * channels) throw new Error(`resizeArea: ${pixels.length} values are not ${inHeight}×${inWidth}×${channels}`);
  return resizeWindow(pixels, inWidth, inHeight, channels, {x: 0, y: 0, width: inWidth, height: inHeight}, outWidth, outHeight, []);
}

/**
 * resizeArea of a window of the image (x, y, width, height in pixels), which may reach outside it:
 * pixels outside count as `fill` (one value per channel). Cropping and padding without a copy.
 */
function resizeWindow(pixels: ArrayLike<number>, inWidth: number, inHeight: number, channels: number, window: {x: number; y: number; width: number; height: number}, outWidth: number, outHeight: number, fill: ArrayLike<number>): Float32Array {
  if (!(outWidth >= 1 && outHeight >= 1 && Number.isInteger(outWidth) && Number.isInteger(outHeight))) throw new Error(`resizeArea: the output size must be whole numbers ≥ 1, got ${outWidth}×${outHeight}`);
  const wx = areaWeights(window.width, outWidth);
  const wy = areaWeights(window.height, outHeight);
  const rowLength = outWidth * channels;
  // rows first: window.height × outWidth × channels
  const rows = new Float64Array(window.height * rowLength);
  for (let r = 0; r < window.height; r++) {
    const y = window.y + r;
    const inside = y >= 0 && y < inHeight;
    for (let o = 0; o < outWidth; o++) {
      const {start, weights} = wx[o];
      for (let c = 0; c < channels; c++) {
        let s = 0;
        for (let k = 0; k < weights.length; k++) {
          const x = window.x + start + k;
          s += weights[k] * (inside && x >= 0 && x < inWidth ? pixels[(y * inWidth + x) * channels + c] : fill[c]);
        }
        rows[r * rowLength + o * channels + c] = s;
      }
    }
  }
  const out = new Float32Array(outHeight * rowLength);
  for (let o = 0; o < outHeight; o++) {
    const {start, weights} = wy[o];
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      const from = (start + k) * rowLength;
      for (let x = 0; x < rowLength; x++) out[o * rowLength + x] += w * rows[from + x];
    }
  }
  return out;
}

/** For each output index, the input indices it covers and the fraction of it each one fills (summing to 1). */
function areaWeights(inSize: number, outSize: number): {start: number; weights: Float64Array}[] {
  const ratio = inSize / outSize;
  return Array.from({length: outSize}, (_, o) => {
    const from = o * ratio;
    const to = (o + 1) * ratio;
    const start = Math.floor(from);
    const end = Math.min(inSize, Math.ceil(to - 1e-9));
    const weights = new Float64Array(end - start);
    for (let i = start; i < end; i++) weights[i - start] = (Math.min(to, i + 1) - Math.max(from, i)) / ratio;
    return {start, weights};
  });
}

export interface PrepareOptions {
  /** Output side in pixels (default 28; chapter 11 offers 28 and 32). */
  side?: number;
  /** "crop": the centred square of the shorter side (default); "pad": the whole image on a square of the longer side, filled with its border's mean colour. */
  fit?: "crop" | "pad";
  /** "grey" (default): one channel, 0.299 R + 0.587 G + 0.114 B (ITU-R 601, as PIL's "L"); "colour": three. */
  colour?: "grey" | "colour";
  /** true, false, or "auto" (default): make the background dark, as in MNIST, when the image's border is lighter than mid-grey. */
  invert?: boolean | "auto";
  /** "none" (default): grey levels; "threshold": 1 above 0.5, else 0; "sample": one Bernoulli draw per pixel (lib's binarize), seeded. */
  binarize?: "none" | "threshold" | "sample";
  seed?: number;
  /** What transparent pixels are laid over, 0–255 (default 255, white paper). */
  background?: number;
}

export interface PreparedImage {
  /** side·side·channels values in [0, 1], row by row, channels last: the model's input. */
  pixels: Float32Array;
  side: number;
  channels: 1 | 3;
  inverted: boolean;
  /** The source's size before preparation. */
  width: number;
  height: number;
}

/**
 * One decoded image made into a model input: alpha laid over the background, grey or colour, cropped
 * or padded to a square, resized by area averaging, inverted if asked (or if "auto" finds a light
 * border), binarized if asked.
 */
export function prepareImage(image: RawImage, options: PrepareOptions = {}): PreparedImage {
  const {side = 28, fit = "crop", colour = "grey", invert = "auto", binarize = "none", seed = 0, background = 255} = options;
  const {width, height, channels: inChannels, data} = image;
  if (![1, 3, 4].includes(inChannels)) throw new Error(`prepareImage: channels must be 1, 3 or 4, got ${inChannels}`);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || data.length !== width * height * inChannels) {
    throw new Error(`prepareImage: ${data.length} values are not a ${width}×${height} image with ${inChannels} channels`);
  }
  if (!Number.isInteger(side) || side < 2 || side > 256) throw new Error(`prepareImage: side must be a whole number from 2 to 256, got ${side}`);
  const channels = colour === "grey" ? 1 : 3;
  // 1. to [0, 1], alpha over the background, grey or colour
  const flat = new Float32Array(width * height * channels);
  const bg = background / 255;
  for (let p = 0; p < width * height; p++) {
    const i = p * inChannels;
    const alpha = inChannels === 4 ? data[i + 3] / 255 : 1;
    const over = bg * (1 - alpha);
    const r = (data[i] / 255) * alpha + over;
    const g = inChannels === 1 ? r : (data[i + 1] / 255) * alpha + over;
    const b = inChannels === 1 ? r : (data[i + 2] / 255) * alpha + over;
    if (channels === 1) flat[p] = 0.299 * r + 0.587 * g + 0.114 * b;
    else {
      flat[p * 3] = r;
      flat[p * 3 + 1] = g;
      flat[p * 3 + 2] = b;
    }
  }
  // 2. the border's mean colour: the padding, and whether "auto" inverts
  const border = new Float64Array(channels);
  let edge = 0;
  for (let y = 0; y < height; y++) {
    const step = y === 0 || y === height - 1 ? 1 : Math.max(1, width - 1); // whole first and last rows, else the two ends
    for (let x = 0; x < width; x += step) {
      for (let c = 0; c < channels; c++) border[c] += flat[(y * width + x) * channels + c];
      edge++;
    }
  }
  for (let c = 0; c < channels; c++) border[c] /= edge;
  // 3. crop or pad to a square (a window of the image, the border's colour outside it), 4. resize
  const square = fit === "crop" ? Math.min(width, height) : Math.max(width, height);
  const frame = {x: Math.floor((width - square) / 2), y: Math.floor((height - square) / 2), width: square, height: square};
  let pixels = resizeWindow(flat, width, height, channels, frame, side, side, border);
  // 5. invert, 6. binarize
  const borderGrey = channels === 1 ? border[0] : 0.299 * border[0] + 0.587 * border[1] + 0.114 * border[2];
  const inverted = invert === "auto" ? borderGrey > 0.5 : invert;
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.min(1, Math.max(0, inverted ? 1 - pixels[i] : pixels[i]));
  if (binarize === "threshold") pixels = pixels.map((v) => (v > 0.5 ? 1 : 0));
  else if (binarize === "sample") {
    // one Bernoulli draw per pixel, as lib's binarize (batches.ts) draws them
    const draw = mulberry32(seed * 7919 + 1);
    pixels = pixels.map((p) => (draw() < p ? 1 : 0));
  }
  return {pixels, side, channels, inverted, width, height};
}

/** Prepared images of one size as a Dataset (labels optional, e.g. the example set's kinds). */
export function imagesToDataset(images: PreparedImage[], labels?: ArrayLike<number>): Dataset & {side: number; channels: 1 | 3} {
  if (images.length === 0) throw new Error("imagesToDataset: no images");
  const {side, channels} = images[0];
  if (images.some((im) => im.side !== side || im.channels !== channels)) throw new Error("imagesToDataset: the images were prepared at different sizes or channels; prepare them all the same way");
  if (labels && labels.length !== images.length) throw new Error(`imagesToDataset: ${labels.length} labels for ${images.length} images`);
  const pixels = side * side * channels;
  const out = new Float32Array(images.length * pixels);
  images.forEach((im, i) => out.set(im.pixels, i * pixels));
  const numClasses = labels ? Math.max(...Array.from(labels)) + 1 : undefined;
  return {images: out, count: images.length, pixels, side, channels, ...(labels ? {labels: Uint8Array.from(labels), numClasses} : {})};
}

// A prepared set as a file (data sets cannot live in a URL):
//   bytes 0–3 "VAEI", 4–7 count (uint32 LE), 8–9 side (uint16 LE), 10 channels, 11 has labels (0/1),
//   then count label bytes if any, then count·side²·channels grey bytes (value·255, rounded).
const SET_MAGIC = "VAEI";
const SET_HEADER = 12;

/** The prepared set as bytes: pixels quantized to 256 levels (what an 8-bit image holds anyway). */
export function encodeImageSet(data: Dataset & {side: number; channels: 1 | 3}): Uint8Array {
  const {count, side, channels, labels} = data;
  if (data.pixels !== side * side * channels || data.images.length !== count * data.pixels) throw new Error("encodeImageSet: the set's sizes do not agree");
  const out = new Uint8Array(SET_HEADER + (labels ? count : 0) + data.images.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = SET_MAGIC.charCodeAt(i);
  view.setUint32(4, count, true);
  view.setUint16(8, side, true);
  out[10] = channels;
  out[11] = labels ? 1 : 0;
  if (labels) out.set(labels, SET_HEADER);
  const start = SET_HEADER + (labels ? count : 0);
  for (let i = 0; i < data.images.length; i++) out[start + i] = Math.round(Math.min(1, Math.max(0, data.images[i])) * 255);
  return out;
}

/** Reads encodeImageSet's bytes back; a file of another kind, or cut short, gets a sentence. */
export function decodeImageSet(bytes: Uint8Array, name = "the file"): Dataset & {side: number; channels: 1 | 3} {
  if (bytes.length < SET_HEADER || String.fromCharCode(...bytes.subarray(0, 4)) !== SET_MAGIC) throw new Error(`${name} is not a saved image set from this page (wrong header).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const side = view.getUint16(8, true);
  const channels = bytes[10];
  const hasLabels = bytes[11] === 1;
  if ((channels !== 1 && channels !== 3) || side < 1 || count < 1 || count > IMAGE_LIMITS.maxImages) throw new Error(`${name} has a damaged header (${count} images of ${side}×${side}×${channels}).`);
  const pixels = side * side * channels;
  const expected = SET_HEADER + (hasLabels ? count : 0) + count * pixels;
  if (bytes.length !== expected) throw new Error(`${name} is ${bytes.length} bytes; its header promises ${expected}: cut short or damaged.`);
  const labels = hasLabels ? bytes.slice(SET_HEADER, SET_HEADER + count) : undefined;
  const start = SET_HEADER + (hasLabels ? count : 0);
  const images = new Float32Array(count * pixels);
  for (let i = 0; i < images.length; i++) images[i] = bytes[start + i] / 255;
  return {images, count, pixels, side, channels: channels as 1 | 3, ...(labels ? {labels, numClasses: Math.max(...labels) + 1} : {})};
}
