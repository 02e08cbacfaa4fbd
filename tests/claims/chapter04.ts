import {expect} from "vitest";
import {LinearGaussianModel} from "../../lib/linearGaussian.ts";
import {normalSampler} from "../../lib/random.ts";
import {claim} from "./claim.ts";
import {chapterSource, gaussianAverage, klByIntegration, logNormal} from "./gaussianAverage.ts";

const page = "/chapters/04-elbo";

// The figure's model, written out by hand: z ~ N(0, 1), x | z ~ N(W z + b, σ² I), W = (1.2, −0.6)ᵀ, b = 0,
// σ = 0.5, x = (1, −0.2). Every reference below integrates over the one latent number numerically.
const w = [1.2, -0.6];
const sigma = 0.5;
const x = [1, -0.2];
const logLikelihood = (z: number) => logNormal(x[0], w[0] * z, sigma) + logNormal(x[1], w[1] * z, sigma);
const evidence = () => Math.log(gaussianAverage((z) => Math.exp(logLikelihood(z)), 0, 1)); // log ∫ p(x|z) p(z) dz
const logPosterior = (z: number, logPx: number) => logLikelihood(z) + logNormal(z, 0, 1) - logPx; // Bayes' rule
/** Reconstruction term, KL to the prior and KL to the posterior of q = N(m, s²), each by integration. */
function termsByIntegration(m: number, logVar: number) {
  const s = Math.exp(logVar / 2);
  const logPx = evidence();
  const reconstruction = gaussianAverage(logLikelihood, m, s);
  const klPrior = klByIntegration(m, s, 0, 1);
  const gap = gaussianAverage((z) => logNormal(z, m, s) - logPosterior(z, logPx), m, s);
  return {reconstruction, klPrior, elbo: reconstruction - klPrior, gap, logPx};
}
// The exact posterior, from the precision 1 + ‖w‖²/σ² and mean (wᵀx/σ²)/precision.
const posteriorVariance = 1 / (1 + (w[0] ** 2 + w[1] ** 2) / sigma ** 2);
const posteriorMean = (posteriorVariance * (w[0] * x[0] + w[1] * x[1])) / sigma ** 2;

