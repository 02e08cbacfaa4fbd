import {describe, expect, it} from "vitest";
import {iwaeBound, logMeanExp, tf, type Tensor2D} from "../../lib/index.ts";
import {linearGaussianFixture} from "./fixtures.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const {model, decode, sigma, x} = linearGaussianFixture();
// A deliberately poor q (not the posterior), so the ELBO gap is large and IWAE has room to close it.
const q = {mean: [0.6, 0.2], logVar: [-0.3, 0.4]};

function averageBound(k: number, copies: number, seed: number): number {
  return tf.tidy(() => {
    const bound = iwaeBound({
      x: tf.tensor2d(Array.from({length: copies}, () => x)),
      mean: tf.tensor2d(Array.from({length: copies}, () => q.mean)) as Tensor2D,
      logVar: tf.tensor2d(Array.from({length: copies}, () => q.logVar)) as Tensor2D,
      decode,
      likelihood: {kind: "gaussian", sigma},
      k,
      seed,
      chunk: 128
    });
    return values(bound.mean())[0];
  });
}

describe("iwae", () => {
  it("logMeanExp(values) is stable where exp underflows, and matches the naive formula where it does not", () => {
    expect(values(logMeanExp(tf.tensor1d([-1000, -1000])))[0]).toBeCloseTo(-1000, 3);
    const small = [0.1, -2, 1.5];
    expect(values(logMeanExp(tf.tensor1d(small)))[0]).toBeCloseTo(Math.log(small.reduce((s, v) => s + Math.exp(v), 0) / 3), 5);
    expect(values(logMeanExp(tf.tensor2d([[0, -1000], [Math.log(3), -1000]]), 0))).toEqual([Math.log(2), -1000].map((v) => expect.closeTo(v, 3)));
  });

  it("iwaeBound({k: 1}) is the ELBO and iwaeBound rises towards the exact log p(x) as k grows", () => {
    const logPx = model.logMarginal(x);
    const elboExact = model.elbo(x, q).elbo;
    // Averaged over many copies of x: a single log-weight has a standard deviation of several nats here.
    const bounds = [1, 10, 100, 1000].map((k) => averageBound(k, k === 1000 ? 200 : 2000, 3));
    expect(Math.abs(bounds[0] - elboExact)).toBeLessThan(0.25);
    for (let i = 1; i < bounds.length; i++) expect(bounds[i]).toBeGreaterThan(bounds[i - 1]);
    expect(logPx - elboExact).toBeGreaterThan(3); // the gap is real: q is far from the posterior
    expect(Math.abs(bounds[3] - logPx)).toBeLessThan(0.03);
    expect(bounds[3]).toBeLessThan(logPx + 0.01);
  });

  it("iwaeBound with k above the chunk size accumulates across chunks, agrees with one chunk in distribution, and leaks nothing", () => {
    const chunked = averageBound(300, 400, 9);
    const whole = tf.tidy(() =>
      values(
        iwaeBound({
          x: tf.tensor2d(Array.from({length: 400}, () => x)),
          mean: tf.tensor2d(Array.from({length: 400}, () => q.mean)) as Tensor2D,
          logVar: tf.tensor2d(Array.from({length: 400}, () => q.logVar)) as Tensor2D,
          decode,
          likelihood: {kind: "gaussian", sigma},
          k: 300,
          seed: 9,
          chunk: 300
        }).mean()
      )[0]
    );
    expect(Math.abs(chunked - whole)).toBeLessThan(0.02);
    const before = tf.memory().numTensors;
    averageBound(300, 4, 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
