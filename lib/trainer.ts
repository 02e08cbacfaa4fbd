import {createAdam, type Optimizer} from "./adam.js";
import {BatchSampler, type Binarization, type Dataset} from "./batches.js";
import type {Model} from "./model.js";
import {disposeSnapshot} from "./params.js";
import {tf, type Tensor, type Tensor2D} from "./tf.js";

export interface TrainerOptions {
  model: Model;
  data: Dataset;
  batchSize?: number;
  learningRate?: number;
  beta?: number;
  epochs?: number;
  /** Seeds data order, binarization and the ε of every step. The model's own seed sets its initialization. */
  seed?: number;
  /** Defaults to "dynamic" for a Bernoulli decoder and "none" for a Gaussian one. */
  binarize?: Binarization;
  /** Steps between reading the losses back from the backend (reading every step stalls a GPU). */
  readEvery?: number;
  /** A readback with a loss above this (or NaN, or ±∞) counts as divergence. */
  maxLoss?: number;
  /** Called after every readback, with the steps read since the last one. */
  onProgress?: (progress: Progress) => void;
  /** Awaited after the last step of each epoch (numbered from 0), once its losses are read back: save a checkpoint, evaluate. */
  onEpochEnd?: (epoch: number) => Promise<void> | void;
}

/** One training step's numbers, averaged over its batch. */
export interface StepRecord {
  step: number;
  epoch: number;
  /** −ELBO per example (or the autoencoder's squared error). */
  loss: number;
  reconstruction: number;
  kl: number;
}

export type TrainerState = "idle" | "running" | "paused" | "stopped" | "done" | "diverged";

export interface Progress {
  state: TrainerState;
  /** Steps completed so far. */
  step: number;
  epoch: number;
  totalSteps: number;
  /** The steps read back since the previous report. */
  records: StepRecord[];
  /** Training throughput over the last readback interval. */
  examplesPerSecond: number;
  /** Set when training stopped on a NaN or exploding loss. */
  divergence?: Divergence;
}

export interface Divergence {
  step: number;
  loss: number;
  /** A sentence for the reader: what happened, and what was restored. */
  message: string;
  restoredStep: number;
}

