// Data loader: a shipped checkpoint (data/checkpoints/NAME/model.json + weights.bin) as one bundle
// file for the site (format: encodeCheckpointBundle in lib/checkpoint.ts). Float32 weights are served
// as float16, half the download (relative rounding ≤ 2⁻¹¹; the Numbers page's metrics are those of the
// committed checkpoint). Pages load it with
//   modelFromArtifacts(decodeCheckpointBundle(new Uint8Array(await FileAttachment("data/model-vae-2d.bin").arrayBuffer())))
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {encodeCheckpointBundle} from "../../lib/checkpoint.ts";
import {encodeFloat16} from "../../lib/float16.ts";

interface Spec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: {dtype: string};
}

const {values} = parseArgs({options: {name: {type: "string"}}});
if (!values.name || !/^[\w-]+$/.test(values.name)) throw new Error(`unknown checkpoint "${values.name}"`);
const dir = join(import.meta.dirname, "../../data/checkpoints", values.name);
const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
const groups: {paths: string[]; weights: Spec[]}[] = modelJson.weightsManifest;
const weights = Buffer.concat(groups.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path)))));
const specs = groups.flatMap((group) => group.weights);
if (specs.every((spec) => spec.dtype === "float32" && !spec.quantization)) {
  // Copied into a fresh buffer first: a Buffer's view may start at an offset not aligned for floats.
  const halves = encodeFloat16(new Float32Array(Uint8Array.from(weights).buffer));
  modelJson.weightsManifest = [{paths: ["weights.bin"], weights: specs.map((spec) => ({...spec, quantization: {dtype: "float16"}}))}];
  process.stdout.write(encodeCheckpointBundle(modelJson, new Uint8Array(halves.buffer)));
} else {
  process.stdout.write(encodeCheckpointBundle(modelJson, weights));
}
