import {expect} from "vitest";
import {normalSampler} from "../../lib/random.ts";
import {claim} from "./claim.ts";
import {chapterSource, gaussianAverage} from "./gaussianAverage.ts";

const page = "/chapters/06-reparameterization";

// The page's objective, f(z) = z² + sin z, its slope, and F(μ) = E_{N(μ,σ²)}[f(z)], all by numerical integration.
const f = (z: number) => z * z + Math.sin(z);
const slope = (z: number) => 2 * z + Math.cos(z);
const F = (mu: number, sigma: number) => gaussianAverage(f, mu, sigma);
/** The exact gradient F′(μ), by a central finite difference of the integrated objective (no formula used). */
const gradient = (mu: number, sigma: number, h = 1e-4) => (F(mu + h, sigma) - F(mu - h, sigma)) / (2 * h);
/** Mean and standard deviation of one single-sample estimate, by numerical integration. */
function estimator(kind: "score" | "reparameterized", mu: number, sigma: number) {
  const one = kind === "score" ? (z: number) => (f(z) * (z - mu)) / sigma ** 2 : slope;
  const mean = gaussianAverage(one, mu, sigma);
  return {mean, std: Math.sqrt(gaussianAverage((z) => one(z) ** 2, mu, sigma) - mean ** 2)};
}

