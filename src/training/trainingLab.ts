// The live training lab of chapters 7 (a VAE) and 9 (a CVAE): the wiring between its controls, the
// training session (in a Web Worker, see trainingClient.ts) and its views. It holds the page's state
// (what the reader chose, what the session last reported) and nothing else: the math runs in lib,
// inside the session; the pictures are components.
import {
  checkpointFiles,
  decodeCheckpointBundle,
  readArtifacts,
  ThinnedHistory,
  tf,
  type BackendChoice,
  type Dataset,
  type Likelihood,
  type SnapshotScore,
  type StepRecord,
  type TrainingCommand,
  type TrainingEvent,
  type TrainingSetup,
  type ModelConfig
} from "../lib/index.js";
import {linked} from "../components/chapterTools.js";
import {CheckpointControls} from "../components/checkpointControls.js";
import {DigitGrid} from "../components/digitGrid.js";
import {choiceKey, button, select, type Choice} from "../components/dom.js";
import {LabControls, type ControlSpec} from "../components/labControls.js";
import {LabLatentPlane, ManifoldGrid} from "../components/labLatentPlane.js";
import {KlCurve, LossChart, LossCurves, type HeldOutPoint} from "../components/lossChart.js";
import {ReconstructionGrid} from "../components/reconstructionGrid.js";
import {connectTraining, type TrainingConnection} from "./trainingClient.js";

export interface TrainingLabOptions {
  /** "vae" (chapter 7) or "cvae" (chapter 9: the digits' labels condition both networks). */
  kind: "vae" | "cvae";
  backend: BackendChoice;
  /** Held-out digits: the first 10 are reconstructed, the first 500 scored (and drawn in the latent plane). */
  test: Dataset;
  /** URLs of the training chunks to stream in on the first play. */
  trainUrls: string[];
  /** The shipped checkpoint bundle's URL and a name for it. */
  shipped?: {url: string; name: string};
  /** Seeds the initialization, the batch order and the noise: the same seed, the same run on the same backend. */
  seed: number;
  /** Start with a small model (phones). */
  small?: boolean;
  /** Resolves when the page no longer shows the lab (Framework's `invalidation`): the worker stops. */
  invalidation?: Promise<unknown>;
  /**
   * Chapter 11: the page supplies the data with `lab.setData` (the reader's images, any side, grey or
   * colour); `trainUrls` and `test` are then only placeholders until it does.
   */
  supplied?: boolean;
  /** What the images are called in the lab's sentences (default "digits"). */
  noun?: string;
  /** Score the held-out and the training images alike every this many steps (a dot each on the chart), and offer early stopping. */
  evaluateEvery?: number;
  /** Draw the latent plane and the decoded manifold inside the lab (default true; chapter 11 draws its own). */
  latentPanel?: boolean;
  /** A VAE's samples from the prior to draw at each snapshot (default none). */
  samples?: number;
  /** The controls' first values where they differ from the defaults (a small data set's). */
  defaults?: {size?: string; latent?: number; batch?: number; earlyStop?: number};
  /** The checkpoint buttons (default true). Chapter 11 saves its model together with its images instead. */
  checkpoints?: boolean;
}

/** The data a page supplies (chapter 11): what to train on, what to hold out, and how to draw it. */
export interface SuppliedData {
  train: Dataset;
  /** The held-out images: scored, and the first ten reconstructed. */
  test: Dataset;
  /** The training images as they are (no shifted copies), scored the same way as the held-out ones. */
  compare?: Dataset;
  imageShape: [number, number, number];
  /** Draw 1 as ink (dark, the default) or as light. */
  ink?: boolean;
  /** A model to start from instead of a fresh one (a saved one), and what to call it. */
  artifacts?: tf.io.ModelArtifacts;
  what?: string;
}

/** What the lab last heard from its session: its `value`, sent with an "input" event when it changes. */
export interface LabState {
  state: string;
  step: number;
  config: ModelConfig | null;
  snapshot: Extract<TrainingEvent, {type: "snapshot"}> | null;
  evaluations: Extract<TrainingEvent, {type: "evaluation"}>[];
  /** The imageShape and ink of the data the pictures show. */
  imageShape: [number, number, number];
  ink: boolean;
}

