import {describe, expect, it} from "vitest";
import {klDiagonalGaussians, klDiagonalGaussiansPerUnit, klMonteCarlo, klStandardNormal, klStandardNormalPerUnit, tf, type Tensor2D} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const t2 = (rows: number[][]) => tf.tensor2d(rows) as Tensor2D;

describe("kl", () => {
  it("klStandardNormal(mean, logVar) is 0 at the prior and matches the 1-D textbook value", () => {
    expect(values(klStandardNormal(t2([[0, 0]]), t2([[0, 0]])))[0]).toBeCloseTo(0, 6);
    // KL(N(μ, σ²) ‖ N(0, 1)) = log(1/σ) + (σ² + μ²)/2 − 1/2
    const [mu, sigma] = [1.5, 0.4];
    const want = Math.log(1 / sigma) + (sigma ** 2 + mu ** 2) / 2 - 0.5;
    expect(values(klStandardNormal(t2([[mu]]), t2([[Math.log(sigma ** 2)]])))[0]).toBeCloseTo(want, 5);
  });

  it("klStandardNormal(mean, logVar) matches a Monte Carlo estimate", () => {
    const mean = t2([[0.5, -1, 2], [0, 0.3, -0.2]]);
    const logVar = t2([[-1, 0.5, 0], [1.2, -2, 0.3]]);
    const closed = values(klStandardNormal(mean, logVar));
    const {estimate, perSample} = klMonteCarlo(mean, logVar, tf.zeros([2, 3]) as Tensor2D, tf.zeros([2, 3]) as Tensor2D, {samples: 200_000, seed: 7});
    const mc = values(estimate);
    const spread = values(perSample.sub(estimate).square().mean(0).sqrt());
    closed.forEach((kl, b) => expect(Math.abs(mc[b] - kl)).toBeLessThan((4 * spread[b]) / Math.sqrt(200_000)));
  });

  it("klDiagonalGaussians(q, p) matches a Monte Carlo estimate and reduces to klStandardNormal when p = N(0, I)", () => {
    const [mq, lq, mp, lp] = [t2([[0.5, -1]]), t2([[-1, 0.5]]), t2([[1, 0]]), t2([[0.3, -0.7]])];
    const closed = values(klDiagonalGaussians(mq, lq, mp, lp))[0];
    const {estimate, perSample} = klMonteCarlo(mq, lq, mp, lp, {samples: 200_000, seed: 3});
    const sd = Math.sqrt(values(perSample.sub(estimate).square().mean())[0]);
    expect(Math.abs(values(estimate)[0] - closed)).toBeLessThan((4 * sd) / Math.sqrt(200_000));
    const zeros = tf.zeros([1, 2]) as Tensor2D;
    expect(values(klDiagonalGaussians(mq, lq, zeros, zeros))[0]).toBeCloseTo(values(klStandardNormal(mq, lq))[0], 6);
  });

  it("KL is not symmetric: klDiagonalGaussians(q, p) ≠ klDiagonalGaussians(p, q)", () => {
    const [m1, l1, m2, l2] = [t2([[0]]), t2([[Math.log(0.25)]]), t2([[1]]), t2([[Math.log(4)]])];
    const forward = values(klDiagonalGaussians(m1, l1, m2, l2))[0];
    const backward = values(klDiagonalGaussians(m2, l2, m1, l1))[0];
    // Textbook values: KL(N(0, 0.25) ‖ N(1, 4)) = log 4 + (0.25 + 1)/8 − 0.5; reversed = log 0.25 + (4 + 1)/0.5 − 0.5
    expect(forward).toBeCloseTo(Math.log(4) + 1.25 / 8 - 0.5, 5);
    expect(backward).toBeCloseTo(Math.log(0.25) + 5 / 0.5 - 0.5, 4);
    expect(Math.abs(forward - backward)).toBeGreaterThan(1);
  });

  it("klMonteCarlo(…, {samples: 0}) is refused with a clear message", () => {
    const z = t2([[0]]);
    expect(() => klMonteCarlo(z, z, z, z, {samples: 0})).toThrow(/samples must be a positive integer/);
  });

  it("klStandardNormalPerUnit(mean, logVar) is each unit's ½(σ² + μ² − 1 − log σ²), written out in plain numbers", () => {
    const mean = [[0.5, -2], [0, 1.2]];
    const logVar = [[0.3, -1], [0, 0.4]];
    const want = mean.map((row, n) => row.map((m, j) => 0.5 * (Math.exp(logVar[n][j]) + m * m - 1 - logVar[n][j])));
    const got = tf.tidy(() => klStandardNormalPerUnit(t2(mean), t2(logVar)).arraySync() as number[][]);
    got.forEach((row, n) => row.forEach((v, j) => expect(v).toBeCloseTo(want[n][j], 5)));
  });

  it("klDiagonalGaussiansPerUnit(q, p) is each unit's 1-D Gaussian KL, ½(log σp²/σq² + (σq² + (μq − μp)²)/σp² − 1)", () => {
    const [mq, lq, mp, lp] = [[[0.4, -1]], [[-0.5, 0.2]], [[1, 0]], [[0.3, -0.6]]];
    const want = mq[0].map((m, j) => 0.5 * (lp[0][j] - lq[0][j] + (Math.exp(lq[0][j]) + (m - mp[0][j]) ** 2) / Math.exp(lp[0][j]) - 1));
    const got = tf.tidy(() => values(klDiagonalGaussiansPerUnit(t2(mq), t2(lq), t2(mp), t2(lp))));
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j], 5));
  });

  it("the KL functions leak no tensors", async () => {
    const z = t2([[0.1, 0.2]]);
    const leaked = await leakedBy(() => {
      klStandardNormal(z, z).dispose();
      klDiagonalGaussians(z, z, z, z).dispose();
      const mc = klMonteCarlo(z, z, z, z, {samples: 10, seed: 1});
      mc.estimate.dispose();
      mc.perSample.dispose();
    });
    expect(leaked).toBe(0);
  });
});
