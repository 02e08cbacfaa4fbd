import * as Plot from "@observablehq/plot";
import type {IwaeCurvePoint} from "../lib/index.js";
import {ROLE_COLORS} from "./roles.js";

/**
 * The importance-weighted bound against k: one thin line per repeat (one set of nested draws), and
 * their mean as a thick line with ±1 standard error, plotted as −𝓛̂ₖ (nats; lower is tighter).
 * `ks` fixes the x axis, so the chart does not jump as points arrive.
 */
export function IwaeCurveChart(points: IwaeCurvePoint[], {width = 640, ks = points.map((p) => p.k)}: {width?: number; ks?: number[]} = {}): SVGSVGElement | HTMLElement {
  const repeats = points.flatMap((p) => p.perRepeat.map((value, repeat) => ({k: p.k, repeat, nll: -value})));
  const means = points.map((p) => ({k: p.k, nll: -p.mean, low: -p.mean - (p.standardError || 0), high: -p.mean + (p.standardError || 0)}));
  const color = ROLE_COLORS.q;
  return Plot.plot({
    width: Math.min(width, 640),
    height: 260,
    marginTop: 30,
    marginRight: 20,
    ariaLabel: `−𝓛̂ₖ averaged over the digits, for k = ${means.map((m) => `${m.k}: ${m.nll.toFixed(2)}`).join(", ")} nats`,
    x: {type: "log", label: "k (importance samples)", domain: [Math.min(...ks), Math.max(...ks)], ticks: ks, tickFormat: "d"},
    y: {label: "−𝓛̂ₖ (nats, lower is tighter)", grid: true, nice: true},
    marks: [
      Plot.line(repeats, {x: "k", y: "nll", z: "repeat", stroke: color, strokeOpacity: 0.35, strokeWidth: 1}),
      Plot.ruleX(means, {x: "k", y1: "low", y2: "high", stroke: color, strokeWidth: 2}),
      Plot.line(means, {x: "k", y: "nll", stroke: color, strokeWidth: 2.5, marker: "circle"}),
      Plot.text(means, {x: "k", y: "nll", text: (d) => d.nll.toFixed(2), dy: -12, fill: "currentColor"})
    ]
  });
}
