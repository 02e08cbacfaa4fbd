import {describe, expect, it} from "vitest";
import {logGamma, meanNorm, normDensity, norms, normalSampler, sampleCodes, samplePosteriors} from "../../lib/index.ts";
import {meanAndStd} from "./helpers.ts";

// Trapezoid rule on [0, upper]: an independent check of a density's integral and moments.
function integrate(f: (r: number) => number, upper: number, steps = 20_000): number {
  const h = upper / steps;
  let sum = (f(0) + f(upper)) / 2;
  for (let i = 1; i < steps; i++) sum += f(i * h);
  return sum * h;
}

describe("latentNorms", () => {
  it("logGamma(x) matches known values of Γ", () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(10)).toBeCloseTo(Math.log(362_880), 11);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(logGamma(2.5)).toBeCloseTo(Math.log(0.75 * Math.sqrt(Math.PI)), 12);
    expect(logGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 11);
    expect(() => logGamma(0)).toThrow(/x must be > 0/);
  });

  it("normDensity(r, 2) is Rayleigh's r·e^(−r²/2) and normDensity(r, 3) is Maxwell's √(2/π)·r²·e^(−r²/2)", () => {
    for (const r of [0.1, 0.7, 1.5, 3]) {
      expect(normDensity(r, 2)).toBeCloseTo(r * Math.exp(-r * r / 2), 12);
      expect(normDensity(r, 3)).toBeCloseTo(Math.sqrt(2 / Math.PI) * r * r * Math.exp(-r * r / 2), 12);
    }
    expect(normDensity(-1, 20)).toBe(0);
    expect(normDensity(0, 20)).toBe(0);
  });

  it("normDensity(r, 20) integrates to 1, peaks at √19, and its mean matches Monte Carlo norms of N(0, I₂₀) draws", () => {
    expect(integrate((r) => normDensity(r, 20), 15)).toBeCloseTo(1, 6);
    const mode = Math.sqrt(19);
    expect(normDensity(mode, 20)).toBeGreaterThan(normDensity(mode - 0.01, 20));
    expect(normDensity(mode, 20)).toBeGreaterThan(normDensity(mode + 0.01, 20));
    const draw = normalSampler(5);
    const sample = Array.from({length: 20_000}, () => Math.hypot(...Array.from({length: 20}, draw)));
    const {mean, std} = meanAndStd(sample);
    const exactMean = integrate((r) => r * normDensity(r, 20), 15);
    expect(Math.abs(mean - exactMean)).toBeLessThan(4 * std / Math.sqrt(sample.length));
    expect(meanNorm(20)).toBeCloseTo(exactMean, 6);
    // Almost no draw comes near the centre: P(‖z‖ < 2) in 20 dimensions.
    expect(integrate((r) => normDensity(r, 20), 2)).toBeLessThan(1e-4);
    expect(sample.filter((r) => r < 2).length).toBeLessThan(10);
  });

  it("normDensity(r, J, T) is the T = 1 density rescaled: f(r/T)/T", () => {
    for (const r of [1, 2.5, 4]) expect(normDensity(r, 20, 0.5)).toBeCloseTo(normDensity(r / 0.5, 20) / 0.5, 12);
    expect(meanNorm(20, 0.5)).toBeCloseTo(0.5 * meanNorm(20), 12);
  });

  it("sampleCodes(n, J, {temperature, seed}) is seeded, has variance T² per coordinate, and T scales every code", () => {
    const a = sampleCodes(4000, 20, {temperature: 0.5, seed: 3});
    const b = sampleCodes(4000, 20, {temperature: 1, seed: 3});
    expect(sampleCodes(4000, 20, {temperature: 0.5, seed: 3})).toEqual(a);
    expect(a[7].map((v, i) => v - 0.5 * b[7][i]).every((d) => Math.abs(d) < 1e-12)).toBe(true);
    const {mean, std} = meanAndStd(b.flat());
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeCloseTo(1, 1);
    expect(sampleCodes(0, 20)).toEqual([]);
    expect(sampleCodes(3, 2, {temperature: 0}).flat().every((v) => v === 0)).toBe(true);
    expect(() => sampleCodes(2, 2, {temperature: -1})).toThrow(/temperature/);
  });

  it("samplePosteriors(mean, logVar, seed) draws μ + σ·ε with the right mean and standard deviation", () => {
    const n = 20_000;
    const mean = Array.from({length: n}, () => [1.5, -2]);
    const logVar = Array.from({length: n}, () => [Math.log(0.25), Math.log(4)]);
    const z = samplePosteriors(mean, logVar, 9);
    const first = meanAndStd(z.map((v) => v[0]));
    const second = meanAndStd(z.map((v) => v[1]));
    expect(first.mean).toBeCloseTo(1.5, 1);
    expect(first.std).toBeCloseTo(0.5, 1);
    expect(second.mean).toBeCloseTo(-2, 1);
    expect(second.std).toBeCloseTo(2, 1);
    expect(() => samplePosteriors(mean, logVar.slice(1))).toThrow(/log-variances/);
  });

  it("norms(codes) is the Euclidean norm of each code", () => {
    expect(norms([[3, 4], [0, 0], [1, 2, 2]])).toEqual([5, 0, 3]);
  });
});
