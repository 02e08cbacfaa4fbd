import {concatBytes} from "./bytes.js";
import {encodeFloat16} from "./float16.js";
import {createModel, validateConfig, type Model, type ModelConfig} from "./model.js";
import type {ParamStore} from "./params.js";
import {tf, type Tensor} from "./tf.js";

/** Marks our checkpoints, so a random model.json is refused with a clear message. */
export const CHECKPOINT_FORMAT = "vae-explorables/checkpoint";
export const CHECKPOINT_VERSION = 1;
/** Uploads and downloads larger than this are refused before they are read. */
export const MAX_CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** An error about a checkpoint file, with a sentence a reader can act on. */
export class CheckpointError extends Error {
  override name = "CheckpointError";
}

/** Free-form facts saved beside the weights: the command that made it, the epoch, the metrics. */
export type CheckpointMetadata = Record<string, unknown>;

interface Topology {
  format: string;
  version: number;
  config: ModelConfig;
}

/**
 * The model as tfjs ModelArtifacts (model.json + one weights file), which tf.io's handlers save to
 * IndexedDB, a download or any IOHandler. `float16: true` halves the weights' size; tfjs decodes it.
 */
export async function modelToArtifacts(model: Model, {float16 = false, metadata = {}}: {float16?: boolean; metadata?: CheckpointMetadata} = {}): Promise<tf.io.ModelArtifacts> {
  const names = [...model.params.variables.keys()].sort();
  let weightData: ArrayBuffer;
  let weightSpecs: tf.io.WeightsManifestEntry[];
  if (float16) {
    const parts = await Promise.all(names.map(async (name) => encodeFloat16((await model.params.get(name).data()) as Float32Array)));
    weightData = concatBytes(parts).buffer as ArrayBuffer;
    weightSpecs = names.map((name) => ({name, shape: model.params.get(name).shape, dtype: "float32", quantization: {dtype: "float16"}}));
  } else {
    const encoded = await tf.io.encodeWeights(names.map((name) => ({name, tensor: model.params.get(name)})));
    weightData = encoded.data;
    weightSpecs = encoded.specs;
  }
  const topology: Topology = {format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, config: model.config};
  return {
    modelTopology: topology as unknown as tf.io.ModelArtifacts["modelTopology"],
    format: CHECKPOINT_FORMAT,
    generatedBy: "vae-explorables",
    weightSpecs,
    weightData,
    userDefinedMetadata: {metadata: metadata as {}}
  };
}

/** The config stored in a checkpoint, checked. */
export function checkpointConfig(artifacts: tf.io.ModelArtifacts): ModelConfig {
  const topology = artifacts.modelTopology as unknown as Partial<Topology> | undefined;
  if (!topology || typeof topology !== "object" || topology.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError("This is not a VAE Explorables checkpoint (its model.json has no vae-explorables/checkpoint format marker).");
  }
  if (topology.version !== CHECKPOINT_VERSION) {
    throw new CheckpointError(`This checkpoint has format version ${topology.version}; this site reads version ${CHECKPOINT_VERSION}.`);
  }
  try {
    return validateConfig(topology.config);
  } catch (error) {
    throw new CheckpointError(`The checkpoint's model description is broken: ${(error as Error).message}.`);
  }
}

export function checkpointMetadata(artifacts: tf.io.ModelArtifacts): CheckpointMetadata {
  return ((artifacts.userDefinedMetadata as {metadata?: CheckpointMetadata} | undefined)?.metadata ?? {}) as CheckpointMetadata;
}

