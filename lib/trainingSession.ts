// A training session: one model, its Trainer and its data, driven by messages. The training lab and
// the β sweep send it commands and draw what it sends back. It runs unchanged inside a dedicated
// Web Worker (src/training/trainingWorker.ts) or, where a worker cannot run the page's backend, on the
// page's own thread: the page cannot tell the two apart except by the `thread` it is told.
// No DOM: pictures leave as pixel arrays, checkpoints as tfjs ModelArtifacts.
import {oneHotLabels, validateDataset, type Dataset} from "./batches.js";
import {CheckpointError, describe, modelFromArtifacts, modelToArtifacts} from "./checkpoint.js";
import {decodeTraversals, measureDisentanglement, type MutualInformationGap, type MutualInformationMatrix} from "./disentanglement.js";
import {evaluateHeldOut, heldOutSet, type HeldOut, type HeldOutScore} from "./evaluate.js";
import {latentGrid} from "./latentGrid.js";
import {disposeSnapshot} from "./params.js";
import {earlyStopping} from "./smallData.js";
import {createModel, validateConfig, type Model, type ModelConfig} from "./model.js";
import {tf, type Tensor2D} from "./tf.js";
import {shapesSplit} from "./shapes.js";
import {loadTrainingSet} from "./trainingData.js";
import {readbackInterval, Trainer, type Progress} from "./trainer.js";

/** How to train: the model to build and the Trainer's settings. */
export interface TrainingSetup {
  config: ModelConfig;
  batchSize: number;
  learningRate: number;
  beta: number;
  warmupSteps?: number;
  freeBits?: number;
  /** Seeds the batches' order, their binarization and every step's ε (config.seed seeds the weights). */
  seed: number;
  /** Epochs until the run is done (default 1,000: as good as endless in a lab). */
  epochs?: number;
  /** Steps between loss readbacks, or "auto" (the default): about 0.2 s of work (lib's readbackInterval). */
  readEvery?: number | "auto";
  /**
   * Score the held-out images (and the `compare` images of the test command) at the end of the first
   * epoch at least this many steps after the last score, and once when a model is adopted: an
   * `evaluation` event each time. Counted in steps, so the same seed gives the same evaluations on
   * every machine (the snapshots' pictures come by the clock). Off when absent.
   */
  evaluateEvery?: number;
  /**
   * With evaluateEvery: stop after `patience` evaluations in a row without a held-out −ELBO lower than
   * the best by more than minDelta (lib's earlyStopping), and restore the weights of the best one.
   */
  earlyStopping?: {patience: number; minDelta?: number} | null;
}

/** What the session draws for the page at each snapshot. */
export interface PictureSpec {
  /** Reconstruct the first this many test digits. */
  reconstruct: number;
  /** For a CVAE: `samplesPerDigit` samples of each class by label (row r uses the same code in every column). */
  samplesPerDigit?: number;
  /** For a VAE with a 2-D latent: the decoded manifold, n × n codes over [−extent, extent]² (lib's latentGrid). */
  manifold?: {n: number; extent: number};
  /** While training, a snapshot at most this often (ms). */
  everyMs?: number;
  /** For a VAE: this many images decoded from codes drawn from the prior (the same codes at every snapshot). */
  samples?: number;
  /** Send q's means of the held-out images (and of the compare images), for any latent size. */
  means?: boolean;
  /** Reconstruct the first this many compare images too (e.g. the training images beside the held-out ones). */
  reconstructCompare?: number;
}

/** Which checkpoints a load accepts (the lab's kind of model, 28×28 digits). */
export interface LoadRequirement {
  kind: ModelConfig["kind"];
  imageShape: ModelConfig["imageShape"];
  /** What the images are called in the refusal ("digits", the default, or "images"). */
  noun?: string;
}

/** A latent traversal to draw with a measurement: every unit swept from `from` to `to` around one test image's code. */
export interface TraversalSpec {
  /** Which test image's encoder mean is the base code. */
  image: number;
  from?: number;
  to?: number;
  steps?: number;
}

