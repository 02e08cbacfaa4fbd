// A VQ-VAE codebook's usage histogram (chapter 13). Only Plot and the role colours: no tfjs, so the
// page can draw the shipped model's histogram from its build-time counts before the models load.
import * as Plot from "@observablehq/plot";
import {ROLE_COLORS} from "./roles.js";

/** The usage histogram: one bar per code, its count over the last window of batches; dead codes in red along the axis. */
export function UsageHistogram(usage: readonly number[], dead: readonly number[], {width = 640, label = "codebook usage"} = {}): Element {
  const deadSet = new Set(dead);
  const bars = usage.map((count, k) => ({k, count, dead: deadSet.has(k)}));
  const top = Math.max(1, ...usage);
  return Plot.plot({
    width: Math.min(width, 720),
    height: 180,
    marginLeft: 60,
    ariaLabel: label,
    x: {label: "code k", domain: [0, usage.length]},
    y: {label: "times chosen", grid: true, domain: [-top * 0.08, top]},
    marks: [
      Plot.rectY(bars, {x1: "k", x2: (d) => d.k + 0.9, y: "count", fill: ROLE_COLORS.q}),
      Plot.rectY(bars.filter((d) => d.dead), {x1: "k", x2: (d) => d.k + 0.9, y1: 0, y2: -top * 0.08, fill: ROLE_COLORS.contrast}),
      Plot.ruleY([0])
    ]
  });
}
