import {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  CheckpointError,
  assignCheckedWeights,
  decodeCheckpointBundle,
  modelToArtifacts,
  readArtifacts,
  withCheckpointWeights,
  type CheckpointMetadata
} from "./checkpoint.js";
import {createAutoregressivePrior, type AutoregressiveCodePrior, type AutoregressivePriorConfig} from "./autoregressivePrior.js";
import type {Model} from "./model.js";
import {createSpatialVae, spatialVaeConfig, type SpatialVae, type SpatialVaeConfig} from "./spatialVae.js";
import {tf} from "./tf.js";
import {createVqVae, validateVqVaeConfig, type VqVae, type VqVaeConfig} from "./vqvae.js";

/**
 * VQ-VAE checkpoints in the project's checkpoint format (lib/checkpoint.ts): the same model.json
 * with its format marker and version, a config whose kind is "vqvae", and the weights by name
 * (the codebook is "quantizer/codebook", [K, D]). Folders, bundles, IndexedDB and downloads work as
 * for the other models; the VAE loaders refuse a VQ-VAE checkpoint (its kind is not theirs).
 */

/** The model's kind as a checkpoint's model.json states it ("vae", "cvae", "ae", "vqvae"), or null. */
export function checkpointKind(artifacts: tf.io.ModelArtifacts): string | null {
  const topology = artifacts.modelTopology as {format?: string; config?: {kind?: unknown}} | undefined;
  if (!topology || typeof topology !== "object" || topology.format !== CHECKPOINT_FORMAT) return null;
  return typeof topology.config?.kind === "string" ? topology.config.kind : null;
}

/** The VQ-VAE config stored in a checkpoint, checked. */
export function vqvaeCheckpointConfig(artifacts: tf.io.ModelArtifacts): VqVaeConfig {
  const topology = artifacts.modelTopology as unknown as {format?: string; version?: number; config?: unknown} | undefined;
  if (!topology || typeof topology !== "object" || topology.format !== CHECKPOINT_FORMAT) {
    throw new CheckpointError("This is not a VAE Explorables checkpoint (its model.json has no vae-explorables/checkpoint format marker).");
  }
  if (topology.version !== CHECKPOINT_VERSION) throw new CheckpointError(`This checkpoint has format version ${topology.version}; this site reads version ${CHECKPOINT_VERSION}.`);
  const kind = (topology.config as {kind?: unknown} | undefined)?.kind;
  if (kind !== "vqvae") throw new CheckpointError(`This checkpoint holds a ${JSON.stringify(kind)} model, not a VQ-VAE.`);
  try {
    return validateVqVaeConfig(topology.config);
  } catch (error) {
    throw new CheckpointError(`The checkpoint's model description is broken: ${(error as Error).message}.`);
  }
}

/** The VQ-VAE as ModelArtifacts (model.json + one weights file); `float16` halves the weights' size. */
export function vqvaeToArtifacts(model: VqVae, options: {float16?: boolean; metadata?: CheckpointMetadata} = {}): Promise<tf.io.ModelArtifacts> {
  // modelToArtifacts reads only `config` and `params`, which a VqVae has in the same form.
  return modelToArtifacts(model as unknown as Model, options);
}

/** A new VQ-VAE from a checkpoint; on any problem a CheckpointError says what, and nothing is built. */
export function vqvaeFromArtifacts(artifacts: tf.io.ModelArtifacts): VqVae {
  return withCheckpointWeights(createVqVae(vqvaeCheckpointConfig(artifacts)), artifacts);
}

/** Loads a checkpoint's weights into a VQ-VAE of the same architecture (resuming); changed only if every check passes. */
export function loadVqVaeWeightsInto(model: VqVae, artifacts: tf.io.ModelArtifacts): void {
  const {seed: _a, ...theirs} = vqvaeCheckpointConfig(artifacts);
  const {seed: _b, ...ours} = model.config;
  if (JSON.stringify(theirs) !== JSON.stringify(ours)) {
    throw new CheckpointError(`The checkpoint is for a different VQ-VAE (${describeVqVae(theirs)}) than this one (${describeVqVae(ours)}).`);
  }
  assignCheckedWeights(model.params, artifacts);
}

/** "vqvae, conv [16, 32], 7×7 grid, K = 64 codes of D = 8" */
export function describeVqVae(config: Omit<VqVaeConfig, "seed">): string {
  const [h, w] = config.imageShape;
  return `vqvae, conv [${config.hiddenSizes.join(", ")}], ${h / 4}×${w / 4} grid, K = ${config.codebookSize} codes of D = ${config.codeDim}`;
}

