import {checkLearningRate, createAdam, type Optimizer} from "./adam.js";
import {BatchSampler, oneHotLabels, type Binarization, type Dataset} from "./batches.js";
import {checkBeta, checkFreeBits, checkWarmupSteps, klWarmupBeta} from "./collapse.js";
import type {Model} from "./model.js";
import {disposeSnapshot} from "./params.js";
import {tf, type Tensor, type Tensor2D} from "./tf.js";

export interface TrainerOptions {
  model: Model;
  data: Dataset;
  batchSize?: number;
  learningRate?: number;
  /** Weight of the KL in the training loss; 1 (the default) trains on the −ELBO itself. */
  beta?: number;
  /** KL warm-up: β rises linearly from 0 over this many steps (lib/collapse.ts); 0, the default, is none. */
  warmupSteps?: number;
  /** Free bits λ in nats per latent unit (lib/collapse.ts); 0, the default, is none. */
  freeBits?: number;
  epochs?: number;
  /** Seeds data order, binarization and the ε of every step. The model's own seed sets its initialization. */
  seed?: number;
  /** Defaults to "dynamic" for a Bernoulli decoder and "none" for a Gaussian one. */
  binarize?: Binarization;
  /** Steps between reading the losses back from the backend (reading every step stalls a GPU). */
  readEvery?: number;
  /** A readback with a loss above this (or NaN, or ±∞) counts as divergence. */
  maxLoss?: number;
  /** The most step records `history` keeps; older ones are dropped first. */
  historyLimit?: number;
  /** Called after every readback, with the steps read since the last one. */
  onProgress?: (progress: Progress) => void;
  /** Awaited after the last step of each epoch (numbered from 0), once its losses are read back: save a checkpoint, evaluate. */
  onEpochEnd?: (epoch: number) => Promise<void> | void;
}

/**
 * One training step's numbers, batchMean, in nats per image. With β = 1 and no warm-up or free bits,
 * loss = negElbo; otherwise they are two different things (the loss is what was minimized).
 */
export interface StepRecord {
  step: number;
  epoch: number;
  /** The training loss minimized at this step: reconstructionLoss + β·KL (or its free-bits form). */
  loss: number;
  /** −ELBO = reconstructionLoss + kl (the autoencoder's: its squared error). */
  negElbo: number;
  /** −E_q[log p(x|z)], the reconstruction term as a loss (≥ 0 for a Bernoulli decoder). */
  reconstructionLoss: number;
  /** KL(q(z|x) ‖ p(z)). */
  kl: number;
  /** The β this step used (below the set β during a warm-up). */
  beta: number;
}

/** The settings a Trainer runs with; read them from `trainer.options`, change them with its set… methods. */
export type TrainerSettings = Required<Omit<TrainerOptions, "onProgress" | "onEpochEnd" | "model" | "data">>;

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
 * How many steps to take between readbacks: about `seconds` of work at the measured throughput, from 1
 * (a slow GPU never has seconds of steps queued, which would hold up a page's frames) to `max` (a fast
 * one stays busy). Before the first measurement (examplesPerSecond ≤ 0) it is `max`.
 */
export function readbackInterval(examplesPerSecond: number, batchSize: number, {seconds = 0.2, max = 10} = {}): number {
  if (!(examplesPerSecond > 0) || !Number.isFinite(examplesPerSecond)) return max;
  return Math.max(1, Math.min(max, Math.floor((seconds * examplesPerSecond) / batchSize)));
}

/**
 * Trains a model with Adam on mini-batches, step by step, without blocking the page: start with
 * run(), pause(), resume with run() again, singleStep() once, stop(), reset(). Losses are kept on the
 * backend and read back asynchronously every `readEvery` steps. A NaN or exploding loss stops training
 * and restores the weights of the last good readback. Settings change between steps through
 * setLearningRate, setBeta, setWarmupSteps, setFreeBits and setReadEvery; `options` is a read-only view.
 */
