// A data set with known factors, in the spirit of dSprites (Matthey et al. 2017): small images of one
// shape (square, ellipse, heart) at a scale, a rotation and an x/y position, each drawn from a known
// grid of values, made here from a seed (nothing downloaded). Chapter 12 asks whether a VAE's latent
// units line up with these factors.
import type {Dataset} from "./batches.js";
import {mulberry32} from "./random.js";

export const SHAPE_NAMES = ["square", "ellipse", "heart"] as const;
export type ShapeName = (typeof SHAPE_NAMES)[number];

/** One image's factors as numbers: shape index, scale (fraction of full size), rotation (radians), x and y (0–1 across the range). */
export interface ShapeFactors {
  shape: number;
  scale: number;
  rotation: number;
  x: number;
  y: number;
}

export const FACTOR_NAMES = ["shape", "scale", "rotation", "x", "y"] as const;
export type FactorName = (typeof FACTOR_NAMES)[number];

const linspace = (from: number, to: number, n: number) => Array.from({length: n}, (_, i) => from + ((to - from) * i) / (n - 1));
const DEGREE = Math.PI / 180;

/**
 * The grid each factor is drawn from, uniformly and independently (unless correlated):
 * - shape: 0 square, 1 ellipse, 2 heart;
 * - scale: 6 values from 0.5 to 1 (dSprites' six scales);
 * - rotation: 9 values from −40° to 40° in radians. The range is narrower than a quarter turn so that
 *   no two rotations of the square look alike (a square turned by 90° is the same image);
 * - x, y: 16 positions each, 0 to 1 across the range the shape's centre may take.
 */
export const FACTOR_VALUES: Readonly<Record<FactorName, readonly number[]>> = {
  shape: [0, 1, 2],
  scale: linspace(0.5, 1, 6),
  rotation: linspace(-40 * DEGREE, 40 * DEGREE, 9),
  x: linspace(0, 1, 16),
  y: linspace(0, 1, 16)
};

/**
 * The geometry, in fractions of the image's side S:
 * - a shape's frame has its origin at (margin + x·(1 − 2·margin))·S across and (margin + y·(1 − 2·margin))·S
 *   down (pixel (i, j) covers [j, j + 1] × [i, i + 1]; image y points down);
 * - one unit of the frame is unit·scale·S pixels;
 * - in the frame (v pointing up), the square is |u| ≤ 1, |v| ≤ 1 (area 4); the ellipse is
 *   (u / 1.2)² + (v / 0.6)² ≤ 1 (area 0.72π); the heart is (u² + v² − 1)³ − u²v³ ≤ 0;
 * - rotation turns the frame about its origin, counter-clockwise on the screen for a positive angle.
 * With unit = 0.175 and margin = 0.25 the square at scale 1, turned by 40°, stays inside the image.
 */
export const SHAPE_GEOMETRY = {unit: 0.175, margin: 0.25, ellipse: [1.2, 0.6] as const};

// Bounds on each shape's reach from its frame's origin, in frame units (for a bounding box only).
const REACH = [Math.SQRT2, 1.2, 1.5];

function inside(shape: number, u: number, v: number): boolean {
  if (shape === 0) return Math.abs(u) <= 1 && Math.abs(v) <= 1;
  if (shape === 1) {
    const [a, b] = SHAPE_GEOMETRY.ellipse;
    return (u / a) ** 2 + (v / b) ** 2 <= 1;
  }
  const r = u * u + v * v - 1;
  return r * r * r - u * u * v * v * v <= 0;
}

export interface RenderOptions {
  /** Image side in pixels (default 32). */
  side?: number;
  /** Samples per pixel along each axis: 1 gives a binary image (sampled at pixel centres); n gives grey levels in steps of 1/n² (default 4). */
  samples?: number;
}

/**
 * One image of a shape: each pixel is the fraction of its n×n sample points that fall inside the shape.
 * @returns side·side values in [0, 1], row by row
 */
