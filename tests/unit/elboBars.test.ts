import {describe, expect, it} from "vitest";
import {identityBars} from "../../src/components/elboBars.ts";
import {gaussianAverage, klByIntegration, logNormal} from "../claims/gaussianAverage.ts";

// Chapter 4's bars must draw the identity log p(x) = E_q[log p(x|z)] − KL(q ‖ p(z)) + KL(q ‖ p(z|x)).
// The terms here come from numerical integration on the chapter's model (no lib code), so the test
// checks the waterfall's arithmetic against an independent log p(x), not lib against itself.
const w = [1.2, -0.6];
const sigma = 0.5;
const x = [1, -0.2];
const logLikelihood = (z: number) => logNormal(x[0], w[0] * z, sigma) + logNormal(x[1], w[1] * z, sigma);
const logPx = Math.log(gaussianAverage((z) => Math.exp(logLikelihood(z)), 0, 1));

function termsByIntegration(m: number, s: number) {
  const reconstruction = gaussianAverage(logLikelihood, m, s);
  const klPrior = klByIntegration(m, s, 0, 1);
  const gap = gaussianAverage((z) => logNormal(z, m, s) - (logLikelihood(z) + logNormal(z, 0, 1) - logPx), m, s);
  return {reconstruction, klPrior, gap, logPx};
}

describe("elboBars", () => {
  it("identityBars(terms) is a waterfall: each ± bar starts where the sum stood, each = bar is a total from 0, and the last ± bar ends at log p(x)", () => {
    for (const [m, s] of [[-1, Math.exp(0.25)], [0, 1], [1.5, 0.05], [0.6, 2.7]]) {
      const terms = termsByIntegration(m, s);
      const [reconstruction, klPrior, elbo, gap, evidence] = identityBars(terms);
      expect([reconstruction.from, elbo.from, evidence.from]).toEqual([0, 0, 0]);
      expect(reconstruction.to).toBeCloseTo(terms.reconstruction, 12);
      expect(klPrior.from).toBe(reconstruction.to);
      expect(klPrior.to).toBeCloseTo(terms.reconstruction - terms.klPrior, 12);
      expect(klPrior.to).toBeLessThanOrEqual(klPrior.from); // a KL is subtracted: the bar runs left
      expect(elbo.to).toBeCloseTo(klPrior.to, 12);
      expect(gap.from).toBe(elbo.to);
      expect(gap.to).toBeGreaterThanOrEqual(gap.from); // the gap is added: the bar runs right
      expect(gap.to).toBeCloseTo(logPx, 6);
      expect(evidence.to).toBeCloseTo(logPx, 12);
      // Each row's label carries the quantity it names: the KLs as the positive numbers they are.
      expect(klPrior.value).toBeGreaterThanOrEqual(0);
      expect(gap.value).toBeGreaterThanOrEqual(0);
      expect(new Set(identityBars(terms).map((b) => b.role)).size).toBe(4);
      // Five colours: the reconstruction term is not drawn in log p(x)'s green.
      expect(new Set(identityBars(terms).map((b) => b.color)).size).toBe(5);
      expect(reconstruction.color).not.toBe(evidence.color);
    }
  });
});