export type TrainingLabElement = HTMLElement & {
  value: LabState;
  /** Supplied mode: trains a fresh model (or the artifacts given) on these images from now on. */
  setData(data: SuppliedData): void;
  /** The current model's decoder means for `count` codes ([count, latentDim] flattened). */
  decode(codes: Float32Array, count: number): Promise<Float32Array>;
  /** The current model as tfjs artifacts (training pauses first). */
  saveArtifacts(): Promise<tf.io.ModelArtifacts>;
};

const SIZES: Record<"mlp" | "conv", Record<string, number[]>> = {
  mlp: {small: [128], medium: [256], large: [512]},
  conv: {small: [8, 16], medium: [16, 32], large: [32, 64]}
};
const LIKELIHOODS: Choice<Likelihood>[] = [
  {label: "Bernoulli (binarized pixels)", value: {kind: "bernoulli"}, key: "bernoulli"},
  {label: "Gaussian, σ = 0.1 (grey pixels)", value: {kind: "gaussian", sigma: 0.1}, key: "gaussian-0.1"},
  {label: "Gaussian, σ = 0.3 (grey pixels)", value: {kind: "gaussian", sigma: 0.3}, key: "gaussian-0.3"}
];
const numbers = (values: number[]): Choice<number>[] => values.map((v) => ({label: String(v), value: v}));

function controlSpecs(small: boolean, defaults: TrainingLabOptions["defaults"] = {}) {
  return {
    arch: {label: "Architecture", choices: [{label: "MLP", value: "mlp"}, {label: "convolutional", value: "conv"}], value: "mlp"} as ControlSpec<"mlp" | "conv">,
    size: {label: "Size", choices: ["small", "medium", "large"].map((s) => ({label: s, value: s})), value: defaults.size ?? (small ? "small" : "medium")} as ControlSpec<string>,
    latent: {label: "Latent size", choices: numbers([2, 8, 20]), value: defaults.latent ?? (small ? 2 : 8)} as ControlSpec<number>,
    likelihood: {label: "Likelihood", choices: LIKELIHOODS, value: LIKELIHOODS[0].value} as ControlSpec<Likelihood>,
    beta: {label: "β (KL weight)", choices: numbers([0, 0.5, 1, 2, 4]), value: 1} as ControlSpec<number>,
    rate: {label: "Learning rate", choices: numbers([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1, 1]), value: 1e-3} as ControlSpec<number>,
    batch: {label: "Batch size", choices: numbers([32, 64, 128, 256]), value: defaults.batch ?? (small ? 64 : 128)} as ControlSpec<number>,
    warmup: {
      label: "KL warm-up (steps)",
      choices: numbers([0, 200, 1000, 5000]),
      value: 0,
      title: "β rises from 0 to its value over this many steps (0: no warm-up)"
    } as ControlSpec<number>,
    freeBits: {
      label: "Free bits λ (nats per unit)",
      choices: numbers([0, 0.1, 0.25, 0.5, 1]),
      value: 0,
      title: "Each latent unit's KL counts as at least λ in the training loss (0: off)"
    } as ControlSpec<number>
  };
}

type Specs = ReturnType<typeof controlSpecs>;
/** Controls whose change builds a new model; the others change the running trainer. */
const STRUCTURAL: (keyof Specs)[] = ["arch", "size", "latent", "likelihood", "batch"];
/** Where each control's value lives in the URL, and the key (and option order) links used before values were stored. */
const LINKS: Record<keyof Specs, {key: string; legacy?: {key: string; order: string[]}}> = {
  arch: {key: "train-arch", legacy: {key: "lab-arch", order: ["mlp", "conv"]}},
  size: {key: "train-size", legacy: {key: "lab-size", order: ["small", "medium", "large"]}},
  latent: {key: "train-latent", legacy: {key: "lab-latent", order: ["2", "8", "20"]}},
  likelihood: {key: "train-likelihood", legacy: {key: "lab-likelihood", order: ["bernoulli", "gaussian-0.1", "gaussian-0.3"]}},
  beta: {key: "train-beta", legacy: {key: "lab-beta", order: ["0", "0.5", "1", "2", "4"]}},
  rate: {key: "train-lr", legacy: {key: "lab-rate", order: ["0.0001", "0.0003", "0.001", "0.003", "0.01", "0.1", "1"]}},
  batch: {key: "train-batch", legacy: {key: "lab-batch", order: ["32", "64", "128", "256"]}},
  warmup: {key: "train-warmup"},
  freeBits: {key: "train-freebits"}
};

