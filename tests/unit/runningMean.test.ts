import {describe, expect, it} from "vitest";
import {logSpacedCounts, runningMeans} from "../../lib/index.ts";

describe("runningMean", () => {
  it("runningMeans(values, counts) is the plain average of the first n values, for each n", () => {
    const values = [3, -1, 4, 1, -5, 9, 2, 6];
    const got = runningMeans(values, [1, 2, 5, 8]);
    // Each reference written out by hand.
    expect(got).toEqual([
      {n: 1, mean: 3},
      {n: 2, mean: 1},
      {n: 5, mean: 0.4},
      {n: 8, mean: 19 / 8}
    ]);
  });

  it("runningMeans(values, counts) settles on the true mean of fair die rolls as n grows", () => {
    // A deterministic, equidistributed sequence: 1…6 repeated, so the mean of every 6k values is exactly 3.5.
    const values = Array.from({length: 600}, (_, i) => (i % 6) + 1);
    const got = runningMeans(values, [6, 60, 600]);
    for (const {mean} of got) expect(mean).toBeCloseTo(3.5, 12);
  });

  it("runningMeans refuses counts out of range or out of order", () => {
    expect(() => runningMeans([1, 2], [3])).toThrow(/ascending integers/);
    expect(() => runningMeans([1, 2], [2, 1])).toThrow(/ascending integers/);
    expect(() => runningMeans([1, 2], [0])).toThrow(/ascending integers/);
  });

  it("logSpacedCounts(total, points) runs from 1 to total, ascending, without repeats, evenly in log n", () => {
    expect(logSpacedCounts(1000, 4)).toEqual([1, 10, 100, 1000]);
    const counts = logSpacedCounts(10_000, 60);
    expect(counts[0]).toBe(1);
    expect(counts.at(-1)).toBe(10_000);
    expect(new Set(counts).size).toBe(counts.length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThan(counts[i - 1]);
    // Small totals: fewer distinct counts than points, still each once.
    expect(logSpacedCounts(3, 10)).toEqual([1, 2, 3]);
    expect(() => logSpacedCounts(0, 10)).toThrow(/total/);
  });
});