/** Commands, page → session. */
export type TrainingCommand =
  | {type: "data"; urls: string[]; limit?: number}
  /** Chapter 12's shapes as the training set, generated in the session (lib's shapesSplit("train", …)): nothing is fetched. Replaces any training set. */
  | {type: "shapes"; count: number; seed?: number; correlation?: number}
  /** The mutual information between each unit and each factor on the first `count` test images (factors: one array of grid indices per factor), and optionally a traversal. */
  | {type: "measure"; id: number; factors: ArrayLike<number>[]; count?: number; traversal?: TraversalSpec}
  | {type: "test"; test: Dataset; heldOut: number; pictures: PictureSpec; compare?: Dataset}
  | {type: "dataset"; train: Dataset}
  | {type: "configure"; setup: TrainingSetup}
  | {type: "play"}
  | {type: "pause"}
  | {type: "step"}
  | {type: "reset"}
  | {type: "set"; learningRate?: number; beta?: number; warmupSteps?: number; freeBits?: number; earlyStopping?: TrainingSetup["earlyStopping"]}
  | {type: "snapshot"; id: number}
  | {type: "save"; id: number; metadata?: Record<string, unknown>}
  | {type: "load"; id: number; artifacts: tf.io.ModelArtifacts; what: string; require?: LoadRequirement}
  | {type: "decode"; id: number; codes: Float32Array; count: number}
  | {type: "dispose"};

/** A held-out score without the per-digit means (those travel in the pictures when they are drawn). */
export type SnapshotScore = Omit<HeldOutScore, "means">;

export interface SnapshotPictures {
  /** [reconstruct, pixels] flattened, in [0, 1]. */
  reconstructions: Float32Array;
  /** The first reconstructCompare compare images' reconstructions, [n, pixels]. */
  compareReconstructions?: Float32Array;
  /** CVAE: [samplesPerDigit · numClasses, pixels], row by row, class 0 first in each row; VAE: [samples, pixels]. */
  samples?: Float32Array;
  /** With PictureSpec.means: q's means, [count, latentDim] flattened, of the held-out and the compare images. */
  means?: {heldOut: Float32Array; compare?: Float32Array; latentDim: number};
  /** 2-D latent: q's mean of each held-out digit, [count, 2] flattened, with the digits' labels. */
  latent?: {means: Float32Array; labels?: Uint8Array};
  /** 2-D latent VAE: the decoded manifold, [n·n, pixels]. */
  manifold?: {images: Float32Array; n: number; extent: number};
}

/** Events, session → page. */
export type TrainingEvent =
  | {type: "ready"; thread: "worker" | "page"; backend: string; reason: string}
  | {type: "dataProgress"; fraction: number; message: string}
  | {type: "dataReady"; count: number}
  | {type: "model"; description: string; config: ModelConfig; origin: "configured" | "loaded" | "reset"}
  | {type: "progress"; progress: Progress}
  | {type: "snapshot"; id?: number; step: number; score: SnapshotScore; compareScore?: SnapshotScore; pictures: SnapshotPictures}
  | {
      type: "evaluation";
      step: number;
      /** Held-out −ELBO, nats per image (one seeded z per image, the same seed every time). */
      heldOut: number;
      /** The compare images' −ELBO, scored the same way. */
      compare?: number;
      /** The best held-out −ELBO so far and its step (since the last play after an early stop). */
      best: number;
      bestStep: number;
      /** Set when early stopping ended the run: the weights of bestStep were restored. */
      stopped?: {restoredStep: number; patience: number};
    }
  | {type: "decoded"; id: number; images: Float32Array}
  | {type: "saved"; id: number; artifacts: tf.io.ModelArtifacts}
  | {type: "loaded"; id: number; what: string; description: string}
  | {type: "measured"; id: number; step: number; matrix: MutualInformationMatrix; gap: MutualInformationGap; klPerUnit: number[]; traversal?: Required<TraversalSpec> & {base: number[]; images: Float32Array}}
  | {type: "failed"; id?: number; command: TrainingCommand["type"]; message: string};

export type Emit = (event: TrainingEvent, transfer?: Transferable[]) => void;

const SNAPSHOT_SEED = 5;
const SAMPLE_SEED = 7;

/**
 * Executes TrainingCommands one at a time (pause and set act at once, between two steps) and emits
 * TrainingEvents. Every tensor it makes it disposes; dispose() frees the model and the trainer.
 */
