import {describe, expect, it} from "vitest";
import {interpolate, normalSampler} from "../../lib/index.ts";

describe("interpolate", () => {
  it("interpolate(a, b, n, 'linear') starts at a, ends at b and moves in equal steps", () => {
    const path = interpolate([0, 2], [4, -2], 5);
    expect(path).toEqual([[0, 2], [1, 1], [2, 0], [3, -1], [4, -2]]);
  });

  it("interpolate(a, b, n, 'spherical') keeps the norm of equal-norm ends, where linear shrinks it", () => {
    const draw = normalSampler(1);
    const a = Array.from({length: 20}, draw);
    const raw = Array.from({length: 20}, draw);
    const scale = Math.hypot(...a) / Math.hypot(...raw);
    const b = raw.map((v) => v * scale);
    const norm = (v: number[]) => Math.hypot(...v);
    const slerp = interpolate(a, b, 9, "spherical");
    slerp.forEach((z) => expect(norm(z)).toBeCloseTo(norm(a), 6));
    expect(slerp[0].map((v, i) => v - a[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(slerp[8].map((v, i) => v - b[i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    expect(norm(interpolate(a, b, 9, "linear")[4])).toBeLessThan(0.9 * norm(a));
  });

  it("refuses codes of different sizes and fewer than two steps", () => {
    expect(() => interpolate([1], [1, 2], 3)).toThrow(/different sizes/);
    expect(() => interpolate([1], [2], 1)).toThrow(/steps must be/);
    expect(interpolate([1, 0], [2, 0], 3, "spherical")).toEqual([[1, 0], [1.5, 0], [2, 0]]);
  });
});
