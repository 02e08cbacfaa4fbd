import {describe, expect, it} from "vitest";
import {bitsPerDim, fractionAbove, mean, median, mulberry32, quantile, standardError} from "../../lib/index.ts";

describe("stats", () => {
  it("median(values) is the middle of the sorted values, or the mean of the two middle ones", () => {
    // Sorted by hand: [1, 2, 3, 5, 8] and [1, 2, 3, 5, 8, 13].
    expect(median([8, 1, 5, 3, 2])).toBe(3);
    expect(median([13, 8, 1, 5, 3, 2])).toBe(4);
    expect(median([7])).toBe(7);
    expect(median([])).toBeNaN();
  });

  it("median(values) agrees with the middle of Array.prototype.sort on random lists, odd and even", () => {
    const draw = mulberry32(4);
    for (const n of [1, 2, 199, 200, 1001]) {
      const values = Array.from({length: n}, () => draw() * 1000 - 500);
      const sorted = [...values].sort((a, b) => a - b);
      const want = n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      expect(median(values)).toBeCloseTo(want, 10);
      const single = Float32Array.from(values);
      const singleSorted = Array.from(single).sort((a, b) => a - b);
      expect(median(single)).toBeCloseTo(n % 2 ? singleSorted[(n - 1) / 2] : (singleSorted[n / 2 - 1] + singleSorted[n / 2]) / 2, 10);
    }
  });

  it("quantile(values, q) interpolates linearly between order statistics, as numpy.quantile does", () => {
    // numpy.quantile([1, 2, 3, 4], [0, 0.25, 0.5, 0.9, 1]) = [1, 1.75, 2.5, 3.7, 4]
    const want = [1, 1.75, 2.5, 3.7, 4];
    [0, 0.25, 0.5, 0.9, 1].forEach((q, i) => expect(quantile([4, 1, 3, 2], q)).toBeCloseTo(want[i], 12));
    expect(() => quantile([1], 1.5)).toThrow(/q must be in \[0, 1\]/);
  });

  it("standardError(values) is the sample standard deviation over √n", () => {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, squared deviations sum to 32, s = √(32/7), se = s/√8.
    expect(mean([2, 4, 4, 4, 5, 5, 7, 9])).toBe(5);
    expect(standardError([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7) / Math.sqrt(8), 12);
    expect(standardError([3])).toBeNaN();
  });

  it("fractionAbove(values, t) counts values strictly above t", () => {
    expect(fractionAbove([1, 2, 3, 4], 2)).toBe(0.5);
    expect(fractionAbove([1, 2, 3, 4], 4)).toBe(0);
  });

  it("bitsPerDim(nats, dims) divides by dims·ln 2: 100 nats over 784 pixels is 0.184 bits per pixel", () => {
    expect(bitsPerDim(100, 784)).toBeCloseTo(0.184, 3);
    // A fair coin per pixel: 784 ln 2 nats is exactly one bit per pixel.
    expect(bitsPerDim(784 * Math.log(2), 784)).toBeCloseTo(1, 12);
  });
});
