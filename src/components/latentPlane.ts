import * as Plot from "@observablehq/plot";
import {pointer} from "d3";
import {posteriorEllipse} from "../lib/index.js";
import {DIGIT_COLORS, type LatentPoint} from "./latentScatter.js";
import {ROLE_COLORS} from "./roles.js";

export interface PosteriorOverlay {
  /** q(z|x)'s mean and standard deviations, 2-D. */
  mean: ArrayLike<number>;
  sd: ArrayLike<number>;
  /** Ellipses drawn k standard deviations out (default 1 and 2). */
  k?: number[];
}

export interface LatentPlaneOptions {
  width?: number;
  /** Both axes run over [−domain, domain] (default: just wide enough for the points, at least 3). */
  domain?: number;
  xLabel?: string;
  yLabel?: string;
  ariaLabel?: string;
  /** The point the pointer or the sliders chose, marked with a cross. */
  picked?: {x: number; y: number} | null;
  /** An encoder's q(z|x), drawn as its mean and its 1σ and 2σ ellipses. */
  posterior?: PosteriorOverlay | null;
  /** Marks under the points (a density raster) and over them. */
  background?: Plot.Markish[];
  marks?: Plot.Markish[];
  /** Called with the data coordinates under the pointer while it moves over the plane or taps it. */
  onPick?: (z: [number, number]) => void;
  /** The digit-colour legend (default: shown when there are labelled points). */
  legend?: boolean;
  /** Extra Plot scale options (for example `opacity`) for the background marks. */
  scales?: Record<string, unknown>;
}

/**
 * A 2-D latent plane: test digits' codes coloured by label, an optional cross where the reader points,
 * an optional q(z|x) ellipse, and a pointer that reports the point under it. The axes are square and
 * fixed, so the same code lands at the same place whatever the data. Use it with `resize`:
 * `${resize((width) => LatentPlane(points, {width: Math.min(width, 420), onPick}))}`.
 */
export function LatentPlane(points: LatentPoint[], options: LatentPlaneOptions = {}): SVGSVGElement | HTMLElement {
  const {xLabel = "z₁", yLabel = "z₂", ariaLabel = "A latent plane", picked = null, posterior = null, background = [], marks = [], onPick, scales = {}} = options;
  // Never narrower than a readable plane (resize may first report the width of an empty container).
  const width = Math.max(160, options.width ?? 360);
  const extent = Math.max(...points.flatMap((p) => [Math.abs(p.x), Math.abs(p.y)]), 0);
  const domain = options.domain ?? Math.max(3, Math.ceil(extent * 2) / 2);
  const labelled = points.some((p) => p.label !== undefined);
  const overlay: Plot.Markish[] = [];
  if (posterior) {
    const ks = posterior.k ?? [1, 2];
    const outline = ks.flatMap((k) => posteriorEllipse(posterior.mean, posterior.sd, k).map((p) => ({...p, k: `${k}σ`})));
    overlay.push(
      Plot.line(outline, {x: "x", y: "y", z: "k", stroke: ROLE_COLORS.q, strokeWidth: 2}),
      Plot.dot([{x: posterior.mean[0], y: posterior.mean[1]}], {x: "x", y: "y", r: 4, fill: ROLE_COLORS.q, stroke: "currentColor"})
    );
  }
  if (picked) overlay.push(Plot.dot([picked], {x: "x", y: "y", symbol: "times", r: 8, stroke: "currentColor", strokeWidth: 3}));
  const plot = Plot.plot({
    ariaLabel,
    width,
    height: width,
    x: {label: xLabel, domain: [-domain, domain]},
    y: {label: yLabel, domain: [-domain, domain]},
    ...(labelled ? {color: {type: "ordinal", domain: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], range: DIGIT_COLORS, legend: options.legend ?? true}} : {}),
    ...scales,
    marks: [...background, Plot.dot(points, {x: "x", y: "y", fill: labelled ? "label" : "currentColor", r: 2, fillOpacity: 0.8, clip: true}), ...overlay, ...marks]
  });
  if (onPick) pickOnPlane(plot, domain, onPick);
  return plot;
}

/** Reports the data coordinates under the pointer (clamped to the plane) while it moves or taps. */
function pickOnPlane(plot: SVGSVGElement | HTMLElement, domain: number, onPick: (z: [number, number]) => void) {
  // With a legend, Plot returns a figure: the plane is its last svg (the swatches come first).
  const svg = plot instanceof SVGSVGElement ? plot : [...plot.querySelectorAll("svg")].at(-1);
  if (!svg) return;
  const scaled = plot as unknown as {scale(name: string): {invert(v: number): number}};
  const pick = (event: PointerEvent) => {
    const [px, py] = pointer(event, svg);
    const [x, y] = [scaled.scale("x").invert(px), scaled.scale("y").invert(py)];
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    const clamp = (v: number) => Math.max(-domain, Math.min(domain, v));
    onPick([clamp(x), clamp(y)]);
  };
  svg.addEventListener("pointermove", pick);
  svg.addEventListener("pointerdown", pick);
  svg.style.cursor = "crosshair";
}

/**
 * An onPick that moves two range inputs (Observable Inputs.range or <input type=range>) to the point,
 * rounded to their step and kept inside their range, and fires "input" so the page recomputes as if
 * the reader had moved them.
 */
export function pickInto(xInput: HTMLElement & {value: unknown}, yInput: HTMLElement & {value: unknown}, step = 0.05): (z: [number, number]) => void {
  const bounds = (input: HTMLElement) => {
    const range = (input.matches("input[type=range]") ? input : input.querySelector("input[type=range]")) as HTMLInputElement | null;
    return [Number(range?.min ?? -Infinity), Number(range?.max ?? Infinity)];
  };
  return ([x, y]) => {
    for (const [input, v] of [[xInput, x], [yInput, y]] as const) {
      const [min, max] = bounds(input);
      input.value = Number(Math.max(min, Math.min(max, Math.round(v / step) * step)).toFixed(10));
      input.dispatchEvent(new Event("input", {bubbles: true}));
    }
  };
}
