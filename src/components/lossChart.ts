import * as Plot from "@observablehq/plot";
import type {StepRecord} from "../lib/index.js";
import {ROLE_COLORS} from "./roles.js";

/** One step's numbers, as lib's Trainer reports them (nats per image, batchMean). */
export type LossPoint = Pick<StepRecord, "step" | "loss" | "negElbo" | "reconstructionLoss" | "kl">;

/** A held-out measurement: −ELBO and KL on the lab's test digits at a step. */
export interface HeldOutPoint {
  step: number;
  negElbo: number;
  kl: number;
}

export interface LossChartOptions {
  width?: number;
  /** Held-out −ELBO and KL, drawn as dots. */
  heldOut?: readonly HeldOutPoint[];
  /** The training images' −ELBO scored the same way as the held-out ones (chapter 11), drawn as rings. */
  compare?: readonly {step: number; negElbo: number}[];
  /** The legend's names for the held-out dots and the rings (default "−ELBO (held-out digits)"), and for the KL panel's held-out dots (default "KL (held-out digits)"). */
  names?: {heldOut?: string; compare?: string; heldOutKl?: string};
}

export const LOSS_SERIES = {
  negElbo: "−ELBO (training batches)",
  loss: "training loss (with β)",
  reconstructionLoss: "reconstruction loss",
  heldOut: "−ELBO (held-out digits)",
  kl: "KL(q ‖ p(z)) (training batches)",
  heldOutKl: "KL (held-out digits)"
} as const;

const colors: Record<string, string> = {
  [LOSS_SERIES.negElbo]: ROLE_COLORS.q,
  [LOSS_SERIES.loss]: ROLE_COLORS.contrast,
  [LOSS_SERIES.reconstructionLoss]: ROLE_COLORS.data,
  // The held-out measurements in the text colour, set apart from the training curves.
  [LOSS_SERIES.heldOut]: "currentColor",
  [LOSS_SERIES.kl]: ROLE_COLORS.prior,
  [LOSS_SERIES.heldOutKl]: "currentColor"
};
const MARGIN_LEFT = 48;
const stepAxis = (history: readonly LossPoint[]) => ({label: "step", domain: [0, Math.max(1, history[history.length - 1].step)]});

/** True when some step's training loss is not its −ELBO (β ≠ 1, a warm-up or free bits). */
function lossDiffers(history: readonly LossPoint[]): boolean {
  return history.some((r) => Math.abs(r.loss - r.negElbo) > 1e-3 * Math.max(1, Math.abs(r.negElbo)));
}

/**
 * The −ELBO, the training loss when it differs from it, the reconstruction loss (lines) and the
 * held-out −ELBO (dots), in nats per image. `history` must not be empty.
 */
export function LossCurves(history: readonly LossPoint[], {width = 640, heldOut = [], compare = [], names = {}}: LossChartOptions = {}): SVGSVGElement | HTMLElement {
  const heldOutName = names.heldOut ?? LOSS_SERIES.heldOut;
  const compareName = names.compare ?? "−ELBO (training images, scored alike)";
  const differs = lossDiffers(history);
  const rows = history.flatMap((r) => [
    {step: r.step, nats: r.negElbo, series: LOSS_SERIES.negElbo},
    ...(differs ? [{step: r.step, nats: r.loss, series: LOSS_SERIES.loss}] : []),
    {step: r.step, nats: r.reconstructionLoss, series: LOSS_SERIES.reconstructionLoss}
  ]);
  const last = history[history.length - 1];
  const domain = [LOSS_SERIES.negElbo, ...(differs ? [LOSS_SERIES.loss] : []), LOSS_SERIES.reconstructionLoss, heldOutName, ...(compare.length ? [compareName] : [])];
  const palette: Record<string, string> = {...colors, [heldOutName]: "currentColor", [compareName]: ROLE_COLORS.contrast};
  return Plot.plot({
    width,
    height: 220,
    marginLeft: MARGIN_LEFT,
    ariaLabel:
      `Loss curves over ${last.step} steps: −ELBO ${last.negElbo.toFixed(1)}` +
      (differs ? `, training loss ${last.loss.toFixed(1)}` : "") +
      `, reconstruction loss ${last.reconstructionLoss.toFixed(1)} nats per image`,
    x: stepAxis(history),
    y: {label: "nats per image", grid: true, zero: true},
    color: {legend: true, domain, range: domain.map((d) => palette[d])},
    marks: [
      Plot.line(rows, {x: "step", y: "nats", stroke: "series"}),
      Plot.dot(heldOut, {x: "step", y: "negElbo", fill: () => heldOutName, r: 3}),
      ...(compare.length ? [Plot.dot(compare, {x: "step", y: "negElbo", stroke: () => compareName, r: 4, strokeWidth: 1.5})] : [])
    ]
  });
}

/**
 * KL(q ‖ p(z)) on its own axis (line) with the held-out KL (dots), so its early rise and fall can be
 * read; a legend of its own says which is which.
 */
export function KlCurve(history: readonly LossPoint[], {width = 640, heldOut = [], names = {}}: LossChartOptions = {}): SVGSVGElement | HTMLElement {
  const last = history[history.length - 1];
  const heldOutName = names.heldOutKl ?? LOSS_SERIES.heldOutKl;
  const domain = [LOSS_SERIES.kl, heldOutName];
  return Plot.plot({
    width,
    height: 130,
    marginLeft: MARGIN_LEFT,
    ariaLabel: `KL(q ‖ p(z)) over ${last.step} steps, now ${last.kl.toFixed(2)} nats per image`,
    x: stepAxis(history),
    y: {label: "KL (nats per image)", grid: true, zero: true},
    color: {legend: true, domain, range: [colors[LOSS_SERIES.kl], colors[LOSS_SERIES.heldOutKl]]},
    marks: [
      Plot.line(history, {x: "step", y: "kl", stroke: () => LOSS_SERIES.kl}),
      Plot.dot(heldOut, {x: "step", y: "kl", fill: () => heldOutName, r: 3})
    ]
  });
}

/**
 * Loss curves in nats per image (LossCurves) above the KL on its own axis (KlCurve). `history` should
 * be bounded (lib's ThinnedHistory): the chart draws every point it is given.
 */
export function LossChart(history: readonly LossPoint[], options: LossChartOptions = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "loss-chart";
  if (history.length === 0) {
    const empty = document.createElement("p");
    empty.className = "lab-status";
    empty.textContent = "The loss curves appear here once training starts.";
    root.append(empty);
    return root;
  }
  root.append(LossCurves(history, options), KlCurve(history, options));
  return root;
}
