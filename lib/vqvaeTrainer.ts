import {createAdam, type Optimizer} from "./adam.js";
import {BatchSampler, type Dataset} from "./batches.js";
import {codeCounts, codePerplexity, DeadCodeTracker, reseedCodes} from "./codebookUsage.js";
import {disposeSnapshot} from "./params.js";
import {tf, type Scalar, type Tensor, type Tensor2D} from "./tf.js";
import {yieldToEventLoop} from "./trainer.js";
import {checkCommitment, type VqVae} from "./vqvae.js";

export interface VqVaeTrainerOptions {
  model: VqVae;
  data: Dataset;
  batchSize?: number;
  learningRate?: number;
  /** β, the weight of the commitment loss (default 0.25, van den Oord et al.'s). */
  commitment?: number;
  epochs?: number;
  /** Seeds data order, binarization (dynamic: a fresh Bernoulli draw per use) and re-seeding. */
  seed?: number;
  /** A code is dead when no encoder output chose it in this many consecutive training batches. */
  deadWindow?: number;
  /** Re-seed dead codes from the latest batch's encoder outputs at every readback (default false). */
  reseed?: boolean;
  /** Steps between reading the losses and codes back from the backend. */
  readEvery?: number;
  /** The most step records `history` keeps; older ones are dropped first. */
  historyLimit?: number;
  /** A readback with a loss above this (or NaN, or ±∞) counts as divergence. */
  maxLoss?: number;
  onProgress?: (progress: VqVaeProgress) => void;
  /** Awaited after the last step of each epoch (numbered from 0), once its numbers are read back. */
  onEpochEnd?: (epoch: number) => Promise<void> | void;
}

/** One training step's numbers: batchMean per image (nats for the reconstruction, squared distances for the codebook terms). */
export interface VqVaeStepRecord {
  step: number;
  epoch: number;
  /** What was minimized: reconstructionLoss + codebookLoss + β·commitmentLoss. */
  loss: number;
  /** −log p(x | z_q), nats per image. */
  reconstructionLoss: number;
  codebookLoss: number;
  /** Before the weight β. */
  commitmentLoss: number;
  /** How many distinct codes this batch chose, and the perplexity of its histogram. */
  codesUsed: number;
  perplexity: number;
}

/** Codes re-seeded at one readback. */
export interface ReseedEvent {
  step: number;
  codes: number[];
}

export type VqVaeTrainerState = "idle" | "running" | "paused" | "stopped" | "done" | "diverged";

export interface VqVaeProgress {
  state: VqVaeTrainerState;
  step: number;
  epoch: number;
  totalSteps: number;
  /** The steps read back since the previous report. */
  records: VqVaeStepRecord[];
  /** Each code's count over the last `deadWindow` batches: the usage histogram. */
  usage: number[];
  /** Codes unused over the last `deadWindow` batches (after any re-seeding at this readback). */
  dead: number[];
  /** Re-seedings done at this readback. */
  reseeded: ReseedEvent[];
  examplesPerSecond: number;
  /** A sentence, when training stopped on a NaN or exploding loss. */
  divergence?: string;
}

type Settings = Required<Omit<VqVaeTrainerOptions, "model" | "data" | "onProgress" | "onEpochEnd">>;

/**
 * Trains a VQ-VAE with Adam, step by step, without blocking the page: run(), pause(), singleStep(),
 * stop(), reset(). Losses and chosen codes are read back every `readEvery` steps; the code histogram
 * over the last `deadWindow` batches feeds the dead-code count, and, with `reseed`, dead codes are
 * moved onto encoder outputs of the latest batch (lib/codebookUsage.ts). A NaN or exploding loss
 * stops training and restores the weights of the last good readback.
 */
