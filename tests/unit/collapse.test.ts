import {describe, expect, it} from "vitest";
import {createModel, freeBitsKl, klStandardNormalPerUnit, klWarmupBeta, modelConfig, tf, type Tensor2D} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

// Plain-number references, written from the papers' formulas rather than from lib.
const unitKl = (m: number, lv: number) => 0.5 * (Math.exp(lv) + m * m - 1 - lv);
/** Σ_j max(λ, (1/B) Σ_n KL_nj) for rows of (mean, logVar) pairs. */
function freeBitsReference(mean: number[][], logVar: number[][], lambda: number): number {
  const units = mean[0].length;
  let total = 0;
  for (let j = 0; j < units; j++) {
    let sum = 0;
    for (let n = 0; n < mean.length; n++) sum += unitKl(mean[n][j], logVar[n][j]);
    total += Math.max(lambda, sum / mean.length);
  }
  return total;
}

// Three units whose batchMean KLs are about 1.0, 0.02 and 0.26 nats.
const MEAN = [[1.5, 0.2, -0.8], [-1.2, 0.1, 0.6]];
const LOG_VAR = [[-0.5, 0.1, 0.3], [-0.7, -0.2, -0.1]];

describe("klWarmupBeta", () => {
  it("klWarmupBeta(step, β, N) rises linearly from 0 at step 0 to β at step N, and stays there", () => {
    expect([0, 1, 2, 5, 10, 11, 1000].map((t) => klWarmupBeta(t, 4, 10))).toEqual([0, 0.4, 0.8, 2, 4, 4, 4]);
  });

  it("klWarmupBeta(step, β, 0) is β from the first step (no warm-up)", () => {
    expect(klWarmupBeta(0, 0.5, 0)).toBe(0.5);
  });

  it("klWarmupBeta refuses a negative or fractional step or warm-up length", () => {
    expect(() => klWarmupBeta(-1, 1, 10)).toThrow(/step must be a whole number/);
    expect(() => klWarmupBeta(0, 1, 2.5)).toThrow(/warm-up steps must be a whole number/);
    expect(() => klWarmupBeta(0, -1, 2)).toThrow(/β must be a number ≥ 0/);
  });
});

describe("freeBitsKl", () => {
  it("freeBitsKl(klPerUnit, λ) matches Σ_j max(λ, batchMean KL_j) computed in plain numbers", () => {
    for (const lambda of [0, 0.25, 1, 3]) {
      const got = tf.tidy(() => values(freeBitsKl(klStandardNormalPerUnit(tf.tensor2d(MEAN), tf.tensor2d(LOG_VAR)), lambda))[0]);
      expect(got).toBeCloseTo(freeBitsReference(MEAN, LOG_VAR, lambda), 5);
    }
  });

  it("freeBitsKl's gradient with respect to mean and logVar matches central finite differences (λ = 0.25: one unit below the floor)", () => {
    const lambda = 0.25;
    const [gradMean, gradLogVar] = tf.tidy(() => {
      const f = (m: tf.Tensor, lv: tf.Tensor) => freeBitsKl(klStandardNormalPerUnit(m, lv), lambda);
      return tf.grads(f)([tf.tensor2d(MEAN), tf.tensor2d(LOG_VAR)]).map((g) => g.arraySync() as number[][]);
    });
    const h = 1e-5;
    const numeric = (which: "mean" | "logVar", n: number, j: number) => {
      const shifted = (d: number) => {
        const m = MEAN.map((row) => [...row]);
        const lv = LOG_VAR.map((row) => [...row]);
        (which === "mean" ? m : lv)[n][j] += d;
        return freeBitsReference(m, lv, lambda);
      };
      return (shifted(h) - shifted(-h)) / (2 * h);
    };
    for (let n = 0; n < 2; n++) {
      for (let j = 0; j < 3; j++) {
        expect(gradMean[n][j]).toBeCloseTo(numeric("mean", n, j), 4);
        expect(gradLogVar[n][j]).toBeCloseTo(numeric("logVar", n, j), 4);
      }
    }
    // The second unit's batchMean KL is below λ: it pays λ and gets no gradient at all.
    expect([gradMean[0][1], gradMean[1][1], gradLogVar[0][1], gradLogVar[1][1]]).toEqual([0, 0, 0, 0]);
  });

  it("freeBitsKl refuses a negative λ and leaks no tensors", async () => {
    expect(() => freeBitsKl(tf.zeros([2, 3]) as Tensor2D, -1)).toThrow(/free bits λ must be a number ≥ 0/);
    expect(await leakedBy(() => tf.dispose(tf.tidy(() => freeBitsKl(klStandardNormalPerUnit(tf.tensor2d(MEAN), tf.tensor2d(LOG_VAR)), 1))))).toBe(0);
  });
});

describe("model.loss with the remedies", () => {
  const data = prototypeData({count: 16});
  const x = () => tf.tensor2d(data.images, [16, 16]);

  it("model.loss(x, {freeBits: λ}).loss exceeds the plain loss by β·(Σ_j max(λ, KL_j) − Σ_j KL_j), KL_j from the encoder in plain numbers", () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 3, seed: 3}));
    const {mean, logVar} = tf.tidy(() => {
      const e = model.encode(x());
      return {mean: e.mean.arraySync() as number[][], logVar: e.logVar.arraySync() as number[][]};
    });
    const plainKl = freeBitsReference(mean, logVar, 0);
    for (const [beta, lambda] of [[1, 0.5], [2, 1]]) {
      const [withFloor, plain, negElbo] = tf.tidy(() => [
        values(model.loss(x(), {beta, freeBits: lambda, seed: 4}).loss)[0],
        values(model.loss(x(), {beta, seed: 4}).loss)[0],
        values(model.loss(x(), {beta, freeBits: lambda, seed: 4}).negElbo)[0]
      ]);
      expect(withFloor - plain).toBeCloseTo(beta * (freeBitsReference(mean, logVar, lambda) - plainKl), 3);
      // The −ELBO does not depend on β or λ: it is what the loss curves compare.
      expect(negElbo).toBeCloseTo(tf.tidy(() => values(model.loss(x(), {seed: 4}).loss)[0]), 4);
    }
    model.dispose();
  });
});
