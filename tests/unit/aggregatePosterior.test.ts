import {describe, expect, it} from "vitest";
import {aggregateLogDensity, aggregatePosteriorGrid, findHoles, klSplit, mulberry32, normalSampler, priorInHoles, standardNormalLogDensity, type Posteriors} from "../../lib/index.ts";

// Independent references: densities written out as products of 1-D normals, sums without log-sum-exp,
// and closed forms for the cases where the mixture is known.
const normal1d = (x: number, m: number, s: number) => Math.exp(-0.5 * ((x - m) / s) ** 2) / (s * Math.sqrt(2 * Math.PI));
const mixtureDensity = (z: number[], p: Posteriors) =>
  p.mean.reduce((sum, m, k) => sum + m.reduce((prod, mk, d) => prod * normal1d(z[d], mk, Math.exp(p.logVar[k][d] / 2)), 1), 0) / p.mean.length;
/** KL(N(m, s²) ‖ N(0, 1)) per dimension. */
const klToStandard = (m: number, s: number) => 0.5 * (s * s + m * m - 1 - 2 * Math.log(s));

function randomMixture(count: number, dim: number, seed: number): Posteriors {
  const u = mulberry32(seed);
  return {
    mean: Array.from({length: count}, () => Array.from({length: dim}, () => 3 * u() - 1.5)),
    logVar: Array.from({length: count}, () => Array.from({length: dim}, () => Math.log(0.05 + 0.5 * u())))
  };
}