export class TrainingSession {
  private model: Model | null = null;
  private trainer: Trainer | null = null;
  private setup: TrainingSetup | null = null;
  private train: Dataset | null = null;
  private dataLoading: Promise<Dataset> | null = null;
  private test: {data: Dataset; heldOut: number; pictures: PictureSpec; compare?: Dataset} | null = null;
  private held: {key: string; set: HeldOut} | null = null;
  private running: Promise<void> | null = null;
  private snapshotting: Promise<void> | null = null;
  private lastSnapshot = 0;
  private queue: Promise<void> = Promise.resolve();
  private compared: {key: string; set: HeldOut} | null = null;
  /** Held-out −ELBOs since the model was adopted (or since play after an early stop), and the best weights. */
  private evaluations: {values: number[]; lastStep: number; best: {step: number; value: number; weights: Map<string, tf.Tensor>} | null; stoppedEarly: boolean} = {values: [], lastStep: 0, best: null, stoppedEarly: false};

  constructor(private readonly emit: Emit) {}

  /** Runs a command; failures become a "failed" event, never a rejection. */
  handle(command: TrainingCommand): Promise<void> {
    if (command.type === "pause") {
      this.trainer?.pause();
      return Promise.resolve();
    }
    if (command.type === "set") return this.guard(command, async () => this.set(command));
    const next = this.queue.then(() => this.guard(command, () => this.run(command)));
    this.queue = next;
    return next;
  }

  private async guard(command: TrainingCommand, work: () => Promise<void> | void): Promise<void> {
    try {
      await work();
    } catch (error) {
      const id = "id" in command ? command.id : undefined;
      this.emit({type: "failed", id, command: command.type, message: error instanceof Error ? error.message : String(error)});
    }
  }

  private async run(command: TrainingCommand): Promise<void> {
    switch (command.type) {
      case "data":
        return this.loadData(command.urls, command.limit);
      case "shapes":
        return this.loadShapes(command);
      case "measure":
        return this.measure(command);
      case "test":
        validateDataset(command.test);
        if (command.compare) validateDataset(command.compare);
        this.test = {data: command.test, heldOut: command.heldOut, pictures: command.pictures, compare: command.compare};
        this.dropHeldOut();
        return;
      case "dataset":
        return this.useDataset(command.train);
      case "decode":
        return this.decode(command);
      case "configure":
        await this.halt();
        this.setup = {...command.setup, config: validateConfig(command.setup.config)};
        return this.adopt(createModel(this.setup.config), "configured");
      case "reset":
        await this.halt();
        if (!this.setup) throw new Error("nothing to reset: no model was configured");
        return this.adopt(createModel(this.setup.config), "reset");
      case "play":
        return this.play();
      case "step":
        return this.stepOnce();
      case "snapshot":
        return this.snapshot(command.id);
      case "save":
        return this.save(command.id, command.metadata);
      case "load":
        return this.load(command);
      case "dispose":
        await this.halt();
        this.trainer?.dispose();
        this.model?.dispose();
        this.dropHeldOut();
        this.forgetEvaluations();
        this.trainer = this.model = null;
        return;
    }
  }

  private set(command: Extract<TrainingCommand, {type: "set"}>): void {
    const {learningRate, beta, warmupSteps, freeBits} = command;
    if (!this.setup) throw new Error("configure a model before changing its settings");
    // Checked by the Trainer (or, with no trainer yet, by the next one) before anything changes.
    if (learningRate !== undefined) {
      this.trainer?.setLearningRate(learningRate);
      this.setup.learningRate = learningRate;
    }
    if (beta !== undefined) {
      this.trainer?.setBeta(beta);
      this.setup.beta = beta;
    }
    if (warmupSteps !== undefined) {
      this.trainer?.setWarmupSteps(warmupSteps);
      this.setup.warmupSteps = warmupSteps;
    }
    if (freeBits !== undefined) {
      this.trainer?.setFreeBits(freeBits);
      this.setup.freeBits = freeBits;
    }
    if (command.earlyStopping !== undefined) {
      const rule = command.earlyStopping;
      if (rule) earlyStopping([], rule); // checks patience and minDelta
      this.setup.earlyStopping = rule;
    }
  }

  /** Trains on images the page supplies from now on (chapter 11), instead of fetched digits; the model is kept. */
  private async useDataset(train: Dataset): Promise<void> {
    validateDataset(train);
    await this.halt();
    this.trainer?.dispose();
    this.trainer = null;
    this.dataLoading = null;
    this.train = train;
    const pixels = this.model ? this.model.config.imageShape.reduce((a, b) => a * b, 1) : -1;
    // A model of another image size waits for the configure that follows (it would refuse these images).
    if (pixels === train.pixels) this.makeTrainer();
    this.emit({type: "dataReady", count: train.count});
    this.emitStatus();
  }