/** Decodes and checks every weight against what `config` needs: names, shapes, sizes, finiteness. */
export function decodeChecked(artifacts: tf.io.ModelArtifacts, expected: Map<string, number[]>): Map<string, Tensor> {
  const specs = artifacts.weightSpecs;
  const data = artifacts.weightData;
  if (!specs || !data) throw new CheckpointError("The checkpoint has no weights (weightsManifest or the weights file is missing).");
  const bytes = data instanceof ArrayBuffer ? data.byteLength : (data as ArrayBuffer[]).reduce((s, b) => s + b.byteLength, 0);
  if (bytes > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`The weights are ${(bytes / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_CHECKPOINT_BYTES / 2 ** 20} MiB.`);
  let needed = 0;
  for (const spec of specs) {
    const want = expected.get(spec.name);
    if (!want) throw new CheckpointError(`The checkpoint has a weight "${spec.name}" that this model does not have: it was made for another architecture.`);
    if (spec.shape.join("×") !== want.join("×")) {
      throw new CheckpointError(`Weight "${spec.name}" has shape [${spec.shape.join(", ")}], but the model needs [${want.join(", ")}].`);
    }
    if (spec.dtype !== "float32") throw new CheckpointError(`Weight "${spec.name}" has dtype ${spec.dtype}; expected float32.`);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    needed += size * (spec.quantization?.dtype === "float16" || spec.quantization?.dtype === "uint16" ? 2 : spec.quantization?.dtype === "uint8" ? 1 : 4);
  }
  const missing = [...expected.keys()].filter((name) => !specs.some((s) => s.name === name));
  if (missing.length) throw new CheckpointError(`The checkpoint lacks ${missing.length} weight(s), e.g. "${missing[0]}".`);
  if (bytes !== needed) throw new CheckpointError(`The weights file has ${bytes} bytes but its manifest describes ${needed}: the file is truncated or corrupt.`);
  let decoded: tf.NamedTensorMap;
  try {
    decoded = tf.io.decodeWeights(data, specs);
  } catch (error) {
    throw new CheckpointError(`The weights could not be decoded: ${(error as Error).message}`);
  }
  const weights = new Map(Object.entries(decoded));
  // Checked on the values as decoded, in this thread: a freshly made tensor still holds them on the CPU
  // (WebGL uploads on first use), so this reads no texture back and compiles no shader.
  const bad = [...weights].find(([, t]) => !(t.dataSync() as Float32Array).every(Number.isFinite));
  if (bad) {
    tf.dispose([...weights.values()]);
    throw new CheckpointError(`Weight "${bad[0]}" contains NaN or infinite values.`);
  }
  return weights;
}

/**
 * Checks a checkpoint's weights against `params` (names, shapes, sizes, finiteness) and assigns them:
 * `params` changes only if every check passes. Every model kind loads its weights through this.
 */
export function assignCheckedWeights(params: ParamStore, artifacts: tf.io.ModelArtifacts): void {
  const expected = new Map([...params.variables].map(([name, v]) => [name, v.shape]));
  const weights = decodeChecked(artifacts, expected);
  params.assign(weights);
  tf.dispose([...weights.values()]);
}

