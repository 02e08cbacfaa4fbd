import {describe, expect, it} from "vitest";
import {mulberry32, normalSampler} from "../../lib/random.ts";

describe("random", () => {
  it("mulberry32(seed) repeats for a seed, differs across seeds, and is uniform on [0, 1)", () => {
    const a = Array.from({length: 5}, mulberry32(7));
    expect(Array.from({length: 5}, mulberry32(7))).toEqual(a);
    expect(Array.from({length: 5}, mulberry32(8))).not.toEqual(a);
    const draw = mulberry32(1);
    const n = 100_000;
    const xs = Array.from({length: n}, draw);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // Uniform: mean 1/2 and variance 1/12, each within about five standard errors.
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    // Ten equal bins each hold a tenth.
    const bins = new Array(10).fill(0);
    for (const x of xs) bins[Math.floor(x * 10)]++;
    for (const count of bins) expect(Math.abs(count / n - 0.1)).toBeLessThan(0.005);
  });

  it("normalSampler(seed) draws N(0, 1): mean, variance, a tail probability and the fourth moment", () => {
    const draw = normalSampler(3);
    const n = 200_000;
    const xs = Array.from({length: n}, draw);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    const fourth = xs.reduce((s, x) => s + x ** 4, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(variance).toBeCloseTo(1, 1);
    expect(fourth).toBeCloseTo(3, 0);
    // P(|x| > 1.96) = 0.05 for a standard normal.
    expect(Math.abs(xs.filter((x) => Math.abs(x) > 1.96).length / n - 0.05)).toBeLessThan(0.003);
  });
});