  /** The decoder's mean images for the codes given ([count, latentDim] flattened). */
  private async decode({id, codes, count}: Extract<TrainingCommand, {type: "decode"}>): Promise<void> {
    const model = this.model;
    if (!model) throw new Error("there is no model to decode with");
    if (model.config.kind === "cvae") throw new Error("decode needs an unconditional model");
    const {latentDim} = model.config;
    if (!Number.isInteger(count) || count < 1 || codes.length !== count * latentDim) throw new Error(`decode: ${codes.length} numbers are not ${count} codes of ${latentDim}`);
    const out = tf.tidy(() => model.decodeMean(tf.tensor2d(codes, [count, latentDim]) as Tensor2D));
    const images = (await out.data()) as Float32Array;
    out.dispose();
    this.emit({type: "decoded", id, images}, [images.buffer as ArrayBuffer]);
  }

  private loadData(urls: string[], limit?: number): Promise<void> {
    if (this.train) {
      this.emit({type: "dataReady", count: this.train.count});
      return Promise.resolve();
    }
    this.dataLoading ??= loadTrainingSet(urls, (fraction, message) => this.emit({type: "dataProgress", fraction, message})).then((all) => {
      if (limit === undefined || limit >= all.count) return all;
      return {...all, count: limit, images: all.images.slice(0, limit * all.pixels), labels: all.labels?.slice(0, limit)};
    });
    return this.dataLoading.then(
      (data) => {
        this.train = data;
        this.makeTrainer();
        this.emit({type: "dataReady", count: data.count});
      },
      (error: Error) => {
        this.dataLoading = null;
        throw new Error(`The training digits could not be loaded: ${error.message}`);
      }
    );
  }

  private async loadShapes({count, seed = 0, correlation = 0}: Extract<TrainingCommand, {type: "shapes"}>): Promise<void> {
    await this.halt();
    await this.dataLoading?.catch(() => undefined);
    const data = shapesSplit("train", {seed, correlation, trainCount: count});
    this.dataLoading = Promise.resolve(data);
    this.train = data;
    // The Trainer holds its data: a new set needs a new Trainer (the model and its weights stay).
    this.trainer?.dispose();
    this.trainer = null;
    this.makeTrainer();
    this.emit({type: "dataReady", count: data.count});
    this.emitStatus();
  }

  private async measure({id, factors, count, traversal}: Extract<TrainingCommand, {type: "measure"}>): Promise<void> {
    const model = this.model;
    const test = this.test;
    if (!model || !test) throw new Error("nothing to measure: configure a model and send the test images first");
    const n = Math.min(count ?? test.data.count, test.data.count);
    const {pixels} = test.data;
    const data = {images: test.data.images.subarray(0, n * pixels), count: n, pixels};
    const columns = factors.map((f) => {
      if (f.length < n) throw new Error(`each factor needs a value for each of the ${n} test images; one has ${f.length}`);
      return Array.from({length: n}, (_, i) => f[i]);
    });
    const step = this.trainer?.step ?? 0;
    const {matrix, gap, klPerUnit, means} = await measureDisentanglement(model, data, columns);
    let drawn: Extract<TrainingEvent, {type: "measured"}>["traversal"];
    if (traversal) {
      const {image, from = -2, to = 2, steps = 9} = traversal;
      if (!Number.isInteger(image) || image < 0 || image >= n) throw new Error(`the traversal's image must be one of the ${n} measured test images, got ${image}`);
      const L = model.config.latentDim;
      const base = Array.from(means.subarray(image * L, (image + 1) * L));
      drawn = {image, from, to, steps, base, images: await decodeTraversals(model, base, {from, to, steps})};
    }
    if (model !== this.model) return;
    this.emit({type: "measured", id, step, matrix, gap, klPerUnit, traversal: drawn}, drawn ? [drawn.images.buffer as ArrayBuffer] : []);
  }

  /** Pauses a run and waits for it and any snapshot in flight to finish. */
  private async halt(): Promise<void> {
    this.trainer?.pause();
    await this.running;
    await this.snapshotting;
  }

