import {describe, expect, it} from "vitest";
import {fitIndependentBernoulli, independentBernoulliLogLikelihood, sampleIndependentBernoulli} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";

describe("pixelModel", () => {
  const data = prototypeData({count: 200});

  it("fitIndependentBernoulli(data) is the per-pixel mean", () => {
    const means = fitIndependentBernoulli(data);
    for (const i of [0, 7, 15]) {
      let sum = 0;
      for (let n = 0; n < data.count; n++) sum += data.images[n * 16 + i];
      expect(means[i]).toBeCloseTo(sum / data.count, 6);
    }
  });

  it("sampleIndependentBernoulli draws each pixel on with probability μ_i, reproducibly", () => {
    const means = Float32Array.from([0.1, 0.5, 0.9]);
    const samples = sampleIndependentBernoulli(means, 20_000, 1);
    means.forEach((mu, i) => {
      let on = 0;
      for (let s = 0; s < 20_000; s++) on += samples[s * 3 + i];
      expect(Math.abs(on / 20_000 - mu)).toBeLessThan(4 * Math.sqrt((mu * (1 - mu)) / 20_000));
    });
    expect(sampleIndependentBernoulli(means, 5, 3)).toEqual(sampleIndependentBernoulli(means, 5, 3));
  });

  it("independentBernoulliLogLikelihood sums per-pixel log-probabilities and stays finite for μ = 0 or 1", () => {
    const means = Float32Array.from([0.2, 0.7]);
    expect(independentBernoulliLogLikelihood(means, [1, 0])).toBeCloseTo(Math.log(0.2) + Math.log(0.3), 5);
    expect(Number.isFinite(independentBernoulliLogLikelihood(Float32Array.from([0, 1]), [1, 0]))).toBe(true);
  });
});