describe("aggregatePosterior", () => {
  it("aggregateLogDensity(points, posteriors) is the log of the mixture's density summed term by term", () => {
    const p = randomMixture(7, 3, 1);
    const u = mulberry32(2);
    const points = Array.from({length: 20}, () => Array.from({length: 3}, () => 4 * u() - 2));
    const logQ = aggregateLogDensity(points, p);
    points.forEach((z, i) => expect(logQ[i]).toBeCloseTo(Math.log(mixtureDensity(z, p)), 10));
    // Far from every component the density underflows in a plain sum but not in log-sum-exp.
    expect(Number.isFinite(aggregateLogDensity([[60, 60, 60]], p)[0])).toBe(true);
    expect(standardNormalLogDensity([1, 2])).toBeCloseTo(Math.log(normal1d(1, 0, 1) * normal1d(2, 0, 1)), 12);
  });

  it("klSplit(posteriors) with every q(z|x) the same: I = 0 and KL(q(z) ‖ p(z)) is that Gaussian's KL", () => {
    const same = {mean: Array.from({length: 50}, () => [0.8, -0.3]), logVar: Array.from({length: 50}, () => [Math.log(0.36), Math.log(1.69)])};
    const split = klSplit(same, {samplesPerPoint: 40, seed: 3});
    const exact = klToStandard(0.8, 0.6) + klToStandard(-0.3, 1.3);
    expect(split.averageKl).toBeCloseTo(exact, 12);
    expect(Math.abs(split.mutualInformation)).toBeLessThan(1e-12);
    expect(Math.abs(split.marginalKl - exact)).toBeLessThan(4 * split.standardErrors.marginalKl);
  });

  it("klSplit(posteriors) with four far-apart q(z|x): I = log 4, and KL(q(z) ‖ p(z)) = average KL − log 4", () => {
    const corners = [[-20, -20], [-20, 20], [20, -20], [20, 20]];
    const apart = {mean: corners, logVar: corners.map(() => [Math.log(0.25), Math.log(0.25)])};
    const split = klSplit(apart, {samplesPerPoint: 500, seed: 4});
    expect(split.mutualInformation).toBeCloseTo(Math.log(4), 8);
    expect(split.averageKl).toBeCloseTo(2 * klToStandard(20, 0.5), 10);
    expect(Math.abs(split.marginalKl - (split.averageKl - Math.log(4)))).toBeLessThan(4 * split.standardErrors.marginalKl + 1e-9);
  });

  it("klSplit(posteriors) for a Gaussian channel x ~ N(0, τ²), q(z|x) = N(x, s²): I = ½ log(1 + τ²/s²), KL(q(z) ‖ p) = KL(N(0, τ² + s²) ‖ N(0, 1))", () => {
    // With N data points the estimate is that of the empirical mixture, close to these limits for N = 3000.
    const draw = normalSampler(5);
    const [tau2, s2] = [1.5, 0.5];
    const n = 3000;
    const channel = {mean: Array.from({length: n}, () => [Math.sqrt(tau2) * draw()]), logVar: Array.from({length: n}, () => [Math.log(s2)])};
    const split = klSplit(channel, {samplesPerPoint: 4, seed: 6});
    expect(Math.abs(split.mutualInformation - 0.5 * Math.log(1 + tau2 / s2))).toBeLessThan(0.03);
    expect(Math.abs(split.marginalKl - klToStandard(0, Math.sqrt(tau2 + s2)))).toBeLessThan(0.03);
    expect(split.mutualInformation).toBeLessThanOrEqual(Math.log(n));
  });

  it("klSplit(posteriors)'s KL(q(z) ‖ p(z)) agrees with quadrature on a grid for a 2-D mixture", () => {
    const p = randomMixture(5, 2, 8);
    const split = klSplit(p, {samplesPerPoint: 2000, seed: 9});
    const [L, cells] = [9, 600];
    const h = (2 * L) / cells;
    let kl = 0;
    for (let i = 0; i < cells; i++) {
      for (let j = 0; j < cells; j++) {
        const z = [-L + (i + 0.5) * h, -L + (j + 0.5) * h];
        const q = mixtureDensity(z, p);
        if (q > 0) kl += q * (Math.log(q) - Math.log(normal1d(z[0], 0, 1) * normal1d(z[1], 0, 1))) * h * h;
      }
    }
    expect(Math.abs(split.marginalKl - kl)).toBeLessThan(4 * split.standardErrors.marginalKl);
    // The two parts add up to the average KL, up to the Monte Carlo error of their sum.
    const total = split.mutualInformation + split.marginalKl;
    expect(Math.abs(total - split.averageKl)).toBeLessThan(4 * (split.standardErrors.mutualInformation + split.standardErrors.marginalKl));
  });

  it("findHoles(grid) and priorInHoles(posteriors) for q(z) = N(0, s²I): the holes are the prior's mass beyond the radius where q = p/10", () => {
    // q(z)/p(z) = (1/s²)·exp(−r²(1/s² − 1)/2) < 1/10 beyond r*² = 2·log(10/s²)/(1/s² − 1); P(‖z‖ > r*) = exp(−r*²/2) in 2-D.
    const s = 0.5;
    const one = {mean: [[0, 0]], logVar: [[2 * Math.log(s), 2 * Math.log(s)]]};
    const r2 = (2 * Math.log(10 / (s * s))) / (1 / (s * s) - 1);
    const grid = aggregatePosteriorGrid(one, {extent: 3, size: 41});
    const holes = findHoles(grid, {ratio: 0.1});
    grid.centres.forEach(([x, y], i) => {
      if (Math.abs(x * x + y * y - r2) > 1e-9) expect(holes.isHole[i]).toBe(x * x + y * y > r2);
    });
    expect(holes.densest).toEqual([0, 0]);
    const cell = 6 / 41;
    expect(Math.hypot(...holes.mostProbableHole!)).toBeGreaterThan(Math.sqrt(r2));
    expect(Math.hypot(...holes.mostProbableHole!)).toBeLessThan(Math.sqrt(r2) + cell * Math.SQRT2);
    const prior = priorInHoles(one, {ratio: 0.1, samples: 20_000, seed: 10});
    expect(Math.abs(prior.fraction - Math.exp(-r2 / 2))).toBeLessThan(4 * prior.standardError);
    expect(prior.codes).toHaveLength(20_000);
    expect(prior.inHole.filter(Boolean).length).toBe(Math.round(prior.fraction * 20_000));
  });

  it("refuses what it cannot use", () => {
    expect(() => klSplit({mean: [], logVar: []})).toThrow(/at least one/);
    expect(() => klSplit({mean: [[0]], logVar: []})).toThrow(/log-variances/);
    expect(() => aggregatePosteriorGrid({mean: [[0, 0, 0]], logVar: [[0, 0, 0]]})).toThrow(/2-D codes/);
    expect(() => findHoles(aggregatePosteriorGrid({mean: [[0, 0]], logVar: [[0, 0]]}, {size: 4}), {ratio: 0})).toThrow(/ratio/);
  });
});
