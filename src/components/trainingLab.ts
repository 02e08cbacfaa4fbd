import * as Plot from "@observablehq/plot";
import {
  createModel,
  describeConfig,
  loadCheckpoint,
  modelConfig,
  binarize,
  mulberry32,
  saveCheckpoint,
  tf,
  Trainer,
  type Dataset,
  type Likelihood,
  type Model,
  type ModelConfig,
  type StepRecord
} from "../lib/index.js";
import {linked} from "./chapterTools.js";
import {DigitGrid} from "./digitGrid.js";
import {button, select, type Choice} from "./dom.js";

export interface TrainingLabOptions {
  /** Streams the training set in, reporting progress. */
  loadTrain: (onProgress: (fraction: number, message: string) => void) => Promise<Dataset>;
  /** Held-out digits: the first 10 are reconstructed, the first 500 give the test loss. */
  test: Dataset;
  /** The shipped checkpoint to start from. */
  loadShipped: () => Promise<Model>;
  backend: string;
  /** Start with a small model (phones). */
  small?: boolean;
  /** Train a conditional VAE on the digits' labels (chapter 9) instead of a VAE. */
  conditional?: boolean;
  /** Seeds the initialization, the batch order and the noise: the same seed, the same run on the same backend. */
  seed?: number;
}

const SIZES: Record<"mlp" | "conv", number[][]> = {mlp: [[128], [256], [512]], conv: [[8, 16], [16, 32], [32, 64]]};
const LIKELIHOODS: Choice<Likelihood>[] = [
  {label: "Bernoulli (binarized pixels)", value: {kind: "bernoulli"}},
  {label: "Gaussian, σ = 0.1 (grey pixels)", value: {kind: "gaussian", sigma: 0.1}},
  {label: "Gaussian, σ = 0.3 (grey pixels)", value: {kind: "gaussian", sigma: 0.3}}
];
const STORAGE = "indexeddb://vae-explorables-training-lab";
const DIGITS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

/**
 * The live training lab of chapter 7: choose a model, press play, watch the losses and the
 * reconstructions, save and load checkpoints. All state lives in this node; the math is lib's.
 */
