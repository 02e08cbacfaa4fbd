import {describe, expect, it} from "vitest";
import {CORRELATED, FACTOR_NAMES, FACTOR_VALUES, SHAPE_GEOMETRY, factorColumn, factorSweep, generateShapes, renderShape, shapeFactorsOf, shapesSplit} from "../../lib/index.ts";

// References: pixel moments (mass = area, first moments / mass = centroid) against the closed-form
// area and centre of a square and an ellipse, and against the heart's area and centroid found here by
// integrating its implicit curve on a fine grid; Pearson correlations and counts over the drawn factors.
const side = 32;
const {unit, margin} = SHAPE_GEOMETRY;
const origin = (t: number) => (margin + t * (1 - 2 * margin)) * side;

function moments(image: Float32Array) {
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < side; i++) {
    for (let j = 0; j < side; j++) {
      const p = image[i * side + j];
      mass += p;
      mx += p * (j + 0.5);
      my += p * (i + 0.5);
    }
  }
  return {mass, x: mx / mass, y: my / mass};
}

// The heart (u² + v² − 1)³ − u²v³ ≤ 0 integrated on a 0.001 grid: its area and centroid in frame units.
const heart = (() => {
  const h = 0.001;
  let area = 0;
  let cv = 0;
  for (let u = -1.5; u <= 1.5; u += h) {
    for (let v = -1.5; v <= 1.5; v += h) {
      const r = u * u + v * v - 1;
      if (r * r * r - u * u * v * v * v <= 0) {
        area += h * h;
        cv += v * h * h;
      }
    }
  }
  return {area, cv: cv / area};
})();

function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    sa += a[i];
    sb += b[i];
    saa += a[i] * a[i];
    sbb += b[i] * b[i];
    sab += a[i] * b[i];
  }
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
}