export const claims = [
  claim(page, "is zero, because ε is as likely to be negative as positive and sin is odd", () => {
    // E[sin σε] = 0 and E[cos σε] = e^{−σ²/2} for ε ~ N(0, 1), by numerical integration; so E[sin z] = sin μ e^{−σ²/2}.
    for (const [mu, sigma] of [[1.5, 0.5], [-0.7, 1.3], [0.2, 2.4]]) {
      expect(gaussianAverage((e) => Math.sin(sigma * e), 0, 1)).toBeCloseTo(0, 10);
      expect(gaussianAverage((e) => Math.cos(sigma * e), 0, 1)).toBeCloseTo(Math.exp(-(sigma ** 2) / 2), 8);
      expect(gaussianAverage(Math.sin, mu, sigma)).toBeCloseTo(Math.sin(mu) * Math.exp(-(sigma ** 2) / 2), 8);
      expect(gaussianAverage((z) => z * z, mu, sigma)).toBeCloseTo(mu ** 2 + sigma ** 2, 8);
    }
  }),

  claim(page, "is what statisticians call the score, which gives the estimator its name.", () => {
    // ∇_μ log N(z; μ, σ²) = (z − μ)/σ², against a central finite difference of the log-density.
    const logQ = (z: number, mu: number, sigma: number) => -0.5 * Math.log(2 * Math.PI * sigma ** 2) - (z - mu) ** 2 / (2 * sigma ** 2);
    for (const [z, mu, sigma] of [[0.3, 1.5, 0.5], [-2, 0.1, 1.7], [4, 3.9, 0.2]]) {
      const h = 1e-5;
      expect((logQ(z, mu + h, sigma) - logQ(z, mu - h, sigma)) / (2 * h)).toBeCloseTo((z - mu) / sigma ** 2, 5);
    }
  }),

  claim(page, "ε ~ N(0, I)", () => {
    // z = μ + σ ε with ε standard normal has mean μ and standard deviation σ (sample moments of 200,000 draws).
    const draw = normalSampler(9);
    const [mu, sigma, n] = [1.5, 0.5, 200_000];
    const zs = Array.from({length: n}, () => mu + sigma * draw());
    const mean = zs.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(zs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    expect(Math.abs(mean - mu)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    expect(sd).toBeCloseTo(sigma, 2);
  }),

  claim(page, "so σ = exp(logVar / 2).", () => {
    for (const logVar of [-4, -0.3, 0, 1.7]) expect(Math.exp(logVar / 2)).toBeCloseTo(Math.sqrt(Math.exp(logVar)), 12);
  }),

  claim(page, "Both estimators are unbiased: the expectation of each single estimate is exactly", () => {
    for (const [mu, sigma] of [[1.5, 0.5], [0.8, 1.3], [-1, 0.2]]) {
      const exact = gradient(mu, sigma);
      expect(exact).toBeCloseTo(2 * mu + Math.cos(mu) * Math.exp(-(sigma ** 2) / 2), 6); // the page's F′(μ)
      expect(estimator("score", mu, sigma).mean).toBeCloseTo(exact, 6);
      expect(estimator("reparameterized", mu, sigma).mean).toBeCloseTo(exact, 6);
    }
  }),

  claim(page, "(Numeric) With the figure's defaults, μ = 1.5 and σ = 0.5, what is the exact gradient", () => {
    const source = chapterSource("06-reparameterization.md");
    expect(source).toContain('Inputs.range([-2, 2], {step: 0.05, value: 1.5, label: "μ"})');
    expect(source).toContain('Inputs.range([0.1, 2.5], {step: 0.05, value: 0.5, label: "σ"})');
    // Solution: F′(1.5) = 3 + cos(1.5) e^{−0.125} ≈ 3 + 0.0707 · 0.8825 ≈ 3.062.
    expect(Math.cos(1.5)).toBeCloseTo(0.0707, 4);
    expect(Math.exp(-0.125)).toBeCloseTo(0.8825, 4);
    expect(gradient(1.5, 0.5)).toBeCloseTo(3.062, 3);
  }),

  claim(page, "(Numeric) At the defaults, μ = 1.5 and σ = 0.5, the exact standard deviation of one estimate is about 0.562 for the reparameterized estimator and about 8.53 for the score function", () => {
    expect(estimator("reparameterized", 1.5, 0.5).std).toBeCloseTo(0.562, 3);
    expect(estimator("score", 1.5, 0.5).std).toBeCloseTo(8.53, 2);
  }),

  claim(page, "same standard error as 10 reparameterized samples?", () => {
    // Solution: n = 10 (8.53/0.562)² ≈ 10 · 230 ≈ 2,300, and 8.53/0.562 ≈ 15.2.
    const ratio = estimator("score", 1.5, 0.5).std / estimator("reparameterized", 1.5, 0.5).std;
    expect(ratio).toBeCloseTo(15.2, 1);
    expect((8.53 / 0.562) ** 2).toBeCloseTo(230, -1);
    expect(Math.abs(10 * ratio ** 2 - 2300) / 2300).toBeLessThan(0.02);
  }),

  claim(page, "Make σ small. Which estimator gets noisier", () => {
    // At μ = 1.5: the score function's spread grows as σ shrinks, the reparameterized one's shrinks.
    const stds = [0.5, 0.2, 0.1].map((s) => [estimator("score", 1.5, s).std, estimator("reparameterized", 1.5, s).std]);
    expect(stds[1][0]).toBeGreaterThan(stds[0][0]);
    expect(stds[2][0]).toBeGreaterThan(stds[1][0]);
    expect(stds[1][1]).toBeLessThan(stds[0][1]);
    expect(stds[2][1]).toBeLessThan(stds[1][1]);
    // "grows like 1/σ": σ times the score function's standard deviation settles on |f(μ)| as σ → 0.
    const settled = [0.1, 0.05, 0.02].map((s) => Math.abs((s * estimator("score", 1.5, s).std) / Math.abs(f(1.5)) - 1));
    expect(settled[0]).toBeLessThan(0.05);
    expect(settled[2]).toBeLessThan(settled[0]);
  }),

  claim(page, "Sweep μ from 2 down to −2 and watch the two standard deviations in the table.", () => {
    expect(chapterSource("06-reparameterization.md")).toContain('Inputs.range([-2, 2], {step: 0.05, value: 1.5, label: "μ"})');
    // The answer, by numerical integration: at the default σ = 0.5 the two are closest near μ = −0.4, where f
    // has its minimum (f′(z) = 2z + cos z = 0 at z ≈ −0.45) and is small; and nowhere on the sliders
    // (μ in [−2, 2], σ in [0.1, 2.5]) is the score function the less noisy one.
    let closest = {mu: 0, ratio: Infinity};
    for (let mu = -2; mu <= 2.0001; mu += 0.05) {
      const ratio = estimator("score", mu, 0.5).std / estimator("reparameterized", mu, 0.5).std;
      if (ratio < closest.ratio) closest = {mu, ratio};
    }
    expect(closest.mu).toBeGreaterThan(-0.6);
    expect(closest.mu).toBeLessThan(-0.2);
    for (let mu = -2; mu <= 2.0001; mu += 0.25) {
      for (let s = 0.1; s <= 2.5001; s += 0.2) expect(estimator("score", mu, s).std).toBeGreaterThan(estimator("reparameterized", mu, s).std);
    }
  }),

  claim(page, "In the figure's setting the reparameterized estimator is far less noisy.", () => {
    expect(estimator("score", 1.5, 0.5).std / estimator("reparameterized", 1.5, 0.5).std).toBeGreaterThan(10);
  })
];
