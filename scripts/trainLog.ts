// The layout of train-log.json, which npm run train writes beside every checkpoint.
import type {ModelConfig} from "../lib/index.ts";

/** One epoch of train-log.json. Every loss is in nats per image (the autoencoder's: squared error), averaged. */
export type EpochLog = {
  epoch: number;
  trainLoss: number;
  trainNegElbo: number | null;
  trainReconstructionLoss: number;
  trainKl: number;
  testLoss: number;
  testReconstructionLoss: number;
  testKl: number | null;
  learningRate: number;
  beta: number;
  seconds: number;
  examplesPerSecond: number;
};
export type TrainLog = {command: string[]; config: ModelConfig; backend: string; fields: Record<string, string>; epochs: EpochLog[]};

/** What each number in train-log.json means, written into the file so a reader need not find this script. */
export const TRAIN_LOG_FIELDS: Record<string, string> = {
  trainLoss: "the training loss minimized, averaged over the epoch's steps: −(reconstruction term − β·KL) per image, with the β of that epoch (autoencoder: squared error)",
  trainNegElbo: "−ELBO on the training batches (trainReconstructionLoss + trainKl), whatever β was; null for the autoencoder",
  trainReconstructionLoss: "−E_q[log p(x|z)] per image on the training batches, in nats, a positive loss (autoencoder: squared error ‖x − x̂‖²)",
  trainKl: "KL(q(z|x) ‖ p(z)) per image on the training batches, in nats",
  testLoss: "−ELBO per image on the test set, binarized once with seed 12345 (one z per image; autoencoder: squared error)",
  testReconstructionLoss: "−E_q[log p(x|z)] per image on the test set, in nats, a positive loss (autoencoder: squared error)",
  testKl: "KL(q(z|x) ‖ p(z)) per image on the test set; null for the autoencoder",
  learningRate: "Adam's learning rate during the epoch",
  beta: "the KL weight β during the epoch"
};

