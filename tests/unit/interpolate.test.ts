import {describe, expect, it} from "vitest";
import {angleBetween, interpolate, normalSampler} from "../../lib/index.ts";

const norm = (v: number[]) => Math.hypot(...v);
/** A code of norm r at angle θ (radians) from the first axis, in the plane of the first two axes of 20-D. */
const inPlane = (r: number, theta: number) => [r * Math.cos(theta), r * Math.sin(theta), ...new Array(18).fill(0)];

describe("interpolate", () => {
  it("interpolate(a, b, n, 'linear') starts at a, ends at b and moves in equal steps", () => {
    const path = interpolate([0, 2], [4, -2], 5);
    expect(path).toEqual([[0, 2], [1, 1], [2, 0], [3, -1], [4, -2]]);
  });

  it("interpolate(a, b, n, 'spherical') keeps the norm of equal-norm ends, and turns at a constant angular speed, where linear shrinks the norm", () => {
    const draw = normalSampler(1);
    const a = Array.from({length: 20}, draw);
    const raw = Array.from({length: 20}, draw);
    const scale = Math.hypot(...a) / Math.hypot(...raw);
    const b = raw.map((v) => v * scale);
    const slerp = interpolate(a, b, 9, "spherical");
    const theta = angleBetween(a, b);
    slerp.forEach((z, k) => {
      expect(norm(z)).toBeCloseTo(norm(a), 6);
      expect(angleBetween(a, z)).toBeCloseTo((k / 8) * theta, 6);
    });
    expect(slerp[0].map((v, i) => v - a[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(slerp[8].map((v, i) => v - b[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    // The straight line's midpoint has norm r·cos(θ/2).
    expect(norm(interpolate(a, b, 9, "linear")[4])).toBeCloseTo(norm(a) * Math.cos(theta / 2), 6);
  });

  it("slerp's midpoint is the linear midpoint divided by cos(θ/2), whatever the two norms", () => {
    const draw = normalSampler(2);
    for (let trial = 0; trial < 20; trial++) {
      const a = Array.from({length: 20}, draw);
      const b = Array.from({length: 20}, () => 3 * draw());
      const theta = angleBetween(a, b);
      const linear = interpolate(a, b, 3, "linear")[1];
      interpolate(a, b, 3, "spherical")[1].forEach((v, i) => expect(v).toBeCloseTo(linear[i] / Math.cos(theta / 2), 9));
    }
  });

  it("with unequal norms, slerp's norm stays between them for angles up to 90°, and can leave that range beyond", () => {
    for (const degrees of [10, 45, 80, 90]) {
      const norms = interpolate(inPlane(4, 0), inPlane(2, (degrees * Math.PI) / 180), 201, "spherical").map(norm);
      expect(Math.min(...norms)).toBeGreaterThanOrEqual(2 - 1e-9);
      expect(Math.max(...norms)).toBeLessThanOrEqual(4 + 1e-9);
    }
    // Norms 4 and 2 at 150°: the path's norm runs from about 1.5 to about 5.5, and its midpoint is not at 75°.
    const path = interpolate(inPlane(4, 0), inPlane(2, (150 * Math.PI) / 180), 1001, "spherical");
    const norms = path.map(norm);
    expect(Math.min(...norms)).toBeCloseTo(1.46, 2);
    expect(Math.max(...norms)).toBeCloseTo(5.46, 2);
    expect((angleBetween(inPlane(1, 0), path[500]) * 180) / Math.PI).toBeLessThan(30);
  });

  it("angleBetween(a, b) is the angle in radians, and 0 for a zero code", () => {
    expect(angleBetween([1, 0], [0, 2])).toBeCloseTo(Math.PI / 2, 12);
    expect(angleBetween([1, 0], [-1, 0])).toBeCloseTo(Math.PI, 12);
    expect(angleBetween([0, 0], [1, 1])).toBe(0);
    expect(() => angleBetween([1], [1, 2])).toThrow(/different sizes/);
  });

  it("refuses codes of different sizes and fewer than two steps", () => {
    expect(() => interpolate([1], [1, 2], 3)).toThrow(/different sizes/);
    expect(() => interpolate([1], [2], 1)).toThrow(/steps must be/);
    expect(interpolate([1, 0], [2, 0], 3, "spherical")).toEqual([[1, 0], [1.5, 0], [2, 0]]);
  });
});
