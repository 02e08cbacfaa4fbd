import type {Metrics} from "../lib/index.js";

/** One shipped checkpoint as src/data/models.json describes it: lib's Metrics plus what evaluate wrote beside them. */
export interface ShippedModel {
  name: string;
  bytes: number;
  command: string | null;
  metrics: (Metrics & {model: string; epochs: number | null; config: {latentDim: number; kind: string}; evaluatedWith: string}) | null;
  curve: {epoch: number; testLoss: number; trainLoss: number}[];
}

const fixed = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? "—" : value.toFixed(digits));

function cell(row: HTMLTableRowElement, text: string, numeric = false) {
  const td = row.insertCell();
  td.textContent = text;
  if (numeric) td.style.textAlign = "right";
  return td;
}

/** The measured numbers of each shipped model, one row each, straight from its metrics.json. */
export function ModelTable(models: ShippedModel[]): HTMLElement {
  const table = document.createElement("table");
  table.className = "model-table";
  const head = table.createTHead().insertRow();
  for (const label of ["Checkpoint", "Model", "Epochs", "−ELBO", "Reconstruction loss", "KL", "−log p(x)", "Active units", "Size"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = label;
    head.append(th);
  }
  const body = table.createTBody();
  for (const m of models) {
    const row = body.insertRow();
    const name = cell(row, m.name);
    name.style.fontFamily = "var(--monospace)";
    if (!m.metrics) {
      cell(row, "not evaluated yet: run npm run evaluate").colSpan = 8;
      continue;
    }
    const x = m.metrics;
    cell(row, x.model);
    cell(row, String(x.epochs ?? "—"), true);
    cell(row, fixed(x.negElbo), true);
    cell(row, fixed(x.reconstructionLoss), true);
    cell(row, fixed(x.kl), true);
    cell(row, x.iwae ? `${fixed(x.iwae.nll)} (k = ${x.iwae.k})` : "—", true);
    cell(row, `${x.activeUnits.count} of ${x.config.latentDim}`, true);
    cell(row, `${(m.bytes / 2 ** 20).toFixed(1)} MiB`, true);
  }
  return table;
}

/** The commands that made and measured each checkpoint, for copying. */
export function ReproduceList(models: ShippedModel[]): HTMLElement {
  const list = document.createElement("dl");
  for (const m of models) {
    const term = document.createElement("dt");
    term.textContent = m.name;
    const detail = document.createElement("dd");
    const pre = document.createElement("pre");
    pre.textContent = [m.command ?? "(no command.txt)", m.metrics?.evaluatedWith ?? "(not evaluated)"].join("\n");
    detail.append(pre);
    list.append(term, detail);
  }
  return list;
}
