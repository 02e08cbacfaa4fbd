// Node only (the CLI and the tests): checkpoints as a folder holding model.json and weights.bin,
// the layout tfjs's own converters write. Not re-exported by lib/index.ts, which pages import.
import {mkdir, readFile, rename, stat, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {concatBytes} from "../bytes.js";
import {CheckpointError, MAX_CHECKPOINT_BYTES} from "../checkpoint.js";
import {tf} from "../tf.js";

const WEIGHTS = "weights.bin";

/** An IOHandler for a folder; save writes model.json last, through a temporary name, so a crash never leaves a half-written checkpoint. */
export function folderHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts) {
      await mkdir(dir, {recursive: true});
      const data = artifacts.weightData as ArrayBuffer;
      const json = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{paths: [WEIGHTS], weights: artifacts.weightSpecs}],
        userDefinedMetadata: artifacts.userDefinedMetadata
      };
      await writeFile(join(dir, `${WEIGHTS}.tmp`), new Uint8Array(data));
      await rename(join(dir, `${WEIGHTS}.tmp`), join(dir, WEIGHTS));
      await writeFile(join(dir, "model.json.tmp"), JSON.stringify(json));
      await rename(join(dir, "model.json.tmp"), join(dir, "model.json"));
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: "JSON", weightDataBytes: data.byteLength}};
    },
    async load() {
      const jsonPath = join(dir, "model.json");
      const info = await stat(jsonPath).catch(() => null);
      if (!info) throw new CheckpointError(`No checkpoint in ${dir} (model.json is missing).`);
      let json: {modelTopology?: unknown; weightsManifest?: {paths: string[]; weights: tf.io.WeightsManifestEntry[]}[]; format?: string; generatedBy?: string; userDefinedMetadata?: {}};
      try {
        json = JSON.parse(await readFile(jsonPath, "utf-8"));
      } catch (error) {
        throw new CheckpointError(`${jsonPath} is not valid JSON: ${(error as Error).message}`);
      }
      const manifest = json.weightsManifest;
      if (!Array.isArray(manifest) || manifest.length === 0) throw new CheckpointError(`${jsonPath} has no weightsManifest.`);
      const buffers: Uint8Array[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          if (path.includes("..") || path.startsWith("/")) throw new CheckpointError(`${jsonPath} names a weights file outside its folder: ${path}`);
          const file = join(dir, path);
          const size = (await stat(file).catch(() => null))?.size;
          if (size === undefined) throw new CheckpointError(`The weights file ${file} is missing.`);
          if (size > MAX_CHECKPOINT_BYTES) throw new CheckpointError(`${file} is ${(size / 2 ** 20).toFixed(1)} MiB; the limit is ${MAX_CHECKPOINT_BYTES / 2 ** 20} MiB.`);
          buffers.push(new Uint8Array(await readFile(file)));
        }
      }
      const total = concatBytes(buffers);
      return {
        modelTopology: json.modelTopology as tf.io.ModelArtifacts["modelTopology"],
        format: json.format,
        generatedBy: json.generatedBy,
        weightSpecs: manifest.flatMap((g) => g.weights),
        weightData: total.buffer,
        userDefinedMetadata: json.userDefinedMetadata
      };
    }
  };
}
