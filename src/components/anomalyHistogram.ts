import * as Plot from "@observablehq/plot";
import {ROLE_COLORS} from "./roles.js";

/**
 * Histograms of −ELBO, one row per set of inputs, binned on log₁₀ of the score (the sets span two
 * orders of magnitude). The first set is the data (green); the rest are the unusual inputs (red). An
 * optional threshold is drawn as a dashed rule in every row.
 */
export function AnomalyHistogram(sets: {name: string; scores: number[]}[], {width = 720, threshold}: {width?: number; threshold?: number} = {}): SVGSVGElement | HTMLElement {
  const names = sets.map((s) => s.name);
  const rows = sets.flatMap((s) => s.scores.map((value) => ({set: s.name, value})));
  const logs = rows.map((r) => Math.log10(r.value)).filter(Number.isFinite);
  // Ticks at the powers of ten the scores span: 100, 1,000, 10,000, …
  const ticks = Array.from({length: Math.floor(Math.max(...logs)) - Math.ceil(Math.min(...logs)) + 1}, (_, i) => Math.ceil(Math.min(...logs)) + i);
  return Plot.plot({
    width: Math.min(width, 720),
    height: 300,
    marginRight: width < 500 ? 20 : 100,
    ariaLabel: `Histograms of −ELBO for ${names.join(", ")}`,
    x: {label: "−ELBO (nats, log scale)", tickFormat: (d: number) => Math.round(10 ** d).toLocaleString("en"), ticks},
    fy: {label: null, domain: names, axis: width < 500 ? null : "right"},
    y: {label: "images"},
    color: {domain: names, range: names.map((_, i) => (i === 0 ? ROLE_COLORS.data : ROLE_COLORS.contrast))},
    marks: [
      Plot.rectY(rows, Plot.binX<Plot.RectYOptions>({y: "count"}, {x: (d: {value: number}) => Math.log10(d.value), fy: "set", fill: "set", thresholds: 60})),
      Plot.ruleY([0]),
      ...(width < 500 ? [Plot.text(names, {fy: (d) => d, text: (d) => d, frameAnchor: "top-left", dx: 4, dy: 2, fill: "currentColor"})] : []),
      ...(threshold === undefined ? [] : [Plot.ruleX([Math.log10(threshold)], {stroke: "currentColor", strokeDasharray: "4,3"})])
    ]
  });
}
