// Chapter 13's VQ-VAE lab: a small VQ-VAE trained in the page (lib/vqvaeTrainer.ts), with the codebook's
// usage histogram, its dead codes, re-seeding, and reconstructions of a few test digits as it learns.
// Runs on the page's tfjs backend in short bursts between frames; the reader starts and pauses it.
import {createVqVae, tf, vqvaeConfig, VqVaeTrainer, type Dataset, type VqVaeProgress} from "../lib/index.js";
import {DigitGrid} from "./digitGrid.js";
import {UsageHistogram} from "./usageHistogram.js";

export {UsageHistogram};

export interface VqVaeLabOptions {
  /** Training digits, fetched the first time the reader presses Train. */
  loadData: () => Promise<Dataset>;
  /** A few test digits [n · 784] shown beside their reconstructions. */
  preview: Float32Array;
  /** K, the number of codes. */
  codebookSize: number;
  /** β, the weight of the commitment loss. */
  commitment: number;
  seed: number;
  /** Batches without a use after which a code counts as dead. */
  deadWindow?: number;
  batchSize?: number;
  width?: number;
  /** Resolves when the page drops the lab (Framework's `invalidation`): training stops, tensors are freed. */
  invalidation?: Promise<unknown>;
}

export function VqVaeLab({loadData, preview, codebookSize, commitment, seed, deadWindow = 20, batchSize = 32, width = 640, invalidation}: VqVaeLabOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "training-lab vqvae-lab";
  const model = createVqVae(vqvaeConfig({codebookSize, codeDim: 8, hiddenSizes: [16, 32], seed}));
  let trainer: VqVaeTrainer | null = null;
  let running: Promise<unknown> | null = null;
  let disposed = false;

  const buttons = document.createElement("div");
  buttons.className = "lab-buttons";
  const train = button("Train");
  const reseedNow = button("Re-seed dead codes now");
  const auto = document.createElement("label");
  const autoBox = document.createElement("input");
  autoBox.type = "checkbox";
  auto.append(autoBox, " re-seed dead codes automatically");
  buttons.append(train, reseedNow, auto);

  const status = document.createElement("p");
  status.className = "lab-status";
  const message = document.createElement("p");
  message.className = "lab-message";
  const histogram = document.createElement("div");
  histogram.className = "vqvae-usage";
  const pictures = document.createElement("div");
  pictures.className = "lab-pictures";
  root.append(buttons, status, message, histogram, pictures);

  let last = {step: 0, reconstructionLoss: NaN, codesUsed: 0, perplexity: 0, reseeded: 0};
  let usage: number[] = new Array(codebookSize).fill(0);
  let dead: number[] = [];
  let updates = 0;

  const drawHistogram = () => {
    const room = histogram.clientWidth > 0 ? Math.min(width, histogram.clientWidth) : width;
    histogram.replaceChildren(UsageHistogram(usage, dead, {width: room, label: `How often each of the ${codebookSize} codes was chosen in the last ${deadWindow} batches; ${dead.length} dead codes marked in red`}));
    histogram.dataset.updates = String(updates);
  };

  const show = () => {
    status.innerHTML = "";
    const part = (text: string, name: string, value: string) => {
      const span = document.createElement("span");
      span.dataset.value = name;
      span.textContent = value;
      status.append(text, span);
    };
    part("step ", "vq-step", String(last.step));
    part(" · reconstruction ", "vq-reconstruction", Number.isFinite(last.reconstructionLoss) ? last.reconstructionLoss.toFixed(1) : "–");
    part(" nats · codes used in the last batch ", "vq-codes-used", String(last.codesUsed));
    part(` of ${codebookSize} · dead codes `, "vq-dead", String(dead.length));
    part(" · re-seeded so far ", "vq-reseeded", String(last.reseeded));
    drawHistogram();
    const recon = tf.tidy(() => model.reconstruct(tf.tensor2d(preview, [preview.length / 784, 784])).dataSync() as Float32Array);
    const both = new Float32Array(preview.length * 2);
    both.set(preview);
    both.set(recon, preview.length);
    pictures.replaceChildren(DigitGrid(both, {columns: preview.length / 784, scale: 2, label: "Top: test digits. Bottom: the lab model's reconstructions."}));
    reseedNow.disabled = dead.length === 0 || trainer?.state === "running";
  };

  const onProgress = (p: VqVaeProgress) => {
    if (disposed) return;
    const r = p.records[p.records.length - 1];
    if (r) last = {...last, step: r.step, reconstructionLoss: r.reconstructionLoss, codesUsed: r.codesUsed, perplexity: r.perplexity};
    last.reseeded += p.reseeded.reduce((n, e) => n + e.codes.length, 0);
    usage = p.usage;
    dead = p.dead;
    updates++;
    if (p.divergence) message.textContent = p.divergence;
    show();
  };

  train.onclick = async () => {
    if (trainer?.state === "running") {
      trainer.pause();
      return;
    }
    train.disabled = true;
    if (!trainer) {
      train.textContent = "Loading digits…";
      const data = await loadData();
      if (disposed) return;
      trainer = new VqVaeTrainer({model, data, batchSize, learningRate: 2e-3, commitment, seed, deadWindow, readEvery: 5, epochs: 50, reseed: autoBox.checked, onProgress});
    }
    train.textContent = "Pause";
    train.disabled = false;
    reseedNow.disabled = true;
    try {
      running = trainer.run();
      await running;
    } catch (error) {
      message.textContent = `Training stopped: ${(error as Error).message}`;
    }
    if (disposed) return;
    train.textContent = "Train";
    show();
  };
  autoBox.onchange = () => trainer?.setReseed(autoBox.checked);
  reseedNow.onclick = () => {
    if (!trainer || trainer.state === "running") return;
    const moved = trainer.reseedDeadCodes();
    last.reseeded += moved.length;
    dead = trainer.deadCodes();
    usage = trainer.usage();
    updates++;
    show();
  };

  show();
  // The first drawing happened before the lab was on the page (no width to measure): once it is, redraw
  // the histogram at the column's width if that is narrower (a phone), so its labels are not shrunk.
  requestAnimationFrame(() => {
    if (!disposed && histogram.clientWidth > 0 && histogram.clientWidth < width) drawHistogram();
  });
  invalidation?.then(() => {
    disposed = true;
    trainer?.stop();
    // Let a running step finish before freeing the weights it uses.
    void (running ?? Promise.resolve()).catch(() => {}).then(() => {
      trainer?.dispose();
      model.dispose();
    });
  });
  return root;
}

function button(text: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  return b;
}
