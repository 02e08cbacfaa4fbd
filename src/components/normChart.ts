import * as Plot from "@observablehq/plot";
// latentNorms directly, not lib/index.js: this chart is a first figure and must not wait for tfjs.
import {normDensity} from "../lib/latentNorms.js";
import {ROLE_COLORS, roleScale} from "./roles.js";

export interface NormChartData {
  /** The latent dimension J. */
  dim: number;
  /** The temperature of the sampled codes. */
  temperature: number;
  /** Norms of the codes drawn at that temperature (the ones decoded on the page). */
  sampled: number[];
  /** Norms of codes the encoder produced for test digits, z ~ q(z|x); null while the model loads. */
  posterior: number[] | null;
}

const PRIOR = "prior p(z), T = 1";
const SAMPLED = "codes at temperature T";
const POSTERIOR = "z ~ q(z|x), test digits";

/**
 * Where codes lie, by their norm ‖z‖: the prior's norm density (a chi distribution) with, dotted, the
 * prior's density at a single point of that norm (rescaled: it peaks at the centre); the norm density
 * at temperature T with the sampled codes as ticks; and a histogram of the test digits' posterior codes.
 */
export function NormChart({dim, temperature, sampled, posterior}: NormChartData, {width = 640, height = 280} = {}): HTMLElement | SVGSVGElement {
  width = Math.max(240, width); // resize may first report the width of an empty container
  const top = 1.5 * Math.sqrt(dim) + 2.5;
  const rs = Array.from({length: 301}, (_, i) => (top * i) / 300);
  const prior = rs.map((r) => ({r, density: normDensity(r, dim), series: PRIOR}));
  const peak = Math.max(...prior.map((p) => p.density));
  // The density of N(0, I) at one point of norm r, e^(−r²/2), scaled to the same peak height.
  const atPoint = rs.map((r) => ({r, density: peak * Math.exp(-(r * r) / 2)}));
  const tempered = temperature > 0 ? rs.map((r) => ({r, density: normDensity(r, dim, temperature), series: SAMPLED})) : [];
  const marks: Plot.Markish[] = [
    Plot.areaY(prior, {x: "r", y: "density", fill: ROLE_COLORS.prior, fillOpacity: 0.15}),
    Plot.line(prior, {x: "r", y: "density", stroke: "series", strokeWidth: 4}),
    Plot.line(atPoint, {x: "r", y: "density", stroke: ROLE_COLORS.prior, strokeDasharray: "2 3", strokeWidth: 1.5}),
    Plot.text([{r: 0.15, density: peak}], {x: "r", y: "density", text: () => "p(z) at one point of this norm (rescaled)", textAnchor: "start", dy: -8, fill: "currentColor", fontSize: 11})
  ];
  if (posterior) {
    const binWidth = 0.25;
    const counts = new Map<number, number>();
    for (const r of posterior) counts.set(Math.floor(r / binWidth), (counts.get(Math.floor(r / binWidth)) ?? 0) + 1);
    const bins = [...counts].map(([b, n]) => ({r1: b * binWidth, r2: (b + 1) * binWidth, density: n / (posterior.length * binWidth), series: POSTERIOR}));
    marks.push(Plot.rectY(bins, {x1: "r1", x2: "r2", y: "density", fill: "series", fillOpacity: 0.45, inset: 0.5}));
  }
  if (tempered.length) marks.push(Plot.line(tempered, {x: "r", y: "density", stroke: "series", strokeWidth: 2}));
  marks.push(Plot.ruleX(sampled.map((r) => ({r, series: SAMPLED})), {x: "r", y1: 0, y2: 0.1 * peak, stroke: "series", strokeWidth: 1.5}), Plot.ruleY([0]));
  return Plot.plot({
    width,
    height,
    ariaLabel: `Norms of latent codes in ${dim} dimensions: the prior's, the test digits' posterior codes'${posterior ? "" : " (loading)"}, and those of ${sampled.length} codes at temperature ${temperature}`,
    x: {label: "‖z‖, the norm of a code →", domain: [0, top]},
    y: {label: "↑ density of ‖z‖", grid: true},
    color: roleScale({[PRIOR]: "prior", [POSTERIOR]: "q", [SAMPLED]: "contrast"}),
    marks
  });
}
