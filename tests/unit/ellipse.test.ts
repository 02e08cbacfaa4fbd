import {describe, expect, it} from "vitest";
import {ellipseMass, normalSampler, posteriorEllipse} from "../../lib/index.ts";

describe("ellipse", () => {
  it("posteriorEllipse(mean, sd, k) puts every vertex at standardized distance k, and closes the curve", () => {
    const points = posteriorEllipse([1, -2], [0.3, 0.1], 2, 32);
    expect(points).toHaveLength(33);
    expect(points[32]).toEqual(points[0]);
    for (const {x, y} of points) expect(((x - 1) / 0.3) ** 2 + ((y + 2) / 0.1) ** 2).toBeCloseTo(4, 10);
    // It reaches k·σ along each axis.
    expect(Math.max(...points.map((p) => p.x))).toBeCloseTo(1 + 2 * 0.3, 12);
    expect(Math.min(...points.map((p) => p.y))).toBeCloseTo(-2 - 2 * 0.1, 12);
  });

  it("ellipseMass(k) matches the fraction of Monte Carlo draws inside the k-σ ellipse", () => {
    const draw = normalSampler(2);
    const n = 40_000;
    const r2 = Array.from({length: n}, () => draw() ** 2 + draw() ** 2);
    for (const k of [1, 2]) {
      const p = ellipseMass(k);
      const inside = r2.filter((v) => v <= k * k).length / n;
      expect(Math.abs(inside - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
    }
    expect(ellipseMass(1)).toBeCloseTo(0.3935, 4);
    expect(ellipseMass(2)).toBeCloseTo(0.8647, 4);
  });

  it("posteriorEllipse refuses a code that is not 2-D, or k ≤ 0", () => {
    expect(() => posteriorEllipse([0, 0, 0], [1, 1, 1], 1)).toThrow(/2-D/);
    expect(() => posteriorEllipse([0, 0], [1, 1], 0)).toThrow(/k must be/);
  });
});
