// Chapter 11's built-in example set: hand-drawn-looking sketches made from a seed, so a reader with no
// images of their own can try the whole pipeline with nothing downloaded. They are drawn as a person's
// sketches would be (dark strokes on white paper, 64×64 pixels, not centred or sized alike) and go
// through the same preparation as the reader's files. Six kinds, so the latent plane can be coloured.
import type {RawImage} from "./imagePrep.js";
import {mulberry32} from "./random.js";

export const SKETCH_KINDS = ["circle", "triangle", "star", "spiral", "smiley", "house"] as const;
export type SketchKind = (typeof SKETCH_KINDS)[number];

type Point = [number, number];

/** A closed regular polygon (or circle with many sides) of radius 1 about the origin. */
const ring = (sides: number, turn = 0, radius = 1): Point[] => Array.from({length: sides + 1}, (_, i) => [radius * Math.cos(turn + (2 * Math.PI * i) / sides), radius * Math.sin(turn + (2 * Math.PI * i) / sides)]);
const arc = (cx: number, cy: number, r: number, from: number, to: number, steps = 16): Point[] => Array.from({length: steps + 1}, (_, i) => [cx + r * Math.cos(from + ((to - from) * i) / steps), cy + r * Math.sin(from + ((to - from) * i) / steps)]);

/** Each kind as strokes (polylines) in a frame of about [−1, 1]², y down. */
const STROKES: Record<SketchKind, (draw: () => number) => Point[][]> = {
  circle: () => [ring(40)],
  triangle: () => [ring(3, -Math.PI / 2)],
  star: () => [Array.from({length: 11}, (_, i): Point => {
    const r = i % 2 === 0 ? 1 : 0.42;
    const a = -Math.PI / 2 + (Math.PI * i) / 5;
    return [r * Math.cos(a), r * Math.sin(a)];
  })],
  spiral: (draw) => {
    const turns = 2.2 + draw() * 0.6;
    return [Array.from({length: 80}, (_, i): Point => {
      const t = i / 79;
      const a = t * turns * 2 * Math.PI;
      return [t * Math.cos(a), t * Math.sin(a)];
    })];
  },
  smiley: (draw) => {
    const smile = 0.35 + draw() * 0.2;
    return [ring(40), ring(8, 0, 0.08).map(([x, y]): Point => [x - 0.35, y - 0.3]), ring(8, 0, 0.08).map(([x, y]): Point => [x + 0.35, y - 0.3]), arc(0, 0.05, 0.5, smile, Math.PI - smile)];
  },
  house: (draw) => {
    const roof = 0.9 + draw() * 0.2;
    return [
      [[-0.7, 0], [-0.7, 0.9], [0.7, 0.9], [0.7, 0], [-0.7, 0]],
      [[-0.85, 0.05], [0, -roof], [0.85, 0.05]],
      [[-0.15, 0.9], [-0.15, 0.45], [0.15, 0.45], [0.15, 0.9]]
    ];
  }
};

/**
 * Stroke coverage of one pixel: 1 within half the pen's width of the line, fading to 0 over one pixel
 * (a cheap antialiasing). Ink from several strokes takes the maximum.
 */
function drawStroke(ink: Float32Array, size: number, points: Point[], width: number): void {
  const half = width / 2;
  for (let s = 0; s + 1 < points.length; s++) {
    const [[ax, ay], [bx, by]] = [points[s], points[s + 1]];
    const [x0, x1] = [Math.max(0, Math.floor(Math.min(ax, bx) - half - 1)), Math.min(size - 1, Math.ceil(Math.max(ax, bx) + half + 1))];
    const [y0, y1] = [Math.max(0, Math.floor(Math.min(ay, by) - half - 1)), Math.min(size - 1, Math.ceil(Math.max(ay, by) + half + 1))];
    const [dx, dy] = [bx - ax, by - ay];
    const length2 = dx * dx + dy * dy || 1e-12;
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        const [px, py] = [x + 0.5, y + 0.5];
        const t = Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2));
        const distance = Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
        const coverage = Math.min(1, Math.max(0, half + 0.5 - distance));
        if (coverage > ink[y * size + x]) ink[y * size + x] = coverage;
      }
    }
  }
}

export interface SketchOptions {
  /** How many sketches (default 60: ten of each kind). */
  count?: number;
  seed?: number;
  /** Side of each sketch in pixels (default 64). */
  size?: number;
}

/**
 * `count` sketches, kinds in turn (circle, triangle, star, spiral, smiley, house, circle, …), each with
 * its own seeded position, size, tilt, squash, pen width and wobble: grey RawImages (0 ink, 255 paper)
 * with their kind's index as a label.
 */
export function exampleSketches({count = 60, seed = 0, size = 64}: SketchOptions = {}): {images: RawImage[]; labels: Uint8Array; kinds: readonly SketchKind[]} {
  if (!Number.isInteger(count) || count < 1 || count > 2000) throw new Error(`exampleSketches: count must be a whole number from 1 to 2,000, got ${count}`);
  if (!Number.isInteger(size) || size < 16 || size > 512) throw new Error(`exampleSketches: size must be a whole number from 16 to 512, got ${size}`);
  const draw = mulberry32(seed * 92821 + 5);
  const between = (a: number, b: number) => a + (b - a) * draw();
  const images: RawImage[] = [];
  const labels = new Uint8Array(count);
  for (let n = 0; n < count; n++) {
    const kind = n % SKETCH_KINDS.length;
    labels[n] = kind;
    const radius = size * between(0.25, 0.38);
    const [cx, cy] = [size * between(0.4, 0.6), size * between(0.4, 0.6)];
    const tilt = between(-0.3, 0.3);
    const squash = between(0.8, 1.15);
    const pen = size * between(0.035, 0.06);
    // a hand's wobble: two slow sine waves across the page
    const [wa, wb, fa, fb] = [between(0, 0.05), between(0, 0.05), between(1, 3), between(1, 3)];
    const place = ([x, y]: Point): Point => {
      const [u, v] = [x * squash + wa * Math.sin(fa * y * Math.PI), y / squash + wb * Math.sin(fb * x * Math.PI)];
      return [cx + radius * (u * Math.cos(tilt) - v * Math.sin(tilt)), cy + radius * (u * Math.sin(tilt) + v * Math.cos(tilt))];
    };
    const ink = new Float32Array(size * size);
    for (const stroke of STROKES[SKETCH_KINDS[kind]](draw)) drawStroke(ink, size, stroke.map(place), pen);
    images.push({width: size, height: size, channels: 1, data: Uint8ClampedArray.from(ink, (v) => Math.round(255 * (1 - v)))});
  }
  return {images, labels, kinds: SKETCH_KINDS};
}