export function renderShape(factors: ShapeFactors, {side = 32, samples = 4}: RenderOptions = {}, out = new Float32Array(side * side)): Float32Array {
  if (!Number.isInteger(side) || side < 8) throw new Error(`renderShape: side must be a whole number ≥ 8, got ${side}`);
  if (!Number.isInteger(samples) || samples < 1 || samples > 16) throw new Error(`renderShape: samples must be a whole number from 1 to 16, got ${samples}`);
  if (!Number.isInteger(factors.shape) || factors.shape < 0 || factors.shape >= REACH.length) throw new Error(`renderShape: shape must be 0 (square), 1 (ellipse) or 2 (heart), got ${factors.shape}`);
  const {unit, margin} = SHAPE_GEOMETRY;
  const cx = (margin + factors.x * (1 - 2 * margin)) * side;
  const cy = (margin + factors.y * (1 - 2 * margin)) * side;
  const size = unit * factors.scale * side;
  const cos = Math.cos(factors.rotation);
  const sin = Math.sin(factors.rotation);
  const reach = REACH[factors.shape] * size + 1;
  const [x0, x1] = [Math.max(0, Math.floor(cx - reach)), Math.min(side - 1, Math.ceil(cx + reach))];
  const [y0, y1] = [Math.max(0, Math.floor(cy - reach)), Math.min(side - 1, Math.ceil(cy + reach))];
  out.fill(0);
  const weight = 1 / (samples * samples);
  for (let i = y0; i <= y1; i++) {
    for (let j = x0; j <= x1; j++) {
      let hits = 0;
      for (let a = 0; a < samples; a++) {
        // screen offset from the origin, y flipped so that v points up
        const dy = cy - (i + (a + 0.5) / samples);
        for (let b = 0; b < samples; b++) {
          const dx = j + (b + 0.5) / samples - cx;
          // rotate the point by −rotation into the frame: (u, v) = R(−θ)·(dx, dy) / size
          const u = (cos * dx + sin * dy) / size;
          const v = (-sin * dx + cos * dy) / size;
          if (inside(factors.shape, u, v)) hits++;
        }
      }
      out[i * side + j] = hits * weight;
    }
  }
  return out;
}

export interface ShapesOptions extends RenderOptions {
  count: number;
  seed?: number;
  /**
   * 0 (default): every factor drawn independently. c in (0, 1]: with probability c the scale is tied to
   * x (the scale whose index is nearest to x's position in its range, so shapes on the right are large),
   * otherwise drawn independently: the correlated variant of chapter 12 (Locatello et al. 2019).
   */
  correlation?: number;
}

/** Images with their factors beside them; `labels` is the shape (0 square, 1 ellipse, 2 heart). */
export interface ShapesData extends Dataset {
  side: number;
  labels: Uint8Array;
  factorNames: readonly FactorName[];
  /** count × 5 grid indices, row by row, in FACTOR_NAMES order (use these for mutual information). */
  factorIndices: Uint8Array;
  /** count × 5 factor values, row by row (scale, radians, 0–1 positions). */
  factorValues: Float32Array;
  correlation: number;
}

/**
 * `count` images, each factor's grid index drawn uniformly from its grid by a seeded generator (so the
 * same seed gives the same images on every machine), and its image rendered by renderShape.
 */
