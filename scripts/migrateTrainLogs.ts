// Migration (kept so the change is reproducible): train-log.json files written before the log said
// what its fields mean recorded trainReconstruction as the ELBO's term E_q[log p(x|z)] (negative; the
// autoencoder's −‖x − x̂‖²) but testReconstruction as its negative, a loss. This rewrites each such file
// in data/checkpoints (or the folders named) in today's layout (scripts/trainLog.ts): both as positive
// losses named trainReconstructionLoss and testReconstructionLoss (lib's vocabulary), trainNegElbo
// beside the training loss, and each epoch's learning rate and β, read from the command that trained
// it. Files from the short-lived layout that had `fields` but the old names are renamed. A file already
// in today's layout is left alone.
//   npx tsx scripts/migrateTrainLogs.ts [DIR …]
import {existsSync, readdirSync, readFileSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import {TRAIN_LOG_FIELDS, type EpochLog} from "./trainLog.ts";

type OldEpoch = Omit<EpochLog, "trainNegElbo" | "learningRate" | "beta" | "trainReconstructionLoss" | "testReconstructionLoss"> & {trainReconstruction: number; testReconstruction: number};

const root = join(import.meta.dirname, "../data/checkpoints");
const dirs = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(root).map((name) => join(root, name));
for (const dir of dirs) {
  const path = join(dir, "train-log.json");
  if (!existsSync(path)) continue;
  const log = JSON.parse(readFileSync(path, "utf-8"));
  if (log.fields?.trainReconstructionLoss) {
    console.log(`${path}: already in the current layout`);
    continue;
  }
  if (log.fields?.trainReconstruction) {
    // Same numbers and signs (both positive losses), old names.
    log.epochs = (log.epochs as Record<string, unknown>[]).map(({trainReconstruction, testReconstruction, ...rest}) => ({
      ...rest,
      trainReconstructionLoss: trainReconstruction,
      testReconstructionLoss: testReconstruction
    }));
    const {command, config, backend, epochs} = log;
    writeFileSync(path, JSON.stringify({command, config, backend, fields: TRAIN_LOG_FIELDS, epochs}, null, 2));
    console.log(`${path}: ${epochs.length} epochs renamed`);
    continue;
  }
  const flag = (name: string, fallback: number) => {
    const values = (log.command as string[]).map((c) => c.match(new RegExp(`--${name}[ =](\\S+)`))?.[1]).filter(Boolean);
    if (new Set(values).size > 1) throw new Error(`${path}: the commands disagree about --${name}`);
    return values.length ? Number(values[0]) : fallback;
  };
  if ((log.command as string[]).some((c) => /--lr-end|--warmup/.test(c))) throw new Error(`${path}: written by a scheduled run, yet in the old layout`);
  const learningRate = flag("lr", 0.001);
  const beta = flag("beta", 1);
  const autoencoder = log.config.kind === "ae";
  log.epochs = (log.epochs as OldEpoch[]).map((e) => {
    if (!(e.trainReconstruction <= 0)) throw new Error(`${path}: epoch ${e.epoch}'s trainReconstruction is already positive`);
    const trainReconstruction = -e.trainReconstruction;
    const trainNegElbo = autoencoder ? null : trainReconstruction + e.trainKl;
    // The old trainLoss was −(reconstruction − β·KL), per step, averaged: with β = 1 it is the −ELBO.
    if (trainNegElbo !== null && beta === 1 && Math.abs(trainNegElbo - e.trainLoss) > 1e-3) throw new Error(`${path}: epoch ${e.epoch}'s loss is not reconstruction + KL`);
    const entry: EpochLog = {
      epoch: e.epoch,
      trainLoss: e.trainLoss,
      trainNegElbo,
      trainReconstructionLoss: trainReconstruction,
      trainKl: e.trainKl,
      testLoss: e.testLoss,
      testReconstructionLoss: e.testReconstruction,
      testKl: e.testKl,
      learningRate,
      beta,
      seconds: e.seconds,
      examplesPerSecond: e.examplesPerSecond
    };
    return entry;
  });
  const {command, config, backend, epochs} = log;
  writeFileSync(path, JSON.stringify({command, config, backend, fields: TRAIN_LOG_FIELDS, epochs}, null, 2));
  console.log(`${path}: ${epochs.length} epochs rewritten`);
}
