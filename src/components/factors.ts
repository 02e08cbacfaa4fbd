// Chapter 12's views: the shapes with their factors, latent traversals, the mutual information matrix
// beside the KL per unit, and the β sweep's MIG. Each is built from its arguments alone.
import * as Plot from "@observablehq/plot";
import type {ShapeFactors} from "../lib/index.js";
import {DigitGrid} from "./digitGrid.js";
import {ROLE_COLORS} from "./roles.js";

const SHAPES = ["square", "ellipse", "heart"];
const DEGREE = 180 / Math.PI;

/** "heart, scale 0.80, −20°, x 0.33, y 0.47": a shape's factors as a reader reads them. */
export function describeFactors(f: ShapeFactors): string {
  const degrees = Math.round(f.rotation * DEGREE);
  return `${SHAPES[f.shape] ?? `shape ${f.shape}`}, scale ${f.scale.toFixed(2)}, ${degrees < 0 ? "−" : ""}${Math.abs(degrees)}°, x ${f.x.toFixed(2)}, y ${f.y.toFixed(2)}`;
}

/**
 * A grid of shapes, each with its factor values under it.
 * @param images count·side² values in [0, 1]
 */
export function ShapeSamples(images: ArrayLike<number>, factors: readonly ShapeFactors[], {side = 32, scale = 3, label}: {side?: number; scale?: number; label: string}): HTMLElement {
  const root = document.createElement("div");
  root.className = "shape-samples";
  root.setAttribute("role", "group");
  root.setAttribute("aria-label", label);
  factors.forEach((f, n) => {
    const cell = document.createElement("figure");
    cell.className = "shape-sample";
    const picture = DigitGrid(Array.prototype.slice.call(images, n * side * side, (n + 1) * side * side), {side, columns: 1, scale, label: `A ${describeFactors(f)}`});
    const caption = document.createElement("figcaption");
    const [shape, ...rest] = describeFactors(f).split(", ");
    caption.innerHTML = `<b>${shape}</b><br>${rest.slice(0, 2).join(", ")}<br>${rest.slice(2).join(", ")}`;
    cell.append(picture, caption);
    root.append(cell);
  });
  return root;
}

export interface TraversalRow {
  /** Shown to the left of the row: "z₃". */
  label: string;
  /** Shown under the label: "KL 2.01 nats · x 0.62". */
  note?: string;
  /** Images in this row, if not the grid's `steps`. */
  steps?: number;
}

/**
 * Rows of images as one canvas, `columns` cells a row, black ink on white; a row with fewer images
 * leaves the rest of its cells blank. @param rows each row's images, side² values in [0, 1] each
 */
export function ImageRows(rows: readonly ArrayLike<number>[], {side = 32, columns, scale = 2, label}: {side?: number; columns: number; scale?: number; label: string}): HTMLCanvasElement {
  const gap = 1;
  const canvas = document.createElement("canvas");
  canvas.width = columns * (side + gap) - gap;
  canvas.height = Math.max(1, rows.length * (side + gap) - gap);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.className = "digit-grid image-rows";
  canvas.style.width = `min(100%, ${canvas.width * scale}px)`;
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const image = context.createImageData(canvas.width, canvas.height);
  image.data.fill(255);
  const put = (x: number, y: number, v: number) => {
    const o = (y * canvas.width + x) * 4;
    image.data[o] = image.data[o + 1] = image.data[o + 2] = v;
  };
  rows.forEach((pixels, r) => {
    const count = Math.min(columns, Math.floor(pixels.length / (side * side)));
    for (let n = 0; n < count; n++) {
      const [x0, y0] = [n * (side + gap), r * (side + gap)];
      for (let y = 0; y < side; y++) {
        for (let x = 0; x < side; x++) put(x0 + x, y0 + y, Math.round(255 * (1 - Math.min(1, Math.max(0, pixels[n * side * side + y * side + x])))));
      }
      // a light grey line right of and below each image, so neighbours read as separate images
      if (n < columns - 1) for (let y = 0; y < side; y++) put(x0 + side, y0 + y, 200);
      if (r < rows.length - 1) for (let x = 0; x < side + (n < columns - 1 ? gap : 0); x++) put(x0 + x, y0 + side, 200);
    }
  });
  context.putImageData(image, 0, 0);
  return canvas;
}

