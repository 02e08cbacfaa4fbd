// Data loader: chapter 13's shipped models as one bundle file each (format: encodeCheckpointBundle in
// lib/checkpoint.ts), float32 weights served as float16 (half the download):
//   chapter13-vqvae.bin         the VQ-VAE, data/checkpoints/vqvae
//   chapter13-prior.bin         its autoregressive prior over code grids, data/code-priors/vqvae
//   chapter13-beta-tiny.bin     the spatial VAE trained with β = 1e-6, data/latent-autoencoders/beta-0.000001
//   chapter13-beta-1.bin        the spatial VAE trained with β = 1, data/latent-autoencoders/beta-1
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {encodeCheckpointBundle} from "../../lib/checkpoint.ts";
import {encodeFloat16} from "../../lib/float16.ts";

const FOLDERS: Record<string, string> = {
  vqvae: "checkpoints/vqvae",
  prior: "code-priors/vqvae",
  "beta-tiny": "latent-autoencoders/beta-0.000001",
  "beta-1": "latent-autoencoders/beta-1"
};

const {values} = parseArgs({options: {name: {type: "string"}}});
const folder = FOLDERS[values.name ?? ""];
if (!folder) throw new Error(`unknown chapter 13 model "${values.name}": use ${Object.keys(FOLDERS).join(", ")}`);
const dir = join(import.meta.dirname, "../../data", folder);
const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
const groups: {paths: string[]; weights: {dtype: string; quantization?: unknown}[]}[] = modelJson.weightsManifest;
const weights = Buffer.concat(groups.flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path)))));
const specs = groups.flatMap((group) => group.weights);
if (specs.every((spec) => spec.dtype === "float32" && !spec.quantization)) {
  const halves = encodeFloat16(new Float32Array(Uint8Array.from(weights).buffer));
  modelJson.weightsManifest = [{paths: ["weights.bin"], weights: specs.map((spec) => ({...spec, quantization: {dtype: "float16"}}))}];
  process.stdout.write(encodeCheckpointBundle(modelJson, new Uint8Array(halves.buffer)));
} else {
  process.stdout.write(encodeCheckpointBundle(modelJson, weights));
}