/** An old link's value: the option's position then (a whole number), or, if a teacher typed one, the value itself. */
function legacyReader(order: string[], keys: string[]) {
  return (text: string) => {
    const index = /^\d+$/.test(text) ? Number(text) : NaN;
    if (Number.isInteger(index) && index < order.length) return order[index];
    return keys.includes(text) ? text : undefined;
  };
}

const STORAGE = "indexeddb://vae-explorables-training-lab";
const EARLY_STOP: Choice<number>[] = [
  {label: "off", value: 0},
  {label: "after 5 scores without improvement", value: 5},
  {label: "after 10 scores without improvement", value: 10}
];
const HELD_OUT = 500;
const MANIFOLD = {n: 12, extent: 3};

/**
 * The page's drawing, one job per task: each job runs in a macrotask of its own (never two in one
 * frame's callbacks), so no single task holds the page for long. A job queued under a key that is
 * still waiting replaces it (only the latest state is drawn), and a key runs at most once per `gap` ms.
 */
function renderQueue() {
  const waiting = new Map<string, () => void>();
  const last = new Map<string, number>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  const gaps = new Map<string, number>();
  const pump = () => {
    timer = null;
    const now = performance.now();
    for (const [key, job] of waiting) {
      if (now - (last.get(key) ?? -Infinity) < (gaps.get(key) ?? 0)) continue;
      waiting.delete(key);
      last.set(key, now);
      job();
      break;
    }
    if (waiting.size > 0) timer = setTimeout(pump, waiting.size > 0 ? 16 : 0);
  };
  return (key: string, job: () => void, gap = 0) => {
    waiting.set(key, job);
    gaps.set(key, gap);
    timer ??= setTimeout(pump, 0);
  };
}

