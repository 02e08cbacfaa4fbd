import {describe, expect, it} from "vitest";
import {classFrequencies, codesAwayFrom, mulberry32, nearestNeighbours, nearestSquaredDistances, tf} from "../../lib/index.ts";
import {useBackend} from "./helpers.ts";

describe("codeSpace", () => {
  useBackend("wasm");

  it("nearestNeighbours(queries, references, dim) finds the nearest grid point of points jittered off a grid", () => {
    // References on the integer grid 0..9 × 0..9; each query is a grid point moved by less than ½.
    const references = Array.from({length: 100}, (_, k) => [k % 10, Math.floor(k / 10)]).flat();
    const draw = mulberry32(3);
    const truth: number[] = [];
    const offsets: number[][] = [];
    const queries = Array.from({length: 50}, () => {
      const k = Math.floor(draw() * 100);
      truth.push(k);
      const offset = [(draw() - 0.5) * 0.8, (draw() - 0.5) * 0.8];
      offsets.push(offset);
      return [(k % 10) + offset[0], Math.floor(k / 10) + offset[1]];
    }).flat();
    const {index, squaredDistance} = nearestNeighbours(queries, references, 2);
    expect(Array.from(index)).toEqual(truth);
    offsets.forEach(([a, b], q) => expect(squaredDistance[q]).toBeCloseTo(a * a + b * b, 12));
  });

  it("nearestNeighbours(…, exclude) skips the excluded reference (leave one out)", () => {
    const points = [0, 0, 1, 0, 5, 0];
    const {index, squaredDistance} = nearestNeighbours(points, points, 2, [0, 1, 2]);
    expect(Array.from(index)).toEqual([1, 0, 1]);
    expect(Array.from(squaredDistance)).toEqual([1, 1, 16]);
  });

  it("nearestNeighbours in 784 dimensions agrees with ‖a‖² − 2a·b + ‖b‖² minimized by sorting", () => {
    const draw = mulberry32(9);
    const refs = Float32Array.from({length: 30 * 784}, draw);
    const queries = Float32Array.from({length: 5 * 784}, draw);
    const {index, squaredDistance} = nearestNeighbours(queries, refs, 784);
    for (let q = 0; q < 5; q++) {
      const all = Array.from({length: 30}, (_, r) => {
        let aa = 0, bb = 0, ab = 0;
        for (let d = 0; d < 784; d++) {
          const [a, b] = [queries[q * 784 + d], refs[r * 784 + d]];
          aa += a * a;
          bb += b * b;
          ab += a * b;
        }
        return {r, d: aa - 2 * ab + bb};
      }).sort((u, v) => u.d - v.d);
      expect(index[q]).toBe(all[0].r);
      expect(squaredDistance[q]).toBeCloseTo(all[0].d, 6);
    }
  });

  it("codesAwayFrom(codes, n, {minDistance}) keeps every point that far from every code, inside the widened box, reproducibly", () => {
    const codes = [[0, 0], [10, 0], [0, 10], [10, 10], [5, 5]];
    const points = codesAwayFrom(codes, 200, {minDistance: 2, margin: 0.5, seed: 4});
    expect(points).toHaveLength(200);
    for (const [x, y] of points) {
      expect(Math.min(...codes.map(([a, b]) => Math.hypot(x - a, y - b)))).toBeGreaterThanOrEqual(2);
      expect(x).toBeGreaterThanOrEqual(-5);
      expect(x).toBeLessThanOrEqual(15);
      expect(y).toBeGreaterThanOrEqual(-5);
      expect(y).toBeLessThanOrEqual(15);
    }
    // Uniform over what is left of the box [−5, 15]²: circles of radius 2 are cut out around the five
    // codes; outside [0, 10]² that leaves 300 − 4·(¾·4π) of the 400 − 5·4π square units, about 0.78.
    const outside = points.filter(([x, y]) => x < 0 || x > 10 || y < 0 || y > 10).length / 200;
    const expected = (300 - 12 * Math.PI) / (400 - 20 * Math.PI);
    expect(Math.abs(outside - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / 200));
    expect(codesAwayFrom(codes, 5, {minDistance: 2, seed: 4})).toEqual(codesAwayFrom(codes, 5, {minDistance: 2, seed: 4}));
    expect(() => codesAwayFrom(codes, 5, {minDistance: 100, seed: 1, maxTries: 1000})).toThrow(/found only 0 of 5/);
  });

  it("classFrequencies(labels) counts each class", () => {
    expect(classFrequencies([0, 1, 1, 3], 4)).toEqual([0.25, 0.5, 0, 0.25]);
  });

  it("nearestSquaredDistances(queries, references, pixels) matches the brute-force nearest neighbour, and leaks no tensors", () => {
    const draw = mulberry32(21);
    const refs = Float32Array.from({length: 40 * 784}, draw);
    const queries = Float32Array.from({length: 7 * 784}, (_, i) => (i < 784 ? refs[784 * 5 + i] : draw()));
    const before = tf.memory().numTensors;
    const fast = nearestSquaredDistances(queries, refs, 784);
    const asTensor = tf.tensor2d(refs, [40, 784]);
    const fromTensor = nearestSquaredDistances(queries, asTensor, 784);
    asTensor.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const slow = nearestNeighbours(queries, refs, 784).squaredDistance;
    for (let q = 0; q < 7; q++) {
      expect(Math.abs(fast[q] - slow[q])).toBeLessThan(1e-3 * Math.max(1, slow[q]) + 2e-3);
      expect(fromTensor[q]).toBeCloseTo(fast[q], 4);
    }
    expect(fast[0]).toBeLessThan(2e-3); // a query equal to reference 5
  });
});
