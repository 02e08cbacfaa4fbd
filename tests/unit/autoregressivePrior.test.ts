import {describe, expect, it} from "vitest";
import {contextCodes, createAutoregressivePrior, fitIndependentCodePrior, independentCodeLogLikelihood, mulberry32, tf, trainAutoregressivePrior} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const K = 4;
const grid: [number, number] = [3, 3];

/**
 * Code grids from a known process: each row starts with a uniform code; each next code is
 * (left + 1) mod K with probability 0.9, else uniform over the K codes. The conditional entropy per
 * position is exact: the first column log K; the others H(0.925, 0.025, 0.025, 0.025).
 */
function markovGrids(n: number, seed: number): Int32Array {
  const draw = mulberry32(seed);
  const out = new Int32Array(n * 9);
  for (let g = 0; g < n; g++) {
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 3; c++) {
        const uniform = Math.floor(draw() * K);
        const i = g * 9 + r * 3 + c;
        out[i] = c === 0 ? uniform : draw() < 0.9 ? (out[i - 1] + 1) % K : uniform;
      }
    }
  }
  return out;
}
const pRight = 0.9 + 0.1 / K;
const conditionalEntropy = -(pRight * Math.log(pRight) + (K - 1) * (0.1 / K) * Math.log(0.1 / K));
const trueNatsPerPosition = (Math.log(K) + 2 * conditionalEntropy) / 3;

describe("autoregressive prior over code grids", () => {
  it("contextCodes(codes, n, grid, context, K) reads each earlier neighbour, K outside the grid (by hand)", () => {
    // The grid [[0, 1], [2, 3]], neighbours left and up.
    expect(Array.from(contextCodes([0, 1, 2, 3], 1, [2, 2], [[0, -1], [-1, 0]], 4))).toEqual([4, 4, 0, 4, 4, 0, 2, 1]);
  });

  it("createAutoregressivePrior refuses a context offset that is not earlier in raster order", () => {
    expect(() => createAutoregressivePrior({codebookSize: K, grid, context: [[0, 1]]})).toThrow(/earlier position in raster order/);
    expect(() => createAutoregressivePrior({codebookSize: K, grid, context: [[1, -1]]})).toThrow(/earlier position/);
  });

  it("prior.logits(codes, n): position i's logits do not depend on the codes at i or after (causal), and do depend on its left neighbour", async () => {
    const prior = createAutoregressivePrior({codebookSize: K, grid, embeddingDim: 3, hidden: 8, seed: 4});
    expect(
      await leakedBy(() => {
        const base = Int32Array.from([0, 1, 2, 3, 0, 1, 2, 3, 0]);
        const at = (codes: Int32Array) => tf.tidy(() => values(prior.logits(codes, 1)));
        const before = at(base);
        for (const i of [0, 4, 8]) {
          const changed = Int32Array.from(base);
          for (let j = i; j < 9; j++) changed[j] = (changed[j] + 1) % K;
          const after = at(changed);
          // Positions up to i see nothing that changed.
          expect(after.slice(0, (i + 1) * K)).toEqual(before.slice(0, (i + 1) * K));
        }
        const left = Int32Array.from(base);
        left[3] = (left[3] + 2) % K;
        expect(at(left).slice(4 * K, 5 * K)).not.toEqual(before.slice(4 * K, 5 * K));
      })
    ).toBe(0);
    prior.dispose();
  });

  it("prior.logLikelihood(codes, n) is Σ_i log softmax(logits_i)[k_i], recomputed in float64", () => {
    const prior = createAutoregressivePrior({codebookSize: K, grid, embeddingDim: 3, hidden: 8, seed: 5});
    const codes = markovGrids(3, 8);
    const logits = tf.tidy(() => values(prior.logits(codes, 3)));
    const want = [0, 1, 2].map((g) => {
      let sum = 0;
      for (let i = 0; i < 9; i++) {
        const row = logits.slice((g * 9 + i) * K, (g * 9 + i + 1) * K);
        const max = Math.max(...row);
        const logZ = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
        sum += row[codes[g * 9 + i]] - logZ;
      }
      return sum;
    });
    expect(tf.tidy(() => values(prior.logLikelihood(codes, 3)))).toEqual(want.map((v) => expect.closeTo(v, 4)));
    prior.dispose();
  });

  it("trainAutoregressivePrior: on held-out grids it beats the independent per-position prior and comes within 0.05 nats per position of the process's exact entropy", async () => {
    const train = markovGrids(3000, 1);
    const test = markovGrids(1000, 2);
    const prior = createAutoregressivePrior({codebookSize: K, grid, embeddingDim: 4, hidden: 32, seed: 1});
    const losses = await trainAutoregressivePrior(prior, train, {epochs: 12, batchSize: 100, learningRate: 1e-2, seed: 3});
    expect(losses.at(-1)).toBeLessThan(losses[0]);
    const arNats = -tf.tidy(() => values(prior.logLikelihood(test, 1000).mean()))[0] / 9;
    const independent = fitIndependentCodePrior(train, {codebookSize: K, positions: 9});
    const ll = independentCodeLogLikelihood(independent, test);
    const independentNats = -ll.reduce((s, v) => s + v, 0) / ll.length / 9;
    // The independent prior sees only marginals, which are uniform here: about log 4 = 1.386 nats per position.
    expect(independentNats).toBeGreaterThan(1.35);
    expect(arNats).toBeLessThan(independentNats - 0.5);
    expect(Math.abs(arNats - trueNatsPerPosition)).toBeLessThan(0.05);
    // Ancestral samples follow the process: (left + 1) mod K about 92.5 % of the time after the first column.
    const samples = prior.sample(400, 6);
    let right = 0;
    for (let g = 0; g < 400; g++) for (let r = 0; r < 3; r++) for (let c = 1; c < 3; c++) if (samples[g * 9 + r * 3 + c] === (samples[g * 9 + r * 3 + c - 1] + 1) % K) right++;
    expect(right / (400 * 6)).toBeGreaterThan(0.88);
    expect(right / (400 * 6)).toBeLessThan(0.96);
    prior.dispose();
  });
});