  private async adopt(model: Model, origin: "configured" | "loaded" | "reset"): Promise<void> {
    this.trainer?.dispose();
    this.trainer = null;
    this.model?.dispose();
    this.model = model;
    this.forgetEvaluations();
    this.makeTrainer();
    this.emit({type: "model", description: describe(model.config), config: model.config, origin});
    this.emitStatus();
    await this.snapshot();
    if (this.setup?.evaluateEvery) await this.evaluate(model);
  }

  private forgetEvaluations(): void {
    if (this.evaluations.best) disposeSnapshot(this.evaluations.best.weights);
    this.evaluations = {values: [], lastStep: this.trainer?.step ?? 0, best: null, stoppedEarly: false};
  }

  /**
   * Scores the held-out (and compare) images, emits an evaluation, and applies early stopping: keeps a
   * copy of the best weights, and after `patience` evaluations without improvement restores them and
   * pauses the run.
   */
  private async evaluate(model: Model): Promise<void> {
    const test = this.test;
    if (!test || model !== this.model) return;
    const step = this.trainer?.step ?? 0;
    const heldOut = (await evaluateHeldOut(model, this.heldOutFor(model, test), {seed: SNAPSHOT_SEED})).negElbo;
    const compareSet = this.compareFor(model, test);
    const compare = compareSet ? (await evaluateHeldOut(model, compareSet, {seed: SNAPSHOT_SEED})).negElbo : undefined;
    if (model !== this.model) return;
    const memory = this.evaluations;
    memory.values.push(heldOut);
    memory.lastStep = step;
    const rule = this.setup?.earlyStopping;
    const verdict = earlyStopping(memory.values, {patience: rule?.patience ?? 1, minDelta: rule?.minDelta ?? 0});
    if (verdict.bestIndex === memory.values.length - 1) {
      if (memory.best) disposeSnapshot(memory.best.weights);
      memory.best = {step, value: heldOut, weights: model.params.snapshot()};
    }
    let stopped: {restoredStep: number; patience: number} | undefined;
    if (rule && verdict.stop && memory.best && this.trainer?.state === "running") {
      model.params.assign(memory.best.weights);
      this.trainer.pause();
      memory.stoppedEarly = true;
      stopped = {restoredStep: memory.best.step, patience: rule.patience};
    }
    this.emit({type: "evaluation", step, heldOut, compare, best: memory.best?.value ?? heldOut, bestStep: memory.best?.step ?? step, ...(stopped ? {stopped} : {})});
  }

  private makeTrainer(): void {
    if (!this.model || !this.train || !this.setup || this.trainer) return;
    const {batchSize, learningRate, beta, warmupSteps = 0, freeBits = 0, seed, epochs = 1000, readEvery = "auto"} = this.setup;
    const trainer = new Trainer({
      model: this.model,
      data: this.train,
      batchSize,
      learningRate,
      beta,
      warmupSteps,
      freeBits,
      seed,
      epochs,
      readEvery: readEvery === "auto" ? 10 : readEvery,
      historyLimit: 100
    });
    if (this.setup.evaluateEvery) {
      const every = this.setup.evaluateEvery;
      const model = this.model;
      trainer.onEpochEnd = async () => {
        if (trainer.step - this.evaluations.lastStep >= every) await this.evaluate(model);
      };
    }
    trainer.onProgress = (progress) => {
      if (readEvery === "auto" && progress.records.length > 0 && progress.state === "running") {
        trainer.setReadEvery(readbackInterval(progress.examplesPerSecond, trainer.options.batchSize));
      }
      this.emit({type: "progress", progress});
      const every = this.test?.pictures.everyMs ?? 700;
      if (progress.state === "running" && !this.snapshotting && performance.now() - this.lastSnapshot >= every) void this.snapshot();
    };
    this.trainer = trainer;
  }

  private emitStatus(): void {
    const t = this.trainer;
    this.emit({
      type: "progress",
      progress: {state: t?.state ?? "idle", step: t?.step ?? 0, epoch: t?.epoch ?? 0, totalSteps: t?.totalSteps ?? 0, records: [], examplesPerSecond: 0}
    });
  }

  private async ready(): Promise<Trainer> {
    if (!this.train) {
      if (!this.dataLoading) throw new Error("no training data: send a data command first");
      await this.dataLoading;
    }
    if (!this.trainer) throw new Error("configure a model first");
    return this.trainer;
  }

