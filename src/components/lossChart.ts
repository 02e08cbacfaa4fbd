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
}

export const LOSS_SERIES = {
  negElbo: "−ELBO (training batches)",
  loss: "training loss (with β)",
  reconstructionLoss: "reconstruction loss",
  heldOut: "−ELBO (held-out digits)",
  kl: "KL(q ‖ p(z))",
  heldOutKl: "KL (held-out digits)"
} as const;

/**
 * Loss curves in nats per image: the −ELBO, the training loss when it differs (β ≠ 1, a warm-up or
 * free bits), the reconstruction loss and the held-out −ELBO on one axis; the KL on its own axis
 * below, so that its early rise and fall can be read. `history` should be bounded (lib's
 * ThinnedHistory): the chart draws every point it is given.
 */
export function LossChart(history: readonly LossPoint[], {width = 640, heldOut = []}: LossChartOptions = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "loss-chart";
  if (history.length === 0) {
    const empty = document.createElement("p");
    empty.className = "lab-status";
    empty.textContent = "The loss curves appear here once training starts.";
    root.append(empty);
    return root;
  }
  const differs = history.some((r) => Math.abs(r.loss - r.negElbo) > 1e-3 * Math.max(1, Math.abs(r.negElbo)));
  const top = history.flatMap((r) => [
    {step: r.step, nats: r.negElbo, series: LOSS_SERIES.negElbo},
    ...(differs ? [{step: r.step, nats: r.loss, series: LOSS_SERIES.loss}] : []),
    {step: r.step, nats: r.reconstructionLoss, series: LOSS_SERIES.reconstructionLoss}
  ]);
  const last = history[history.length - 1];
  const domain = [LOSS_SERIES.negElbo, ...(differs ? [LOSS_SERIES.loss] : []), LOSS_SERIES.reconstructionLoss, LOSS_SERIES.heldOut];
  const colors: Record<string, string> = {
    [LOSS_SERIES.negElbo]: ROLE_COLORS.q,
    [LOSS_SERIES.loss]: ROLE_COLORS.contrast,
    [LOSS_SERIES.reconstructionLoss]: ROLE_COLORS.data,
    // Dots in the text colour: the held-out measurement, set apart from the training curves.
    [LOSS_SERIES.heldOut]: "currentColor",
    [LOSS_SERIES.kl]: ROLE_COLORS.prior,
    [LOSS_SERIES.heldOutKl]: "currentColor"
  };
  const x = {label: "step", domain: [0, Math.max(1, last.step)]};
  const marginLeft = 48;
  const losses = Plot.plot({
    width,
    height: 220,
    marginLeft,
    ariaLabel:
      `Loss curves over ${last.step} steps: −ELBO ${last.negElbo.toFixed(1)}` +
      (differs ? `, training loss ${last.loss.toFixed(1)}` : "") +
      `, reconstruction loss ${last.reconstructionLoss.toFixed(1)} nats per image`,
    x,
    y: {label: "nats per image", grid: true, zero: true},
    color: {legend: true, domain, range: domain.map((d) => colors[d])},
    marks: [
      Plot.line(top, {x: "step", y: "nats", stroke: "series"}),
      Plot.dot(heldOut, {x: "step", y: "negElbo", fill: () => LOSS_SERIES.heldOut, r: 3})
    ]
  });
  const kl = Plot.plot({
    width,
    height: 130,
    marginLeft,
    ariaLabel: `KL(q ‖ p(z)) over ${last.step} steps, now ${last.kl.toFixed(2)} nats per image`,
    x,
    y: {label: "KL (nats)", grid: true, zero: true},
    marks: [
      Plot.line(history, {x: "step", y: "kl", stroke: colors[LOSS_SERIES.kl]}),
      Plot.dot(heldOut, {x: "step", y: "kl", fill: "currentColor", r: 3}),
      Plot.text([last], {x: "step", y: "kl", text: () => "KL", dx: -12, dy: -8, fill: "currentColor"})
    ]
  });
  root.append(losses, kl);
  return root;
}