describe("shapes", () => {
  it("generateShapes({count, seed}) gives the same images and factors for the same seed, and others for another", () => {
    const a = generateShapes({count: 50, seed: 3});
    const b = generateShapes({count: 50, seed: 3});
    const c = generateShapes({count: 50, seed: 4});
    expect(Array.from(a.images)).toEqual(Array.from(b.images));
    expect(Array.from(a.factorIndices)).toEqual(Array.from(b.factorIndices));
    expect(Array.from(a.factorIndices)).not.toEqual(Array.from(c.factorIndices));
    expect(a.pixels).toBe(side * side);
    expect(a.images.length).toBe(50 * side * side);
  });

  it("generateShapes({count}) draws every factor from its grid, each value about equally often, and independently", () => {
    const data = generateShapes({count: 6000, seed: 1, samples: 1});
    FACTOR_NAMES.forEach((name, f) => {
      const grid = FACTOR_VALUES[name];
      const column = factorColumn(data, name);
      const counts = new Array(grid.length).fill(0);
      let wrong = 0;
      for (let n = 0; n < data.count; n++) {
        if (!(column[n] < grid.length) || Math.abs(data.factorValues[n * 5 + f] - grid[column[n]]) > 1e-6) wrong++;
        counts[column[n]]++;
      }
      expect(wrong).toBe(0);
      // each count is Binomial(6000, 1/m): within 5 standard deviations of its mean
      const p = 1 / grid.length;
      for (const k of counts) expect(Math.abs(k - 6000 * p)).toBeLessThan(5 * Math.sqrt(6000 * p * (1 - p)));
    });
    expect(Math.min(...FACTOR_VALUES.scale)).toBe(0.5);
    expect(Math.max(...FACTOR_VALUES.rotation)).toBeCloseTo((40 * Math.PI) / 180, 12);
    // independent: every pair's correlation within 5/√n of 0
    for (let f = 0; f < 5; f++) for (let g = f + 1; g < 5; g++) expect(Math.abs(pearson(factorColumn(data, f), factorColumn(data, g)))).toBeLessThan(5 / Math.sqrt(6000));
    expect(data.images.every((p) => p === 0 || p === 1)).toBe(true); // samples: 1 is binary
  });

  it("generateShapes({correlation: 0.9}) ties scale to x and leaves the other pairs independent", () => {
    const data = generateShapes({count: 4000, seed: 2, correlation: 0.9, samples: 1});
    const scaleX = pearson(factorColumn(data, "scale"), factorColumn(data, "x"));
    expect(scaleX).toBeGreaterThan(0.8);
    expect(Math.abs(pearson(factorColumn(data, "y"), factorColumn(data, "x")))).toBeLessThan(5 / Math.sqrt(4000));
    expect(Math.abs(pearson(factorColumn(data, "scale"), factorColumn(data, "rotation")))).toBeLessThan(5 / Math.sqrt(4000));
    // the same seed without correlation draws the same shapes, rotations and positions
    const free = generateShapes({count: 4000, seed: 2, samples: 1});
    expect(Array.from(factorColumn(free, "x"))).toEqual(Array.from(factorColumn(data, "x")));
    expect(Math.abs(pearson(factorColumn(free, "scale"), factorColumn(free, "x")))).toBeLessThan(5 / Math.sqrt(4000));
  });

  it("renderShape(square or ellipse) has the area and centroid its scale and x/y say (pixel moments)", () => {
    const [a, b] = SHAPE_GEOMETRY.ellipse;
    for (const [shape, scale, rotation, x, y] of [
      [0, 1, 0, 0.5, 0.5],
      [0, 0.5, 0.3, 0.1, 0.8],
      [0, 0.8, -0.6, 1, 0],
      [1, 1, 0.2, 0.3, 0.6],
      [1, 0.6, -0.7, 0.9, 0.2]
    ]) {
      const size = unit * scale * side;
      const area = shape === 0 ? 4 * size * size : Math.PI * a * b * size * size;
      const m = moments(renderShape({shape, scale, rotation, x, y}, {side, samples: 8}));
      expect(Math.abs(m.mass - area) / area).toBeLessThan(0.01);
      expect(Math.abs(m.x - origin(x))).toBeLessThan(0.05);
      expect(Math.abs(m.y - origin(y))).toBeLessThan(0.05);
    }
  });

  it("renderShape(heart) has the area of the integrated curve times scale², its centroid turned with the rotation", () => {
    for (const [scale, rotation, x, y] of [
      [1, 0, 0.5, 0.5],
      [0.6, 0.5, 0.2, 0.7],
      [0.9, -0.7, 0.8, 0.1]
    ]) {
      const size = unit * scale * side;
      const m = moments(renderShape({shape: 2, scale, rotation, x, y}, {side, samples: 8}));
      expect(Math.abs(m.mass - heart.area * size * size) / (heart.area * size * size)).toBeLessThan(0.01);
      // the centroid (0, cv) in the frame (v up), turned counter-clockwise by θ, then y flipped for the screen
      expect(Math.abs(m.x - (origin(x) - Math.sin(rotation) * heart.cv * size))).toBeLessThan(0.05);
      expect(Math.abs(m.y - (origin(y) - Math.cos(rotation) * heart.cv * size))).toBeLessThan(0.05);
    }
  });

  it("renderShape(square) turned by 90° is the same image", () => {
    // centred on a pixel corner, the sample points map onto each other under a quarter turn: identical
    for (const rotation of [0, 0.3, -0.5]) {
      const a = renderShape({shape: 0, scale: 0.9, rotation, x: 0.5, y: 0.5});
      const b = renderShape({shape: 0, scale: 0.9, rotation: rotation + Math.PI / 2, x: 0.5, y: 0.5});
      const differing = a.filter((p, i) => Math.abs(p - b[i]) > 1e-6).length;
      expect(differing).toBeLessThanOrEqual(2); // at most a sample point lying on an edge, to rounding
    }
    // elsewhere, the same coverage to within one sample point per edge pixel
    const a = renderShape({shape: 0, scale: 0.7, rotation: 0.2, x: 0.13, y: 0.77});
    const b = renderShape({shape: 0, scale: 0.7, rotation: 0.2 + Math.PI / 2, x: 0.13, y: 0.77});
    expect(Math.max(...a.map((p, i) => Math.abs(p - b[i])))).toBeLessThanOrEqual(0.25);
    expect(Math.abs(moments(a).mass - moments(b).mass)).toBeLessThan(1);
    // and a heart is not the same turned by 90°
    const h = renderShape({shape: 2, scale: 1, rotation: 0, x: 0.5, y: 0.5});
    const t = renderShape({shape: 2, scale: 1, rotation: Math.PI / 2, x: 0.5, y: 0.5});
    expect(h.filter((p, i) => Math.abs(p - t[i]) > 0.5).length).toBeGreaterThan(10);
  });

  it("shapesSplit(split, {seed}) draws train and test from different seeds; the test set does not depend on the training size", () => {
    const test = shapesSplit("test", {seed: 1, trainCount: 100, testCount: 30});
    expect(Array.from(shapesSplit("test", {seed: 1, trainCount: 500, testCount: 30}).factorIndices)).toEqual(Array.from(test.factorIndices));
    const train = shapesSplit("train", {seed: 1, trainCount: 30});
    expect(Array.from(train.factorIndices)).not.toEqual(Array.from(test.factorIndices));
    expect(train.count).toBe(30);
    expect(shapesSplit("train", {seed: 1, trainCount: 30, correlation: CORRELATED}).correlation).toBe(0.9);
  });

  it("renderShape() and generateShapes() refuse bad arguments with a sentence", () => {
    expect(() => renderShape({shape: 3, scale: 1, rotation: 0, x: 0, y: 0})).toThrow(/shape must be 0/);
    expect(() => renderShape({shape: 0, scale: 1, rotation: 0, x: 0, y: 0}, {side: 4})).toThrow(/side must be/);
    expect(() => generateShapes({count: 0})).toThrow(/count must be/);
    expect(() => generateShapes({count: 10, correlation: 2})).toThrow(/correlation must be/);
    expect(() => factorColumn(generateShapes({count: 2}), "colour" as never)).toThrow(/no factor colour/);
  });
  it("shapeFactorsOf(data, n) reads image n's factors, and renderShape of them redraws image n exactly", () => {
    const data = generateShapes({count: 12, seed: 5});
    for (const n of [0, 7, 11]) {
      const f = shapeFactorsOf(data, n);
      const k = FACTOR_NAMES.length;
      expect(f.shape).toBe(data.labels[n]);
      expect([f.scale, f.rotation, f.x, f.y]).toEqual(FACTOR_NAMES.slice(1).map((name, i) => FACTOR_VALUES[name][data.factorIndices[n * k + i + 1]]).map((v) => Math.fround(v)));
      expect(Array.from(renderShape(f))).toEqual(Array.from(data.images.subarray(n * 1024, (n + 1) * 1024)));
    }
    expect(() => shapeFactorsOf(data, 12)).toThrow(/image 12 is not in a set of 12/);
  });

  it("factorSweep(base, factor) sets one factor to each value of its grid and keeps the others", () => {
    const base = {shape: 2, scale: 0.7, rotation: 0.1, x: 0.4, y: 0.6};
    const sweep = factorSweep(base, "x");
    expect(sweep.map((f) => f.x)).toEqual([...FACTOR_VALUES.x]);
    expect(sweep.every((f) => f.shape === 2 && f.scale === 0.7 && f.rotation === 0.1 && f.y === 0.6)).toBe(true);
    expect(factorSweep(base, "shape").map((f) => f.shape)).toEqual([0, 1, 2]);
    // The x sweep moves the shape's ink centroid right by the same step each time (pixel moments).
    const centroid = (img: Float32Array) => {
      let [m, mx] = [0, 0];
      img.forEach((v, i) => ((m += v), (mx += v * ((i % 32) + 0.5))));
      return mx / m;
    };
    const xs = sweep.map((f) => centroid(renderShape({...f, shape: 0, rotation: 0})));
    const steps = xs.slice(1).map((x, i) => x - xs[i]);
    // one step of x is (1 − 2·margin)·32/15 pixels; 4×4 samples a pixel quantize an edge to a quarter pixel
    const step = ((1 - 2 * margin) * side) / 15;
    steps.forEach((d) => expect(Math.abs(d - step)).toBeLessThan(0.2));
    expect((xs[15] - xs[0]) / 15).toBeCloseTo(step, 2);
    expect(() => factorSweep(base, "colour" as never)).toThrow(/no factor colour/);
  });
});
