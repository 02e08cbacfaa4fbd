// Chapter 11's latent plane: the reader's own images drawn as thumbnails where the encoder puts them
// (q's means in 2-D, or their first two principal components), the held-out ones framed, and the two
// chosen for an interpolation marked A and B. A view: it draws what it is given.
import * as Plot from "@observablehq/plot";
import {pointer} from "d3";
import {ROLE_COLORS} from "./roles.js";

export interface PlacedImage {
  x: number;
  y: number;
  /** The image's index in the set. */
  index: number;
  heldOut: boolean;
}

export interface ImagePlaneOptions {
  /** All images, count·side²·channels values in [0, 1]. */
  images: ArrayLike<number>;
  side: number;
  channels: number;
  /** 1 drawn dark (true) or bright (false), as DigitGrid. */
  ink?: boolean;
  width?: number;
  /** Thumbnails drawn at most (the rest are dots), spread over the set. */
  maxThumbnails?: number;
  /** Indices of the two images an interpolation runs between. */
  chosen?: [number, number] | null;
  /** Called with the index of the image nearest to a tap or click. */
  onPick?: (index: number) => void;
  xLabel?: string;
  yLabel?: string;
  ariaLabel: string;
}

/** One image as a PNG data URL (for Plot's image mark). */
function thumbnail(images: ArrayLike<number>, index: number, side: number, channels: number, ink: boolean): string {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = side;
  const context = canvas.getContext("2d");
  if (!context) return "";
  const data = context.createImageData(side, side);
  const base = index * side * side * channels;
  for (let p = 0; p < side * side; p++) {
    for (let c = 0; c < 3; c++) {
      const v = Math.min(1, Math.max(0, images[base + p * channels + (channels === 1 ? 0 : c)]));
      data.data[p * 4 + c] = Math.round(255 * (ink ? 1 - v : v));
    }
    data.data[p * 4 + 3] = 255;
  }
  context.putImageData(data, 0, 0);
  return canvas.toDataURL();
}

/**
 * The images at their codes: thumbnails (at most `maxThumbnails`, every k-th beyond that as a dot),
 * a frame in the contrast colour around each held-out one, A and B beside the chosen pair.
 */
export function ImagePlane(points: PlacedImage[], options: ImagePlaneOptions): SVGSVGElement | HTMLElement {
  const {images, side, channels, ink = true, maxThumbnails = 150, chosen = null, onPick, xLabel = "z₁", yLabel = "z₂", ariaLabel} = options;
  const width = Math.max(200, Math.min(options.width ?? 480, 560));
  const finite = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const reach = Math.max(1, ...finite.flatMap((p) => [Math.abs(p.x), Math.abs(p.y)])) * 1.12;
  const every = Math.max(1, Math.ceil(finite.length / maxThumbnails));
  const pictured = finite.filter((_, i) => i % every === 0);
  const thumb = Math.max(14, Math.min(30, Math.round(width / 16)));
  const marks: Plot.Markish[] = [
    Plot.frame({strokeOpacity: 0.2}),
    Plot.dot(finite, {x: "x", y: "y", r: 2, fill: "currentColor", fillOpacity: 0.4}),
    Plot.image(
      pictured.map((p) => ({...p, src: thumbnail(images, p.index, side, channels, ink)})),
      {x: "x", y: "y", src: "src", width: thumb, height: thumb, imageRendering: "pixelated"}
    ),
    Plot.dot(
      pictured.filter((p) => p.heldOut),
      {x: "x", y: "y", symbol: "square", r: thumb / 2 + 1, stroke: ROLE_COLORS.contrast, strokeWidth: 2, fill: "none"}
    )
  ];
  if (chosen) {
    const byIndex = new Map(finite.map((p) => [p.index, p]));
    const labelled = chosen.map((index, k) => ({...byIndex.get(index), name: k === 0 ? "A" : "B"})).filter((p) => p.x !== undefined);
    marks.push(
      Plot.dot(labelled, {x: "x", y: "y", symbol: "square", r: thumb / 2 + 3, stroke: ROLE_COLORS.q, strokeWidth: 3, fill: "none"}),
      Plot.text(labelled, {x: "x", y: "y", text: "name", dy: -(thumb / 2 + 9), fontWeight: "bold", fontSize: 14, fill: ROLE_COLORS.q})
    );
  }
  const plot = Plot.plot({
    width,
    height: width,
    ariaLabel,
    x: {label: xLabel, domain: [-reach, reach]},
    y: {label: yLabel, domain: [-reach, reach]},
    marks
  });
  if (onPick) {
    const svg = plot as SVGSVGElement;
    const scaled = plot as unknown as {scale(name: string): {invert(v: number): number}};
    svg.addEventListener("pointerdown", (event) => {
      const [px, py] = pointer(event, svg);
      const [x, y] = [scaled.scale("x").invert(px), scaled.scale("y").invert(py)];
      let best: PlacedImage | null = null;
      let distance = Infinity;
      for (const p of finite) {
        const d = (p.x - x) ** 2 + (p.y - y) ** 2;
        if (d < distance) [best, distance] = [p, d];
      }
      if (best) onPick(best.index);
    });
    svg.style.cursor = "pointer";
  }
  return plot;
}