export class VqVaeTrainer {
  readonly model: VqVae;
  onProgress?: (progress: VqVaeProgress) => void;
  onEpochEnd?: (epoch: number) => Promise<void> | void;
  private settings: Settings;
  private readonly data: Dataset;
  private sampler: BatchSampler;
  private optimizer: Optimizer;
  private tracker: DeadCodeTracker;
  private records: VqVaeStepRecord[] = [];
  private pending: {step: number; epoch: number; tensors: Tensor[]}[] = [];
  private lastBatch: Float32Array | null = null;
  private reseedCount = 0;
  private stepCount = 0;
  private currentState: VqVaeTrainerState = "idle";
  private pauseRequested = false;
  private initial: Map<string, Tensor>;
  private good: {step: number; weights: Map<string, Tensor>} | null = null;
  private lastDivergence?: string;

  constructor({model, data, onProgress, onEpochEnd, ...options}: VqVaeTrainerOptions) {
    this.model = model;
    this.data = data;
    this.onProgress = onProgress;
    this.onEpochEnd = onEpochEnd;
    this.settings = {batchSize: 128, learningRate: 1e-3, commitment: 0.25, epochs: 1, seed: 0, deadWindow: 100, reseed: false, readEvery: 10, historyLimit: 10_000, maxLoss: 1e7, ...options};
    const {learningRate, commitment, epochs, deadWindow, readEvery} = this.settings;
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
    checkCommitment(commitment);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive whole number, got ${epochs}`);
    if (!Number.isInteger(readEvery) || readEvery < 1) throw new Error(`readEvery must be a positive whole number, got ${readEvery}`);
    if (!Number.isInteger(deadWindow) || deadWindow < 1) throw new Error(`deadWindow must be a positive whole number of batches, got ${deadWindow}`);
    const pixels = model.config.imageShape.reduce((a, b) => a * b, 1);
    if (data.pixels !== pixels) throw new Error(`the data has ${data.pixels} pixels per image, the model expects ${model.config.imageShape.join("×")}`);
    this.sampler = this.makeSampler();
    this.optimizer = createAdam({learningRate, epsilon: 1e-8});
    this.tracker = new DeadCodeTracker(model.config.codebookSize, deadWindow);
    this.initial = model.params.snapshot();
  }

  /** The settings in use (a copy); change them with the set… methods. */
  get options(): Readonly<Settings> {
    return {...this.settings};
  }

  get state(): VqVaeTrainerState {
    return this.currentState;
  }

  get step(): number {
    return this.stepCount;
  }

  get totalSteps(): number {
    return this.sampler.batchesPerEpoch * this.settings.epochs;
  }

  /** The step records read back so far (the latest `historyLimit`). */
  get history(): readonly VqVaeStepRecord[] {
    return this.records;
  }

  get divergence(): string | undefined {
    return this.lastDivergence;
  }

  /** Each code's count over the last `deadWindow` batches read back. */
  usage(): number[] {
    return this.tracker.counts();
  }

  /** Codes no batch chose in the last `deadWindow` batches. */
  deadCodes(): number[] {
    return this.tracker.dead();
  }

  /** Trains until the last epoch ends, pause() or stop(), the signal aborts, or the loss diverges. */
  async run({signal}: {signal?: AbortSignal} = {}): Promise<VqVaeTrainerState> {
    if (this.currentState === "running") throw new Error("the trainer is already running");
    if (this.currentState === "done" || this.currentState === "stopped") return this.currentState;
    this.currentState = "running";
    this.pauseRequested = false;
    let since = performance.now();
    let examples = 0;
    while (this.currentState === "running") {
      if (signal?.aborted) this.currentState = "stopped";
      else if (this.pauseRequested) this.currentState = "paused";
      else if (this.stepCount >= this.totalSteps) this.currentState = "done";
      if (this.currentState !== "running") break;
      const epochEnded = this.trainStep();
      examples += this.sampler.batchSize;
      if (this.pending.length >= this.settings.readEvery || (epochEnded !== null && this.onEpochEnd)) {
        await this.readBack(examples, since);
        since = performance.now();
        examples = 0;
      }
      if (epochEnded !== null && this.onEpochEnd && this.currentState === "running") {
        await this.onEpochEnd(epochEnded);
        since = performance.now();
      }
      await yieldToEventLoop();
    }
    if (this.pending.length > 0) await this.readBack(examples, since);
    else this.report([], [], 0);
    return this.currentState;
  }

  pause(): void {
    if (this.currentState === "running") this.pauseRequested = true;
  }

  /** One step, read back at once. Works when idle or paused. */
  async singleStep(): Promise<VqVaeStepRecord | undefined> {
    if (this.currentState === "running") throw new Error("pause the trainer before stepping it by hand");
    if (this.currentState === "done" || this.currentState === "stopped" || this.currentState === "diverged") return undefined;
    const start = performance.now();
    this.trainStep();
    this.currentState = "paused";
    const before = this.records.length;
    await this.readBack(this.sampler.batchSize, start);
    return this.records.length > before ? this.records[this.records.length - 1] : undefined;
  }

  stop(): void {
    this.pauseRequested = true;
    if (this.currentState !== "done") this.currentState = "stopped";
  }

  /** Back to the start: the initial weights, fresh Adam, data order, history and usage counts. */
  reset(): void {
    if (this.currentState === "running") throw new Error("pause or stop the trainer before resetting it");
    this.discardPending();
    this.model.params.assign(this.initial);
    this.optimizer.dispose();
    this.optimizer = createAdam({learningRate: this.settings.learningRate, epsilon: 1e-8});
    this.sampler = this.makeSampler();
    this.tracker.clear();
    this.records = [];
    this.stepCount = 0;
    this.reseedCount = 0;
    this.lastBatch = null;
    this.lastDivergence = undefined;
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = null;
    this.currentState = "idle";
  }

  /** After a divergence, allow training to continue (e.g. with a lower learning rate). */
  acknowledgeDivergence(): void {
    if (this.currentState === "diverged") this.currentState = "paused";
  }

  /** Changes the learning rate for the steps to come (a fresh Adam state). */
  setLearningRate(learningRate: number): void {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
    this.settings.learningRate = learningRate;
    this.optimizer.dispose();
    this.optimizer = createAdam({learningRate, epsilon: 1e-8});
  }

  /** Changes β, the commitment weight, from the next step on. */
  setCommitment(commitment: number): void {
    checkCommitment(commitment);
    this.settings.commitment = commitment;
  }

  /** Turns automatic re-seeding of dead codes on or off. */
  setReseed(reseed: boolean): void {
    this.settings.reseed = reseed;
  }

  /**
   * Re-seeds the codes that are dead now from the latest batch's encoder outputs (the "fix" button);
   * returns the codes moved. Nothing happens before the first step or when no code is dead.
   */
  reseedDeadCodes(): number[] {
    if (this.currentState === "running") throw new Error("pause the trainer before re-seeding by hand");
    return this.reseed(this.tracker.dead());
  }

  /** Frees the optimizer's state and the trainer's copies of the weights (not the model). */
  dispose(): void {
    this.discardPending();
    this.optimizer.dispose();
    disposeSnapshot(this.initial);
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = null;
  }

  private makeSampler(): BatchSampler {
    return new BatchSampler(this.data, {batchSize: this.settings.batchSize, seed: this.settings.seed, binarize: "dynamic"});
  }

  /** One optimizer step; returns the epoch it completed, or null mid-epoch. */
  private trainStep(): number | null {
    const batch = this.sampler.next();
    const x = tf.tensor2d(batch.x, [batch.size, this.data.pixels]);
    const kept: Tensor[] = [];
    const cost = this.optimizer.minimize(() => {
      const terms = this.model.loss(x, {commitment: this.settings.commitment});
      kept.push(tf.keep(terms.reconstructionLoss), tf.keep(terms.codebookLoss), tf.keep(terms.commitmentLoss), tf.keep(terms.indices));
      return terms.loss as Scalar;
    }, this.model.params.list());
    x.dispose();
    this.lastBatch = batch.x;
    this.stepCount++;
    this.pending.push({step: this.stepCount, epoch: batch.epoch, tensors: [cost, ...kept]});
    return batch.lastOfEpoch ? batch.epoch : null;
  }

  private discardPending(): void {
    for (const p of this.pending) p.tensors.forEach((t) => t.dispose());
    this.pending = [];
  }

  private async readBack(examples: number, since: number): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const losses = tf.tidy(() => tf.stack(pending.flatMap((p) => p.tensors.slice(0, 4))));
    const codes = tf.tidy(() => tf.stack(pending.map((p) => p.tensors[4].reshape([-1]))));
    for (const p of pending) p.tensors.forEach((t) => t.dispose());
    const [values, indices] = await Promise.all([losses.data(), codes.data()]);
    tf.dispose([losses, codes]);
    const examplesPerSecond = (examples * 1000) / Math.max(1e-3, performance.now() - since);
    const perStep = indices.length / pending.length;
    const K = this.model.config.codebookSize;
    const records: VqVaeStepRecord[] = [];
    const histograms: number[][] = [];
    pending.forEach((p, i) => {
      const counts = codeCounts(indices.subarray(i * perStep, (i + 1) * perStep), K);
      histograms.push(counts);
      const [loss, reconstructionLoss, codebookLoss, commitmentLoss] = Array.from(values.subarray(4 * i, 4 * i + 4));
      records.push({step: p.step, epoch: p.epoch, loss, reconstructionLoss, codebookLoss, commitmentLoss, codesUsed: counts.filter((c) => c > 0).length, perplexity: codePerplexity(counts)});
    });
    const bad = records.findIndex((r) => !Number.isFinite(r.loss) || Math.abs(r.loss) > this.settings.maxLoss);
    if (bad >= 0) {
      this.remember(records.slice(0, bad));
      histograms.slice(0, bad).forEach((h) => this.tracker.record(h));
      this.recover(records[bad]);
      this.report(records.slice(0, bad), [], examplesPerSecond);
      return;
    }
    this.remember(records);
    histograms.forEach((h) => this.tracker.record(h));
    const reseeded: ReseedEvent[] = [];
    if (this.settings.reseed) {
      const codes = this.reseed(this.tracker.dead());
      if (codes.length) reseeded.push({step: this.stepCount, codes});
    }
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = {step: this.stepCount, weights: this.model.params.snapshot()};
    this.report(records, reseeded, examplesPerSecond);
  }

  private reseed(dead: number[]): number[] {
    if (dead.length === 0 || !this.lastBatch) return [];
    const outputs = tf.tidy(() => {
      const x = tf.tensor2d(this.lastBatch as Float32Array, [(this.lastBatch as Float32Array).length / this.data.pixels, this.data.pixels]);
      return this.model.encode(x).reshape([-1, this.model.config.codeDim]) as Tensor2D;
    });
    reseedCodes(this.model.codebook(), dead, outputs, this.settings.seed * 1_000_003 + ++this.reseedCount);
    outputs.dispose();
    this.tracker.markReseeded(dead);
    return dead;
  }

  private remember(records: VqVaeStepRecord[]): void {
    this.records.push(...records);
    const extra = this.records.length - this.settings.historyLimit;
    if (extra > 0) this.records.splice(0, extra);
  }

  private recover(bad: VqVaeStepRecord): void {
    const restoredStep = this.good?.step ?? 0;
    this.model.params.assign(this.good?.weights ?? this.initial);
    this.optimizer.dispose();
    this.optimizer = createAdam({learningRate: this.settings.learningRate, epsilon: 1e-8});
    this.stepCount = restoredStep;
    const what = Number.isNaN(bad.loss) ? "became NaN" : !Number.isFinite(bad.loss) ? "became infinite" : `exploded to ${bad.loss.toExponential(2)}`;
    this.lastDivergence =
      `Training diverged: the loss ${what} at step ${bad.step}. The learning rate (${this.settings.learningRate}) is probably too large. ` +
      `The weights from step ${restoredStep} were restored and the optimizer was reset; lower the learning rate and continue.`;
    this.currentState = "diverged";
  }

  private report(records: VqVaeStepRecord[], reseeded: ReseedEvent[], examplesPerSecond: number): void {
    this.onProgress?.({
      state: this.currentState,
      step: this.stepCount,
      epoch: this.sampler.epoch,
      totalSteps: this.totalSteps,
      records,
      usage: this.tracker.counts(),
      dead: this.tracker.dead(),
      reseeded,
      examplesPerSecond,
      divergence: this.currentState === "diverged" ? this.lastDivergence : undefined
    });
  }
}
