/** One epoch of a checkpoint's train-log.json (scripts/trainLog.ts says what each field means). */
export interface CurvePoint {
  epoch: number;
  trainLoss: number;
  trainNegElbo?: number | null;
  trainReconstructionLoss: number;
  trainKl: number;
  testLoss: number;
  testKl: number | null;
  learningRate?: number;
  beta?: number;
}

/** One shipped checkpoint as src/data/models.json describes it. */
export interface ShippedModel {
  name: string;
  /** Weights and biases, counted from model.json's shapes. */
  parameters: number;
  /** model.json + weights.bin as committed in data/checkpoints. */
  bytes: number;
  /** The site's copy, data/model-NAME.bin (8-bit kernels), and its gzip-compressed size. */
  siteBytes: number;
  siteGzipBytes: number;
  command: string | null;
  config: {kind: string; latentDim: number; imageShape: number[]; hiddenSizes: number[]; arch: string};
  metrics: {
    model: string;
    epochs: number | null;
    examples: number;
    negElbo: number | null;
    reconstructionLoss: number;
    kl: number | null;
    iwae: {k: number; nll: number} | null;
    activeUnits: {count: number; threshold: number};
    config: {latentDim: number; kind: string};
    evaluatedWith: string;
    protocol: string;
  } | null;
  curveFields: Record<string, string> | null;
  curve: CurvePoint[];
}

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? "—" : value.toFixed(digits));

/** Pixels per image: D in bits per dimension = nats / (D ln 2). */
export const pixelsOf = (m: ShippedModel) => m.config.imageShape.reduce((a, b) => a * b, 1);

/** Nats per image as bits per dimension (per pixel): nats / (D ln 2). */
export const bitsPerDim = (nats: number, pixels: number) => nats / (pixels * Math.LN2);

/** The seed of the test set's binarization, read from the protocol evaluateModel wrote into metrics.json. */
export const protocolSeed = (m: ShippedModel): number | null => {
  const match = m.metrics?.protocol.match(/binarized once by a Bernoulli draw per pixel \(seed (\d+)\)/);
  return match ? Number(match[1]) : null;
};

export const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

function cell(row: HTMLTableRowElement, text: string, numeric = false) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) {
    td.style.textAlign = "right";
    td.style.whiteSpace = "nowrap";
  }
  return td;
}

function table(labels: string[]): HTMLTableElement {
  const t = document.createElement("table");
  t.className = "model-table";
  const head = t.createTHead().insertRow();
  for (const label of labels) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  return t;
}

const KINDS: Record<string, string> = {vae: "VAE", cvae: "conditional VAE", ae: "autoencoder"};

/** "VAE, 784-512-512-32": the encoder's layer sizes (the decoder mirrors them). */
export function architecture(m: ShippedModel): string {
  const {kind, arch, hiddenSizes, latentDim} = m.config;
  const layers = arch === "mlp" ? [pixelsOf(m), ...hiddenSizes, latentDim].join("-") : `conv ${hiddenSizes.join("/")} channels, ${latentDim} latents`;
  return `${KINDS[kind] ?? kind}, ${layers}`;
}

/** The measured numbers of each shipped model, one row each, straight from its metrics.json. */
export function ModelTable(models: ShippedModel[]): HTMLElement {
  const t = table(["Checkpoint", "Epochs", "−ELBO (nats)", "bits/dim", "Reconstruction loss", "KL", "−log p(x) (nats)", "bits/dim", "Active units"]);
  const body = t.createTBody();
  for (const m of models) {
    const row = body.insertRow();
    cell(row, m.name).style.fontFamily = "var(--monospace)";
    if (!m.metrics) {
      cell(row, "not evaluated yet: run npm run evaluate").colSpan = 8;
      continue;
    }
    const x = m.metrics;
    const pixels = pixelsOf(m);
    cell(row, String(x.epochs ?? "—"), true);
    cell(row, fixed(x.negElbo), true);
    cell(row, x.negElbo === null ? "—" : fixed(bitsPerDim(x.negElbo, pixels), 3), true);
    cell(row, `${fixed(x.reconstructionLoss)}${x.negElbo === null ? "*" : ""}`, true);
    cell(row, fixed(x.kl), true);
    cell(row, x.iwae ? fixed(x.iwae.nll) : "—", true);
    cell(row, x.iwae ? fixed(bitsPerDim(x.iwae.nll, pixels), 3) : "—", true);
    cell(row, `${x.activeUnits.count} of ${x.config.latentDim}`, true);
  }
  return t;
}

