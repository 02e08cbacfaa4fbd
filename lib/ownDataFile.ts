// Chapter 11's save file: the reader's prepared image set and, when there is one, the model trained on
// it, in one file (a data set cannot live in a URL). The page downloads it, keeps it in the browser's
// storage across reloads, and reads it back; anything else handed to it gets a sentence, not a crash.
//   bytes 0–3 "VAEO", 4–7 the length of the description (uint32 LE), the description (JSON, UTF-8),
//   then the image set (encodeImageSet's bytes), then the model's weights (if any).
import {concatBytes} from "./bytes.js";
import {decodeImageSet, encodeImageSet, sniffImageType} from "./imagePrep.js";
import type {Dataset} from "./batches.js";
import type {tf} from "./tf.js";

export const OWN_DATA_FORMAT = "vae-explorables/own-data";
export const OWN_DATA_VERSION = 1;
const MAGIC = "VAEO";
/** A file larger than this is refused before it is read (a 64 MB model and a 2,000-image set fit). */
export const MAX_OWN_DATA_BYTES = 80 * 1024 * 1024;

export type ImageSet = Dataset & {side: number; channels: 1 | 3};

interface Description {
  format: string;
  version: number;
  meta: Record<string, unknown>;
  setBytes: number;
  model?: {modelTopology: unknown; format?: string; generatedBy?: string; weightSpecs: tf.io.WeightsManifestEntry[]; userDefinedMetadata?: {}; weightBytes: number};
}

export interface OwnData {
  set: ImageSet;
  /** The model trained on it, as tfjs artifacts; absent when the set was saved before any training. */
  artifacts?: tf.io.ModelArtifacts;
  /** What the page wants back: how the images were prepared, their names, how they are shown. */
  meta: Record<string, unknown>;
}

/** An error about a save file, with a sentence a reader can act on. */
export class OwnDataError extends Error {
  override name = "OwnDataError";
}

/** One file holding the prepared set, its description and, if given, the model's weights. */
export function encodeOwnData({set, artifacts, meta}: OwnData): Uint8Array {
  const setBytes = encodeImageSet(set);
  const data = artifacts?.weightData;
  const weights = data === undefined ? new Uint8Array(0) : data instanceof ArrayBuffer ? new Uint8Array(data) : concatBytes(data.map((b) => new Uint8Array(b)));
  const description: Description = {format: OWN_DATA_FORMAT, version: OWN_DATA_VERSION, meta, setBytes: setBytes.length};
  if (artifacts) {
    description.model = {
      modelTopology: artifacts.modelTopology,
      format: artifacts.format,
      generatedBy: artifacts.generatedBy,
      weightSpecs: artifacts.weightSpecs ?? [],
      userDefinedMetadata: artifacts.userDefinedMetadata,
      weightBytes: weights.length
    };
  }
  const json = new TextEncoder().encode(JSON.stringify(description));
  const out = new Uint8Array(8 + json.length + setBytes.length + weights.length);
  for (let i = 0; i < 4; i++) out[i] = MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(setBytes, 8 + json.length);
  out.set(weights, 8 + json.length + setBytes.length);
  return out;
}

/** Reads encodeOwnData's bytes back; a file of another kind, cut short or damaged, gets an OwnDataError. */
export function decodeOwnData(bytes: Uint8Array, name = "the file"): OwnData {
  if (bytes.length > MAX_OWN_DATA_BYTES) throw new OwnDataError(`${name} is ${(bytes.length / 2 ** 20).toFixed(0)} MB; a file saved by this chapter is at most ${MAX_OWN_DATA_BYTES / 2 ** 20} MB.`);
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 4)) !== MAGIC) {
    const image = sniffImageType(bytes.subarray(0, 16));
    if (image) throw new OwnDataError(`${name} is a ${image.toUpperCase()} image, not a file saved by this chapter: to add images to the set, choose them under "Bring your images".`);
    throw new OwnDataError(`${name} is not a file saved by this chapter (it does not start with ${MAGIC}).`);
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) throw new OwnDataError(`${name} is cut short: it ends inside its description (${bytes.length.toLocaleString("en")} bytes). Save it again.`);
  let description: Description;
  try {
    description = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(bytes.subarray(8, 8 + length)));
  } catch (error) {
    throw new OwnDataError(`${name} has a damaged description: ${(error as Error).message}`);
  }
  if (description?.format !== OWN_DATA_FORMAT) throw new OwnDataError(`${name} is not a file saved by this chapter (its description is of another format).`);
  if (description.version !== OWN_DATA_VERSION) throw new OwnDataError(`${name} was saved by version ${description.version} of this chapter; this page reads version ${OWN_DATA_VERSION}.`);
  const weightBytes = description.model?.weightBytes ?? 0;
  const expected = 8 + length + description.setBytes + weightBytes;
  if (bytes.length !== expected) throw new OwnDataError(`${name} is ${bytes.length.toLocaleString("en")} bytes; its description promises ${expected.toLocaleString("en")}: cut short or damaged. Save it again.`);
  const setStart = 8 + length;
  let set: ImageSet;
  try {
    set = decodeImageSet(bytes.subarray(setStart, setStart + description.setBytes), `the image set in ${name}`);
  } catch (error) {
    throw new OwnDataError((error as Error).message);
  }
  const meta = description.meta && typeof description.meta === "object" ? description.meta : {};
  if (!description.model) return {set, meta};
  const {model} = description;
  const weights = bytes.slice(setStart + description.setBytes);
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: model.modelTopology as tf.io.ModelArtifacts["modelTopology"],
    format: model.format,
    generatedBy: model.generatedBy,
    weightSpecs: model.weightSpecs,
    weightData: weights.buffer,
    userDefinedMetadata: model.userDefinedMetadata
  };
  return {set, artifacts, meta};
}
