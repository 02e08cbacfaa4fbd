import * as Plot from "@observablehq/plot";
import {jensenGap} from "../lib/index.js";
import {ROLE_COLORS} from "./roles.js";

export interface JensenOptions {
  /** The values t (positive for f = log), e.g. several runs' p̂(x) / p(x). */
  values: number[];
  /** Optional weights of the values (an expectation over a discrete distribution); equal by default. */
  weights?: number[];
  /** A concave function; log by default. */
  f?: (t: number) => number;
  /** How to name f(t) and the two averages: "log t" gives "log of the average" and "average of the logs". */
  fLabel?: string;
  /** The horizontal axis label. */
  xLabel?: string;
  /** Names of the two points, if "log of the average" / "average of the logs" do not fit. */
  fOfMeanLabel?: string;
  meanOfFLabel?: string;
  /** The colours of the two points, by the roles they play on the page; data green and contrast red by default. */
  fOfMeanColor?: string;
  meanOfFColor?: string;
  /** Short names written beside the ring and the dot (the legend has the full names); "log of avg." and "avg. of logs" by default. */
  fOfMeanTag?: string;
  meanOfFTag?: string;
  /** The t-range drawn; by default from a little below the smallest value to a little above the largest. */
  domain?: [number, number];
  width?: number;
  height?: number;
  ariaLabel?: string;
}

/**
 * Jensen's inequality as a picture: a concave curve f (log by default), the points (t_i, f(t_i)), and
 * at the average t̄ two points, f(t̄) on the curve (green by default, the "data" role: log p(x) when
 * t = p̂/p) and the average of the f(t_i) below it (red by default, the contrasting estimator: the
 * average of log p̂). The vertical segment between them is the gap f(E t) − E f(t) ≥ 0. The first is a
 * ring drawn around the second, a filled dot, so both show when the gap is zero. Chapters 3 and 4 use it.
 */
export function JensenFigure({
  values,
  weights,
  f = Math.log,
  fLabel = "log t",
  xLabel = "t",
  fOfMeanLabel = "log of the average",
  meanOfFLabel = "average of the logs",
  fOfMeanColor = ROLE_COLORS.data,
  meanOfFColor = ROLE_COLORS.contrast,
  fOfMeanTag = "log of avg.",
  meanOfFTag = "avg. of logs",
  domain,
  width = 520,
  height = 320,
  ariaLabel
}: JensenOptions): SVGSVGElement | HTMLElement {
  const {mean, fOfMean, meanOfF, gap} = jensenGap(values, f, weights);
  // From just below the smallest positive value, so that every point lies on the drawn curve (log weights
  // far below zero sit on its steep left end, not below where it stops).
  const positive = values.filter((v) => v > 0);
  const lo = domain?.[0] ?? (positive.length > 0 ? Math.min(...positive) * 0.8 : 1e-3);
  const hi = domain?.[1] ?? Math.max(...values) * 1.1 + 1e-3;
  const curve = Array.from({length: 241}, (_, i) => {
    const t = lo * (hi / lo) ** (i / 240); // denser near small t, where log bends most
    return {t, y: f(t)};
  });
  const points = values.map((t) => ({t, y: f(t)}));
  const ring = [{t: mean, y: fOfMean, name: fOfMeanLabel}];
  const dot = [{t: mean, y: meanOfF, name: meanOfFLabel}];
  // Up and to the left of the ring, unless that runs into the axis on the left (a narrow figure, the
  // ring near the left edge): then up and to the right, higher, clear of the rising curve.
  const room = ((mean - lo) / (hi - lo)) * (width - 60);
  const ringTagPlace = room > fOfMeanTag.length * 6.5 + 16 ? {dx: -12, dy: -12, textAnchor: "end" as const} : {dx: 6, dy: -30, textAnchor: "start" as const};
  return Plot.plot({
    ariaLabel: ariaLabel ?? `Jensen's inequality for ${fLabel}: the ${fOfMeanLabel} is ${fOfMean.toFixed(2)}, the ${meanOfFLabel} ${meanOfF.toFixed(2)}, a gap of ${gap.toFixed(2)}`,
    width,
    height,
    x: {label: `${xLabel} →`, domain: [lo, hi]},
    y: {label: `↑ ${fLabel}`, grid: true},
    color: {domain: [fOfMeanLabel, meanOfFLabel], range: [fOfMeanColor, meanOfFColor], legend: true},
    marks: [
      Plot.line(curve, {x: "t", y: "y", stroke: "currentColor", strokeOpacity: 0.7}),
      Plot.ruleX(points, {x: "t", y1: (d) => Math.min(d.y, meanOfF, fOfMean), y2: "y", stroke: "currentColor", strokeOpacity: 0.15}),
      Plot.dot(points, {x: "t", y: "y", r: 4, stroke: "currentColor", fill: "none", strokeWidth: 1.5}),
      Plot.ruleX([mean], {y1: meanOfF, y2: fOfMean, stroke: "currentColor", strokeWidth: 2}),
      Plot.ruleY([meanOfF], {stroke: meanOfFColor, strokeDasharray: "4 3"}),
      // A ring around a dot: with no gap (all t equal) the ring circles the dot and both stay visible.
      Plot.dot(ring, {x: "t", y: "y", stroke: "name", fill: "none", r: 9, strokeWidth: 3}),
      Plot.dot(dot, {x: "t", y: "y", fill: "name", r: 5}),
      // Each named beside it: the ring's name up and to the left (above the curve, where nothing is
      // drawn), the dot's down and to the right (below its dashed line), so they part however small the gap.
      Plot.text(ring, {x: "t", y: "y", text: () => fOfMeanTag, ...ringTagPlace, fill: fOfMeanColor, fontWeight: "bold", stroke: "var(--theme-background, white)", strokeWidth: 3, paintOrder: "stroke"}),
      Plot.text(dot, {x: "t", y: "y", text: () => meanOfFTag, dx: 10, dy: 14, textAnchor: "start", fill: meanOfFColor, fontWeight: "bold", stroke: "var(--theme-background, white)", strokeWidth: 3, paintOrder: "stroke"}),
      Plot.text([{t: mean, y: (fOfMean + meanOfF) / 2}], {x: "t", y: "y", text: () => `gap ${gap.toFixed(2)}`, dx: 8, textAnchor: "start"})
    ]
  });
}
