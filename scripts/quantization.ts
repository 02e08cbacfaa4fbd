// npm run quantization: what 8-bit weights do to the shipped VAEs. Each checkpoint in data/checkpoints
// (float16, as the site serves it today) is re-encoded with 8-bit kernels (lib/quantize.ts), and both
// versions are evaluated on the same 10,000 test digits, binarized once with the evaluation's seed, with
// the same ε for every z. Writes data/references/quantization.json, which the Numbers page shows.
import {readdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {chooseBackend, encodeCheckpointBundle, evaluateModel, modelFromBundle, readArtifacts, siteWeights} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {loadMnist} from "../lib/node/mnistFiles.ts";
import {fail, parseFlags} from "./cli.ts";

const USAGE = `Evaluate the shipped VAEs with float16 and with 8-bit weights on the same test digits.

  npm run quantization -- [NAME …] [--limit N] [--out FILE]

  NAME        checkpoints in data/checkpoints (default: every one)
  --limit N   only the first N test images (default 10000)
  --out FILE  where to write the report (default data/references/quantization.json)
`;

async function main() {
  const {values: flags, positionals} = parseFlags({limit: {type: "string"}, out: {type: "string"}} as const, USAGE);
  const root = join(import.meta.dirname, "..");
  const names = positionals.length ? positionals : (await readdir(join(root, "data/checkpoints"))).sort();
  const limit = Number(flags.limit ?? 10000);
  await chooseBackend({prefer: "wasm"});
  const test = await loadMnist("test");
  const seed = 0; // npm run evaluate's default: the binarization every row of the Numbers page uses
  const rows = [];
  for (const name of names) {
    const dir = join(root, "data/checkpoints", name);
    const modelJson = JSON.parse(await readFile(join(dir, "model.json"), "utf-8"));
    const weights = new Uint8Array((await readArtifacts(folderHandler(dir))).weightData as ArrayBuffer);
    // Both bundles exactly as src/data/model-[name].bin.ts makes them, read back as the pages read them.
    const bundles = (["float16", "uint8"] as const).map((precision) => {
      const site = siteWeights(modelJson, weights, precision);
      return encodeCheckpointBundle(site.modelJson, site.weights);
    });
    const measure = async (bundle: Uint8Array) => {
      const model = modelFromBundle(bundle);
      const m = await evaluateModel(model, test, {k: 0, seed, limit});
      model.dispose();
      return m;
    };
    const [f16, u8] = [await measure(bundles[0]), await measure(bundles[1])];
    const [float16Bundle, uint8Bundle] = bundles;
    const row = {
      name,
      examples: f16.examples,
      float16: {bytes: float16Bundle.byteLength, gzipBytes: gzipSync(float16Bundle).byteLength, negElbo: f16.negElbo, reconstructionLoss: f16.reconstructionLoss, kl: f16.kl},
      uint8: {bytes: uint8Bundle.byteLength, gzipBytes: gzipSync(uint8Bundle).byteLength, negElbo: u8.negElbo, reconstructionLoss: u8.reconstructionLoss, kl: u8.kl},
      // −ELBO in nats; for the autoencoder, its squared error.
      change: (u8.negElbo ?? u8.reconstructionLoss) - (f16.negElbo ?? f16.reconstructionLoss)
    };
    const what = f16.negElbo === null ? "squared error" : "−ELBO";
    console.log(`${name}: ${what} ${(f16.negElbo ?? f16.reconstructionLoss).toFixed(3)} (float16, ${row.float16.bytes} bytes) → ${(u8.negElbo ?? u8.reconstructionLoss).toFixed(3)} (8-bit, ${row.uint8.bytes} bytes): ${row.change >= 0 ? "+" : ""}${row.change.toFixed(3)}`);
    rows.push(row);
  }
  const report = {
    protocol:
      `The site's copy of each checkpoint, with float16 weights (as served until now) and with 8-bit kernels ` +
      `(per-tensor affine uint8, lib/quantize.ts; biases stay float16), evaluated by evaluateModel with k = 0 on the first ${limit} ` +
      `test images binarized with seed ${seed}, the same ε for both. "change" is the 8-bit −ELBO minus the float16 one, in nats (the autoencoder: its squared error). ` +
      `Bytes are those of the bundle files data/model-NAME.bin, and their size gzip-compressed (zlib's default level), as a static host serves them.`,
    command: `npm run quantization -- ${process.argv.slice(2).join(" ")}`.trim(),
    models: rows
  };
  await writeFile(flags.out ?? join(root, "data/references/quantization.json"), `${JSON.stringify(report, null, 2)}\n`);
}

main().catch(fail);