/** Saves through any tf.io destination, as saveCheckpoint does. */
export async function saveVqVae(model: VqVae, destination: string | tf.io.IOHandler, options: {float16?: boolean; metadata?: CheckpointMetadata} = {}): Promise<tf.io.SaveResult> {
  const handler = typeof destination === "string" ? tf.io.getSaveHandlers(destination)[0] : destination;
  if (!handler?.save) throw new CheckpointError(`Cannot save to "${String(destination)}".`);
  return handler.save(await vqvaeToArtifacts(model, options));
}

/** Loads from any source readArtifacts takes (IndexedDB, a URL, uploaded files, an IOHandler). */
export async function loadVqVae(source: string | File[] | tf.io.IOHandler): Promise<VqVae> {
  return vqvaeFromArtifacts(await readArtifacts(source));
}

/** A VQ-VAE from a checkpoint bundle's bytes (a file of the site: data/model-NAME.bin). */
export function vqvaeFromBundle(bytes: ArrayBuffer | Uint8Array, name = "checkpoint file"): VqVae {
  return vqvaeFromArtifacts(decodeCheckpointBundle(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), name));
}

/** The spatial VAE (lib/spatialVae.ts) in the same checkpoint format (kind "spatial-vae"). */
export function spatialVaeToArtifacts(model: SpatialVae, options: {float16?: boolean; metadata?: CheckpointMetadata} = {}): Promise<tf.io.ModelArtifacts> {
  // modelToArtifacts reads only `config` and `params`.
  return modelToArtifacts(model as unknown as Model, options);
}

/** A spatial VAE from a checkpoint; a CheckpointError says what is wrong. */
export function spatialVaeFromArtifacts(artifacts: tf.io.ModelArtifacts): SpatialVae {
  const topology = artifacts.modelTopology as unknown as {format?: string; version?: number; config?: Partial<SpatialVaeConfig>} | undefined;
  if (!topology || topology.format !== CHECKPOINT_FORMAT || topology.version !== CHECKPOINT_VERSION) throw new CheckpointError("This is not a VAE Explorables checkpoint of this version.");
  const c = topology.config;
  if (c?.kind !== "spatial-vae") throw new CheckpointError(`This checkpoint holds a ${JSON.stringify(c?.kind)} model, not a spatial VAE.`);
  let model: SpatialVae;
  try {
    model = createSpatialVae(spatialVaeConfig({imageShape: c.imageShape, hiddenSizes: c.hiddenSizes, latentChannels: c.latentChannels, seed: c.seed}));
  } catch (error) {
    throw new CheckpointError(`The checkpoint's model description is broken: ${(error as Error).message}.`);
  }
  return withCheckpointWeights(model, artifacts);
}

/** An autoregressive code prior (lib/autoregressivePrior.ts) in the same checkpoint format (kind "code-prior"). */
export function codePriorToArtifacts(prior: AutoregressiveCodePrior, options: {float16?: boolean; metadata?: CheckpointMetadata} = {}): Promise<tf.io.ModelArtifacts> {
  // modelToArtifacts reads only `config` and `params`.
  return modelToArtifacts({config: {kind: "code-prior", ...prior.config}, params: prior.params} as unknown as Model, options);
}

/** An autoregressive code prior from a checkpoint; a CheckpointError says what is wrong. */
export function codePriorFromArtifacts(artifacts: tf.io.ModelArtifacts): AutoregressiveCodePrior {
  const topology = artifacts.modelTopology as unknown as {format?: string; version?: number; config?: {kind?: string} & AutoregressivePriorConfig} | undefined;
  if (!topology || topology.format !== CHECKPOINT_FORMAT || topology.version !== CHECKPOINT_VERSION) throw new CheckpointError("This is not a VAE Explorables checkpoint of this version.");
  const {kind, ...config} = topology.config ?? ({} as {kind?: string} & AutoregressivePriorConfig);
  if (kind !== "code-prior") throw new CheckpointError(`This checkpoint holds a ${JSON.stringify(kind)} model, not a code prior.`);
  let prior: AutoregressiveCodePrior;
  try {
    prior = createAutoregressivePrior(config);
  } catch (error) {
    throw new CheckpointError(`The checkpoint's model description is broken: ${(error as Error).message}.`);
  }
  return withCheckpointWeights(prior, artifacts);
}
