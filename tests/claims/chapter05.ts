import {expect} from "vitest";
import {normalSampler} from "../../lib/random.ts";
import {claim} from "./claim.ts";
import {chapterSource, gaussianAverage, klByIntegration, logNormal} from "./gaussianAverage.ts";

const page = "/chapters/05-kl-closed-form";

/** Standard deviation of `repeats` Monte Carlo estimates of KL(N(mu, s²) ‖ N(0, 1)), each from `samples` draws. */
function spreadOfEstimates(mu: number, s: number, samples: number, repeats: number, seed: number) {
  const draw = normalSampler(seed);
  const estimates = Array.from({length: repeats}, () => {
    let sum = 0;
    for (let i = 0; i < samples; i++) {
      const z = mu + s * draw();
      sum += logNormal(z, mu, s) - logNormal(z, 0, 1);
    }
    return sum / samples;
  });
  const mean = estimates.reduce((a, b) => a + b, 0) / repeats;
  return {mean, estimates, std: Math.sqrt(estimates.reduce((a, b) => a + (b - mean) ** 2, 0) / (repeats - 1))};
}

export const claims = [
  claim(page, "which is zero at σ = 1 and positive elsewhere", () => {
    const g = (s: number) => s * s - 1 - Math.log(s * s);
    expect(g(1)).toBe(0);
    for (let s = 0.05; s < 5; s += 0.01) if (Math.abs(s - 1) > 1e-9) expect(g(s)).toBeGreaterThan(0);
  }),

  claim(page, "Step the number of Monte Carlo samples up from 10 to 10,000, a factor of ten at a time", () => {
    expect(chapterSource("05-kl-closed-form.md")).toContain("Inputs.select([10, 100, 1000, 10000]");
    // "Each step divides it by about √10 ≈ 3.2": the spread of 200 estimates, as in the figure.
    const [s10, s100, s1000] = [10, 100, 1000].map((n, i) => spreadOfEstimates(1, 0.5, n, 200, 11 + i).std);
    expect(Math.sqrt(10)).toBeCloseTo(3.2, 1);
    for (const ratio of [s10 / s100, s100 / s1000]) {
      expect(ratio).toBeGreaterThan(2.6);
      expect(ratio).toBeLessThan(3.9);
    }
  }),

  claim(page, "A single Monte Carlo estimate can land above or below the closed form. Each is an average of draws whose expectation is the KL, so the estimator is unbiased", () => {
    const closed = 0.5 * (0.25 + 1 - 1 - Math.log(0.25));
    const {mean, std, estimates} = spreadOfEstimates(1, 0.5, 10, 4000, 3);
    expect(Math.abs(mean - closed)).toBeLessThan((4 * std) / Math.sqrt(4000));
    expect(estimates.some((e) => e > closed)).toBe(true);
    expect(estimates.some((e) => e < closed)).toBe(true);
  }),

  claim(page, "Set μ = 0 and σ = 0.2: the KL from q to p is about 1.13 nats, but the KL from p to q is about 10.39.", () => {
    expect(klByIntegration(0, 0.2, 0, 1)).toBeCloseTo(1.13, 2);
    expect(klByIntegration(0, 1, 0, 0.2)).toBeCloseTo(10.39, 2);
  }),

  claim(page, "For which σ is KL(q ‖ p) smallest when μ = 0?", () => {
    // Solution: at σ = 1, where q is the prior and the KL is zero. A grid search over the integrated KL.
    let best = {s: 0, kl: Infinity};
    for (let s = 0.2; s <= 3; s += 0.01) {
      const kl = klByIntegration(0, s, 0, 1);
      if (kl < best.kl) best = {s, kl};
    }
    expect(best.s).toBeCloseTo(1, 2);
    expect(best.kl).toBeCloseTo(0, 4);
  }),

  // Exercise 1 and its solution (0.8181, and 1.3863 = −log 0.25, are in math).
  claim(page, "by hand, in nats, and check it against the figure's default.", () => {
    expect(klByIntegration(1, 0.5, 0, 1)).toBeCloseTo(0.8181, 4);
    expect(-Math.log(0.25)).toBeCloseTo(1.3863, 4);
    const source = chapterSource("05-kl-closed-form.md");
    expect(source).toContain('Inputs.range([-3, 3], {step: 0.05, value: 1, label: "μ of q"})');
    expect(source).toContain('Inputs.range([0.1, 3], {step: 0.01, value: 0.5, label: "σ of q"})');
  }),

  // Exercise 2's solution: the two-Gaussian closed form, against numerical integration.
  claim(page, "(Chapter 9's conditional VAE with a learned prior needs it.)", () => {
    const closed = (m1: number, s1: number, m2: number, s2: number) => Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) ** 2) / (2 * s2 * s2) - 0.5;
    for (const [m1, s1, m2, s2] of [[1, 0.5, 0, 1], [-0.7, 1.3, 0.4, 0.6], [2, 0.2, -1, 2.5]]) {
      expect(closed(m1, s1, m2, s2)).toBeCloseTo(klByIntegration(m1, s1, m2, s2), 8);
    }
  }),

  // The derivation's two averages.
  claim(page, "The first is the definition of the variance,", () => {
    const [mu, s] = [0.7, 1.4];
    expect(gaussianAverage((z) => (z - mu) ** 2, mu, s)).toBeCloseTo(s * s, 10);
    expect(gaussianAverage((z) => z * z, mu, s)).toBeCloseTo(s * s + mu * mu, 10);
  })
];
