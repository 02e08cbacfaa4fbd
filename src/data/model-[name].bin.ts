// Data loader: a shipped checkpoint (data/checkpoints/NAME/model.json + weights.bin) as one bundle
// file for the site (format: encodeCheckpointBundle in lib/checkpoint.ts). The kernels are served as
// 8-bit affine codes and the biases as float16 (siteWeights in lib/quantize.ts): a quarter of float32,
// half of float16. `npm run quantization` measures what that costs on the 10,000 test digits (about a
// tenth of a nat of −ELBO; data/references/quantization.json, shown on the Numbers page); the Numbers
// page's other metrics are those of the committed checkpoint. Pages load it with
//   modelFromBundle(await FileAttachment("data/model-vae-2d.bin").arrayBuffer(), "model-vae-2d.bin")
import {readFileSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {encodeCheckpointBundle} from "../../lib/checkpoint.ts";
import {siteWeights} from "../../lib/quantize.ts";

const {values} = parseArgs({options: {name: {type: "string"}}});
if (!values.name || !/^[\w-]+$/.test(values.name)) throw new Error(`unknown checkpoint "${values.name}"`);
const dir = join(import.meta.dirname, "../../data/checkpoints", values.name);
const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
const weights = Buffer.concat((modelJson.weightsManifest as {paths: string[]}[]).flatMap((group) => group.paths.map((path) => readFileSync(join(dir, path)))));
const site = siteWeights(modelJson, weights, "uint8");
process.stdout.write(encodeCheckpointBundle(site.modelJson, site.weights));