/** Lets the page paint and handle input between steps: a macrotask, without setTimeout's 4 ms clamp. */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as {setImmediate?: (f: () => void) => void; MessageChannel?: typeof MessageChannel};
  if (typeof g.setImmediate === "function") return new Promise((resolve) => g.setImmediate?.(resolve));
  if (typeof g.MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * Trains a model with Adam on mini-batches, step by step, without blocking the page: start with
 * run(), pause(), resume with run() again, step() once, stop(), reset(). Losses are kept on the backend
 * and read back asynchronously every `readEvery` steps. A NaN or exploding loss stops training and
 * restores the weights of the last good readback.
 */
export class Trainer {
  readonly model: Model;
  readonly options: Required<Omit<TrainerOptions, "onProgress" | "onEpochEnd" | "model" | "data">>;
  readonly history: StepRecord[] = [];
  onProgress?: (progress: Progress) => void;
  onEpochEnd?: (epoch: number) => Promise<void> | void;
  private sampler: BatchSampler;
  private optimizer: Optimizer;
  private stepCount = 0;
  private currentState: TrainerState = "idle";
  private pending: {step: number; epoch: number; tensors: Tensor[]}[] = [];
  private good: {step: number; weights: Map<string, Tensor>} | null = null;
  private initial: Map<string, Tensor>;
  private pauseRequested = false;
  private lastDivergence?: Divergence;
  private readonly data: Dataset;

  constructor({model, data, onProgress, onEpochEnd, ...options}: TrainerOptions) {
    this.model = model;
    this.data = data;
    this.onProgress = onProgress;
    this.onEpochEnd = onEpochEnd;
    const {kind, likelihood} = model.config;
    this.options = {
      batchSize: 128,
      learningRate: 1e-3,
      beta: 1,
      epochs: 1,
      seed: 0,
      binarize: likelihood.kind === "bernoulli" && kind !== "ae" ? "dynamic" : "none",
      readEvery: 10,
      maxLoss: 1e7,
      ...options
    };
    const {learningRate, beta, epochs, readEvery} = this.options;
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
    if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`β must be a number ≥ 0, got ${beta}`);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive whole number, got ${epochs}`);
    if (!Number.isInteger(readEvery) || readEvery < 1) throw new Error(`readEvery must be a positive whole number, got ${readEvery}`);
    if (kind === "cvae" && !data.labels) throw new Error("a cvae trains on labelled data, and this dataset has no labels");
    if (data.pixels !== model.config.imageShape.reduce((a, b) => a * b, 1)) {
      throw new Error(`the data has ${data.pixels} pixels per image, the model expects ${model.config.imageShape.join("×")}`);
    }
    this.sampler = this.makeSampler();
    this.optimizer = this.makeOptimizer();
    this.initial = model.params.snapshot();
  }

  get state(): TrainerState {
    return this.currentState;
  }

  get step(): number {
    return this.stepCount;
  }

  get epoch(): number {
    return this.sampler.epoch;
  }

  get totalSteps(): number {
    return this.sampler.batchesPerEpoch * this.options.epochs;
  }

  get divergence(): Divergence | undefined {
    return this.lastDivergence;
  }

  /**
   * Trains until the last epoch ends, pause() or stop() is called, the signal aborts, or the loss
   * diverges. Resolves with the state it ended in. Calling it again after a pause resumes.
   */
  async run({signal}: {signal?: AbortSignal} = {}): Promise<TrainerState> {
    if (this.currentState === "running") throw new Error("the trainer is already running");
    if (this.currentState === "done" || this.currentState === "stopped") return this.currentState;
    this.currentState = "running";
    this.pauseRequested = false;
    let intervalStart = performance.now();
    let intervalExamples = 0;
    while (this.currentState === "running") {
      if (signal?.aborted) {
        this.currentState = "stopped";
        break;
      }
      if (this.pauseRequested) {
        this.currentState = "paused";
        break;
      }
      if (this.stepCount >= this.totalSteps) {
        this.currentState = "done";
        break;
      }
      const epoch = this.trainStep();
      intervalExamples += this.sampler.batchSize;
      const epochEnded = epoch !== null;
      if (this.pending.length >= this.options.readEvery || (epochEnded && this.onEpochEnd)) {
        await this.readBack(intervalExamples, intervalStart);
        intervalStart = performance.now();
        intervalExamples = 0;
      }
      if (epochEnded && this.onEpochEnd && this.currentState === "running") {
        await this.onEpochEnd(epoch);
        intervalStart = performance.now();
      }
      await yieldToEventLoop();
    }
    if (this.pending.length > 0) await this.readBack(intervalExamples, intervalStart);
    else this.report([], 0);
    return this.currentState;
  }

  /** Asks a running trainer to stop after the current step; run() then resolves with "paused". */
  pause(): void {
    if (this.currentState === "running") this.pauseRequested = true;
  }

  /** One step, read back at once (the "single step" button). Works when idle or paused. */
  async singleStep(): Promise<StepRecord | undefined> {
    if (this.currentState === "running") throw new Error("pause the trainer before stepping it by hand");
    if (this.currentState === "done" || this.currentState === "stopped") return undefined;
    const start = performance.now();
    this.trainStep();
    const before = this.history.length;
    this.currentState = "paused";
    await this.readBack(this.sampler.batchSize, start);
    return this.history.length > before ? this.history[this.history.length - 1] : undefined;
  }

  /** Ends training for good; run() resolves with "stopped". */
  stop(): void {
    this.pauseRequested = true;
    this.currentState = this.currentState === "running" ? "stopped" : this.currentState === "done" ? "done" : "stopped";
  }

  /** Back to the start: the initial weights, a fresh optimizer and data order, an empty history. */
  reset(): void {
    if (this.currentState === "running") throw new Error("pause or stop the trainer before resetting it");
    this.discardPending();
    this.model.params.assign(this.initial);
    this.optimizer.dispose();
    this.optimizer = this.makeOptimizer();
    this.sampler = this.makeSampler();
    this.stepCount = 0;
    this.history.length = 0;
    this.lastDivergence = undefined;
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = null;
    this.currentState = "idle";
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
    return new BatchSampler(this.data, {batchSize: this.options.batchSize, seed: this.options.seed, binarize: this.options.binarize});
  }

  private makeOptimizer(): Optimizer {
    // ε = 1e-8 as in PyTorch and the Adam paper (tfjs defaults to 1e-7).
    return createAdam({learningRate: this.options.learningRate, epsilon: 1e-8});
  }

  /** One optimizer step; returns the epoch it completed, or null mid-epoch. */
  private trainStep(): number | null {
    const batch = this.sampler.next();
    const {model} = this;
    const step = this.stepCount;
    const seed = this.options.seed * 1_000_003 + step;
    const kept: Tensor[] = [];
    const x = tf.tensor2d(batch.x, [batch.size, this.data.pixels]);
    const condition =
      model.config.kind === "cvae" ? (tf.tidy(() => tf.oneHot(tf.tensor1d(batch.labels as Uint8Array, "int32"), model.config.numClasses as number).toFloat()) as Tensor2D) : undefined;
    const cost = this.optimizer.minimize(() => {
      const {loss, reconstruction, kl} = model.loss(x, {beta: this.options.beta, seed, condition});
      kept.push(tf.keep(reconstruction), tf.keep(kl));
      return loss as tf.Scalar;
    }, model.params.list());
    x.dispose();
    condition?.dispose();
    this.pending.push({step: step + 1, epoch: batch.epoch, tensors: [cost, ...kept]});
    this.stepCount++;
    return batch.lastOfEpoch ? batch.epoch : null;
  }

  private discardPending(): void {
    for (const p of this.pending) p.tensors.forEach((t) => t.dispose());
    this.pending = [];
  }

  /**
   * Reads the pending steps' losses back. The throughput counts `examples` from `since` until the
   * values arrive: on a GPU, steps are only queued when dispatched, and finish by the readback.
   */
  private async readBack(examples: number, since: number): Promise<void> {
    const pending = this.pending;
    this.pending = [];
    const packed = tf.tidy(() => tf.stack(pending.flatMap((p) => p.tensors)));
    for (const p of pending) p.tensors.forEach((t) => t.dispose());
    const values = await packed.data();
    packed.dispose();
    const examplesPerSecond = (examples * 1000) / Math.max(1e-3, performance.now() - since);
    const records: StepRecord[] = pending.map((p, i) => ({
      step: p.step,
      epoch: p.epoch,
      loss: values[3 * i],
      reconstruction: values[3 * i + 1],
      kl: values[3 * i + 2]
    }));
    const bad = records.find((r) => !Number.isFinite(r.loss) || !Number.isFinite(r.kl) || Math.abs(r.loss) > this.options.maxLoss);
    if (bad) {
      this.recover(bad);
      const good = records.filter((r) => r.step < bad.step);
      this.history.push(...good);
      this.report(good, examplesPerSecond);
      return;
    }
    this.history.push(...records);
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = {step: this.stepCount, weights: this.model.params.snapshot()};
    this.report(records, examplesPerSecond);
  }

  private recover(bad: StepRecord): void {
    const restoredStep = this.good?.step ?? 0;
    this.model.params.assign(this.good?.weights ?? this.initial);
    this.optimizer.dispose();
    this.optimizer = this.makeOptimizer();
    this.stepCount = restoredStep;
    const what = Number.isNaN(bad.loss) ? "became NaN" : !Number.isFinite(bad.loss) ? "became infinite" : `exploded to ${bad.loss.toExponential(2)}`;
    this.lastDivergence = {
      step: bad.step,
      loss: bad.loss,
      restoredStep,
      message:
        `Training diverged: the loss ${what} at step ${bad.step}. The learning rate (${this.options.learningRate}) is probably too large. ` +
        `The weights from step ${restoredStep} were restored and the optimizer was reset; lower the learning rate and continue.`
    };
    this.currentState = "diverged";
  }

  /** After a divergence, continue (e.g. with a new learning rate via setLearningRate). */
  acknowledgeDivergence(): void {
    if (this.currentState === "diverged") this.currentState = "paused";
  }

  /**
   * Reads the losses back every n steps from now on. Fewer steps between readbacks keep less work
   * queued on a GPU (the page stays smoother on a slow one); more keep a fast one busier.
   */
  setReadEvery(n: number): void {
    if (!Number.isInteger(n) || n < 1) throw new Error(`readEvery must be a positive whole number, got ${n}`);
    (this.options as {readEvery: number}).readEvery = n;
  }

  /** Changes the learning rate for the steps to come (a fresh Adam state). */
  setLearningRate(learningRate: number): void {
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
    (this.options as {learningRate: number}).learningRate = learningRate;
    this.optimizer.dispose();
    this.optimizer = this.makeOptimizer();
  }

  /**
   * Changes the learning rate for the steps to come and keeps Adam's moments: a schedule's step
   * (setLearningRate starts a fresh Adam instead, which suits a reader's change of mind).
   */
  scheduleLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
    (this.options as {learningRate: number}).learningRate = learningRate;
  }

  /** Changes β, the KL term's weight, for the steps to come (KL warm-up). */
  setBeta(beta: number): void {
    if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`β must be a number ≥ 0, got ${beta}`);
    (this.options as {beta: number}).beta = beta;
  }

  private report(records: StepRecord[], examplesPerSecond: number): void {
    this.onProgress?.({
      state: this.currentState,
      step: this.stepCount,
      epoch: this.sampler.epoch,
      totalSteps: this.totalSteps,
      records,
      examplesPerSecond,
      divergence: this.currentState === "diverged" ? this.lastDivergence : undefined
    });
  }
}
