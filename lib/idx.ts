import type {Dataset} from "./batches.js";

/** An IDX file (the format of the original MNIST distribution): a typed, n-dimensional array. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** An IDX file that is not what it claims: the message says what and where. */
export class IdxError extends Error {
  override name = "IdxError";
}

/**
 * Parses an unsigned-byte IDX file: two zero bytes, the type code 0x08, the number of dimensions,
 * then each dimension as a big-endian uint32, then the data. Every size is checked against the file's
 * length, so a truncated download or a wrong file fails here with a clear message.
 * @param name shown in error messages
 */
export function parseIdx(bytes: Uint8Array, name = "IDX file"): IdxArray {
  if (bytes.length < 4) throw new IdxError(`${name} is ${bytes.length} bytes long: too short to be an IDX file.`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
    throw new IdxError(`${name} does not start with an IDX magic number${gzip ? " (it is gzipped: unzip it first)" : ""}.`);
  }
  if (bytes[2] !== 0x08) throw new IdxError(`${name} holds data of type 0x${bytes[2].toString(16)}; only unsigned bytes (0x08) are supported.`);
  const rank = bytes[3];
  if (rank < 1 || rank > 4) throw new IdxError(`${name} claims ${rank} dimensions; expected 1 to 4.`);
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) throw new IdxError(`${name} is truncated inside its header.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({length: rank}, (_, i) => view.getUint32(4 + 4 * i));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerLength;
  if (actual < expected) throw new IdxError(`${name} is truncated: its header promises ${expected} values (${dims.join("×")}) but it holds ${actual}.`);
  if (actual > expected) throw new IdxError(`${name} has ${actual - expected} bytes after its ${dims.join("×")} values: it is not a single IDX array.`);
  return {dims, data: bytes.subarray(headerLength)};
}

/** The MNIST images and labels of one split as a Dataset: pixels scaled to [0, 1], labels 0–9. */
export function mnistFromIdx(images: IdxArray, labels: IdxArray, name = "MNIST"): Dataset {
  if (images.dims.length !== 3) throw new IdxError(`${name} images should be count×rows×cols, got ${images.dims.join("×")}.`);
  if (labels.dims.length !== 1) throw new IdxError(`${name} labels should be a list, got ${labels.dims.join("×")}.`);
  const [count, rows, cols] = images.dims;
  if (labels.dims[0] !== count) throw new IdxError(`${name} has ${count} images but ${labels.dims[0]} labels.`);
  const bad = labels.data.findIndex((l) => l > 9);
  if (bad >= 0) throw new IdxError(`${name} label ${bad} is ${labels.data[bad]}; digits are 0–9.`);
  const pixels = rows * cols;
  const scaled = new Float32Array(images.data.length);
  for (let i = 0; i < scaled.length; i++) scaled[i] = images.data[i] / 255;
  return {images: scaled, count, pixels, labels: Uint8Array.from(labels.data), numClasses: 10};
}

/** Writes an unsigned-byte IDX file (for tests and fixtures). */
export function encodeIdx(dims: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
