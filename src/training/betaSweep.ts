// Chapter 10's β sweep: five small VAEs, identical except for β, trained one after another in the
// training worker (the same session the lab uses) and scored on held-out digits. An optional remedy
// against posterior collapse (KL warm-up, free bits) applies to every run.
import type {BackendChoice, Dataset, TrainingEvent} from "../lib/index.js";
import {linked} from "../components/chapterTools.js";
import {SweepChart, type SweepRow} from "../components/betaSweep.js";
import {DigitGrid} from "../components/digitGrid.js";
import {button, choiceKey, select, type Choice} from "../components/dom.js";
import {
  SWEEP_BATCH as BATCH,
  SWEEP_BETAS,
  SWEEP_CONFIG as CONFIG,
  SWEEP_FREE_BITS,
  SWEEP_HELD_OUT as HELD_OUT,
  SWEEP_LATENT,
  SWEEP_LEARNING_RATE,
  SWEEP_TRAIN_COUNT as TRAIN_COUNT,
  SWEEP_WARMUP_FRACTION
} from "./sweepSettings.js";
import {connectTraining, eventWaiter, type TrainingConnection} from "./trainingClient.js";

export interface BetaSweepOptions {
  /** URL of the first chunk of training digits (the first 5,000 are used). */
  trainUrl: string;
  /** Held-out digits: the first 500 are scored, the first 8 reconstructed. */
  test: Dataset;
  backend: BackendChoice;
  /** Start with the shortest run (phones, slow backends). */
  small?: boolean;
  invalidation?: Promise<unknown>;
}

type Remedy = "none" | "warmup" | "freebits";
const REMEDIES: Choice<Remedy>[] = [
  {label: "none", value: "none"},
  {label: "KL warm-up over the first half of the steps", value: "warmup"},
  {label: `free bits, λ = ${SWEEP_FREE_BITS} nats per unit`, value: "freebits"}
];

