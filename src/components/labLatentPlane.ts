// The training lab's view of a 2-D latent space as it trains. Named apart from chapter 8's
// LatentPlane (the scatter with a pointer and q's ellipse) so the two can be unified later: this one
// shows only the held-out digits' means and, beside it, the decoded manifold.
import * as Plot from "@observablehq/plot";
import {DIGIT_COLORS, type LatentPoint} from "./latentScatter.js";

export interface LabLatentPlaneOptions {
  width?: number;
  step: number;
  /** Half-width of the decoded manifold's square, outlined on the plane so the two pictures can be compared. */
  extent?: number;
}

/**
 * q's means of the held-out digits in the 2-D latent plane, coloured by label; `means` is [n, 2]
 * flattened. The axes span at least ±extent and grow to show every mean (early in training codes can
 * lie far out); the manifold's square, ±extent, is outlined.
 */
export function LabLatentPlane(means: ArrayLike<number>, labels: ArrayLike<number> | undefined, {width = 340, step, extent = 3}: LabLatentPlaneOptions): HTMLElement | SVGSVGElement {
  const points: LatentPoint[] = [];
  const labelled = labels !== undefined;
  let reach = extent;
  for (let i = 0; 2 * i + 1 < means.length; i++) {
    const point = {x: means[2 * i], y: means[2 * i + 1], label: labels?.[i]};
    if (Number.isFinite(point.x) && Number.isFinite(point.y)) reach = Math.max(reach, Math.abs(point.x), Math.abs(point.y));
    points.push(point);
  }
  reach = Math.ceil(reach);
  const size = Math.min(width, 340);
  const outside = points.filter((p) => Math.abs(p.x) > extent || Math.abs(p.y) > extent).length;
  const square = [
    {x: -extent, y: -extent},
    {x: extent, y: -extent},
    {x: extent, y: extent},
    {x: -extent, y: extent},
    {x: -extent, y: -extent}
  ];
  return Plot.plot({
    width: size,
    height: size,
    ariaLabel:
      `The means of ${points.length} held-out digits in the 2-D latent plane at step ${step}, coloured by digit` +
      (outside ? `; ${outside} ${outside === 1 ? "lies" : "lie"} outside the manifold's square ±${extent}` : ""),
    x: {label: "z₁", domain: [-reach, reach]},
    y: {label: "z₂", domain: [-reach, reach]},
    ...(labelled ? {color: {type: "ordinal", domain: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], range: DIGIT_COLORS, legend: true}} : {}),
    marks: [
      Plot.line(square, {x: "x", y: "y", stroke: "currentColor", strokeOpacity: 0.35, strokeDasharray: "4 3"}),
      Plot.dot(points, {x: "x", y: "y", fill: labelled ? "label" : "currentColor", r: 2, fillOpacity: 0.8})
    ]
  });
}

/**
 * The decoder's means over an n × n grid of codes spanning [−extent, extent]² (lib's latentGrid order),
 * as one canvas with no gaps: the manifold reads as one picture. Painted with one 32-bit write per
 * pixel, so a redraw during training stays well inside a frame.
 */
export function ManifoldGrid(images: ArrayLike<number>, {n, extent, step, side = 28, channels = 1, ink = true}: {n: number; extent: number; step: number; side?: number; channels?: number; ink?: boolean}): HTMLCanvasElement {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = n * side;
  canvas.className = "manifold-grid";
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `The decoded manifold at step ${step}: the decoder's mean image for ${n} × ${n} codes from z = (−${extent}, −${extent}) to (${extent}, ${extent})`
  );
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const image = context.createImageData(canvas.width, canvas.height);
  const pixels = new Uint32Array(image.data.buffer);
  const width = canvas.width;
  // RGBA bytes in memory order R, G, B, A: as a little-endian 32-bit word, 0xAABBGGRR.
  const grey = new Uint32Array(256);
  for (let v = 0; v < 256; v++) grey[v] = ((255 << 24) | (v << 16) | (v << 8) | v) >>> 0;
  const level = (v: number) => {
    const byte = Math.round(255 * (v < 0 ? 0 : v > 1 ? 1 : v));
    return ink ? 255 - byte : byte;
  };
  for (let cell = 0; cell < n * n; cell++) {
    const x0 = (cell % n) * side;
    const y0 = Math.floor(cell / n) * side;
    const base = cell * side * side * channels;
    for (let y = 0; y < side; y++) {
      const row = (y0 + y) * width + x0;
      for (let x = 0; x < side; x++) {
        const p = base + (y * side + x) * channels;
        pixels[row + x] = channels === 1 ? grey[level(images[p])] : ((255 << 24) | (level(images[p + 2]) << 16) | (level(images[p + 1]) << 8) | level(images[p])) >>> 0;
      }
    }
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
