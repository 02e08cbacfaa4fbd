import {describe, expect, it} from "vitest";
import {mulberry32, nearestNeighbourAgreement, normalSampler} from "../../lib/index.ts";

describe("neighbours", () => {
  it("nearestNeighbourAgreement(codes, labels) is 1 for well-separated classes", () => {
    const draw = normalSampler(1);
    const labels = Array.from({length: 300}, (_, i) => i % 3);
    const codes = labels.map((c) => [10 * c + 0.1 * draw(), 0.1 * draw()]);
    expect(nearestNeighbourAgreement(codes, labels)).toBe(1);
  });

  it("nearestNeighbourAgreement(codes, labels) is about 1/classes when the codes ignore the labels", () => {
    const draw = normalSampler(2);
    const u = mulberry32(3);
    const n = 4000;
    const labels = Array.from({length: n}, () => Math.floor(u() * 10));
    const codes = labels.map(() => [draw(), draw()]);
    const agreement = nearestNeighbourAgreement(codes, labels);
    expect(Math.abs(agreement - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / n));
  });

  it("nearestNeighbourAgreement leaves each point out: two points with different labels agree 0 times", () => {
    expect(nearestNeighbourAgreement([[0], [1]], [0, 1])).toBe(0);
    expect(nearestNeighbourAgreement([[0], [1], [5]], [0, 0, 1])).toBeCloseTo(2 / 3, 12);
    expect(() => nearestNeighbourAgreement([[0]], [0])).toThrow(/at least two/);
  });
});
