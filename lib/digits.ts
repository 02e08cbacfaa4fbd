import type {Dataset} from "./batches.js";

/**
 * The site's compact digit files (made by the data loaders in src/data/): a 16-byte header
 * ("VAEX", version, count, rows, cols as uint32 little-endian... see below), then one label byte per
 * image, then rows·cols grey bytes per image. 1,000 test digits are 785 KB (about 160 KB gzipped).
 *   bytes 0–3   "VAEX"
 *   bytes 4–7   count (uint32, little-endian)
 *   bytes 8–9   rows (uint16), bytes 10–11 cols (uint16)
 *   bytes 12–15 first index in the source split (uint32), so a chunk knows where it came from
 */
const MAGIC = "VAEX";
const HEADER = 16;

export function encodeDigits(images: Uint8Array, labels: Uint8Array, rows: number, cols: number, firstIndex = 0): Uint8Array {
  const count = labels.length;
  if (images.length !== count * rows * cols) throw new Error(`encodeDigits: ${images.length} pixels for ${count} images of ${rows}×${cols}`);
  const out = new Uint8Array(HEADER + count + images.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, count, true);
  view.setUint16(8, rows, true);
  view.setUint16(10, cols, true);
  view.setUint32(12, firstIndex, true);
  out.set(labels, HEADER);
  out.set(images, HEADER + count);
  return out;
}

/** Parses a digits file into a Dataset (pixels in [0, 1]); a wrong or truncated file gets a clear error. */
export function decodeDigits(bytes: Uint8Array, name = "digits file"): Dataset & {rows: number; cols: number; firstIndex: number} {
  if (bytes.length < HEADER || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) {
    throw new Error(`${name} is not a VAE Explorables digits file (wrong header).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(4, true);
  const rows = view.getUint16(8, true);
  const cols = view.getUint16(10, true);
  const firstIndex = view.getUint32(12, true);
  const pixels = rows * cols;
  const expected = HEADER + count + count * pixels;
  if (bytes.length !== expected) throw new Error(`${name} is ${bytes.length} bytes; its header promises ${expected}: truncated or corrupt.`);
  const labels = bytes.slice(HEADER, HEADER + count);
  const grey = bytes.subarray(HEADER + count);
  const images = new Float32Array(grey.length);
  for (let i = 0; i < grey.length; i++) images[i] = grey[i] / 255;
  return {images, count, pixels, labels, numClasses: 10, rows, cols, firstIndex};
}

/** Several datasets of the same image size as one (e.g. chunks of the training set as they arrive). */
export function concatDatasets(parts: Dataset[]): Dataset {
  if (parts.length === 0) throw new Error("concatDatasets: nothing to join");
  const pixels = parts[0].pixels;
  if (parts.some((p) => p.pixels !== pixels)) throw new Error("concatDatasets: the parts have different image sizes");
  const count = parts.reduce((s, p) => s + p.count, 0);
  const images = new Float32Array(count * pixels);
  const labels = parts.every((p) => p.labels) ? new Uint8Array(count) : undefined;
  let offset = 0;
  for (const p of parts) {
    images.set(p.images, offset * pixels);
    if (labels) labels.set(p.labels as Uint8Array, offset);
    offset += p.count;
  }
  return {images, count, pixels, labels, numClasses: parts[0].numClasses};
}

/**
 * A hand-drawn digit made to look like MNIST's preprocessing: the ink's bounding box scaled (bilinear,
 * aspect kept) to fit a 20×20 box, then shifted so its centre of mass sits at the image's centre.
 * `pixels` is side² values in [0, 1]; returns a new array. An empty drawing comes back empty.
 */
export function centerDigit(pixels: ArrayLike<number>, side = 28, box = 20): Float32Array {
  if (pixels.length !== side * side) throw new Error(`centerDigit expects ${side}×${side} = ${side * side} pixels, got ${pixels.length}`);
  const out = new Float32Array(side * side);
  let [top, bottom, left, right] = [side, -1, side, -1];
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (pixels[y * side + x] > 0.05) {
        top = Math.min(top, y);
        bottom = Math.max(bottom, y);
        left = Math.min(left, x);
        right = Math.max(right, x);
      }
    }
  }
  if (bottom < 0) return out;
  const [h, w] = [bottom - top + 1, right - left + 1];
  const scale = box / Math.max(h, w);
  const [sh, sw] = [Math.max(1, Math.round(h * scale)), Math.max(1, Math.round(w * scale))];
  const at = (y: number, x: number) => (y < 0 || x < 0 || y >= side || x >= side ? 0 : Math.min(1, Math.max(0, pixels[y * side + x])));
  // Resample the box to sh × sw (bilinear, sampling at pixel centres).
  const scaled = new Float32Array(sh * sw);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const sy = top + ((y + 0.5) * h) / sh - 0.5;
      const sx = left + ((x + 0.5) * w) / sw - 0.5;
      const [y0, x0] = [Math.floor(sy), Math.floor(sx)];
      const [fy, fx] = [sy - y0, sx - x0];
      scaled[y * sw + x] =
        (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) + fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
    }
  }
  let [mass, my, mx] = [0, 0, 0];
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const v = scaled[y * sw + x];
      mass += v;
      my += v * (y + 0.5);
      mx += v * (x + 0.5);
    }
  }
  const oy = Math.round(side / 2 - my / mass);
  const ox = Math.round(side / 2 - mx / mass);
  for (let y = 0; y < sh; y++) {
    for (let x = 0; x < sw; x++) {
      const [ty, tx] = [y + oy, x + ox];
      if (ty >= 0 && tx >= 0 && ty < side && tx < side) out[ty * side + tx] = Math.min(1, scaled[y * sw + x]);
    }
  }
  return out;
}
