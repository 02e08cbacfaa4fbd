import * as Plot from "@observablehq/plot";

/**
 * Ten colours for the digit classes that stay distinguishable with the common colour-vision
 * deficiencies: the Okabe–Ito palette (its black is the text colour, so it stays visible in dark mode),
 * plus two of Paul Tol's colours for classes 8 and 9.
 */
export const DIGIT_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "currentColor", "#882255", "#999999"];

export interface LatentPoint {
  x: number;
  y: number;
  label?: number;
}

/** Latent codes as a scatter, coloured by digit label, with a legend; `marks` adds overlays. */
export function LatentScatter(points: LatentPoint[], {width = 400, height = 360, title = "", xLabel = "z₁", yLabel = "z₂", ariaLabel = "Latent codes coloured by digit label", marks = [] as Plot.Markish[]} = {}): SVGSVGElement | HTMLElement {
  return Plot.plot({
    ariaLabel,
    width,
    height,
    aspectRatio: 1,
    title,
    x: {label: xLabel},
    y: {label: yLabel},
    color: {type: "ordinal", domain: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], range: DIGIT_COLORS, legend: true},
    marks: [Plot.dot(points, {x: "x", y: "y", fill: "label", r: 2, fillOpacity: 0.8}), ...marks]
  });
}