/** What each checkpoint is and weighs: parameters, the committed files, and the site's copy. */
export function SizeTable(models: ShippedModel[]): HTMLElement {
  const t = table(["Checkpoint", "Model", "Parameters", "Checkpoint (MB)", "Site copy (MB)", "gzip (MB)"]);
  const body = t.createTBody();
  for (const m of models) {
    const row = body.insertRow();
    cell(row, m.name).style.fontFamily = "var(--monospace)";
    cell(row, architecture(m));
    cell(row, m.parameters.toLocaleString("en-US"), true);
    cell(row, (m.bytes / 1e6).toFixed(2), true);
    cell(row, (m.siteBytes / 1e6).toFixed(2), true);
    cell(row, (m.siteGzipBytes / 1e6).toFixed(2), true);
  }
  return t;
}

/** The published rows, from data/references/published.json. */
export function PublishedTable(published: {rows: {model: string; trainingK: number; nll: number}[]; epochs: number; evaluationK: number}, pixels = 784): HTMLElement {
  const t = table(["Model", "k in training", "Epochs", "−log p(x) (nats)", "bits/dim", "k"]);
  const body = t.createTBody();
  for (const r of published.rows) {
    const row = body.insertRow();
    cell(row, r.model);
    cell(row, String(r.trainingK), true);
    cell(row, published.epochs.toLocaleString("en-US"), true);
    cell(row, r.nll.toFixed(2), true);
    cell(row, bitsPerDim(r.nll, pixels).toFixed(3), true);
    cell(row, published.evaluationK.toLocaleString("en-US"), true);
  }
  return t;
}

export interface QuantizationRow {
  name: string;
  examples: number;
  float16: {bytes: number; gzipBytes: number; negElbo: number | null; reconstructionLoss: number};
  uint8: {bytes: number; gzipBytes: number; negElbo: number | null; reconstructionLoss: number};
  change: number;
}

/** What 8-bit weights cost each checkpoint: data/references/quantization.json. */
export function QuantizationTable(rows: QuantizationRow[]): HTMLElement {
  const t = table(["Checkpoint", "float16 (MB)", "gzip", "8-bit (MB)", "gzip", "−ELBO, float16", "−ELBO, 8-bit", "change"]);
  const body = t.createTBody();
  for (const r of rows) {
    const row = body.insertRow();
    cell(row, r.name).style.fontFamily = "var(--monospace)";
    for (const bytes of [r.float16.bytes, r.float16.gzipBytes, r.uint8.bytes, r.uint8.gzipBytes]) cell(row, (bytes / 1e6).toFixed(2), true);
    const mark = r.float16.negElbo === null ? "*" : "";
    cell(row, `${fixed(r.float16.negElbo ?? r.float16.reconstructionLoss, 3)}${mark}`, true);
    cell(row, `${fixed(r.uint8.negElbo ?? r.uint8.reconstructionLoss, 3)}${mark}`, true);
    cell(row, `${r.change >= 0 ? "+" : "−"}${Math.abs(r.change).toFixed(3)}`, true);
  }
  return t;
}

/** The commands that made and measured each checkpoint, for copying. */
export function ReproduceList(models: ShippedModel[]): HTMLElement {
  const list = document.createElement("dl");
  for (const m of models) {
    const term = document.createElement("dt");
    term.textContent = m.name;
    const detail = document.createElement("dd");
    const pre = document.createElement("pre");
    // Wrapped, so a long comment in command.txt is read whole at any width and in print.
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = [m.command ?? "(no command.txt)", m.metrics?.evaluatedWith ?? "(not evaluated)"].join("\n");
    detail.append(pre);
    list.append(term, detail);
  }
  return list;
}