/**
 * Rows of decoded images, one row per unit (or per factor), `steps` images a row (or the row's own
 * `steps`), drawn as one canvas with each row's label beside it.
 * @param images every row's images, row by row, side² values in [0, 1] each
 */
export function TraversalGrid(images: ArrayLike<number>, rows: readonly TraversalRow[], {side = 32, steps, scale = 2, label}: {side?: number; steps: number; scale?: number; label: string}): HTMLElement {
  const root = document.createElement("div");
  root.className = "traversal-grid";
  const labels = document.createElement("div");
  labels.className = "traversal-labels";
  labels.setAttribute("aria-hidden", "true");
  labels.style.gridTemplateRows = `repeat(${rows.length}, 1fr)`;
  const pieces: ArrayLike<number>[] = [];
  let start = 0;
  const columns = Math.max(steps, ...rows.map((r) => r.steps ?? steps));
  for (const row of rows) {
    const count = row.steps ?? steps;
    pieces.push(Array.prototype.slice.call(images, start, start + count * side * side));
    start += count * side * side;
    const name = document.createElement("div");
    name.className = "traversal-label";
    name.innerHTML = `<b>${row.label}</b>${row.note ? ` <small>${row.note}</small>` : ""}`;
    labels.append(name);
  }
  const described = rows.map((r) => `${r.label}${r.note ? ` (${r.note})` : ""}`).join("; ");
  const canvas = ImageRows(pieces, {side, columns, scale, label: `${label}. Rows: ${described}`});
  // One grid: the labels stretch to the canvas's height, one label per image row; a download bar
  // inserted after the canvas goes under it (the page's stylesheet puts it in the second column).
  root.append(labels, canvas);
  return root;
}

export interface MatrixData {
  /** I(z_j; v_k) / H(v_k): [units][factors]. */
  normalized: number[][];
  factorNames: readonly string[];
  /** KL(q(z_j|x) ‖ N(0, 1)) averaged over the data, nats: [units]. */
  klPerUnit: number[];
  /** For each factor, the unit with the most information about it (outlined). */
  topUnits?: readonly (readonly [number, number])[];
}

const unitName = (j: number) => `z${String(j + 1).replace(/\d/g, (d) => "₀₁₂₃₄₅₆₇₈₉"[Number(d)])}`;

/**
 * The normalized mutual information between each latent unit (rows) and each factor (columns) as a
 * heat map with its values, each factor's best unit outlined, and the KL per unit beside it as bars.
 */
