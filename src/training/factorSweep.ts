// Chapter 12's live β sweep: VAEs identical except for β, trained one after another on the shapes set
// in the training worker (the same session as chapters 7, 9 and 10; the session generates the shapes
// itself), each measured against the factors: the mutual information matrix, the MIG, the KL per unit
// and a latent traversal. The data can be the independent shapes or the correlated variant.
import {CORRELATED, FACTOR_NAMES, factorColumn, shapesSplit, type BackendChoice, type ShapesData, type TrainingEvent} from "../lib/index.js";
import {linked} from "../components/chapterTools.js";
import {DigitGrid} from "../components/digitGrid.js";
import {button, choiceKey, select, type Choice} from "../components/dom.js";
import {MiMatrix, MigChart, TraversalGrid, type FactorSweepRow} from "../components/factors.js";
import {
  FACTOR_BATCH as BATCH,
  FACTOR_BETAS as BETAS,
  FACTOR_CONFIG as CONFIG,
  FACTOR_HELD_OUT as HELD_OUT,
  FACTOR_LATENT as LATENT,
  FACTOR_LEARNING_RATE,
  FACTOR_MEASURED as MEASURED,
  FACTOR_STEPS,
  FACTOR_TRAIN_COUNT as TRAIN_COUNT,
  TRAVERSAL,
  TRAVERSAL_STEPS
} from "./factorSettings.js";
import {connectTraining, eventWaiter, type TrainingConnection} from "./trainingClient.js";

export interface FactorSweepOptions {
  backend: BackendChoice;
  /** Seeds the weights and the batches (the page's seed). */
  seed: number;
  /** Which test shape's code the traversals start from. */
  traversalImage?: number;
  /** Start with a short run (phones, slow backends). */
  small?: boolean;
  /** The shipped checkpoints measured, drawn before anything is trained: on each data variant. */
  shipped?: {independent: FactorSweepRow[]; correlated: FactorSweepRow[]};
  invalidation?: Promise<unknown>;
}

type DataKind = "independent" | "correlated";
const DATA: Choice<DataKind>[] = [
  {label: "independent factors", value: "independent"},
  {label: `correlated: scale tied to x in ${Math.round(CORRELATED * 100)}%`, value: "correlated"}
];

/** What one β's model showed, kept to redraw it on request. */
interface Measured {
  row: FactorSweepRow;
  normalized: number[][];
  topUnits: [number, number][];
  traversal: Float32Array;
  reconstructions: Float32Array;
}

const unit = (j: number) => `z${String(j + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)])}`;