/** A freshly made model given a checkpoint's weights; on any problem it is disposed and the CheckpointError thrown. */
export function withCheckpointWeights<T extends {params: ParamStore; dispose(): void}>(model: T, artifacts: tf.io.ModelArtifacts): T {
  try {
    assignCheckedWeights(model.params, artifacts);
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * A new model from a checkpoint. Everything is checked before the model is returned; on any problem
 * a CheckpointError says what, and nothing else is touched (the caller's current model stays).
 */
export function modelFromArtifacts(artifacts: tf.io.ModelArtifacts): Model {
  return withCheckpointWeights(createModel(checkpointConfig(artifacts)), artifacts);
}

/**
 * Loads a checkpoint's weights into an existing model of the same architecture (resuming training).
 * The model is changed only if every check passes.
 */
export function loadWeightsInto(model: Model, artifacts: tf.io.ModelArtifacts): void {
  const config = checkpointConfig(artifacts);
  const {seed: _a, ...theirs} = config;
  const {seed: _b, ...ours} = model.config;
  if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
    throw new CheckpointError(`The checkpoint is for a different model (${describe(config)}) than this one (${describe(model.config)}).`);
  }
  assignCheckedWeights(model.params, artifacts);
}

/** "vae, mlp [512], latent 20, bernoulli" */
export function describe(config: ModelConfig): string {
  const likelihood = config.likelihood.kind === "gaussian" ? `gaussian σ=${config.likelihood.sigma}` : "bernoulli";
  return `${config.kind}, ${config.arch} [${config.hiddenSizes.join(", ")}], latent ${config.latentDim}, ${likelihood}`;
}

/**
 * Saves through any tf.io destination: "indexeddb://name" (the browser's storage), "downloads://name"
 * (a model.json and a .weights.bin download), or an IOHandler (lib/node/checkpointFiles for folders).
 */
export async function saveCheckpoint(
  model: Model,
  destination: string | tf.io.IOHandler,
  options: {float16?: boolean; metadata?: CheckpointMetadata} = {}
): Promise<tf.io.SaveResult> {
  const handler = typeof destination === "string" ? tf.io.getSaveHandlers(destination)[0] : destination;
  if (!handler?.save) throw new CheckpointError(`Cannot save to "${String(destination)}".`);
  return handler.save(await modelToArtifacts(model, options));
}

/**
 * Loads from "indexeddb://name", a URL of the site (e.g. "/_file/data/vae-2d/model.json"), uploaded
 * files (model.json and its weights file, size-checked before reading), or an IOHandler.
 */
export async function loadCheckpoint(source: string | File[] | tf.io.IOHandler): Promise<Model> {
  return modelFromArtifacts(await readArtifacts(source));
}

export async function readArtifacts(source: string | File[] | tf.io.IOHandler): Promise<tf.io.ModelArtifacts> {
  let handler: tf.io.IOHandler;
  if (Array.isArray(source)) {
    // Read here rather than through tf.io.browserFiles, which throws a bare JSON error from a
    // FileReader callback for a model.json that is not JSON (and its promise never settles).
    const total = source.reduce((sum, f) => sum + f.size, 0);
    if (total > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`The files are ${(total / 2 ** 20).toFixed(1)} MiB together; the limit is ${MAX_CHECKPOINT_BYTES / 2 ** 20} MiB.`);
    if (!source.some((f) => f.name.toLowerCase().endsWith(".json"))) throw new CheckpointError("Choose the checkpoint's .json file together with its weights file.");
    return artifactsFromFiles(await Promise.all(source.map(async (f) => ({name: f.name, bytes: new Uint8Array(await f.arrayBuffer())}))));
  } else if (typeof source === "string") {
    handler = source.includes("://") && !/^https?:/.test(source) ? tf.io.getLoadHandlers(source)[0] : tf.io.http(source);
    if (!handler) throw new CheckpointError(`Cannot load from "${source}".`);
  } else {
    handler = source;
  }
  if (!handler.load) throw new CheckpointError("That source cannot be read.");
  try {
    return await handler.load();
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw new CheckpointError(`The checkpoint could not be read: ${(error as Error).message}`);
  }
}

const BUNDLE_MAGIC = "VAEC";

/**
 * One file holding a whole checkpoint, for the site: "VAEC", the length of model.json (uint32,
 * little-endian), model.json's text, then the weights. One request instead of two, and no weights
 * file name to keep in step with the site's hashed file names.
 */
export function encodeCheckpointBundle(modelJson: object, weights: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(modelJson));
  const out = new Uint8Array(8 + json.length + weights.length);
  for (let i = 0; i < 4; i++) out[i] = BUNDLE_MAGIC.charCodeAt(i);
  new DataView(out.buffer).setUint32(4, json.length, true);
  out.set(json, 8);
  out.set(weights, 8 + json.length);
  return out;
}

/** The ModelArtifacts inside a checkpoint bundle; a wrong or truncated file gets a CheckpointError. */
export function decodeCheckpointBundle(bytes: Uint8Array, name = "checkpoint file"): tf.io.ModelArtifacts {
  if (bytes.length < 8 || String.fromCharCode(...bytes.subarray(0, 4)) !== BUNDLE_MAGIC) {
    throw new CheckpointError(`${name} is not a VAE Explorables checkpoint bundle.`);
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
  if (8 + length > bytes.length) throw new CheckpointError(`${name} is truncated inside its model description.`);
  let json: {modelTopology?: unknown; weightsManifest?: {weights: tf.io.WeightsManifestEntry[]}[]; format?: string; generatedBy?: string; userDefinedMetadata?: {}};
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length)));
  } catch (error) {
    throw new CheckpointError(`${name} has a broken model description: ${(error as Error).message}`);
  }
  const weights = bytes.slice(8 + length);
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
    format: json.format,
    generatedBy: json.generatedBy,
    weightSpecs: (json.weightsManifest ?? []).flatMap((group) => group.weights),
    weightData: weights.buffer,
    userDefinedMetadata: json.userDefinedMetadata
  };
}

/** A model from a checkpoint bundle's bytes (a file of the site: data/model-NAME.bin). */
export function modelFromBundle(bytes: ArrayBuffer | Uint8Array, name = "checkpoint file"): Model {
  return modelFromArtifacts(decodeCheckpointBundle(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), name));
}

/** A file's name and bytes: an upload read into memory, or a file to download. */
export interface NamedBytes {
  name: string;
  bytes: Uint8Array;
}