export function MiMatrix({normalized, factorNames, klPerUnit, topUnits = []}: MatrixData, {width = 640, label}: {width?: number; label: string}): HTMLElement {
  const root = document.createElement("div");
  root.className = "mi-matrix";
  const units = normalized.map((_, j) => unitName(j));
  const cells = normalized.flatMap((row, j) => row.map((value, k) => ({unit: units[j], factor: factorNames[k], value})));
  const top = topUnits.map(([a], k) => ({unit: units[a], factor: factorNames[k]})).filter((c) => c.unit !== undefined);
  const narrow = width < 520;
  const height = 36 + 26 * units.length;
  const matrixWidth = narrow ? Math.min(width, 420) : Math.min(420, Math.round(width * 0.62));
  const y = {label: null, domain: units, padding: 0.06};
  const matrix = Plot.plot({
    width: matrixWidth,
    height,
    marginLeft: 36,
    marginTop: 28,
    ariaLabel: `${label}: ${cells.filter((c) => c.value >= 0.1).map((c) => `${c.unit}–${c.factor} ${c.value.toFixed(2)}`).join(", ") || "no entry reaches 0.10"}`,
    x: {label: null, domain: [...factorNames], axis: "top", padding: 0.06},
    y,
    color: {type: "linear", domain: [0, 1], scheme: "blues", legend: false},
    marks: [
      Plot.cell(cells, {x: "factor", y: "unit", fill: "value", inset: 0.5}),
      Plot.cell(top, {x: "factor", y: "unit", stroke: "currentColor", strokeWidth: 2, fill: "none"}),
      Plot.text(cells, {x: "factor", y: "unit", text: (c: {value: number}) => c.value.toFixed(2), fill: "currentColor", stroke: "var(--theme-background, white)", strokeWidth: 3, fontSize: 11})
    ]
  });
  const kl = Plot.plot({
    width: narrow ? Math.min(width, 420) : Math.max(160, Math.min(260, width - matrixWidth - 16)),
    height,
    marginLeft: 36,
    marginTop: 28,
    ariaLabel: `KL per unit, nats: ${klPerUnit.map((v, j) => `${units[j]} ${v.toFixed(2)}`).join(", ")}`,
    x: {label: "KL per unit (nats)", axis: "top", grid: true, nice: true},
    y,
    marks: [Plot.barX(klPerUnit.map((value, j) => ({unit: units[j], value})), {y: "unit", x: "value", fill: ROLE_COLORS.prior}), Plot.ruleX([0])]
  });
  // Each chart in its own box, so the download bar the page adds under a chart stays under it.
  for (const chart of [matrix, kl]) {
    const box = document.createElement("div");
    box.append(chart);
    root.append(box);
  }
  return root;
}

/** One model of the live β sweep, measured on the test shapes. */
export interface FactorSweepRow {
  beta: number;
  mig: number;
  /** The gap per factor (null: a factor that never varies). */
  perFactor: (number | null)[];
  klPerUnit: number[];
  /** −E_q[log p(x|z)] on the held-out shapes, nats per image. */
  reconstructionLoss: number;
  kl: number;
}

/**
 * MIG against β: the shipped checkpoints (dashed, hollow dots, labelled "shipped") and the live run's
 * models (solid, filled), with each factor's gap for the live run (or for the shipped models while
 * nothing has been trained), the KL per unit as a heat map over β beside it, and the reconstruction
 * loss against β, the price. `betas` fixes the x axis.
 */