/** The sweep as one node; `data-state` is "idle", "running", "done" or "stopped", `data-rows` the models scored. */
export function BetaSweep({trainUrl, test, backend, small = false, invalidation}: BetaSweepOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "beta-sweep";
  root.dataset.state = "idle";
  const steps = select("Training steps per β", [50, 100, 300, 1000].map((n) => ({label: String(n), value: n})), small ? 100 : 300);
  const remedy = select("Remedy against collapse", REMEDIES, "none");
  linked(steps.input, "sweep-steps");
  linked(remedy.input, "sweep-remedy", {parse: (t) => (REMEDIES.some((r) => choiceKey(r) === t) ? t : undefined)});
  const run = button("Run the β sweep", () => void sweep());
  const stop = button("Stop", () => {
    stopped = true;
    connection?.send({type: "pause"});
  });
  stop.disabled = true;
  const controls = document.createElement("div");
  controls.className = "lab-buttons";
  controls.append(steps.field, remedy.field, run, stop);
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.textContent = `Five VAEs (784-256-${SWEEP_LATENT}), β = ${SWEEP_BETAS.join(", ")}, trained one after another in a Web Worker on the ${backend.backend} backend.`;
  const where = document.createElement("p");
  where.className = "lab-status lab-thread";
  const chart = document.createElement("div");
  const pictures = document.createElement("div");
  pictures.className = "lab-pictures";
  root.append(controls, status, where, chart, pictures);

  let connection: TrainingConnection | null = null;
  let stopped = false;
  let nextId = 1;
  const {dispatch, next} = eventWaiter();

  async function connect(): Promise<TrainingConnection> {
    if (connection) return connection;
    status.textContent = `Starting the training worker on ${backend.backend}…`;
    const c = await connectTraining(backend);
    c.listen(dispatch);
    c.listen((event) => {
      if (event.type === "progress" && event.progress.state === "running") status.textContent = `${status.dataset.beta}: step ${event.progress.step} of ${event.progress.totalSteps}…`;
    });
    where.textContent = c.reason;
    root.dataset.thread = c.thread;
    void invalidation?.then(() => c.close());
    c.send({type: "test", test, heldOut: HELD_OUT, pictures: {reconstruct: 8, everyMs: 1e9}});
    connection = c;
    return c;
  }

  async function sweep() {
    run.disabled = steps.input.disabled = remedy.input.disabled = true;
    stop.disabled = false;
    stopped = false;
    root.dataset.state = "running";
    const rows: SweepRow[] = [];
    const recon: HTMLElement[] = [DigitGrid(test.images.slice(0, 8 * test.pixels), {columns: 8, scale: 2, label: "Eight held-out test digits"})];
    chart.replaceChildren();
    pictures.replaceChildren();
    const total = steps.value();
    const chosen = remedy.value();
    const draw = () => {
      root.dataset.rows = String(rows.length);
      chart.replaceChildren(SweepChart(rows, {width: Math.max(280, Math.min(640, root.clientWidth || 640)), betas: SWEEP_BETAS, latentDim: SWEEP_LATENT}));
      pictures.replaceChildren(...recon);
    };
    try {
      const c = await connect();
      status.textContent = "Loading 10,000 training digits…";
      const ready = next((e): e is Extract<TrainingEvent, {type: "dataReady"}> => e.type === "dataReady");
      c.send({type: "data", urls: [trainUrl], limit: TRAIN_COUNT});
      await ready;
      for (const beta of SWEEP_BETAS) {
        if (stopped) break;
        status.dataset.beta = `β = ${beta}`;
        const configured = next((e): e is Extract<TrainingEvent, {type: "model"}> => e.type === "model");
        c.send({
          type: "configure",
          setup: {
            config: CONFIG,
            batchSize: BATCH,
            learningRate: SWEEP_LEARNING_RATE,
            beta,
            warmupSteps: chosen === "warmup" ? Math.round(total * SWEEP_WARMUP_FRACTION) : 0,
            freeBits: chosen === "freebits" ? SWEEP_FREE_BITS : 0,
            seed: 4,
            epochs: total / (TRAIN_COUNT / BATCH),
            readEvery: 20
          }
        });
        await configured;
        const ended = next((e): e is Extract<TrainingEvent, {type: "progress"}> => e.type === "progress" && ["done", "paused", "diverged", "stopped"].includes(e.progress.state));
        c.send({type: "play"});
        const end = await ended;
        if (end.progress.divergence) throw new Error(end.progress.divergence.message);
        if (end.progress.state !== "done") break;
        const id = nextId++;
        const scored = next((e): e is Extract<TrainingEvent, {type: "snapshot"}> => e.type === "snapshot" && e.id === id);
        c.send({type: "snapshot", id});
        const {score, pictures: p} = await scored;
        rows.push({beta, negElbo: score.negElbo, reconstructionLoss: score.reconstructionLoss, kl: score.kl, active: score.activeUnits});
        recon.push(DigitGrid(p.reconstructions, {columns: 8, scale: 2, label: `Reconstructions with β = ${beta}`}));
        draw();
      }
      const how = chosen === "none" ? "" : ` with ${REMEDIES.find((r) => r.value === chosen)?.label}`;
      status.textContent = stopped
        ? `Stopped after ${rows.length} of ${SWEEP_BETAS.length} values of β; the results so far are kept.`
        : `Done: ${SWEEP_BETAS.length} VAEs, ${total} steps each${how}, scored on ${HELD_OUT} held-out digits. Rows of pictures, top to bottom: the digits, then reconstructions for β = ${SWEEP_BETAS.join(", ")}.`;
    } catch (error) {
      status.textContent = `The sweep stopped: ${(error as Error).message}. The results so far are kept.`;
    } finally {
      run.disabled = steps.input.disabled = remedy.input.disabled = false;
      stop.disabled = true;
      root.dataset.state = stopped ? "stopped" : "done";
    }
  }

  return root;
}