/**
 * A checkpoint as the two files tfjs's "downloads://" handler writes: `NAME.json` (the model
 * description with a weightsManifest naming the weights file) and `NAME.weights.bin`. Pure: the page
 * downloads them, so a worker can make them.
 */
export function checkpointFiles(artifacts: tf.io.ModelArtifacts, name: string): NamedBytes[] {
  const weightsName = `${name}.weights.bin`;
  const data = artifacts.weightData;
  const weights = data instanceof ArrayBuffer ? new Uint8Array(data) : concatBytes((data ?? []).map((b) => new Uint8Array(b)));
  const json = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    weightsManifest: [{paths: [`./${weightsName}`], weights: artifacts.weightSpecs ?? []}],
    userDefinedMetadata: artifacts.userDefinedMetadata
  };
  return [
    {name: `${name}.json`, bytes: new TextEncoder().encode(JSON.stringify(json))},
    {name: weightsName, bytes: weights}
  ];
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47];

/** What is wrong with a model.json that cannot be parsed, in a sentence a reader can act on. */
function describeBadJson(file: NamedBytes): string {
  const {name, bytes} = file;
  if (bytes.length === 0) return `${name} is empty (0 bytes): choose the .json file the lab saved, together with its .weights.bin.`;
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return `${name} is a PNG image, not a model description: choose the .json file the lab saved.`;
  let text: string;
  try {
    text = new TextDecoder("utf-8", {fatal: true}).decode(bytes);
  } catch {
    return `${name} is not a text file (it holds binary data), so it cannot be a model description: choose the .json file the lab saved.`;
  }
  try {
    JSON.parse(text);
  } catch (error) {
    const trimmed = text.trimEnd();
    if (trimmed.startsWith("{") && !trimmed.endsWith("}")) return `${name} is cut off: it ends after ${bytes.length.toLocaleString("en")} bytes, in the middle of its JSON. Save the checkpoint again.`;
    return `${name} is not valid JSON (${(error as Error).message}).`;
  }
  return `${name} could not be read.`;
}

/**
 * Checkpoint artifacts from uploaded files (a model.json and its weights file, in any order), with a
 * CheckpointError saying what is wrong with a file that is not one: empty, truncated, not text, not
 * JSON, no weights manifest, a missing weights file. Nothing is loaded into a model here.
 */
export function artifactsFromFiles(files: readonly NamedBytes[]): tf.io.ModelArtifacts {
  const total = files.reduce((sum, f) => sum + f.bytes.length, 0);
  if (total > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`The files are ${(total / 2 ** 20).toFixed(1)} MiB together; the limit is ${MAX_CHECKPOINT_BYTES / 2 ** 20} MiB.`);
  const jsonFile = files.find((f) => f.name.toLowerCase().endsWith(".json"));
  if (!jsonFile) throw new CheckpointError("Choose the checkpoint's .json file together with its weights file.");
  let json: {modelTopology?: unknown; weightsManifest?: {paths?: string[]; weights?: tf.io.WeightsManifestEntry[]}[]; format?: string; generatedBy?: string; userDefinedMetadata?: {}};
  try {
    json = JSON.parse(new TextDecoder("utf-8", {fatal: true}).decode(jsonFile.bytes));
  } catch {
    throw new CheckpointError(describeBadJson(jsonFile));
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new CheckpointError(`${jsonFile.name} is JSON but not a model description (it is not an object).`);
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || manifest.length === 0) throw new CheckpointError(`${jsonFile.name} has no weightsManifest: it is not a saved tfjs model.`);
  const others = files.filter((f) => f !== jsonFile);
  const paths = manifest.flatMap((group) => group.paths ?? []);
  const parts: Uint8Array[] = [];
  for (const path of paths) {
    const base = path.split("/").pop() as string;
    const file = others.find((f) => f.name === base) ?? (paths.length === 1 && others.length === 1 ? others[0] : undefined);
    if (!file) throw new CheckpointError(`${jsonFile.name} names the weights file "${base}", which was not chosen: select both files together.`);
    parts.push(file.bytes);
  }
  return {
    modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
    format: json.format,
    generatedBy: json.generatedBy,
    weightSpecs: manifest.flatMap((group) => group.weights ?? []),
    weightData: concatBytes(parts).buffer,
    userDefinedMetadata: json.userDefinedMetadata
  };
}
