import * as Plot from "@observablehq/plot";
import {ROLE_COLORS} from "./roles.js";

export interface GapDigit {
  /** A name for the digit, e.g. "#3 (a 7)". */
  name: string;
  /** The ELBO estimates during optimization, step 0 being the encoder's q. */
  history: {step: number; elbo: number}[];
  /** log p(x) estimated by IWAE, once known. */
  logLikelihood?: number;
}

/**
 * How far per-digit optimization raises each digit's ELBO above the encoder's: one line per digit
 * (q, blue) against the optimizer's steps, and, once known, the estimate of log p(x) (data, green,
 * dashed) on the same scale. The rise is the amortization gap; what is left below the dashed line is
 * the approximation gap.
 */
export function ElboTrajectories(digits: GapDigit[], {width = 640, steps}: {width?: number; steps?: number} = {}): SVGSVGElement | HTMLElement {
  const lines = digits.flatMap((d) => d.history.map((h) => ({name: d.name, step: h.step, gain: h.elbo - d.history[0].elbo})));
  const last = digits.map((d) => ({name: d.name, step: d.history[d.history.length - 1].step, gain: d.history[d.history.length - 1].elbo - d.history[0].elbo}));
  const levels = digits.filter((d) => d.logLikelihood !== undefined).map((d) => ({name: d.name, gain: (d.logLikelihood as number) - d.history[0].elbo}));
  const maxStep = steps ?? Math.max(1, ...lines.map((l) => l.step));
  return Plot.plot({
    width: Math.min(width, 640),
    height: 280,
    marginRight: 70,
    ariaLabel: `ELBO above the encoder's during per-digit optimization: ${last.map((l) => `${l.name} +${l.gain.toFixed(2)}`).join(", ")} nats`,
    x: {label: "optimization steps", domain: [0, maxStep]},
    y: {label: "ELBO − encoder's ELBO (nats)", grid: true, domain: [Math.min(0, ...lines.map((l) => l.gain)), Math.max(1, ...lines.map((l) => l.gain), ...levels.map((l) => l.gain))], nice: true},
    marks: [
      Plot.ruleY([0]),
      Plot.ruleY(levels, {y: "gain", stroke: ROLE_COLORS.data, strokeDasharray: "5,3", strokeWidth: 1.5}),
      Plot.text(levels, {x: maxStep, y: "gain", text: (d) => `log p̂ ${d.name}`, textAnchor: "start", dx: 4, fill: ROLE_COLORS.data, fontSize: 9}),
      Plot.line(lines, {x: "step", y: "gain", z: "name", stroke: ROLE_COLORS.q, strokeWidth: 1.5}),
      Plot.text(last, {x: "step", y: "gain", text: "name", textAnchor: "start", dx: 4, fill: "currentColor", fontSize: 9})
    ]
  });
}

/** The two gaps per digit as stacked horizontal bars: amortization (q, blue), then approximation (posterior, yellow). */
export function GapBars(rows: {name: string; amortization: number; approximation: number}[], {width = 640}: {width?: number} = {}): SVGSVGElement | HTMLElement {
  const parts = rows.flatMap((r) => [
    {name: r.name, gap: "amortization gap", nats: r.amortization},
    {name: r.name, gap: "approximation gap", nats: r.approximation}
  ]);
  return Plot.plot({
    width: Math.min(width, 640),
    height: 40 + 28 * rows.length,
    marginLeft: 70,
    ariaLabel: `The gaps per digit: ${rows.map((r) => `${r.name} amortization ${r.amortization.toFixed(2)}, approximation ${r.approximation.toFixed(2)} nats`).join("; ")}`,
    x: {label: "nats below log p̂(x)", grid: true},
    y: {label: null, domain: rows.map((r) => r.name)},
    color: {domain: ["amortization gap", "approximation gap"], range: [ROLE_COLORS.q, ROLE_COLORS.posterior], legend: true},
    marks: [Plot.barX(parts, Plot.stackX({y: "name", x: "nats", fill: "gap", order: ["amortization gap", "approximation gap"]})), Plot.ruleX([0])]
  });
}
