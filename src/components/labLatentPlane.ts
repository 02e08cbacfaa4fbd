// The training lab's view of a 2-D latent space as it trains. Named apart from chapter 8's
// LatentPlane (the scatter with a pointer and q's ellipse) so the two can be unified later: this one
// shows only the held-out digits' means and, beside it, the decoded manifold.
import * as Plot from "@observablehq/plot";
import {DigitGrid} from "./digitGrid.js";
import {DIGIT_COLORS, type LatentPoint} from "./latentScatter.js";

export interface LabLatentPlaneOptions {
  width?: number;
  step: number;
  /** The axes' half-width: the manifold grid's extent, so the two pictures line up. */
  extent?: number;
}

/** q's means of the held-out digits in the 2-D latent plane, coloured by label. `means` is [n, 2] flattened. */
export function LabLatentPlane(means: ArrayLike<number>, labels: ArrayLike<number> | undefined, {width = 360, step, extent = 3}: LabLatentPlaneOptions): HTMLElement | SVGSVGElement {
  const points: LatentPoint[] = [];
  for (let i = 0; 2 * i + 1 < means.length; i++) points.push({x: means[2 * i], y: means[2 * i + 1], label: labels?.[i]});
  const size = Math.min(width, 360);
  const outside = points.filter((p) => Math.abs(p.x) > extent || Math.abs(p.y) > extent).length;
  const clamp = (v: number) => Math.max(-extent, Math.min(extent, v));
  return Plot.plot({
    width: size,
    height: size,
    ariaLabel:
      `The means of ${points.length} held-out digits in the 2-D latent plane at step ${step}, coloured by digit` +
      (outside ? ` (${outside} beyond ±${extent}, drawn at the edge)` : ""),
    x: {label: "z₁", domain: [-extent, extent]},
    y: {label: "z₂", domain: [-extent, extent]},
    color: {type: "ordinal", domain: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], range: DIGIT_COLORS, legend: true},
    marks: [
      Plot.frame({strokeOpacity: 0.2}),
      Plot.dot(points, {x: (p: LatentPoint) => clamp(p.x), y: (p: LatentPoint) => clamp(p.y), fill: "label", r: 2, fillOpacity: 0.8})
    ]
  });
}

/** The decoder's means over an n × n grid of codes spanning [−extent, extent]² (lib's latentGrid order). */
export function ManifoldGrid(images: ArrayLike<number>, {n, extent, step, scale = 1}: {n: number; extent: number; step: number; scale?: number}): HTMLCanvasElement {
  const canvas = DigitGrid(images, {
    columns: n,
    scale,
    label: `The decoded manifold at step ${step}: the decoder's mean image for ${n} × ${n} codes from z = (−${extent}, −${extent}) to (${extent}, ${extent})`
  });
  canvas.classList.add("manifold-grid");
  return canvas;
}
