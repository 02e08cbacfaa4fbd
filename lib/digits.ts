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