export class Trainer {
  readonly model: Model;
  private settings: TrainerSettings;
  private records: StepRecord[] = [];
  onProgress?: (progress: Progress) => void;
  onEpochEnd?: (epoch: number) => Promise<void> | void;
  private sampler: BatchSampler;
  private optimizer: Optimizer;
  private stepCount = 0;
  private currentState: TrainerState = "idle";
  private pending: {step: number; epoch: number; beta: number; tensors: Tensor[]}[] = [];
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
    this.settings = {
      batchSize: 128,
      learningRate: 1e-3,
      beta: 1,
      warmupSteps: 0,
      freeBits: 0,
      epochs: 1,
      seed: 0,
      binarize: likelihood.kind === "bernoulli" && kind !== "ae" ? "dynamic" : "none",
      readEvery: 10,
      maxLoss: 1e7,
      historyLimit: 10_000,
      ...options
    };
    const {learningRate, beta, warmupSteps, freeBits, epochs, readEvery, historyLimit} = this.settings;
    checkLearningRate(learningRate);
    checkBeta(beta);
    checkWarmupSteps(warmupSteps);
    checkFreeBits(freeBits);
    if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive whole number, got ${epochs}`);
    checkReadEvery(readEvery);
    if (!Number.isInteger(historyLimit) || historyLimit < 1) throw new Error(`historyLimit must be a positive whole number, got ${historyLimit}`);
    if (kind === "cvae" && !data.labels) throw new Error("a cvae trains on labelled data, and this dataset has no labels");
    if (data.pixels !== model.config.imageShape.reduce((a, b) => a * b, 1)) {
      throw new Error(`the data has ${data.pixels} pixels per image, the model expects ${model.config.imageShape.join("×")}`);
    }
    this.sampler = this.makeSampler();
    this.optimizer = this.makeOptimizer();
    this.initial = model.params.snapshot();
  }

  /** The settings in force (a copy: change them with the set… methods). */
  get options(): Readonly<TrainerSettings> {
    return {...this.settings};
  }

  /** The step records read back so far, oldest first; at most `historyLimit` of them (the latest). */
  get history(): readonly StepRecord[] {
    return this.records;
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
    return this.sampler.batchesPerEpoch * this.settings.epochs;
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
      if (this.pending.length >= this.settings.readEvery || (epochEnded && this.onEpochEnd)) {
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
    const last = this.records.at(-1);
    this.currentState = "paused";
    await this.readBack(this.sampler.batchSize, start);
    const now = this.records.at(-1);
    return now !== last ? now : undefined;
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
    this.records = [];
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
    return new BatchSampler(this.data, {batchSize: this.settings.batchSize, seed: this.settings.seed, binarize: this.settings.binarize});
  }

  private makeOptimizer(): Optimizer {
    // ε = 1e-8 as in PyTorch and the Adam paper (tfjs defaults to 1e-7).
    return createAdam({learningRate: this.settings.learningRate, epsilon: 1e-8});
  }

  /** One optimizer step; returns the epoch it completed, or null mid-epoch. */
  private trainStep(): number | null {
    const batch = this.sampler.next();
    const {model} = this;
    const step = this.stepCount;
    const {seed, freeBits} = this.settings;
    const beta = klWarmupBeta(step, this.settings.beta, this.settings.warmupSteps);
    const kept: Tensor[] = [];
    const x = tf.tensor2d(batch.x, [batch.size, this.data.pixels]);
    const condition = model.config.kind === "cvae" ? oneHotLabels(batch.labels as Uint8Array, model.config.numClasses as number) : undefined;
    const cost = this.optimizer.minimize(() => {
      const terms = model.loss(x, {beta, freeBits, seed: seed * 1_000_003 + step, condition});
      kept.push(tf.keep(terms.negElbo), tf.keep(terms.logLikelihood), tf.keep(terms.kl));
      return terms.loss as tf.Scalar;
    }, model.params.list());
    x.dispose();
    condition?.dispose();
    this.pending.push({step: step + 1, epoch: batch.epoch, beta, tensors: [cost, ...kept]});
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
      loss: values[4 * i],
      negElbo: values[4 * i + 1],
      reconstructionLoss: -values[4 * i + 2],
      kl: values[4 * i + 3],
      beta: p.beta
    }));
    const bad = records.find((r) => !Number.isFinite(r.loss) || !Number.isFinite(r.negElbo) || Math.abs(r.loss) > this.settings.maxLoss);
    if (bad) {
      this.recover(bad);
      const good = records.filter((r) => r.step < bad.step);
      this.remember(good);
      this.report(good, examplesPerSecond);
      return;
    }
    this.remember(records);
    if (this.good) disposeSnapshot(this.good.weights);
    this.good = {step: this.stepCount, weights: this.model.params.snapshot()};
    this.report(records, examplesPerSecond);
  }

  private remember(records: StepRecord[]): void {
    this.records.push(...records);
    const excess = this.records.length - this.settings.historyLimit;
    if (excess > 0) this.records.splice(0, excess);
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
        `Training diverged: the loss ${what} at step ${bad.step}. The learning rate (${this.settings.learningRate}) is probably too large. ` +
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
   * queued on a GPU (the page stays smoother on a slow one); more keep a fast one busier. See
   * readbackInterval for a policy.
   */
  setReadEvery(n: number): void {
    checkReadEvery(n);
    this.settings.readEvery = n;
  }

  /** Changes the learning rate for the steps to come (with a fresh Adam state). */
  setLearningRate(learningRate: number): void {
    checkLearningRate(learningRate);
    if (learningRate === this.settings.learningRate) return;
    this.settings.learningRate = learningRate;
    this.optimizer.dispose();
    this.optimizer = this.makeOptimizer();
  }

  /**
   * Changes the learning rate for the steps to come and keeps Adam's moments: a schedule's step
   * (setLearningRate starts a fresh Adam instead, which suits a reader's change of mind).
   */
  scheduleLearningRate(learningRate: number): void {
    this.optimizer.setLearningRate(learningRate);
    this.settings.learningRate = learningRate;
  }

  /** Changes β, the KL's weight in the loss, for the steps to come. */
  setBeta(beta: number): void {
    checkBeta(beta);
    this.settings.beta = beta;
  }

  /** Changes the KL warm-up length (steps counted from the start of training, lib/collapse.ts). */
  setWarmupSteps(steps: number): void {
    checkWarmupSteps(steps);
    this.settings.warmupSteps = steps;
  }

  /** Changes the free-bits floor λ (nats per latent unit, lib/collapse.ts); 0 turns it off. */
  setFreeBits(lambda: number): void {
    checkFreeBits(lambda);
    this.settings.freeBits = lambda;
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

function checkReadEvery(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`readEvery must be a positive whole number, got ${n}`);
}
