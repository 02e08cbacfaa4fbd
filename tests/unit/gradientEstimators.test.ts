import {describe, expect, it} from "vitest";
import {normalSampler, reparameterizedGradient, scoreFunctionGradient, type Tensor1D} from "../../lib/index.ts";
import {leakedBy, useBackend} from "./helpers.ts";

useBackend("cpu");

// f(z) = z² + sin z: E_{N(μ,σ²)}[f] = μ² + σ² + sin(μ) e^{−σ²/2}, so ∂/∂μ = 2μ + cos(μ) e^{−σ²/2} exactly.
const f = (z: Tensor1D) => z.square().add(z.sin()) as Tensor1D;
const exactGradient = (mu: number, sigma: number) => 2 * mu + Math.cos(mu) * Math.exp(-(sigma ** 2) / 2);

describe("gradientEstimators", () => {
  const [mu, sigma, samples] = [0.8, 1.3, 50_000];

  it("scoreFunctionGradient(f, mean, sigma) is unbiased: its mean is within 4 standard errors of the exact gradient", () => {
    const g = scoreFunctionGradient(f, mu, sigma, {samples, seed: 5});
    expect(g.perSample).toHaveLength(samples);
    expect(Math.abs(g.mean - exactGradient(mu, sigma))).toBeLessThan((4 * g.std) / Math.sqrt(samples));
  });

  it("reparameterizedGradient(f, mean, sigma) is unbiased too, with a spread several times smaller", () => {
    const reparam = reparameterizedGradient(f, mu, sigma, {samples, seed: 5});
    const score = scoreFunctionGradient(f, mu, sigma, {samples, seed: 5});
    expect(Math.abs(reparam.mean - exactGradient(mu, sigma))).toBeLessThan((4 * reparam.std) / Math.sqrt(samples));
    expect(score.std / reparam.std).toBeGreaterThan(2);
  });

  it("each reparameterized estimate is f′(mean + σε), checked against central finite differences of f", () => {
    const epsilon = Float32Array.from({length: 8}, normalSampler(2));
    const g = reparameterizedGradient(f, mu, sigma, {samples: 8, epsilon});
    const fNumber = (z: number) => z * z + Math.sin(z);
    epsilon.forEach((e, i) => {
      const z = mu + sigma * e;
      const h = 1e-3;
      expect(g.perSample[i]).toBeCloseTo((fNumber(z + h) - fNumber(z - h)) / (2 * h), 2);
    });
  });

  it("each scoreFunctionGradient estimate is f(z)·(z − mean)/σ², computed by hand from the same ε", () => {
    const epsilon = Float32Array.from({length: 8}, normalSampler(4));
    const g = scoreFunctionGradient(f, mu, sigma, {samples: 8, epsilon});
    epsilon.forEach((e, i) => {
      const z = mu + sigma * e;
      expect(g.perSample[i]).toBeCloseTo(((z * z + Math.sin(z)) * (z - mu)) / sigma ** 2, 4);
    });
  });

  it("given the same seed, scoreFunctionGradient and reparameterizedGradient see the same draws of ε (chapter 6 races them on it)", () => {
    // With f(z) = z²: the pathwise estimate is 2z, so z and ε = (z − mean)/σ can be read back from it; the
    // score estimate from the same ε must then be z²·ε/σ.
    const square = (z: Tensor1D) => z.square() as Tensor1D;
    const score = scoreFunctionGradient(square, mu, sigma, {samples: 16, seed: 9});
    const reparam = reparameterizedGradient(square, mu, sigma, {samples: 16, seed: 9});
    reparam.perSample.forEach((v, i) => {
      const z = v / 2;
      expect(score.perSample[i]).toBeCloseTo((z * z * (z - mu)) / sigma ** 2, 3);
    });
  });

  it("the estimators leak no tensors and refuse a bad sample count", async () => {
    expect(await leakedBy(() => void scoreFunctionGradient(f, 0, 1, {samples: 10, seed: 1}))).toBe(0);
    expect(await leakedBy(() => void reparameterizedGradient(f, 0, 1, {samples: 10, seed: 1}))).toBe(0);
    expect(() => scoreFunctionGradient(f, 0, 1, {samples: 0})).toThrow(/positive integer/);
  });
});