  private async play(): Promise<void> {
    if (this.running) return;
    const trainer = await this.ready();
    if (this.evaluations.stoppedEarly) {
      // Go on from the restored weights: a new count of evaluations without improvement.
      this.forgetEvaluations();
      this.evaluations.lastStep = trainer.step;
    }
    const run = trainer.run().then(async (state) => {
      if (state === "diverged") {
        trainer.acknowledgeDivergence();
        this.emitStatus();
      }
      this.running = null;
      if (trainer === this.trainer) await this.snapshot();
    });
    this.running = run.finally(() => (this.running = null));
  }

  private async stepOnce(): Promise<void> {
    const trainer = await this.ready();
    await this.running;
    await trainer.singleStep();
    if (trainer.state === "diverged") {
      trainer.acknowledgeDivergence();
      this.emitStatus();
    }
    await this.snapshot();
  }

  /** Scores the model on the held-out digits and draws its pictures; one at a time. */
  private snapshot(id?: number): Promise<void> {
    const model = this.model;
    const test = this.test;
    if (!model || !test) {
      if (id !== undefined) throw new Error("nothing to show: configure a model and send the test digits first");
      return Promise.resolve();
    }
    const previous = this.snapshotting ?? Promise.resolve();
    const work = previous.then(() => this.draw(model, test, id));
    const tracked = work.finally(() => {
      if (this.snapshotting === tracked) this.snapshotting = null;
    });
    this.snapshotting = tracked;
    this.lastSnapshot = performance.now();
    return tracked;
  }

  private heldOutFor(model: Model, test: {data: Dataset; heldOut: number}): HeldOut {
    const {config} = model;
    const mode = config.likelihood.kind === "bernoulli" ? "static" : "none";
    const key = `${mode}/${config.kind === "cvae" ? config.numClasses : 0}`;
    if (this.held?.key === key) return this.held.set;
    this.dropHeldOut();
    const set = heldOutSet(test.data, {count: test.heldOut, binarize: mode, seed: 99, numClasses: config.kind === "cvae" ? config.numClasses : undefined});
    this.held = {key, set};
    return set;
  }

  /** The compare images as a held-out set, binarized like the held-out ones. */
  private compareFor(model: Model, test: {compare?: Dataset}): HeldOut | null {
    if (!test.compare) return null;
    const {config} = model;
    const mode = config.likelihood.kind === "bernoulli" ? "static" : "none";
    const key = `${mode}/${config.kind === "cvae" ? config.numClasses : 0}`;
    if (this.compared?.key === key) return this.compared.set;
    this.compared?.set.dispose();
    const set = heldOutSet(test.compare, {count: test.compare.count, binarize: mode, seed: 99, numClasses: config.kind === "cvae" ? config.numClasses : undefined});
    this.compared = {key, set};
    return set;
  }

  private dropHeldOut(): void {
    this.held?.set.dispose();
    this.held = null;
    this.compared?.set.dispose();
    this.compared = null;
  }

