import * as Plot from "@observablehq/plot";
import {logSpacedCounts, runningMeans} from "../lib/index.js";
import {ROLE_COLORS} from "./roles.js";

/** One gradient estimator's single-sample estimates, as lib's estimators return them. */
export interface EstimatorSeries {
  name: string;
  role: "q" | "contrast";
  perSample: ArrayLike<number>;
  /** The standard deviation of one single-sample estimate. */
  std: number;
}

const colorOf = (series: EstimatorSeries[]) => ({
  domain: series.map((s) => s.name),
  range: series.map((s) => ROLE_COLORS[s.role]),
  legend: true
});

/**
 * The running mean of each estimator against the number of samples averaged (log scale), on one pair
 * of axes, around the exact value; each shaded band is exact ± two standard errors (2·std/√n), where a
 * mean of n draws lands most of the time once n is more than a few.
 */
export function RunningMeans(series: EstimatorSeries[], exact: number, {width = 640} = {}): SVGSVGElement | HTMLElement {
  const total = Math.min(...series.map((s) => s.perSample.length));
  const counts = logSpacedCounts(total, 80);
  const lines = series.flatMap((s) => runningMeans(s.perSample, counts).map(({n, mean}) => ({n, mean, estimator: s.name})));
  const bands = series.flatMap((s) => counts.map((n) => ({n, lo: exact - (2 * s.std) / Math.sqrt(n), hi: exact + (2 * s.std) / Math.sqrt(n), estimator: s.name})));
  // Show from about n = 4 at full height: the first few running means of a noisy estimator are off the chart (clipped).
  const reach = Math.max(...series.map((s) => (2 * s.std) / Math.sqrt(4)));
  return Plot.plot({
    ariaLabel: `Running means of ${series.map((s) => s.name).join(" and ")} gradient estimates against the number of samples, up to ${total}, around the exact gradient ${exact.toFixed(3)}`,
    width,
    height: 280,
    marginRight: 20,
    x: {type: "log", label: "samples averaged, n", grid: true},
    y: {label: "running mean of the estimates", domain: [exact - reach, exact + reach], grid: true},
    color: colorOf(series),
    clip: true,
    marks: [
      Plot.areaY(bands, {x: "n", y1: "lo", y2: "hi", fill: "estimator", fillOpacity: 0.15, z: "estimator"}),
      Plot.ruleY([exact], {stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4 3"}),
      Plot.line(lines, {x: "n", y: "mean", stroke: "estimator", strokeWidth: 2, z: "estimator"}),
      Plot.text([exact], {x: total, y: exact, text: () => "exact", textAnchor: "end", dy: -8, fill: "currentColor"})
    ]
  });
}

/**
 * Single-sample estimates of each estimator as dots on one shared axis (one row each, jittered), with a
 * bar from mean − std to mean + std: the spread reads as width, the same way for both.
 */
export function EstimateSpread(series: EstimatorSeries[], exact: number, {width = 640, dots = 1000} = {}): SVGSVGElement | HTMLElement {
  const points = series.flatMap((s) =>
    Array.from({length: Math.min(dots, s.perSample.length)}, (_, i) => ({
      value: s.perSample[i],
      estimator: s.name,
      // A fixed jitter from the index (no randomness in a view): spreads the dots inside their row.
      jitter: ((i * 0.6180339887) % 1) - 0.5
    }))
  );
  const summary = series.map((s) => {
    let sum = 0;
    for (let i = 0; i < s.perSample.length; i++) sum += s.perSample[i];
    const mean = sum / s.perSample.length;
    return {estimator: s.name, std: s.std, mean, lo: mean - s.std, hi: mean + s.std};
  });
  return Plot.plot({
    ariaLabel: `One dot per single-sample estimate, for ${series.map((s) => `${s.name} (standard deviation ${s.std.toFixed(2)})`).join(" and ")}, on one axis, with the exact gradient ${exact.toFixed(3)}`,
    width,
    height: 200,
    marginLeft: 20,
    marginRight: 20,
    x: {label: "one single-sample gradient estimate", grid: true},
    // Dots fill the lower part of each row; the row's name sits above them.
    y: {axis: null, domain: [-0.45, 0.75]},
    fy: {domain: series.map((s) => s.name), axis: null},
    color: colorOf(series),
    marks: [
      Plot.dot(points, {x: "value", y: (d) => d.jitter * 0.6, fy: "estimator", fill: "estimator", r: 1.6, fillOpacity: 0.35}),
      Plot.link(summary, {x1: "lo", x2: "hi", y1: 0, y2: 0, fy: "estimator", stroke: "currentColor", strokeWidth: 3, markerStart: "tick", markerEnd: "tick"}),
      Plot.ruleX([exact], {stroke: "currentColor", strokeDasharray: "4 3"}),
      Plot.text(summary, {fy: "estimator", frameAnchor: "top-left", text: (d) => `${d.estimator}: standard deviation ${d.std.toFixed(2)}`, dy: 4, fill: "currentColor"})
    ]
  });
}

/**
 * What a race figure shows before its estimates exist (the page's first moments, while the backend
 * starts): its axes and the exact gradient, dashed, with a line saying the estimates are coming.
 * `kind` "means" has RunningMeans's axes (n across, the gradient up); "estimates" EstimateSpread's
 * (the gradient across).
 */
export function RacePending(exact: number, samples: number, {width = 640, kind = "means"}: {width?: number; kind?: "means" | "estimates"} = {}): SVGSVGElement | HTMLElement {
  const what = kind === "means" ? "running means" : "single estimates";
  const note = Plot.text([`computing the ${what}…`], {frameAnchor: "middle", dy: 24, fill: "currentColor", fontSize: 13});
  const label = Plot.text([exact], {...(kind === "means" ? {x: samples, y: exact, textAnchor: "end", dy: -8} : {x: exact, frameAnchor: "top", dx: 4, textAnchor: "start", dy: 4}), text: () => "exact", fill: "currentColor"});
  const dashed = {stroke: "currentColor", strokeWidth: 1.5, strokeDasharray: "4 3"};
  return Plot.plot({
    ariaLabel: `The exact gradient ${exact.toFixed(3)}; the ${what} are being computed`,
    width,
    height: kind === "means" ? 280 : 200,
    marginLeft: kind === "means" ? undefined : 20,
    marginRight: 20,
    ...(kind === "means"
      ? {x: {type: "log", domain: [1, samples], label: "samples averaged, n", grid: true}, y: {label: "running mean of the estimates", domain: [exact - 1, exact + 1], grid: true}}
      : {x: {label: "one single-sample gradient estimate", domain: [exact - 1, exact + 1], grid: true}, y: {axis: null, domain: [0, 1]}}),
    marks: [kind === "means" ? Plot.ruleY([exact], dashed) : Plot.ruleX([exact], dashed), label, note]
  });
}
