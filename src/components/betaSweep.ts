import * as Plot from "@observablehq/plot";
import {activeUnits, binarize, createModel, modelConfig, mulberry32, tf, Trainer, type Dataset, type Model} from "../lib/index.js";
import {DigitGrid} from "./digitGrid.js";
import {button, select} from "./dom.js";

export interface BetaSweepOptions {
  /** Training digits (the first 5,000 are used). */
  loadTrain: () => Promise<Dataset>;
  /** Held-out digits: the first 500 are scored, the first 8 reconstructed. */
  test: Dataset;
  backend: string;
  /** Start with the shortest run (phones, slow backends). */
  small?: boolean;
}

export interface SweepRow {
  beta: number;
  /** −E_q[log p(x|z)] on held-out digits, nats per image. */
  reconstruction: number;
  /** KL(q(z|x) ‖ p(z)), nats per image. */
  kl: number;
  active: number;
}

const BETAS = [0, 0.5, 2, 8, 32];
const LATENT = 16;
const BATCH = 100;
const TRAIN_COUNT = 5000;
const TEST_COUNT = 500;

/**
 * Chapter 10's live β sweep: one small VAE per β, trained from the same initialization on the same
 * batches, then scored on held-out digits: reconstruction, KL and active units (lib's activeUnits).
 */
export function BetaSweep({loadTrain, test, backend, small = false}: BetaSweepOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "beta-sweep";
  const steps = select("Training steps per β", [50, 100, 300, 1000].map((n) => ({label: String(n), value: n})), small ? 1 : 2);
  const run = button("Run the β sweep");
  const stop = button("Stop");
  stop.disabled = true;
  const controls = document.createElement("div");
  controls.className = "lab-buttons";
  controls.append(steps.field, run, stop);
  const status = document.createElement("p");
  status.className = "lab-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.textContent = `Five VAEs (784-256-${LATENT}), β = ${BETAS.join(", ")}, trained one after another on the ${backend} backend.`;
  const chart = document.createElement("div");
  const pictures = document.createElement("div");
  pictures.className = "lab-pictures";
  root.append(controls, status, chart, pictures);

  const testCount = Math.min(TEST_COUNT, test.count);
  const testPixels = binarize(test.images.subarray(0, testCount * test.pixels), mulberry32(21));
  let rows: SweepRow[] = [];
  const recon: HTMLElement[] = [];
  let trainer: Trainer | null = null;
  let stopped = false;

  function draw() {
    root.dataset.rows = String(rows.length);
    if (rows.length === 0) return;
    const width = Math.max(280, Math.min(640, root.clientWidth || 640));
    const long = rows.flatMap((r) => [
      {beta: String(r.beta), nats: r.reconstruction, series: "−reconstruction"},
      {beta: String(r.beta), nats: r.kl, series: "KL"}
    ]);
    const summary = rows.map((r) => `β = ${r.beta}: ${r.active} of ${LATENT} active, KL ${r.kl.toFixed(1)}, −reconstruction ${r.reconstruction.toFixed(1)}`).join("; ");
    const betaDomain = BETAS.map(String);
    chart.replaceChildren(
      Plot.plot({
        width,
        height: 200,
        ariaLabel: `Held-out reconstruction and KL against β: ${summary}`,
        x: {label: "β", domain: betaDomain, type: "point"},
        y: {label: "nats per image", grid: true, zero: true},
        color: {legend: true, domain: ["−reconstruction", "KL"]},
        marks: [Plot.line(long, {x: "beta", y: "nats", stroke: "series"}), Plot.dot(long, {x: "beta", y: "nats", fill: "series", r: 3})]
      }),
      Plot.plot({
        width,
        height: 160,
        ariaLabel: `Active latent units against β: ${rows.map((r) => `β = ${r.beta}: ${r.active}`).join(", ")}`,
        x: {label: "β", domain: betaDomain, type: "band", padding: 0.3},
        y: {label: `active units (of ${LATENT})`, domain: [0, LATENT], grid: true},
        marks: [Plot.barY(rows, {x: (r: SweepRow) => String(r.beta), y: "active", fill: "#6a7fb5"}), Plot.ruleY([0])]
      })
    );
    const table = document.createElement("p");
    table.id = "beta-summary";
    table.textContent = summary + ".";
    chart.append(table);
    pictures.replaceChildren(...recon);
  }

  function score(model: Model, beta: number): SweepRow {
    return tf.tidy(() => {
      const x = tf.tensor2d(testPixels, [testCount, test.pixels]);
      const terms = model.terms(x, {seed: 3});
      const {active} = activeUnits(model.encode(x).mean);
      return {beta, reconstruction: -terms.logLikelihood.mean().dataSync()[0], kl: terms.kl.mean().dataSync()[0], active};
    });
  }

  async function sweep() {
    run.disabled = steps.input.disabled = true;
    stop.disabled = false;
    stopped = false;
    rows = [];
    recon.length = 0;
    chart.replaceChildren();
    pictures.replaceChildren();
    root.dataset.state = "running";
    try {
      status.textContent = "Loading 10,000 training digits…";
      const all = await loadTrain();
      const data: Dataset = {...all, count: TRAIN_COUNT, images: all.images.subarray(0, TRAIN_COUNT * all.pixels), labels: all.labels?.subarray(0, TRAIN_COUNT)};
      const total = steps.value();
      const first8 = test.images.slice(0, 8 * test.pixels);
      recon.push(DigitGrid(first8, {columns: 8, scale: 2, label: "Eight held-out test digits"}));
      for (const beta of BETAS) {
        if (stopped) break;
        const model = createModel(modelConfig({hiddenSizes: [256], latentDim: LATENT, seed: 2}));
        try {
          trainer = new Trainer({model, data, batchSize: BATCH, epochs: total / (TRAIN_COUNT / BATCH), beta, learningRate: 3e-3, seed: 4, readEvery: 20});
          trainer.onProgress = (p) => (status.textContent = `β = ${beta}: step ${p.step} of ${p.totalSteps} on the ${backend} backend…`);
          const state = await trainer.run();
          if (state === "diverged") throw new Error(trainer.divergence?.message ?? "training diverged");
          if (state !== "done") break;
          rows.push(score(model, beta));
          const images = tf.tidy(() => model.reconstruct(tf.tensor2d(first8, [8, test.pixels])).dataSync());
          recon.push(DigitGrid(images, {columns: 8, scale: 2, label: `Reconstructions with β = ${beta}`}));
          draw();
        } finally {
          trainer?.dispose();
          trainer = null;
          model.dispose();
        }
      }
      status.textContent = stopped
        ? `Stopped after ${rows.length} of ${BETAS.length} values of β; the results so far are kept.`
        : `Done: ${BETAS.length} VAEs, ${total} steps each, scored on ${testCount} held-out digits. Rows of pictures, top to bottom: the digits, then reconstructions for β = ${BETAS.join(", ")}.`;
    } catch (error) {
      status.textContent = `The sweep stopped: ${(error as Error).message}. The results so far are kept.`;
    } finally {
      run.disabled = steps.input.disabled = false;
      stop.disabled = true;
      root.dataset.state = stopped ? "stopped" : "done";
    }
  }

  run.addEventListener("click", () => void sweep());
  stop.addEventListener("click", () => {
    stopped = true;
    trainer?.stop();
  });
  return root;
}
