import * as Plot from "@observablehq/plot";

/** One bar per latent unit, with an optional threshold drawn as a dashed rule. */
export function UnitBars(values: number[], {width = 640, label, color, threshold, ariaLabel}: {width?: number; label: string; color: string; threshold?: number; ariaLabel: string}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: Math.min(width, 640),
    height: 200,
    ariaLabel,
    // On a phone, label every fifth unit so the numbers do not run together.
    x: {label: "latent unit", tickFormat: "d", ...(width < 500 ? {ticks: values.map((_, i) => i).filter((i) => i % 5 === 0)} : {})},
    y: {label, grid: true},
    marks: [
      Plot.barY(values.map((value, unit) => ({unit, value})), {x: "unit", y: "value", fill: color}),
      Plot.ruleY([0]),
      ...(threshold === undefined ? [] : [Plot.ruleY([threshold], {stroke: "currentColor", strokeDasharray: "4,3"})])
    ]
  });
}