export function MigChart(rows: readonly FactorSweepRow[], {width = 640, betas, factorNames, shipped = []}: {width?: number; betas: readonly number[]; factorNames: readonly string[]; shipped?: readonly FactorSweepRow[]}): HTMLElement {
  const root = document.createElement("div");
  root.className = "mig-chart";
  const domain = betas.map(String);
  const x = {label: "β", domain, type: "point" as const, inset: 16};
  const narrow = width < 560;
  const half = narrow ? width : Math.floor((width - 16) / 2);
  const detailed = rows.length > 0 ? rows : shipped;
  const perFactor = detailed.flatMap((r) => r.perFactor.map((v, k) => ({beta: String(r.beta), factor: factorNames[k], v})).filter((p) => p.v !== null));
  const beta = (r: FactorSweepRow) => String(r.beta);
  const described = (set: readonly FactorSweepRow[]) => set.map((r) => `β = ${r.beta}: ${r.mig.toFixed(2)}`).join(", ");
  const mig = Plot.plot({
    width: half,
    height: 220,
    marginLeft: 44,
    marginRight: 56,
    ariaLabel: `MIG against β. Shipped models: ${described(shipped) || "none"}. Live run: ${described(rows) || "not trained yet"}`,
    x,
    y: {label: "gap / entropy", domain: [0, Math.max(0.5, ...rows.map((r) => r.mig), ...shipped.map((r) => r.mig), ...perFactor.map((p) => p.v as number))], grid: true},
    color: {domain: [...factorNames], legend: true},
    marks: [
      Plot.line(perFactor, {x: "beta", y: "v", stroke: "factor", strokeOpacity: 0.6, strokeWidth: 1}),
      Plot.line(shipped, {x: beta, y: "mig", stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4 3"}),
      Plot.dot(shipped, {x: beta, y: "mig", stroke: "currentColor", fill: "var(--theme-background, white)", r: 4.5, strokeWidth: 1.5}),
      Plot.text(shipped.slice(-1), {x: beta, y: "mig", text: () => "shipped", dx: 10, textAnchor: "start", fill: "currentColor"}),
      Plot.line(rows, {x: beta, y: "mig", stroke: "currentColor", strokeWidth: 2.5}),
      Plot.dot(rows, {x: beta, y: "mig", fill: "currentColor", r: 3.5}),
      Plot.text(rows.slice(-1), {x: beta, y: "mig", text: () => "live", dx: 10, dy: 12, textAnchor: "start", fill: "currentColor"})
    ]
  });
  const latent = detailed[0]?.klPerUnit.length ?? 0;
  const units = Array.from({length: latent}, (_, j) => unitName(j));
  const klCells = detailed.flatMap((r) => r.klPerUnit.map((v, j) => ({beta: String(r.beta), unit: units[j], v})));
  const kl = Plot.plot({
    width: half,
    height: 220,
    marginLeft: 36,
    ariaLabel: `KL per unit against β (${rows.length > 0 ? "live run" : "shipped models"}): ${detailed.map((r) => `β = ${r.beta}: ${r.klPerUnit.map((v) => v.toFixed(1)).join(", ")}`).join("; ")}`,
    x: {label: `β (${rows.length > 0 ? "live run" : "shipped models"})`, domain, padding: 0.05},
    y: {label: null, domain: units, padding: 0.05},
    color: {type: "linear", domain: [0, Math.max(1, ...klCells.map((c) => c.v))], range: ["transparent", ROLE_COLORS.prior], legend: true, label: "KL per unit (nats)"},
    marks: [Plot.cell(klCells, {x: "beta", y: "unit", fill: "v", inset: 0.5}), Plot.text(klCells.filter((c) => c.v >= 0.1), {x: "beta", y: "unit", text: (c: {v: number}) => c.v.toFixed(1), fill: "currentColor", fontSize: 10})]
  });
  const priced = shipped.filter((r) => Number.isFinite(r.reconstructionLoss));
  const price = Plot.plot({
    width: narrow ? width : Math.min(width, 640),
    height: 170,
    marginLeft: 44,
    marginRight: 56,
    ariaLabel: `Reconstruction loss against β. Shipped models: ${priced.map((r) => `β = ${r.beta}: ${r.reconstructionLoss.toFixed(1)}`).join(", ") || "none"}. Live run: ${rows.map((r) => `β = ${r.beta}: ${r.reconstructionLoss.toFixed(1)}`).join(", ") || "not trained yet"}`,
    x,
    y: {label: "reconstruction loss (nats)", grid: true, zero: true},
    marks: [
      Plot.line(priced, {x: beta, y: "reconstructionLoss", stroke: ROLE_COLORS.data, strokeDasharray: "4 3"}),
      Plot.dot(priced, {x: beta, y: "reconstructionLoss", stroke: ROLE_COLORS.data, fill: "var(--theme-background, white)", r: 4}),
      Plot.line(rows, {x: beta, y: "reconstructionLoss", stroke: ROLE_COLORS.data, strokeWidth: 2}),
      Plot.dot(rows, {x: beta, y: "reconstructionLoss", fill: ROLE_COLORS.data, r: 3})
    ]
  });
  const pair = document.createElement("div");
  pair.className = "mig-pair";
  for (const chart of [mig, kl]) {
    const box = document.createElement("div");
    box.append(chart);
    pair.append(box);
  }
  root.append(pair, price);
  return root;
}
