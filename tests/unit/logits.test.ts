import {describe, expect, it} from "vitest";
import {
  bernoulliLogProbability,
  bernoulliLogProbabilityGradients,
  float32ArithmeticSaturationLogit,
  float32ArithmeticSigmoid,
  float32SaturationLogit,
  float32Sigmoid,
  naiveBernoulliLogProbabilities,
  naiveFloat32LogProbability,
  softplus,
  stableBernoulliLogProbabilities,
  tf
} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

// References: the textbook formulas in float64 where they are exact, and tfjs's own CPU kernels,
// which store every result as float32.
const sigmoid64 = (l: number) => 1 / (1 + Math.exp(-l));
const LOGITS = [-30, -12, -5, -1, -0.2, 0, 0.3, 2, 7, 15, 40];

describe("logits", () => {
  it("softplus(l) is log(1 + e^l) for moderate l and l + log1p(e^−l) for large l, never overflowing", () => {
    for (const l of [-20, -3, 0, 0.5, 4, 20]) expect(softplus(l)).toBeCloseTo(Math.log(1 + Math.exp(l)), 12);
    expect(softplus(1000)).toBe(1000);
    expect(softplus(-1000)).toBe(0);
    expect(Math.log(1 + Math.exp(1000))).toBe(Infinity);
  });

  it("bernoulliLogProbability(x, l) = x·log sigmoid(l) + (1 − x)·log(1 − sigmoid(l)) in float64", () => {
    for (const l of LOGITS.filter((v) => Math.abs(v) <= 15)) {
      expect(bernoulliLogProbability(1, l)).toBeCloseTo(Math.log(sigmoid64(l)), 9);
      expect(bernoulliLogProbability(0, l)).toBeCloseTo(Math.log(1 - sigmoid64(l)), 6);
    }
  });

  it("float32Sigmoid(l) equals tfjs's float32 sigmoid kernel on the CPU backend", () => {
    const grid = Array.from({length: 401}, (_, i) => -100 + i * 0.5);
    const kernel = values(tf.sigmoid(tf.tensor1d(grid)));
    grid.forEach((l, i) => expect(float32Sigmoid(l)).toBe(kernel[i]));
  });

  it("float32SaturationLogit() is 25 ln 2: float32 sigmoid is exactly 1 above it and below 1 under it", () => {
    const l = float32SaturationLogit();
    expect(l).toBeCloseTo(25 * Math.LN2, 5);
    expect(Math.fround(1 - 2 ** -25)).toBe(1); // the tie rounds to even, that is to 1
    expect(Math.fround(1 - 2 ** -24)).toBeLessThan(1);
    expect(values(tf.sigmoid(tf.tensor1d([l + 1e-3, l - 1e-3])))).toEqual([1, expect.any(Number)]);
    expect(values(tf.sigmoid(tf.tensor1d([l - 1e-3])))[0]).toBeLessThan(1);
  });

  it("float32ArithmeticSaturationLogit() is 24 ln 2: float32 addition rounds 1 + e^−l to 1 from there on, before the correctly rounded sigmoid saturates", () => {
    const l = float32ArithmeticSaturationLogit();
    expect(l).toBeCloseTo(24 * Math.LN2, 5);
    expect(l).toBeCloseTo(16.64, 2);
    // The float32 numbers just above 1 are 2^−23 apart: 1 + 2^−24 is the tie, and rounds to even, 1.
    expect(Math.fround(1 + 2 ** -24)).toBe(1);
    expect(Math.fround(1 + 2 ** -23)).toBeGreaterThan(1);
    // Step by step in float32 against float64 with one rounding at the end: identical well below the
    // threshold, and between 24 ln 2 and 25 ln 2 the step-by-step form is already 1 while the other is not.
    for (const v of [-3, 0, 2, 8, 15]) expect(Math.abs(float32ArithmeticSigmoid(v) - float32Sigmoid(v))).toBeLessThanOrEqual(2 ** -23);
    for (const v of [16.7, 17, 17.3]) {
      expect(float32ArithmeticSigmoid(v)).toBe(1);
      expect(float32Sigmoid(v)).toBeLessThan(1);
    }
    expect(float32ArithmeticSigmoid(l - 1e-3)).toBeLessThan(1);
  });

  it("naiveBernoulliLogProbabilities(x, logits) is −∞ for a confident wrong logit, as naiveFloat32LogProbability predicts", () => {
    const logits = [1, 5, 10, 15, 16, 17, 17.5, 18, 20, 50, 100];
    const zeros = values(naiveBernoulliLogProbabilities(tf.zeros([logits.length]), tf.tensor1d(logits)));
    logits.forEach((l, i) => expect(zeros[i]).toBe(naiveFloat32LogProbability(0, l)));
    expect(zeros.slice(6).every((v) => v === -Infinity)).toBe(true);
    expect(zeros.slice(0, 6).every((v) => Number.isFinite(v))).toBe(true);
    // Before it fails outright it loses precision: at l = 17 it is off by more than a third of a nat.
    expect(Math.abs(zeros[5] - bernoulliLogProbability(0, 17))).toBeGreaterThan(0.3);
    // x = 1 with a very negative logit: sigmoid(−104) is below the smallest float32, so log gives −∞.
    expect(values(naiveBernoulliLogProbabilities(tf.ones([1]), tf.tensor1d([-104])))[0]).toBe(-Infinity);
  });

  it("stableBernoulliLogProbabilities(x, logits) matches the float64 value for every logit, however large", () => {
    const logits = [-120, -104, -50, -17.5, -3, 0, 3, 17.5, 50, 104, 120];
    for (const x of [0, 1]) {
      const got = values(stableBernoulliLogProbabilities(tf.fill([logits.length], x), tf.tensor1d(logits)));
      logits.forEach((l, i) => {
        const want = bernoulliLogProbability(x, l);
        expect(Math.abs(got[i] - want)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want)));
      });
    }
  });

  it("bernoulliLogProbabilityGradients(x, logits): the stable one is x − sigmoid(l) by finite differences; the naive one is NaN where 1 − sigmoid(l) rounded to 0", () => {
    const logits = [-6, -1, 0, 2, 9, 20];
    for (const x of [0, 1]) {
      const {naive, stable} = bernoulliLogProbabilityGradients(tf.fill([logits.length], x), tf.tensor1d(logits));
      const s = values(stable);
      logits.forEach((l, i) => {
        const h = 1e-5;
        const fd = (bernoulliLogProbability(x, l + h) - bernoulliLogProbability(x, l - h)) / (2 * h);
        expect(s[i]).toBeCloseTo(fd, 5);
      });
      const n = values(naive);
      if (x === 0) expect(Number.isNaN(n[5])).toBe(true);
      expect(n[2]).toBeCloseTo(fdAt(x, 0), 5);
      naive.dispose();
      stable.dispose();
    }
  });

  it("the tensor functions leave no tensors behind", async () => {
    const x = tf.tensor1d([0, 1, 0]);
    const l = tf.tensor1d([20, -3, 0.5]);
    const leaked = await leakedBy(() => {
      naiveBernoulliLogProbabilities(x, l).dispose();
      stableBernoulliLogProbabilities(x, l).dispose();
      const g = bernoulliLogProbabilityGradients(x, l);
      g.naive.dispose();
      g.stable.dispose();
    });
    expect(leaked).toBe(0);
    x.dispose();
    l.dispose();
  });
});

function fdAt(x: number, l: number): number {
  const h = 1e-5;
  return (bernoulliLogProbability(x, l + h) - bernoulliLogProbability(x, l - h)) / (2 * h);
}
