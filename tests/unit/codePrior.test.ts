import {describe, expect, it} from "vitest";
import {createVqVae, fitIndependentCodePrior, independentCodeLogLikelihood, sampleFromIndependentPrior, sampleIndependentCodes, tf, vqvaeConfig} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

describe("independent prior over code grids", () => {
  // Three grids of two positions, K = 3: (0, 1), (0, 2), (1, 1).
  const codes = [0, 1, 0, 2, 1, 1];

  it("fitIndependentCodePrior(codes, {perPosition: true}) is add-one smoothed frequencies per position, by hand", () => {
    const prior = fitIndependentCodePrior(codes, {codebookSize: 3, positions: 2});
    // position 0: counts (2, 1, 0) + 1 → (3, 2, 1)/6; position 1: (0, 2, 1) + 1 → (1, 3, 2)/6
    expect(Array.from(prior.logProbs, Math.exp)).toEqual([3 / 6, 2 / 6, 1 / 6, 1 / 6, 3 / 6, 2 / 6].map((p) => expect.closeTo(p, 12)));
    // log p((0, 1)) = log(3/6) + log(3/6); log p((2, 0)) = log(1/6) + log(1/6)
    expect(independentCodeLogLikelihood(prior, [0, 1, 2, 0])).toEqual([expect.closeTo(2 * Math.log(0.5), 12), expect.closeTo(2 * Math.log(1 / 6), 12)]);
  });

  it("fitIndependentCodePrior(codes, {perPosition: false}) pools the positions; smoothing 0 is the plain frequency", () => {
    const shared = fitIndependentCodePrior(codes, {codebookSize: 3, positions: 2, perPosition: false});
    // counts over all positions (2, 3, 1) + 1 → (3, 4, 2)/9
    expect(Array.from(shared.logProbs, Math.exp)).toEqual([3 / 9, 4 / 9, 2 / 9].map((p) => expect.closeTo(p, 12)));
    const plain = fitIndependentCodePrior(codes, {codebookSize: 3, positions: 2, smoothing: 0});
    expect(Math.exp(plain.logProbs[0])).toBeCloseTo(2 / 3, 12);
    expect(plain.logProbs[2]).toBe(-Infinity);
    expect(() => fitIndependentCodePrior([0, 1, 3], {codebookSize: 3, positions: 3})).toThrow(/code 3 is outside 0…2/);
    expect(() => fitIndependentCodePrior([0, 1, 2], {codebookSize: 3, positions: 2})).toThrow(/whole number of grids of 2/);
  });

  it("sampleIndependentCodes(prior, n, seed) draws each position from its π_i: frequencies within 4 standard errors over 20,000 grids", () => {
    const prior = fitIndependentCodePrior(codes, {codebookSize: 3, positions: 2});
    const n = 20000;
    const draws = sampleIndependentCodes(prior, n, 5);
    expect(draws).toEqual(sampleIndependentCodes(prior, n, 5));
    for (let position = 0; position < 2; position++) {
      for (let k = 0; k < 3; k++) {
        const p = Math.exp(prior.logProbs[position * 3 + k]);
        let hits = 0;
        for (let i = 0; i < n; i++) if (draws[i * 2 + position] === k) hits++;
        expect(Math.abs(hits / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
      }
    }
  });

  it("sampleFromIndependentPrior(model, prior, n, seed) decodes sampleIndependentCodes' grids to pixel probabilities", async () => {
    const model = createVqVae(vqvaeConfig({imageShape: [8, 8, 1], hiddenSizes: [4, 6], codeDim: 3, codebookSize: 5, seed: 1}));
    const grids = Int32Array.from({length: 40}, (_, i) => (i * 7) % 5);
    const prior = fitIndependentCodePrior(grids, {codebookSize: 5, positions: 4});
    expect(
      await leakedBy(() => {
        const pictures = sampleFromIndependentPrior(model, prior, 6, 9);
        expect(pictures.shape).toEqual([6, 64]);
        const want = tf.tidy(() => values(model.decodeCodesMean(tf.tensor2d(sampleIndependentCodes(prior, 6, 9), [6, 4], "int32"))));
        expect(values(pictures)).toEqual(want);
        expect(want.every((p) => p >= 0 && p <= 1)).toBe(true);
        pictures.dispose();
      })
    ).toBe(0);
    expect(() => sampleFromIndependentPrior(model, fitIndependentCodePrior([0, 1], {codebookSize: 2, positions: 2}), 1, 1)).toThrow(/the prior is for 2 positions of 2 codes/);
    model.dispose();
  });
});