export function TrainingLab({loadTrain, test, loadShipped, backend, small = false, conditional = false, seed = 1}: TrainingLabOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "training-lab";
  if (conditional && !test.labels) throw new Error("the conditional lab needs labelled test digits");
  const storage = conditional ? `${STORAGE}-cvae` : STORAGE;
  const kind = conditional ? "cvae" : "vae";
  /** One-hot labels of the first n test digits (the CVAE's condition), or undefined for a VAE. */
  const conditionOf = (labels: ArrayLike<number>) =>
    conditional ? tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(labels), "int32"), 10).toFloat() as tf.Tensor2D) : undefined;

  const arch = select<"mlp" | "conv">("Architecture", [{label: "MLP", value: "mlp"}, {label: "convolutional", value: "conv"}], 0);
  const size = select<number>("Size", [{label: "small", value: 0}, {label: "medium", value: 1}, {label: "large", value: 2}], small ? 0 : 1);
  const latent = select<number>("Latent size", [2, 8, 20].map((n) => ({label: String(n), value: n})), small ? 0 : 1);
  const likelihood = select<Likelihood>("Likelihood", LIKELIHOODS, 0);
  const beta = select<number>("β (KL weight)", [0, 0.5, 1, 2, 4].map((b) => ({label: String(b), value: b})), 2);
  const rate = select<number>("Learning rate", [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1, 1].map((r) => ({label: String(r), value: r})), 2);
  const batch = select<number>("Batch size", [32, 64, 128, 256].map((b) => ({label: String(b), value: b})), small ? 1 : 2);
  const controls = document.createElement("div");
  controls.className = "lab-controls";
  controls.append(...[arch, size, latent, likelihood, beta, rate, batch].map((s) => s.field));

  const play = button("▶ Play", () => void start());
  const pause = button("Pause", () => trainer?.pause());
  const step = button("Step", () => void stepOnce());
  const reset = button("Reset", () => rebuild());
  const saveFile = button("Save to a file", () => void save(`downloads://vae-explorables-${kind}`));
  const saveBrowser = button("Save in this browser", () => void save(storage));
  const loadBrowser = button("Load from this browser", () => void replace(() => loadCheckpoint(storage), "the checkpoint saved in this browser"));
  const shipped = button("Start from the shipped model", () => void replace(loadShipped, "the shipped model"));
  const upload = document.createElement("input");
  upload.type = "file";
  upload.multiple = true;
  upload.accept = ".json,.bin";
  upload.setAttribute("aria-label", "Upload a checkpoint: its .json and .weights.bin files");
  upload.addEventListener("change", () => {
    const files = Array.from(upload.files ?? []);
    if (files.length) void replace(() => loadCheckpoint(files), "the uploaded checkpoint");
    upload.value = "";
  });
  const uploadLabel = document.createElement("label");
  uploadLabel.className = "lab-upload";
  uploadLabel.append("Load from files: ", upload);
  const buttons = document.createElement("div");
  buttons.className = "lab-buttons";
  buttons.append(play, pause, step, reset, saveFile, saveBrowser, loadBrowser, shipped, uploadLabel);

  const progress = document.createElement("progress");
  progress.max = 1;
  progress.value = 0;
  progress.hidden = true;
  progress.setAttribute("aria-label", "Training data loading");
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const message = document.createElement("p");
  message.className = "lab-message";
  message.setAttribute("role", "alert");
  const chart = document.createElement("div");
  chart.className = "lab-chart";
  const pictures = document.createElement("div");
  pictures.className = "lab-pictures";
  root.append(controls, buttons, progress, status, message, chart, pictures);

  let model: Model | null = null;
  let trainer: Trainer | null = null;
  let train: Dataset | null = null;
  let loading: Promise<Dataset> | null = null;
  let history: StepRecord[] = [];
  let testHistory: {step: number; loss: number}[] = [];
  let rate10 = 0;
  let heldOut: {x: tf.Tensor2D; first10: tf.Tensor2D; condition?: tf.Tensor2D; condition10?: tf.Tensor2D; likelihood: string} | null = null;

  const config = (): ModelConfig =>
    modelConfig({kind, arch: arch.value(), hiddenSizes: SIZES[arch.value()][size.value()], latentDim: latent.value(), likelihood: likelihood.value(), seed});

  function setMessage(text: string) {
    message.textContent = text;
  }

  function heldOutFor(m: Model) {
    const key = JSON.stringify(m.config.likelihood);
    if (heldOut?.likelihood === key) return heldOut;
    if (heldOut) for (const t of [heldOut.x, heldOut.first10, heldOut.condition, heldOut.condition10]) t?.dispose();
    const draw = mulberry32(99);
    const count = Math.min(500, test.count);
    const pixels = test.images.subarray(0, count * test.pixels);
    const data = m.config.likelihood.kind === "bernoulli" ? binarize(pixels, draw) : Float32Array.from(pixels);
    heldOut = {
      x: tf.tensor2d(data, [count, test.pixels]),
      first10: tf.tensor2d(test.images.slice(0, 10 * test.pixels), [10, test.pixels]),
      condition: test.labels ? conditionOf(test.labels.subarray(0, count)) : undefined,
      condition10: test.labels ? conditionOf(test.labels.subarray(0, 10)) : undefined,
      likelihood: key
    };
    return heldOut;
  }

  function updateStatus() {
    const state = trainer?.state ?? "idle";
    const last = history.at(-1);
    status.textContent =
      `${model ? describeConfig(model.config) : "no model"} · ${state} · step ${trainer?.step ?? 0}` +
      (last ? ` · −ELBO ${last.loss.toFixed(1)} nats` : "") +
      (rate10 ? ` · ${rate10.toFixed(0)} examples/s` : "") +
      ` · backend ${backend}`;
    root.dataset.state = state;
    root.dataset.step = String(trainer?.step ?? 0);
    const running = state === "running";
    play.disabled = running;
    pause.disabled = !running;
    step.disabled = running;
    for (const b of [reset, saveFile, saveBrowser, loadBrowser, shipped]) b.disabled = running;
    upload.disabled = running;
    for (const s of [arch, size, latent, likelihood, beta, batch]) s.input.disabled = running;
  }

  function drawChart() {
    if (history.length === 0) {
      const empty = document.createElement("p");
      empty.className = "lab-status";
      empty.textContent = "The loss curves appear here once training starts.";
      chart.replaceChildren(empty);
      return;
    }
    const rows = history.flatMap((r) => [
      {step: r.step, nats: r.loss, series: "−ELBO (train)"},
      {step: r.step, nats: r.reconstructionLoss, series: "−reconstruction (train)"},
      {step: r.step, nats: r.kl, series: "KL (train)"}
    ]);
    const testRows = testHistory.map((t) => ({step: t.step, nats: t.loss, series: "−ELBO (test)"}));
    const width = Math.max(280, Math.min(720, root.clientWidth || 640));
    chart.replaceChildren(
      Plot.plot({
        width,
        height: 260,
        ariaLabel: `Loss curves over ${trainer?.step ?? 0} training steps`,
        x: {label: "step"},
        y: {label: "nats per image", grid: true, zero: true},
        color: {legend: true, domain: ["−ELBO (train)", "−reconstruction (train)", "KL (train)", "−ELBO (test)"]},
        marks: [Plot.line(rows, {x: "step", y: "nats", stroke: "series"}), Plot.dot(testRows, {x: "step", y: "nats", fill: "series", r: 3})]
      })
    );
  }

  let drawing = 0;
  /**
   * Redraws the digits. Reads back with data(), not dataSync(): on a GPU, dataSync() would block the
   * page until every queued training step had run (seconds on a slow GPU).
   */
  async function drawPictures() {
    if (!model) return;
    const ticket = ++drawing;
    const held = heldOutFor(model);
    const at = trainer?.step ?? 0;
    const read = async (t: tf.Tensor) => {
      const values = (await t.data()) as Float32Array;
      t.dispose();
      return values;
    };
    const reconstructions = await read(tf.tidy(() => (model as Model).reconstruct(held.first10, held.condition10)));
    const figures: HTMLElement[] = [
      DigitGrid(test.images.subarray(0, 10 * test.pixels), {columns: 10, scale: 2, label: "Ten held-out test digits"}),
      DigitGrid(reconstructions, {columns: 10, scale: 2, label: `The model's reconstructions at step ${at}`})
    ];
    if (conditional) {
      // Two samples of each digit, asked for by label: the same two codes z in every column.
      const samples = await read(tf.tidy(() => (model as Model).sample(20, {seed: 7, condition: conditionOf([...DIGITS, ...DIGITS])})));
      const caption = document.createElement("p");
      caption.className = "lab-status";
      caption.textContent = "Below: two samples of each digit 0–9, asked for by label (the same two codes in every column).";
      figures.push(caption, DigitGrid(samples, {columns: 10, scale: 2, label: `Samples of each digit 0 to 9 from the conditional VAE at step ${at}`}));
    }
    // A later redraw may have finished first; only the latest one is shown.
    if (ticket === drawing) {
      pictures.replaceChildren(...figures);
      root.dataset.picturesStep = String(at);
    }
  }

  async function measureTest() {
    if (!model || !trainer) return;
    const held = heldOutFor(model);
    const loss = tf.tidy(() => (model as Model).terms(held.x, {seed: 5, beta: 1, condition: held.condition}).elbo.mean().neg());
    const value = (await loss.data())[0];
    loss.dispose();
    if (Number.isFinite(value)) testHistory.push({step: trainer.step, loss: value});
  }

  let lastDraw = 0;
  function onProgress(p: {records: StepRecord[]; examplesPerSecond: number}) {
    history.push(...p.records);
    if (p.examplesPerSecond > 0) rate10 = rate10 ? 0.7 * rate10 + 0.3 * p.examplesPerSecond : p.examplesPerSecond;
    // Keep about 0.2 s of steps between readbacks: a slow GPU then never has seconds of work queued
    // (which would hold up the page's frames), and a fast one still runs 10 steps per readback.
    if (trainer && p.examplesPerSecond > 0 && p.records.length > 0) {
      const readEvery = Math.max(1, Math.min(10, Math.floor((0.2 * p.examplesPerSecond) / batch.value())));
      if (readEvery !== trainer.options.readEvery) trainer.setReadEvery(readEvery);
    }
    const now = performance.now();
    if (now - lastDraw > 700) {
      lastDraw = now;
      void measureTest().then(() => {
        drawChart();
        return drawPictures();
      });
    }
    updateStatus();
  }

  function makeTrainer(m: Model, data: Dataset) {
    trainer?.dispose();
    trainer = new Trainer({model: m, data, batchSize: batch.value(), learningRate: rate.value(), beta: beta.value(), epochs: 1000, seed, readEvery: 10});
    trainer.onProgress = onProgress;
  }

  function adopt(m: Model): Promise<void> {
    trainer?.dispose();
    trainer = null;
    model?.dispose();
    model = m;
    history = [];
    testHistory = [];
    rate10 = 0;
    if (train) makeTrainer(m, train);
    drawChart();
    updateStatus();
    return drawPictures();
  }

  function rebuild() {
    setMessage("");
    void adopt(createModel(config()));
  }

  async function ensureData(): Promise<boolean> {
    if (train) return true;
    try {
      progress.hidden = false;
      loading ??= loadTrain((fraction, text) => {
        progress.value = fraction;
        setMessage(text);
      });
      train = await loading;
      setMessage("");
      progress.hidden = true;
      if (model) makeTrainer(model, train);
      return true;
    } catch (error) {
      loading = null;
      progress.hidden = true;
      setMessage(`The training digits could not be loaded: ${(error as Error).message}. Your model is unchanged; try again.`);
      return false;
    }
  }

  async function afterRun(state: string) {
    if (state === "diverged" && trainer?.divergence) {
      setMessage(`${trainer.divergence.message} Training is paused: choose a smaller learning rate and press play.`);
      trainer.acknowledgeDivergence();
    }
    drawChart();
    updateStatus();
    await drawPictures();
  }

  async function start() {
    if (!(await ensureData()) || !trainer) return;
    setMessage("");
    if (trainer.options.learningRate !== rate.value()) trainer.setLearningRate(rate.value());
    updateStatus();
    const run = trainer.run();
    updateStatus();
    await afterRun(await run);
  }

  async function stepOnce() {
    if (!(await ensureData()) || !trainer) return;
    if (trainer.options.learningRate !== rate.value()) trainer.setLearningRate(rate.value());
    await trainer.singleStep();
    await afterRun(trainer.state);
  }

  async function save(destination: string) {
    if (!model) return;
    try {
      await saveCheckpoint(model, destination, {metadata: {steps: trainer?.step ?? 0, from: "the training lab"}});
      setMessage(destination.startsWith("downloads") ? "Saved: your browser downloaded the checkpoint's two files." : "Saved in this browser.");
    } catch (error) {
      setMessage(`Could not save: ${(error as Error).message}`);
    }
  }

  async function replace(load: () => Promise<Model>, what: string) {
    try {
      const loaded = await load();
      if (loaded.config.imageShape.join() !== "28,28,1" || loaded.config.kind !== kind) {
        loaded.dispose();
        throw new Error(conditional ? "it is not a conditional VAE of 28×28 digits" : "it is not an unconditional VAE of 28×28 digits");
      }
      // Say so at once; the pictures follow when the backend has computed them (a slow GPU may take a second).
      const pictured = adopt(loaded);
      setMessage(`Loaded ${what}: ${describeConfig(loaded.config)}. Press play to keep training it.`);
      await pictured;
    } catch (error) {
      setMessage(`Could not load ${what}: ${(error as Error).message} Your current model is unchanged.`);
    }
  }

  // Every choice is in the page's URL, so "Copy link" shares the lab's settings.
  const keys = ["arch", "size", "latent", "likelihood", "beta", "rate", "batch"];
  [arch, size, latent, likelihood, beta, rate, batch].forEach((s, i) => linked(s.input, `lab-${keys[i]}`, {parse: (t) => (s.input.options[Number(t)] ? t : undefined)}));
  for (const s of [arch, size, latent, likelihood, beta, batch]) s.input.addEventListener("change", rebuild);
  rebuild();
  return root;
}