  private async draw(model: Model, test: {data: Dataset; heldOut: number; pictures: PictureSpec; compare?: Dataset}, id?: number): Promise<void> {
    if (model !== this.model) return; // replaced while waiting its turn
    const step = this.trainer?.step ?? 0;
    const {data, pictures: spec} = test;
    const {config} = model;
    const held = this.heldOutFor(model, test);
    const read = async (t: tf.Tensor) => {
      const values = (await t.data()) as Float32Array;
      t.dispose();
      return values;
    };
    const score = await evaluateHeldOut(model, held, {seed: SNAPSHOT_SEED});
    const n = Math.min(spec.reconstruct, data.count);
    const conditionOf = (labels: ArrayLike<number>) => (config.kind === "cvae" ? oneHotLabels(labels, config.numClasses as number) : undefined);
    const reconstructions = await read(
      tf.tidy(() => {
        const x = tf.tensor2d(data.images.subarray(0, n * data.pixels), [n, data.pixels]);
        const c = data.labels ? conditionOf(data.labels.subarray(0, n)) : undefined;
        return model.reconstruct(x, c);
      })
    );
    const pictures: SnapshotPictures = {reconstructions};
    const compare = test.compare;
    const compareSet = this.compareFor(model, test);
    const compareScore = compareSet ? await evaluateHeldOut(model, compareSet, {seed: SNAPSHOT_SEED}) : undefined;
    if (compare && spec.reconstructCompare) {
      const m = Math.min(spec.reconstructCompare, compare.count);
      pictures.compareReconstructions = await read(
        tf.tidy(() => {
          const x = tf.tensor2d(compare.images.subarray(0, m * compare.pixels), [m, compare.pixels]);
          const c = compare.labels ? conditionOf(compare.labels.subarray(0, m)) : undefined;
          return model.reconstruct(x, c);
        })
      );
    }
    if (config.kind === "cvae" && spec.samplesPerDigit) {
      const rows = spec.samplesPerDigit;
      const classes = config.numClasses as number;
      const labels = Array.from({length: rows * classes}, (_, i) => i % classes);
      pictures.samples = await read(
        tf.tidy(() => {
          // One ε per row, shared by every column: row r is one style, asked for as each class in turn.
          // z = μ_p(c) + σ_p(c) ⊙ ε (for the standard prior, z = ε).
          const epsilon = tf.randomNormal([rows, 1, config.latentDim], 0, 1, "float32", SAMPLE_SEED);
          const shared = epsilon.tile([1, classes, 1]).reshape([rows * classes, config.latentDim]);
          const condition = conditionOf(labels);
          const p = model.prior(labels.length, condition);
          const z = p.mean.add(p.logVar.mul(0.5).exp().mul(shared)) as Tensor2D;
          return model.decodeMean(z, condition);
        })
      );
    }
    if (config.kind !== "cvae" && spec.samples) pictures.samples = await read(tf.tidy(() => model.sample(spec.samples as number, {seed: SAMPLE_SEED})));
    if (spec.means) pictures.means = {heldOut: score.means.slice(), compare: compareScore?.means, latentDim: config.latentDim};
    if (config.latentDim === 2) pictures.latent = {means: score.means, labels: held.labels};
    if (config.latentDim === 2 && config.kind !== "cvae" && spec.manifold) {
      const {n: side, extent} = spec.manifold;
      const images = await read(tf.tidy(() => model.decodeMean(tf.tensor2d(latentGrid(side, extent), [side * side, 2]) as Tensor2D)));
      pictures.manifold = {images, n: side, extent};
    }
    if (model !== this.model) return;
    const {means: _means, ...rest} = score;
    const transfer = [
      pictures.reconstructions.buffer,
      pictures.compareReconstructions?.buffer,
      pictures.samples?.buffer,
      pictures.manifold?.images.buffer,
      pictures.latent?.means.buffer,
      pictures.means?.heldOut.buffer,
      pictures.means?.compare?.buffer
    ].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
    // The labels stay with the session (it needs them for the next snapshot): they are copied, not moved.
    const compared = compareScore ? (({means: _m, ...r}) => r)(compareScore) : undefined;
    this.emit({type: "snapshot", id, step, score: rest, ...(compared ? {compareScore: compared} : {}), pictures}, transfer);
  }

  private async save(id: number, metadata: Record<string, unknown> = {}): Promise<void> {
    if (!this.model) throw new Error("there is no model to save");
    await this.halt();
    const artifacts = await modelToArtifacts(this.model, {metadata: {steps: this.trainer?.step ?? 0, ...metadata}});
    this.emit({type: "saved", id, artifacts}, artifacts.weightData instanceof ArrayBuffer ? [artifacts.weightData] : []);
  }

  private async load({id, artifacts, what, require}: Extract<TrainingCommand, {type: "load"}>): Promise<void> {
    await this.halt();
    let model: Model;
    try {
      model = modelFromArtifacts(artifacts);
    } catch (error) {
      this.emit({type: "failed", id, command: "load", message: `Could not load ${what}: ${(error as Error).message} Your current model is unchanged.`});
      return;
    }
    if (require && (model.config.kind !== require.kind || model.config.imageShape.join() !== require.imageShape.join())) {
      const wanted = require.kind === "cvae" ? "a conditional VAE" : require.kind === "vae" ? "an unconditional VAE" : "an autoencoder";
      const [h, w, channels] = require.imageShape;
      const noun = require.noun ?? "digits";
      model.dispose();
      const colour = channels === 3 ? "colour " : require.noun ? "grey " : "";
      const error = new CheckpointError(`it is not ${wanted} of ${h}×${w} ${colour}${noun}.`);
      this.emit({type: "failed", id, command: "load", message: `Could not load ${what}: ${error.message} Your current model is unchanged.`});
      return;
    }
    this.emit({type: "loaded", id, what, description: describe(model.config)});
    await this.adopt(model, "loaded");
  }
}