export const claims = [
  claim(page, "so log-probabilities are measured in nats (one nat is", () => {
    // The page's math: 1 nat = 1/ln 2 ≈ 1.44 bits. An event of probability 1/e has −ln = 1 nat and −log₂ = 1/ln 2 bits.
    expect(-Math.log2(Math.exp(-1))).toBeCloseTo(1 / Math.LN2, 12);
    expect(1 / Math.LN2).toBeCloseTo(1.44, 2);
  }),

  claim(page, "is 0 for any a below about −745, and ∞ for any a above about 710", () => {
    expect(Math.exp(-745)).toBeGreaterThan(0); // the smallest subnormal, 5e-324
    expect(Math.exp(-745.2)).toBe(0);
    expect(Number.isFinite(Math.exp(709.7))).toBe(true);
    expect(Math.exp(709.8)).toBe(Infinity);
  }),

  claim(page, "and for a 2 × 2 matrix", () => {
    // det Σ = ad − c² and Σ⁻¹ = (1/(ad − c²)) [[d, −c], [−c, a]]: Σ Σ⁻¹ is the identity.
    for (const [a, c, d] of [[1.69, -0.72, 0.61], [2, 0.5, 1], [0.3, -0.1, 4]]) {
      const det = a * d - c * c;
      const inv = [[d / det, -c / det], [-c / det, a / det]];
      expect(a * inv[0][0] + c * inv[1][0]).toBeCloseTo(1, 12);
      expect(a * inv[0][1] + c * inv[1][1]).toBeCloseTo(0, 12);
      expect(c * inv[0][0] + d * inv[1][0]).toBeCloseTo(0, 12);
      expect(c * inv[0][1] + d * inv[1][1]).toBeCloseTo(1, 12);
    }
  }),

  // Exercise 2 and its solution (its numbers are in math, so the question carries the claim).
  claim(page, "Read it from the figure, then check it by hand.", () => {
    const cov = [[w[0] * w[0] + sigma ** 2, w[0] * w[1]], [w[1] * w[0], w[1] * w[1] + sigma ** 2]];
    expect(cov[0][0]).toBeCloseTo(1.69, 12);
    expect(cov[0][1]).toBeCloseTo(-0.72, 12);
    expect(cov[1][1]).toBeCloseTo(0.61, 12);
    const det = cov[0][0] * cov[1][1] - cov[0][1] ** 2;
    expect(det).toBeCloseTo(0.5125, 12);
    const quad = (cov[1][1] * x[0] ** 2 - 2 * cov[0][1] * x[0] * x[1] + cov[0][0] * x[1] ** 2) / det;
    expect(quad).toBeCloseTo(0.7602, 4);
    const logPx = -0.5 * (2 * Math.log(2 * Math.PI) + Math.log(det) + quad);
    expect(logPx).toBeCloseTo(-1.884, 3);
    // The same number from the integral p(x) = ∫ p(x|z) p(z) dz, and from the figure's lib model.
    expect(evidence()).toBeCloseTo(logPx, 8);
    expect(new LinearGaussianModel([[1.2], [-0.6]], [0, 0], 0.5).logMarginal(x)).toBeCloseTo(logPx, 10);
    // …and the page's figure really uses this model and this x.
    const source = chapterSource("04-elbo.md");
    expect(source).toContain("new LinearGaussianModel([[1.2], [-0.6]], [0, 0], 0.5)");
    expect(source).toContain("const x = [1.0, -0.2];");
  }),

  claim(page, "so every bar is an exact number, not an estimate", () => {
    // lib's closed forms (what the bars show) against numerical integration, for several q, and the identity.
    const model = new LinearGaussianModel([[1.2], [-0.6]], [0, 0], 0.5);
    for (const [m, logVar] of [[-1, 0.5], [0, 0], [posteriorMean, Math.log(posteriorVariance)], [1.5, -3], [0.6, 2]]) {
      const ref = termsByIntegration(m, logVar);
      const q = {mean: [m], logVar: [logVar]};
      const shown = model.elbo(x, q);
      expect(shown.reconstruction).toBeCloseTo(ref.reconstruction, 6);
      expect(shown.kl).toBeCloseTo(ref.klPrior, 6);
      expect(model.klToPosterior(x, q)).toBeCloseTo(ref.gap, 6);
      expect(ref.elbo + ref.gap).toBeCloseTo(ref.logPx, 6);
    }
    // The exact posterior that "Set q to the exact posterior" uses: the gap is zero there.
    const post = model.posterior(x);
    expect(post.mean[0]).toBeCloseTo(posteriorMean, 12);
    expect(post.covariance[0][0]).toBeCloseTo(posteriorVariance, 12);
    expect(termsByIntegration(posteriorMean, Math.log(posteriorVariance)).gap).toBeCloseTo(0, 6);
  }),

  // Exercise 1 (log-variance at the slider's maximum, 2, mean at the posterior's) and its solution.
  claim(page, "Which of the ELBO's two terms got worse, by how much, and why?", () => {
    expect(chapterSource("04-elbo.md")).toContain("const logVarRange = [-6, 2];");
  }),
  claim(page, "Both got worse, the reconstruction term by far the most.", () => {
    const atPosterior = termsByIntegration(posteriorMean, Math.log(posteriorVariance));
    const wide = termsByIntegration(posteriorMean, 2);
    const reconstructionDrop = atPosterior.reconstruction - wide.reconstruction;
    const klRise = wide.klPrior - atPosterior.klPrior;
    expect(reconstructionDrop).toBeGreaterThan(0);
    expect(klRise).toBeGreaterThan(0);
    expect(reconstructionDrop).toBeGreaterThan(10 * klRise);
    // "The gap grew by exactly the amount the ELBO fell."
    expect(wide.gap - atPosterior.gap).toBeCloseTo(atPosterior.elbo - wide.elbo, 6);
  }),
  claim(page, "every unit of costs nats.", () => {
    // d(reconstruction)/d(s²) = −‖W‖²/(2σ²) = −1.8/0.5 = −3.6, by a central finite difference of the integrated term.
    const rec = (s2: number) => gaussianAverage(logLikelihood, posteriorMean, Math.sqrt(s2));
    const h = 1e-3;
    const slope = (rec(1 + h) - rec(1 - h)) / (2 * h);
    expect(w[0] ** 2 + w[1] ** 2).toBeCloseTo(1.8, 12);
    expect(2 * sigma ** 2).toBeCloseTo(0.5, 12);
    expect(slope).toBeCloseTo(-3.6, 5);
  }),
  claim(page, "Not in the figure below, though: its decoder's density is two independent Gaussians with σ = 0.5, one per coordinate of x.", () => {
    // Each coordinate's density peaks at 1/(σ√(2π)) ≈ 0.80; the product of the two at 0.80² ≈ 1/(2πσ²) ≈ 0.64 < 1:
    // so log p(x|z) < 0 for every z, and the reconstruction term, its average, is negative for every q.
    expect(sigma).toBe(0.5);
    expect(chapterSource("04-elbo.md")).toContain("new LinearGaussianModel([[1.2], [-0.6]], [0, 0], 0.5)");
    const oneD = 1 / (sigma * Math.sqrt(2 * Math.PI));
    expect(oneD).toBeCloseTo(0.8, 2);
    expect(Math.exp(logNormal(0, 0, sigma))).toBeCloseTo(oneD, 12);
    expect(0.8 ** 2).toBeCloseTo(0.64, 12);
    const peak = 1 / (2 * Math.PI * sigma ** 2);
    expect(peak).toBeCloseTo(oneD ** 2, 12);
    expect(peak).toBeCloseTo(0.64, 2);
    let largest = -Infinity;
    for (let z = -10; z <= 10; z += 1e-3) largest = Math.max(largest, logLikelihood(z));
    expect(largest).toBeLessThan(Math.log(peak) + 1e-12);
    expect(largest).toBeLessThan(0);
  }),
  claim(page, "a one-run estimate of the ELBO, right on average", () => {
    // The Jensen figure: 16 draws from q, w = p(x|z) p(z) / q(z|x). Over many runs, the average of the
    // logs is centred on the ELBO; the log of the average lies below log p(x) on average (yet above the
    // average of the logs in every run). At the figure's starting q (m = 0.3, log-variance −1), the old one
    // (m = −1, log-variance 0.5) and another.
    expect(chapterSource("04-elbo.md")).toContain("const startQ = {mean: 0.3, logVar: -1};");
    for (const [m, logVar] of [[0.3, -1], [-1, 0.5], [0.6, -1]]) {
      const s = Math.exp(logVar / 2);
      const ref = termsByIntegration(m, logVar);
      const draw = normalSampler(21);
      const runs = 4000;
      const meanOfLogs: number[] = [];
      const logOfMean: number[] = [];
      for (let r = 0; r < runs; r++) {
        const logW = Array.from({length: 16}, () => {
          const z = m + s * draw();
          return logLikelihood(z) + logNormal(z, 0, 1) - logNormal(z, m, s);
        });
        const top = Math.max(...logW);
        meanOfLogs.push(logW.reduce((a, b) => a + b, 0) / 16);
        logOfMean.push(top + Math.log(logW.reduce((a, b) => a + Math.exp(b - top), 0) / 16));
        expect(logOfMean[r]).toBeGreaterThanOrEqual(meanOfLogs[r] - 1e-12);
      }
      const average = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      const sd = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + (b - average(v)) ** 2, 0) / (v.length - 1));
      expect(Math.abs(average(meanOfLogs) - ref.elbo)).toBeLessThan((4 * sd(meanOfLogs)) / Math.sqrt(runs));
      expect(average(logOfMean) + (4 * sd(logOfMean)) / Math.sqrt(runs)).toBeLessThan(ref.logPx);
    }
  }),
  claim(page, "a narrower q has a smaller average squared error, so the reconstruction term improves, and the KL to the prior pays", () => {
    // Try this, second item: from the posterior, log-variance all the way left (−6).
    const atPosterior = termsByIntegration(posteriorMean, Math.log(posteriorVariance));
    const narrow = termsByIntegration(posteriorMean, -6);
    expect(narrow.reconstruction).toBeGreaterThan(atPosterior.reconstruction);
    expect(narrow.klPrior).toBeGreaterThan(atPosterior.klPrior);
    expect(narrow.elbo).toBeLessThan(atPosterior.elbo);
    // "The gap grows again too."
    expect(atPosterior.gap).toBeCloseTo(0, 6);
    expect(narrow.gap).toBeGreaterThan(1);
  }),
  claim(page, "In the figure (mean and log-variance zero) the grey bar disappears.", () => {
    expect(klByIntegration(0, 1, 0, 1)).toBeCloseTo(0, 12);
  })
];
