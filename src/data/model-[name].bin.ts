// Data loader: a shipped checkpoint (data/checkpoints/NAME/model.json + weights.bin) as one bundle
// file for the site (format: encodeCheckpointBundle in lib/checkpoint.ts). Pages load it with
//   modelFromArtifacts(decodeCheckpointBundle(new Uint8Array(await FileAttachment("data/model-vae-2d.bin").arrayBuffer())))
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {encodeCheckpointBundle} from "../../lib/checkpoint.ts";

const {values} = parseArgs({options: {name: {type: "string"}}});
if (!values.name || !/^[\w-]+$/.test(values.name)) throw new Error(`unknown checkpoint "${values.name}"`);
const dir = join(import.meta.dirname, "../../data/checkpoints", values.name);
const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
const paths: string[] = modelJson.weightsManifest.flatMap((group: {paths: string[]}) => group.paths);
const weights = Buffer.concat(paths.map((path) => readFileSync(join(dir, path))));
process.stdout.write(encodeCheckpointBundle(modelJson, weights));
