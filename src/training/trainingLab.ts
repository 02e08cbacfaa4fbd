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
  type TrainingSetup
} from "../lib/index.js";
import {linked} from "../components/chapterTools.js";
import {CheckpointControls} from "../components/checkpointControls.js";
import {DigitGrid} from "../components/digitGrid.js";
import {choiceKey, button, type Choice} from "../components/dom.js";
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
  shipped: {url: string; name: string};
  /** Seeds the initialization, the batch order and the noise: the same seed, the same run on the same backend. */
  seed: number;
  /** Start with a small model (phones). */
  small?: boolean;
  /** Resolves when the page no longer shows the lab (Framework's `invalidation`): the worker stops. */
  invalidation?: Promise<unknown>;
}

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

function controlSpecs(small: boolean) {
  return {
    arch: {label: "Architecture", choices: [{label: "MLP", value: "mlp"}, {label: "convolutional", value: "conv"}], value: "mlp"} as ControlSpec<"mlp" | "conv">,
    size: {label: "Size", choices: ["small", "medium", "large"].map((s) => ({label: s, value: s})), value: small ? "small" : "medium"} as ControlSpec<string>,
    latent: {label: "Latent size", choices: numbers([2, 8, 20]), value: small ? 2 : 8} as ControlSpec<number>,
    likelihood: {label: "Likelihood", choices: LIKELIHOODS, value: LIKELIHOODS[0].value} as ControlSpec<Likelihood>,
    beta: {label: "β (KL weight)", choices: numbers([0, 0.5, 1, 2, 4]), value: 1} as ControlSpec<number>,
    rate: {label: "Learning rate", choices: numbers([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 0.1, 1]), value: 1e-3} as ControlSpec<number>,
    batch: {label: "Batch size", choices: numbers([32, 64, 128, 256]), value: small ? 64 : 128} as ControlSpec<number>,
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
 */
export function TrainingLab({kind, backend, test, trainUrls, shipped, seed, small = false, invalidation}: TrainingLabOptions): HTMLElement {
  if (kind === "cvae" && !test.labels) throw new Error("the conditional lab needs labelled test digits");
  const root = document.createElement("div");
  root.className = "training-lab";
  root.dataset.state = "starting";
  root.dataset.step = "0";
  const storage = kind === "cvae" ? `${STORAGE}-cvae` : STORAGE;

  // ---- views
  const specs = controlSpecs(small);
  const controls = LabControls(specs);
  const fields = controls.fields;
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
    loadShipped: () => load(async () => decodeCheckpointBundle(new Uint8Array(await (await fetch(shipped.url)).arrayBuffer()), shipped.name), "the shipped model"),
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
  root.append(controls, buttons, checkpoints, progressBar, status, where, message, chart, score, pictures, latent);

  // ---- state: what the reader chose is in the controls; the rest is what the session last said
  let connection: TrainingConnection | null = null;
  let description = "";
  let state = "starting";
  let currentStep = 0;
  let examplesPerSecond = 0;
  let dataRequested = false;
  let playWhenLoaded = false;
  let nextId = 1;
  const saving = new Map<number, "file" | "browser">();
  // Bounded, so a redraw costs the same at step 100 and at step 100,000 (a few hundred points a line).
  const history = new ThinnedHistory<StepRecord>(250);
  const heldOut = new ThinnedHistory<HeldOutPoint>(200);

  /** Sends a command to the session. Before it is connected nothing is sent: the controls are read when it connects. */
  function send(command: TrainingCommand, transfer?: Transferable[]) {
    connection?.send(command, transfer);
  }

  function setMessage(text: string) {
    message.textContent = text;
  }

  const setup = (): TrainingSetup => {
    const arch = fields.arch.value();
    return {
      config: {
        kind,
        arch,
        imageShape: [28, 28, 1],
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
      seed
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
  // The two panels are drawn as two jobs, so that neither task holds the page for long.
  function drawChart() {
    schedule("losses", () => {
      const points = history.pointsWithLatest;
      if (points.length === 0) return chart.replaceChildren(LossChart([]));
      const options = {width: Math.max(280, Math.min(720, chart.clientWidth || 640)), heldOut: heldOut.points};
      const [, kl] = chart.children;
      chart.replaceChildren(LossCurves(points, options), ...(kl ? [kl] : []));
      schedule("kl", () => {
        const [losses] = chart.children;
        if (losses) chart.replaceChildren(losses, KlCurve(points, options));
      });
    }, 1500);
  }

  function drawScore(s: SnapshotScore & {step: number}) {
    score.replaceChildren();
    const value = (name: string, v: number, digits = 1) => {
      const span = document.createElement("span");
      span.dataset.value = name;
      span.textContent = v.toFixed(digits);
      return span;
    };
    const latentDim = s.variances.length;
    // The reconstruction loss shown is the −ELBO shown minus the KL shown, so the sum reads true to the
    // last digit (each within 0.05 of its exact value, the reconstruction loss within 0.1).
    const shownReconstruction = Number(s.negElbo.toFixed(1)) - Number(s.kl.toFixed(1));
    score.append(
      `On ${s.count} held-out digits at step ${s.step}: −ELBO `,
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
  }

  /** Draws a snapshot's pictures: the reconstructions in one frame, the latent plane in the next (each task stays short). */
  function drawPictures(event: Extract<TrainingEvent, {type: "snapshot"}>) {
    const {step: at, pictures: p} = event;
    const nodes: HTMLElement[] = [ReconstructionGrid(test.images.subarray(0, 10 * test.pixels), p.reconstructions, {step: at})];
    if (p.samples) {
      const caption = document.createElement("p");
      caption.className = "lab-status";
      caption.textContent = "Below: two samples of each digit 0–9, asked for by label (the same two codes in every column).";
      nodes.push(caption, DigitGrid(p.samples, {columns: 10, scale: 2, label: `Samples of each digit 0 to 9 from the conditional VAE at step ${at}`}));
    }
    pictures.replaceChildren(...nodes);
    root.dataset.picturesStep = String(at);
    schedule("latent", () => drawLatent(at, p), 1500);
  }

  function drawLatent(at: number, p: Extract<TrainingEvent, {type: "snapshot"}>["pictures"]) {
    if (!p.latent) {
      const note = document.createElement("p");
      note.className = "lab-status";
      // A CVAE's decoder needs a label as well as a code, so its lab draws no manifold grid.
      note.textContent =
        kind === "cvae"
          ? "Choose latent size 2 to watch the latent plane (the held-out digits' codes, given their labels) organise itself as the model trains."
          : "Choose latent size 2 to watch the latent plane and the decoded manifold organise themselves as the model trains.";
      latent.replaceChildren(note);
      return;
    }
    const row = document.createElement("div");
    row.className = "lab-latent-row";
    const width = Math.min(340, latent.clientWidth || 340);
    row.append(LabLatentPlane(p.latent.means, p.latent.labels, {width, step: at, extent: MANIFOLD.extent}));
    if (p.manifold) row.append(ManifoldGrid(p.manifold.images, {n: p.manifold.n, extent: p.manifold.extent, step: at}));
    const caption = document.createElement("p");
    caption.className = "lab-status";
    caption.textContent = p.manifold
      ? `The scatter: where the encoder puts ${HELD_OUT} held-out digits (q's means), coloured by digit. The grid: what the decoder draws at ${p.manifold.n} × ${p.manifold.n} points of the dashed square, z₂ upwards. Both redraw as the model trains.`
      : `Where the encoder puts ${HELD_OUT} held-out digits (q's means, given their labels), coloured by digit: with the label given, z only needs the style.`;
    latent.replaceChildren(row, caption);
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
        history.clear();
        heldOut.clear();
        examplesPerSecond = 0;
        chart.replaceChildren(LossChart([]));
        updateStatus();
        return;
      case "progress": {
        const p = event.progress;
        history.push(...p.records);
        if (p.examplesPerSecond > 0 && p.records.length > 0) examplesPerSecond = examplesPerSecond ? 0.7 * examplesPerSecond + 0.3 * p.examplesPerSecond : p.examplesPerSecond;
        if (state !== "loading" || p.state === "running") state = p.state === "done" ? "done" : p.state;
        currentStep = p.step;
        if (p.divergence) setMessage(`${p.divergence.message} Training is paused: choose a smaller learning rate and press play.`);
        if (p.records.length > 0) drawChart();
        updateStatus();
        return;
      }
      case "snapshot": {
        if (Number.isFinite(event.score.negElbo) && event.step > 0) heldOut.push({step: event.step, negElbo: event.score.negElbo, kl: event.score.kl});
        drawScore({...event.score, step: event.step});
        drawPictures(event);
        drawChart();
        root.dataset.ready = "true";
        return;
      }
      case "saved": {
        const where = saving.get(event.id);
        saving.delete(event.id);
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
    if (!dataRequested) {
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

  async function load(read: () => Promise<tf.io.ModelArtifacts> | tf.io.ModelArtifacts, what: string) {
    let artifacts: tf.io.ModelArtifacts;
    try {
      artifacts = await read();
    } catch (error) {
      setMessage(`Could not load ${what}: ${(error as Error).message} Your current model is unchanged.`);
      return;
    }
    const transfer = artifacts.weightData instanceof ArrayBuffer ? [artifacts.weightData] : [];
    send({type: "load", id: nextId++, artifacts, what, require: {kind, imageShape: [28, 28, 1]}}, transfer);
  }

  // ---- permalinks: each control's value is in the URL; links from before (option positions) still open
  for (const name of Object.keys(LINKS) as (keyof Specs)[]) {
    const {key, legacy} = LINKS[name];
    const field = fields[name];
    const keys = field.choices.map(choiceKey);
    linked(field.input, key, legacy ? {legacy: {key: legacy.key, parse: legacyReader(legacy.order, keys)}} : {});
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
    c.send({type: "test", test, heldOut: HELD_OUT, pictures: {reconstruct: 10, samplesPerDigit: kind === "cvae" ? 2 : 0, manifold: MANIFOLD, everyMs: 700}});
    c.send({type: "configure", setup: setup()});
    state = "idle";
    updateStatus();
    void invalidation?.then(() => c.close());
  });
  return root;
}
