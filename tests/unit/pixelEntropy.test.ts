import {describe, expect, it} from "vitest";
import {bernoulliEntropy, mulberry32} from "../../lib/index.ts";

describe("pixelEntropy", () => {
  it("bernoulliEntropy(p, D) is D·log 2 for grey pixels and 0 for certain ones", () => {
    expect(bernoulliEntropy(new Float32Array(784).fill(0.5), 784)[0]).toBeCloseTo(784 * Math.LN2, 3);
    expect(bernoulliEntropy([0, 1, 1, 0, 0, 0], 3)).toEqual([0, 0]);
  });

  it("bernoulliEntropy(p, D) matches a Monte Carlo estimate of −E log p(b), b ~ Bernoulli(p)", () => {
    const u = mulberry32(3);
    const p = Array.from({length: 20}, () => u());
    const n = 40_000;
    let sum = 0;
    let sum2 = 0;
    for (let s = 0; s < n; s++) {
      let log = 0;
      for (const q of p) log += u() < q ? Math.log(q) : Math.log(1 - q);
      sum -= log;
      sum2 += log * log;
    }
    const mean = sum / n;
    const se = Math.sqrt((sum2 / n - mean * mean) / n);
    expect(Math.abs(bernoulliEntropy(p, 20)[0] - mean)).toBeLessThan(4 * se);
  });

  it("refuses a partial image", () => {
    expect(() => bernoulliEntropy([0.5, 0.5, 0.5], 2)).toThrow(/whole number of 2-pixel images/);
  });
});