function download(name: string, bytes: Uint8Array, type: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], {type}));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The lab as one node: controls, play/pause/step/reset, checkpoints, the loss chart, the held-out
 * score, reconstructions (and, for a CVAE, samples of each digit), and with a 2-D latent the latent
 * plane and the decoded manifold. `data-ready="true"` is set on it once the first pictures are drawn;
 * `data-state`, `data-step`, `data-thread`, `data-neg-elbo` and `data-pictures-step` say what it shows.
 * Its `value` is what the session last said (LabState), with an "input" event when that changes, so a
 * page can draw more from it (chapter 11's latent plane); `setData`, `decode` and `saveArtifacts` are
 * for pages that supply their own images.
 */
export function TrainingLab(options: TrainingLabOptions): TrainingLabElement {
  const {kind, backend, trainUrls, shipped, seed, small = false, invalidation, supplied = false, noun = "digits", evaluateEvery, latentPanel = true, samples = 0, defaults = {}, checkpoints: showCheckpoints = true} = options;
  let test = options.test;
  if (kind === "cvae" && !test.labels) throw new Error("the conditional lab needs labelled test digits");
  const root = document.createElement("div") as unknown as TrainingLabElement;
  root.className = "training-lab";
  root.dataset.state = "starting";
  root.dataset.step = "0";
  const storage = kind === "cvae" ? `${STORAGE}-cvae` : STORAGE;
  // What the pictures show: MNIST's digits, or (supplied) the page's images.
  let imageShape: [number, number, number] = [28, 28, 1];
  let ink = true;
  let compare: Dataset | undefined;
  let train: Dataset | null = null;

  // ---- views
  const specs = controlSpecs(small, defaults);
  const controls = LabControls(specs);
  const fields = controls.fields;
  const early = evaluateEvery ? select("Early stopping", EARLY_STOP, defaults.earlyStop ?? 5) : null;
  if (early) {
    early.field.title = `The held-out −ELBO is scored at the end of each epoch that comes at least ${evaluateEvery} steps after the last score; stop when it has not improved on its best for this many scores in a row, and go back to the best weights`;
    early.input.name = "earlyStop";
    controls.append(early.field);
  }
  const play = button("▶ Play", () => start());
  const pause = button("Pause", () => send({type: "pause"}));
  const step = button("Step", () => stepOnce());
  const reset = button("Reset", () => {
    setMessage("");
    send({type: "reset"});
  });
  const buttons = document.createElement("div");
  buttons.className = "lab-buttons";
  buttons.append(play, pause, step, reset);
  const checkpoints = CheckpointControls({
    saveFile: () => save("file"),
    saveBrowser: () => save("browser"),
    loadBrowser: () => load(() => readArtifacts(storage), "the checkpoint saved in this browser"),
    loadShipped: () =>
      load(async () => {
        if (!shipped) throw new Error("this lab has no shipped model.");
        return decodeCheckpointBundle(new Uint8Array(await (await fetch(shipped.url)).arrayBuffer()), shipped.name);
      }, "the shipped model"),
    upload: (files) => load(() => readArtifacts(files), "the uploaded checkpoint")
  });
  const progressBar = document.createElement("progress");
  progressBar.max = 1;
  progressBar.value = 0;
  progressBar.hidden = true;
  progressBar.setAttribute("aria-label", "Training data loading");
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.textContent = `Starting the training worker on ${backend.backend}…`;
  const where = document.createElement("p");
  where.className = "lab-status lab-thread";
  const message = document.createElement("p");
  message.className = "lab-message";
  message.setAttribute("role", "alert");
  const chart = document.createElement("div");
  chart.className = "lab-chart";
  const score = document.createElement("p");
  score.className = "lab-status lab-score";
  const pictures = document.createElement("div");
  pictures.className = "lab-pictures";
  const latent = document.createElement("div");
  latent.className = "lab-latent";
  root.append(controls, buttons, ...(showCheckpoints ? [checkpoints] : []), progressBar, status, where, message, chart, score, pictures, ...(latentPanel ? [latent] : []));

  // ---- state: what the reader chose is in the controls; the rest is what the session last said
  let connection: TrainingConnection | null = null;
  let description = "";
  let state = "starting";
  let currentStep = 0;
  let examplesPerSecond = 0;
  let dataRequested = false;
  let playWhenLoaded = false;
  let nextId = 1;
  let pendingData: SuppliedData | null = null;
  const saving = new Map<number, "file" | "browser" | ((artifacts: tf.io.ModelArtifacts) => void)>();
  const decoding = new Map<number, {resolve: (images: Float32Array) => void; reject: (error: Error) => void}>();
  // Bounded, so a redraw costs the same at step 100 and at step 100,000 (a few hundred points a line).
  const history = new ThinnedHistory<StepRecord>(250);
  const heldOut = new ThinnedHistory<HeldOutPoint>(200);
  const compared = new ThinnedHistory<{step: number; negElbo: number}>(200);
  const labState: LabState = {state, step: 0, config: null, snapshot: null, evaluations: [], imageShape, ink};
  root.value = labState;
  const changed = () => {
    Object.assign(labState, {state, step: currentStep, imageShape, ink});
    root.dispatchEvent(new Event("input", {bubbles: true}));
  };

  /** Sends a command to the session. Before it is connected nothing is sent: the controls are read when it connects. */
  function send(command: TrainingCommand, transfer?: Transferable[]) {
    connection?.send(command, transfer);
  }

  function setMessage(text: string) {
    message.textContent = text;
  }

  const setup = (): TrainingSetup => {
    const arch = fields.arch.value();
    const patience = early?.value() ?? 0;
    return {
      config: {
        kind,
        arch,
        imageShape,
        hiddenSizes: SIZES[arch][fields.size.value()],
        latentDim: fields.latent.value(),
        likelihood: fields.likelihood.value(),
        seed,
        ...(kind === "cvae" ? {numClasses: 10, prior: "standard" as const} : {})
      },
      batchSize: fields.batch.value(),
      learningRate: fields.rate.value(),
      beta: fields.beta.value(),
      warmupSteps: fields.warmup.value(),
      freeBits: fields.freeBits.value(),
      seed,
      ...(supplied ? {epochs: 1_000_000} : {}),
      ...(evaluateEvery ? {evaluateEvery, earlyStopping: patience > 0 ? {patience} : null} : {})
    };
  };

  function updateStatus() {
    const last = history.latest;
    const differs = last && Math.abs(last.loss - last.negElbo) > 1e-3 * Math.max(1, last.negElbo);
    status.textContent =
      `${description || "no model yet"} · seed ${seed} · ${state} · step ${currentStep}` +
      (last ? ` · −ELBO ${last.negElbo.toFixed(1)} nats` + (differs ? ` (training loss ${last.loss.toFixed(1)}, β = ${last.beta})` : "") : "") +
      (examplesPerSecond ? ` · ${examplesPerSecond.toFixed(0)} examples/s` : "") +
      ` · backend ${connection?.backend ?? backend.backend}`;
    root.dataset.state = state;
    root.dataset.step = String(currentStep);
    // The last step's −ELBO in full, for comparing two runs exactly (the worker against the page's thread).
    if (last) root.dataset.negElbo = String(last.negElbo);
    else delete root.dataset.negElbo;
    const running = state === "running" || state === "loading";
    play.disabled = running || !connection;
    pause.disabled = state !== "running";
    step.disabled = running || !connection;
    reset.disabled = running || !connection;
    checkpoints.setDisabled(running || !connection);
    controls.setDisabled(STRUCTURAL, running);
  }

  const schedule = renderQueue();
  const chartNames = supplied ? {heldOut: `−ELBO (held-out ${noun})`, compare: `−ELBO (training ${noun}, scored alike)`, heldOutKl: `KL (held-out ${noun})`} : {};
  // The two panels are drawn as two jobs, so that neither task holds the page for long.
  function drawChart() {
    schedule("losses", () => {
      const points = history.pointsWithLatest;
      if (points.length === 0) return chart.replaceChildren(LossChart([]));
      const options = {width: Math.max(280, Math.min(720, chart.clientWidth || 640)), heldOut: heldOut.points, compare: compared.points, names: chartNames};
      const [, kl] = chart.children;
      chart.replaceChildren(LossCurves(points, options), ...(kl ? [kl] : []));
      schedule("kl", () => {
        const [losses] = chart.children;
        if (losses) chart.replaceChildren(losses, KlCurve(points, options));
      });
    }, 1500);
  }

  const value = (name: string, v: number, digits = 1) => {
    const span = document.createElement("span");
    span.dataset.value = name;
    span.textContent = v.toFixed(digits);
    return span;
  };

  function drawScore(s: SnapshotScore & {step: number}, c?: SnapshotScore) {
    score.replaceChildren();
    const latentDim = s.variances.length;
    // The reconstruction loss shown is the −ELBO shown minus the KL shown, so the sum reads true to the
    // last digit (each within 0.05 of its exact value, the reconstruction loss within 0.1).
    const shownReconstruction = Number(s.negElbo.toFixed(1)) - Number(s.kl.toFixed(1));
    score.append(
      `On ${s.count} held-out ${noun} at step ${s.step}: −ELBO `,
      value("test-neg-elbo", s.negElbo),
      " = reconstruction loss ",
      value("test-reconstruction-loss", Number.isFinite(shownReconstruction) ? shownReconstruction : s.reconstructionLoss),
      " + KL ",
      value("test-kl", s.kl),
      " nats; active units (variance over digits of the unit's mean μ",
      Object.assign(document.createElement("sub"), {textContent: "j"}),
      " above 0.01): ",
      value("active-units", s.activeUnits, 0),
      ` of ${latentDim}`,
      // An untrained encoder's random weights already give each unit a mean that varies from digit to digit.
      s.step === 0 ? " (before training, random weights already make the means vary)." : "."
    );
    if (c) score.append(` On the ${c.count} training ${noun}, scored the same way: −ELBO `, value("train-neg-elbo", c.negElbo), " nats.");
  }

  /** Draws a snapshot's pictures: the reconstructions in one frame, the latent plane in the next (each task stays short). */
  function drawPictures(event: Extract<TrainingEvent, {type: "snapshot"}>) {
    const {step: at, pictures: p} = event;
    const [side, , channels] = imageShape;
    const size = side * side * channels;
    const look = {side, channels, ink};
    const shown = Math.min(10, test.count);
    const nodes: HTMLElement[] = [];
    if (supplied && p.compareReconstructions && compare) {
      const m = Math.floor(p.compareReconstructions.length / size);
      nodes.push(
        caption(`Top: ${m} training ${noun}; below them, the model's reconstructions.`),
        ReconstructionGrid(compare.images.subarray(0, m * size), p.compareReconstructions, {step: at, ...look, originalsLabel: `${m} training ${noun}`, reconstructionsLabel: `The model's reconstructions of the training ${noun} at step ${at}`})
      );
    }
    nodes.push(
      ...(supplied ? [caption(`Top: ${shown} held-out ${noun}, never trained on; below them, the model's reconstructions.`)] : []),
      ReconstructionGrid(test.images.subarray(0, shown * size), p.reconstructions, {step: at, ...look, ...(supplied ? {originalsLabel: `${shown} held-out ${noun}`, reconstructionsLabel: `The model's reconstructions of the held-out ${noun} at step ${at}`} : {})})
    );
    if (p.samples) {
      if (kind === "cvae") {
        nodes.push(
          caption("Below: two samples of each digit 0–9, asked for by label (the same two codes in every column)."),
          DigitGrid(p.samples, {columns: 10, scale: 2, label: `Samples of each digit 0 to 9 from the conditional VAE at step ${at}`})
        );
      } else {
        const n = Math.floor(p.samples.length / size);
        nodes.push(caption(`Below: ${n} samples, the decoder's mean image for ${n} codes drawn from the prior (the same codes at every step).`), DigitGrid(p.samples, {columns: 10, scale: 2, ...look, label: `${n} samples from the prior at step ${at}`}));
      }
    }
    pictures.replaceChildren(...nodes);
    root.dataset.picturesStep = String(at);
    if (latentPanel) schedule("latent", () => drawLatent(at, p), 1500);
  }

  function caption(text: string) {
    const note = document.createElement("p");
    note.className = "lab-status";
    note.textContent = text;
    return note;
  }

  function drawLatent(at: number, p: Extract<TrainingEvent, {type: "snapshot"}>["pictures"]) {
    if (!p.latent) {
      // A CVAE's decoder needs a label as well as a code, so its lab draws no manifold grid.
      latent.replaceChildren(
        caption(
          kind === "cvae"
            ? "Choose latent size 2 to watch the latent plane (the held-out digits' codes, given their labels) organise itself as the model trains."
            : "Choose latent size 2 to watch the latent plane and the decoded manifold organise themselves as the model trains."
        )
      );
      return;
    }
    const row = document.createElement("div");
    row.className = "lab-latent-row";
    const width = Math.min(340, latent.clientWidth || 340);
    const count = p.latent.means.length / 2;
    row.append(LabLatentPlane(p.latent.means, p.latent.labels, {width, step: at, extent: MANIFOLD.extent}));
    if (p.manifold) row.append(ManifoldGrid(p.manifold.images, {n: p.manifold.n, extent: p.manifold.extent, step: at, side: imageShape[0], channels: imageShape[2], ink}));
    latent.replaceChildren(
      row,
      caption(
        p.manifold
          ? `The scatter: where the encoder puts ${count} held-out ${noun} (q's means)${p.latent.labels ? `, coloured by ${kind === "cvae" || noun === "digits" ? "digit" : "kind"}` : ""}. The grid: what the decoder draws at ${p.manifold.n} × ${p.manifold.n} points of the dashed square, z₂ upwards. Both redraw as the model trains.`
          : `Where the encoder puts ${count} held-out digits (q's means, given their labels), coloured by digit: with the label given, z only needs the style.`
      )
    );
  }

  function onEvent(event: TrainingEvent) {
    switch (event.type) {
      case "dataProgress":
        progressBar.hidden = false;
        progressBar.value = event.fraction;
        status.textContent = event.message;
        return;
      case "dataReady":
        progressBar.hidden = true;
        if (state === "loading") state = "idle";
        if (playWhenLoaded) {
          playWhenLoaded = false;
          send({type: "play"});
        }
        updateStatus();
        return;
      case "model":
        description = event.description;
        labState.config = event.config;
        labState.evaluations = [];
        history.clear();
        heldOut.clear();
        compared.clear();
        examplesPerSecond = 0;
        chart.replaceChildren(LossChart([]));
        updateStatus();
        return;
      case "progress": {
        const p = event.progress;
        history.push(...p.records);
        if (p.examplesPerSecond > 0 && p.records.length > 0) examplesPerSecond = examplesPerSecond ? 0.7 * examplesPerSecond + 0.3 * p.examplesPerSecond : p.examplesPerSecond;
        const before = state;
        if (state !== "loading" || p.state === "running") state = p.state === "done" ? "done" : p.state;
        currentStep = p.step;
        if (p.divergence) setMessage(`${p.divergence.message} Training is paused: choose a smaller learning rate and press play.`);
        if (p.records.length > 0) drawChart();
        updateStatus();
        if (before !== state) changed();
        return;
      }
      case "snapshot": {
        if (!evaluateEvery && Number.isFinite(event.score.negElbo) && event.step > 0) heldOut.push({step: event.step, negElbo: event.score.negElbo, kl: event.score.kl});
        drawScore({...event.score, step: event.step}, event.compareScore);
        drawPictures(event);
        drawChart();
        root.dataset.ready = "true";
        labState.snapshot = event;
        changed();
        return;
      }
      case "evaluation": {
        labState.evaluations.push(event);
        if (Number.isFinite(event.heldOut)) heldOut.push({step: event.step, negElbo: event.heldOut, kl: NaN});
        if (event.compare !== undefined && Number.isFinite(event.compare)) compared.push({step: event.step, negElbo: event.compare});
        if (event.stopped) {
          const {patience, restoredStep} = event.stopped;
          setMessage(
            `Early stopping: the held-out −ELBO has not improved on its best for ${patience} scores in a row, so training paused and went back to the weights of step ${restoredStep} ` +
              `(held-out −ELBO ${event.best.toFixed(1)} nats). Press play to go on anyway.`
          );
          root.dataset.stoppedAt = String(event.step);
        }
        drawChart();
        changed();
        return;
      }
      case "decoded": {
        decoding.get(event.id)?.resolve(event.images);
        decoding.delete(event.id);
        return;
      }
      case "saved": {
        const where = saving.get(event.id);
        saving.delete(event.id);
        if (typeof where === "function") return where(event.artifacts);
        if (where === "file") {
          for (const file of checkpointFiles(event.artifacts, `vae-explorables-${kind}`)) download(file.name, file.bytes, file.name.endsWith(".json") ? "application/json" : "application/octet-stream");
          setMessage("Saved: your browser downloaded the checkpoint's two files.");
        } else {
          const handler = tf.io.getSaveHandlers(storage)[0];
          if (!handler?.save) return setMessage("Could not save: this browser offers no storage for the page.");
          handler.save(event.artifacts).then(
            () => setMessage("Saved in this browser."),
            (error: Error) => setMessage(`Could not save: ${error.message}`)
          );
        }
        return;
      }
      case "loaded":
        setMessage(`Loaded ${event.what}: ${event.description}. Press play to keep training it.`);
        return;
      case "failed":
        if (event.id !== undefined && decoding.has(event.id)) {
          decoding.get(event.id)?.reject(new Error(event.message));
          decoding.delete(event.id);
          return;
        }
        if (event.command === "data") {
          dataRequested = false;
          playWhenLoaded = false;
          progressBar.hidden = true;
          state = "idle";
          setMessage(`${event.message}. Your model is unchanged; try again.`);
        } else setMessage(event.message);
        updateStatus();
        return;
    }
  }

  function start() {
    setMessage("");
    if (supplied) {
      if (!train) return setMessage(`Bring some ${noun} first: there is nothing to train on yet.`);
      send({type: "play"});
      return;
    }
    if (!dataRequested) {
      dataRequested = true;
      playWhenLoaded = true;
      state = "loading";
      progressBar.hidden = false;
      updateStatus();
      send({type: "data", urls: trainUrls});
      return;
    }
    if (state === "loading") return;
    send({type: "play"});
  }

  function stepOnce() {
    setMessage("");
    if (supplied) {
      if (!train) return setMessage(`Bring some ${noun} first: there is nothing to train on yet.`);
    } else if (!dataRequested) {
      dataRequested = true;
      state = "loading";
      progressBar.hidden = false;
      updateStatus();
      send({type: "data", urls: trainUrls});
    }
    send({type: "step"});
  }

  function save(to: "file" | "browser") {
    const id = nextId++;
    saving.set(id, to);
    send({type: "save", id, metadata: {from: "the training lab"}});
  }

  const requirement = () => ({kind, imageShape, ...(supplied ? {noun} : {})});

  async function load(read: () => Promise<tf.io.ModelArtifacts> | tf.io.ModelArtifacts, what: string) {
    let artifacts: tf.io.ModelArtifacts;
    try {
      artifacts = await read();
    } catch (error) {
      setMessage(`Could not load ${what}: ${(error as Error).message} Your current model is unchanged.`);
      return;
    }
    const transfer = artifacts.weightData instanceof ArrayBuffer ? [artifacts.weightData] : [];
    send({type: "load", id: nextId++, artifacts, what, require: requirement()}, transfer);
  }

  /** The picture settings the session draws with. */
  const pictureSpec = () => ({
    reconstruct: Math.min(10, test.count),
    samplesPerDigit: kind === "cvae" ? 2 : 0,
    manifold: MANIFOLD,
    everyMs: 700,
    ...(supplied ? {samples, means: true, reconstructCompare: compare ? Math.min(10, compare.count) : 0} : {})
  });

  function sendData(data: SuppliedData) {
    send({type: "test", test: data.test, heldOut: data.test.count, compare: data.compare, pictures: pictureSpec()});
    send({type: "dataset", train: data.train});
    send({type: "configure", setup: setup()});
    if (data.artifacts) {
      const copy = {...data.artifacts, weightData: data.artifacts.weightData instanceof ArrayBuffer ? data.artifacts.weightData.slice(0) : data.artifacts.weightData};
      send({type: "load", id: nextId++, artifacts: copy, what: data.what ?? "the saved model", require: requirement()});
    }
  }

  root.setData = (data: SuppliedData) => {
    if (!supplied) throw new Error("setData is for a lab made with supplied: true");
    test = data.test;
    compare = data.compare;
    train = data.train;
    imageShape = data.imageShape;
    ink = data.ink ?? true;
    labState.snapshot = null;
    setMessage("");
    if (connection) sendData(data);
    else pendingData = data;
  };

  root.decode = (codes: Float32Array, count: number) =>
    new Promise<Float32Array>((resolve, reject) => {
      if (!connection) return reject(new Error("the training session has not started yet"));
      const id = nextId++;
      decoding.set(id, {resolve, reject});
      send({type: "decode", id, codes: codes.slice(), count});
    });

  root.saveArtifacts = () =>
    new Promise<tf.io.ModelArtifacts>((resolve, reject) => {
      if (!connection) return reject(new Error("the training session has not started yet"));
      const id = nextId++;
      saving.set(id, resolve);
      send({type: "save", id, metadata: {from: "chapter 11's lab"}});
    });

  // ---- permalinks: each control's value is in the URL; links from before (option positions) still open
  for (const name of Object.keys(LINKS) as (keyof Specs)[]) {
    const {key, legacy} = LINKS[name];
    const field = fields[name];
    const keys = field.choices.map(choiceKey);
    linked(field.input, key, legacy ? {legacy: {key: legacy.key, parse: legacyReader(legacy.order, keys)}} : {});
  }
  if (early) {
    linked(early.input, "train-early-stop");
    early.input.addEventListener("change", () => {
      const patience = early.value();
      send({type: "set", earlyStopping: patience > 0 ? {patience} : null});
    });
  }
  for (const name of STRUCTURAL) {
    fields[name].input.addEventListener("change", () => {
      setMessage("");
      send({type: "configure", setup: setup()});
    });
  }
  fields.rate.input.addEventListener("change", () => send({type: "set", learningRate: fields.rate.value()}));
  fields.beta.input.addEventListener("change", () => send({type: "set", beta: fields.beta.value()}));
  fields.warmup.input.addEventListener("change", () => send({type: "set", warmupSteps: fields.warmup.value()}));
  fields.freeBits.input.addEventListener("change", () => send({type: "set", freeBits: fields.freeBits.value()}));
  new ResizeObserver(() => drawChart()).observe(chart);

  updateStatus();
  connectTraining(backend).then((c) => {
    connection = c;
    root.dataset.thread = c.thread;
    where.textContent = c.reason;
    c.listen(onEvent);
    if (supplied) {
      if (pendingData) sendData(pendingData);
      pendingData = null;
    } else {
      c.send({type: "test", test, heldOut: HELD_OUT, pictures: pictureSpec()});
      c.send({type: "configure", setup: setup()});
    }
    state = "idle";
    updateStatus();
    void invalidation?.then(() => {
      for (const {reject} of decoding.values()) reject(new Error("the lab was closed"));
      c.close();
    });
  });
  return root;
}