/** The sweep as one node; `data-state` is "idle", "running", "done" or "stopped", `data-rows` the models measured. */
export function FactorSweep({backend, seed, traversalImage = 0, small = false, shipped = {independent: [], correlated: []}, invalidation}: FactorSweepOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "factor-sweep";
  root.dataset.state = "idle";
  const steps = select("Training steps per β", FACTOR_STEPS.map((n) => ({label: String(n), value: n})), small ? 300 : 1000);
  const data = select("Data", DATA, "independent");
  const which = select("Train", [{label: `every β (${BETAS.join(", ")})`, value: 0}, ...BETAS.map((b) => ({label: `β = ${b} only`, value: b}))], 0);
  linked(which.input, "factor-beta");
  linked(steps.input, "factor-steps");
  linked(data.input, "factor-data", {parse: (t) => (DATA.some((d) => choiceKey(d) === t) ? t : undefined)});
  const run = button("Train the β sweep", () => void sweep());
  const stop = button("Stop", () => {
    stopped = true;
    connection?.send({type: "pause"});
  });
  stop.disabled = true;
  const controls = document.createElement("div");
  controls.className = "lab-buttons";
  controls.append(which.field, steps.field, data.field, run, stop);
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.textContent = `Up to ${BETAS.length} VAEs (1024-${CONFIG.hiddenSizes.join("-")}-${LATENT}), β = ${BETAS.join(", ")}, trained one after another in a Web Worker on the ${backend.backend} backend. Until you train, the chart shows the shipped models.`;
  const where = document.createElement("p");
  where.className = "lab-status lab-thread";
  const chart = document.createElement("div");
  const summary = document.createElement("p");
  summary.id = "factor-sweep-summary";
  summary.className = "lab-status";
  const pick = document.createElement("div");
  const detail = document.createElement("div");
  detail.className = "factor-sweep-detail";
  root.append(controls, status, where, chart, summary, pick, detail);
  const shippedOf = () => (data.value() === "correlated" ? shipped.correlated : shipped.independent);
  const drawShipped = () => chart.replaceChildren(MigChart([], {width: width(), betas: BETAS, factorNames: FACTOR_NAMES, shipped: shippedOf()}));
  data.input.addEventListener("input", () => {
    if (root.dataset.state === "idle") drawShipped();
  });
  requestAnimationFrame(drawShipped);

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
    connection = c;
    return c;
  }

  const width = () => Math.max(300, Math.min(720, root.clientWidth || 640));

  function show(measured: Measured[], test: ShapesData, beta: number) {
    const m = measured.find((x) => x.row.beta === beta) ?? measured.at(-1);
    if (!m) return;
    const order = m.row.klPerUnit.map((kl, j) => ({kl, j})).sort((a, b) => b.kl - a.kl);
    const side = test.side;
    const per = TRAVERSAL_STEPS * side * side;
    const images = new Float32Array(order.length * per);
    order.forEach(({j}, r) => images.set(m.traversal.subarray(j * per, (j + 1) * per), r * per));
    const rows = order.map(({j, kl}) => {
      const best = m.normalized[j].reduce((b, v, k) => (v > m.normalized[j][b] ? k : b), 0);
      return {label: unit(j), note: `KL ${kl.toFixed(2)} nats · ${FACTOR_NAMES[best]} ${m.normalized[j][best].toFixed(2)}`};
    });
    detail.replaceChildren(
      MiMatrix({normalized: m.normalized, factorNames: FACTOR_NAMES, klPerUnit: m.row.klPerUnit, topUnits: m.topUnits}, {width: width(), label: `Mutual information (normalized) between each unit and each factor, β = ${m.row.beta}`}),
      TraversalGrid(images, rows, {side, steps: TRAVERSAL_STEPS, label: `Traversals of the model trained with β = ${m.row.beta}, each unit from −${TRAVERSAL} to ${TRAVERSAL}`}),
      DigitGrid(test.images.slice(0, 8 * side * side), {side, columns: 8, scale: 2, label: "Eight test shapes"}),
      DigitGrid(m.reconstructions, {side, columns: 8, scale: 2, label: `Their reconstructions with β = ${m.row.beta}`})
    );
    root.dataset.shown = String(m.row.beta);
  }

  async function sweep() {
    run.disabled = steps.input.disabled = data.input.disabled = which.input.disabled = true;
    stop.disabled = false;
    stopped = false;
    root.dataset.state = "running";
    const measured: Measured[] = [];
    chart.replaceChildren();
    pick.replaceChildren();
    detail.replaceChildren();
    summary.textContent = "";
    const total = steps.value();
    const correlation = data.value() === "correlated" ? CORRELATED : 0;
    const test = shapesSplit("test", {seed: 0, correlation, testCount: MEASURED});
    const factors = FACTOR_NAMES.map((f) => factorColumn(test, f));
    const betas = which.value() === 0 ? BETAS : [which.value()];
    const chooser = select("Show the model trained with β =", betas.map((b) => ({label: String(b), value: b})), betas[0]);
    chooser.input.addEventListener("input", () => show(measured, test, chooser.value()));
    const draw = () => {
      root.dataset.rows = String(measured.length);
      const rows = measured.map((m) => m.row);
      chart.replaceChildren(MigChart(rows, {width: width(), betas: BETAS, factorNames: FACTOR_NAMES, shipped: shippedOf()}));
      summary.textContent = rows.map((r) => `β = ${r.beta}: MIG ${r.mig.toFixed(2)}, reconstruction loss ${r.reconstructionLoss.toFixed(1)}, KL ${r.kl.toFixed(1)} nats, ${r.klPerUnit.filter((v) => v > 0.1).length} units above 0.1 nats`).join("; ") + ".";
      if (!pick.firstChild) pick.append(chooser.field);
      chooser.input.value = String(rows.at(-1)?.beta);
      show(measured, test, rows.at(-1)?.beta as number);
    };
    try {
      const c = await connect();
      c.send({type: "test", test, heldOut: HELD_OUT, pictures: {reconstruct: 8, everyMs: 1e9}});
      status.textContent = `Making ${TRAIN_COUNT.toLocaleString("en")} training shapes…`;
      const ready = next((e): e is Extract<TrainingEvent, {type: "dataReady"}> => e.type === "dataReady");
      c.send({type: "shapes", count: TRAIN_COUNT, seed: 0, correlation});
      await ready;
      for (const beta of betas) {
        if (stopped) break;
        status.dataset.beta = `β = ${beta}`;
        const configured = next((e): e is Extract<TrainingEvent, {type: "model"}> => e.type === "model");
        c.send({
          type: "configure",
          setup: {config: {...CONFIG, seed: seed + 1}, batchSize: BATCH, learningRate: FACTOR_LEARNING_RATE, beta, seed, epochs: total / (TRAIN_COUNT / BATCH), readEvery: 20}
        });
        await configured;
        const ended = next((e): e is Extract<TrainingEvent, {type: "progress"}> => e.type === "progress" && ["done", "paused", "diverged", "stopped"].includes(e.progress.state));
        c.send({type: "play"});
        const end = await ended;
        if (end.progress.divergence) throw new Error(end.progress.divergence.message);
        if (end.progress.state !== "done") break;
        status.textContent = `β = ${beta}: measuring the mutual information on ${MEASURED.toLocaleString("en")} test shapes…`;
        const shotId = nextId++;
        const scored = next((e): e is Extract<TrainingEvent, {type: "snapshot"}> => e.type === "snapshot" && e.id === shotId);
        c.send({type: "snapshot", id: shotId});
        const {score, pictures} = await scored;
        const measureId = nextId++;
        const done = next((e): e is Extract<TrainingEvent, {type: "measured"}> => e.type === "measured" && e.id === measureId);
        c.send({type: "measure", id: measureId, factors, traversal: {image: traversalImage, from: -TRAVERSAL, to: TRAVERSAL, steps: TRAVERSAL_STEPS}});
        const m = await done;
        measured.push({
          row: {beta, mig: m.gap.score, perFactor: m.gap.perFactor, klPerUnit: m.klPerUnit, reconstructionLoss: score.reconstructionLoss, kl: score.kl},
          normalized: m.matrix.normalized,
          topUnits: m.gap.topUnits,
          traversal: m.traversal?.images ?? new Float32Array(0),
          reconstructions: pictures.reconstructions
        });
        draw();
      }
      status.textContent = stopped
        ? `Stopped after ${measured.length} of ${betas.length} values of β; the results so far are kept.`
        : `Done: ${betas.length === 1 ? `one VAE (β = ${betas[0]})` : `${betas.length} VAEs`}, ${total} steps each on ${data.value() === "correlated" ? "the correlated shapes" : "independent factors"}, measured on ${MEASURED.toLocaleString("en")} test shapes.`;
    } catch (error) {
      status.textContent = `The sweep stopped: ${(error as Error).message}. The results so far are kept.`;
    } finally {
      run.disabled = steps.input.disabled = data.input.disabled = which.input.disabled = false;
      stop.disabled = true;
      root.dataset.state = stopped ? "stopped" : "done";
    }
  }

  return root;
}