export function generateShapes({count, seed = 0, correlation = 0, side = 32, samples = 4}: ShapesOptions): ShapesData {
  if (!Number.isInteger(count) || count < 1 || count > 200_000) throw new Error(`generateShapes: count must be a whole number from 1 to 200,000, got ${count}`);
  if (!(correlation >= 0 && correlation <= 1)) throw new Error(`generateShapes: correlation must be from 0 to 1, got ${correlation}`);
  const draw = mulberry32(seed * 2654435761 + 12345);
  const pick = (n: number) => Math.min(n - 1, Math.floor(draw() * n));
  const pixels = side * side;
  const images = new Float32Array(count * pixels);
  const k = FACTOR_NAMES.length;
  const factorIndices = new Uint8Array(count * k);
  const factorValues = new Float32Array(count * k);
  const labels = new Uint8Array(count);
  const scales = FACTOR_VALUES.scale.length;
  const xs = FACTOR_VALUES.x.length;
  for (let n = 0; n < count; n++) {
    const index = FACTOR_NAMES.map((name) => pick(FACTOR_VALUES[name].length));
    // draw() is called the same number of times either way, so the correlated set shares the others' draws
    const tie = draw() < correlation;
    if (tie) index[1] = Math.round((index[3] / (xs - 1)) * (scales - 1));
    const value = FACTOR_NAMES.map((name, f) => FACTOR_VALUES[name][index[f]]);
    factorIndices.set(index, n * k);
    factorValues.set(value, n * k);
    labels[n] = index[0];
    renderShape({shape: value[0], scale: value[1], rotation: value[2], x: value[3], y: value[4]}, {side, samples}, images.subarray(n * pixels, (n + 1) * pixels));
  }
  return {images, count, pixels, side, labels, numClasses: 3, factorNames: FACTOR_NAMES, factorIndices, factorValues, correlation};
}

/** One factor's grid index for every image: [count]. */
export function factorColumn(data: Pick<ShapesData, "factorIndices" | "count">, factor: FactorName | number): Uint8Array {
  const f = typeof factor === "number" ? factor : FACTOR_NAMES.indexOf(factor);
  if (f < 0 || f >= FACTOR_NAMES.length) throw new Error(`factorColumn: no factor ${String(factor)}; the factors are ${FACTOR_NAMES.join(", ")}`);
  const column = new Uint8Array(data.count);
  for (let n = 0; n < data.count; n++) column[n] = data.factorIndices[n * FACTOR_NAMES.length + f];
  return column;
}

/** Which generated set a checkpoint was trained on: saved in its metadata so evaluation can remake the test set. */
export interface ShapesSource {
  name: "shapes";
  seed: number;
  correlation: number;
  trainCount: number;
  testCount: number;
  side: number;
}

/** The correlation `--correlated` asks for: 90% of images have their scale tied to x. */
export const CORRELATED = 0.9;

/**
 * A training or test split of the shapes set: the two are drawn from different seeds derived from
 * `seed` (2·seed and 2·seed + 1), so the test set does not depend on the training set's size. Both
 * sample the same 41,472-combination grid independently, so some test images also occur in training,
 * as any two samples from the same finite distribution do; the test −ELBO estimates the expected −ELBO
 * under the data's distribution, not how the model does on unseen combinations.
 */
export function shapesSplit(split: "train" | "test", {seed = 0, correlation = 0, trainCount = 20_000, testCount = 2_000, side = 32}: Partial<Omit<ShapesSource, "name">> = {}): ShapesData {
  return split === "train" ? generateShapes({count: trainCount, seed: 2 * seed, correlation, side}) : generateShapes({count: testCount, seed: 2 * seed + 1, correlation, side});
}

/** Image n's factors as values (scale, radians, 0–1 positions), read from the data set. */
export function shapeFactorsOf(data: Pick<ShapesData, "factorValues" | "count">, n: number): ShapeFactors {
  if (!Number.isInteger(n) || n < 0 || n >= data.count) throw new Error(`shapeFactorsOf: image ${n} is not in a set of ${data.count}`);
  const k = FACTOR_NAMES.length;
  const [shape, scale, rotation, x, y] = Array.from(data.factorValues.subarray(n * k, (n + 1) * k));
  return {shape: Math.round(shape), scale, rotation, x, y};
}

/** `base` with one factor set to each value of its grid in turn, the others fixed: what that factor alone does. */
export function factorSweep(base: ShapeFactors, factor: FactorName): ShapeFactors[] {
  if (!FACTOR_NAMES.includes(factor)) throw new Error(`factorSweep: no factor ${String(factor)}; the factors are ${FACTOR_NAMES.join(", ")}`);
  return FACTOR_VALUES[factor].map((value) => ({...base, [factor]: value}));
}
