import {describe, expect, it} from "vitest";
import {bernoulliLogLikelihood, gaussianLogDensity, gaussianLogLikelihood, tf} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

// Reference: the textbook formulas evaluated in float64, one number at a time.
const normalLogPdf = (x: number, m: number, v: number) => -0.5 * (Math.log(2 * Math.PI * v) + (x - m) ** 2 / v);

describe("logDensity", () => {
  it("gaussianLogDensity(x, mean, logVar) sums the per-dimension normal log-pdfs", () => {
    const x = [[0.3, -1.2, 2], [1, 0, -0.5]];
    const mean = [[0, -1, 1.5], [0.5, 0.2, 0]];
    const logVar = [[0, -0.5, 0.7], [1, -2, 0.1]];
    const got = values(gaussianLogDensity(tf.tensor2d(x), tf.tensor2d(mean), tf.tensor2d(logVar)));
    x.forEach((row, b) => {
      const want = row.reduce((s, xi, d) => s + normalLogPdf(xi, mean[b][d], Math.exp(logVar[b][d])), 0);
      expect(got[b]).toBeCloseTo(want, 5);
    });
  });

  it("bernoulliLogLikelihood(x, logits) matches x log σ(l) + (1−x) log(1−σ(l)) and stays finite at |logits| = 100", () => {
    const logits = [[-3, 0, 2.5, 7]];
    const x = [[0, 1, 1, 0]];
    const sigmoid = (l: number) => 1 / (1 + Math.exp(-l));
    const want = logits[0].reduce((s, l, i) => s + (x[0][i] ? Math.log(sigmoid(l)) : Math.log(1 - sigmoid(l))), 0);
    expect(values(bernoulliLogLikelihood(tf.tensor2d(x), tf.tensor2d(logits)))[0]).toBeCloseTo(want, 5);
    // log σ(−100) = −100 − log(1 + e^−100) ≈ −100: the naive log(sigmoid) gives −Infinity in float32.
    const extreme = values(bernoulliLogLikelihood(tf.tensor2d([[1, 0, 1, 0]]), tf.tensor2d([[-100, 100, 100, -100]])))[0];
    expect(extreme).toBeCloseTo(-200, 3);
  });

  it("gaussianLogLikelihood(x, mean, sigma) is −‖x − mean‖²/(2σ²) plus the normalizer: MSE is a Gaussian likelihood", () => {
    const x = tf.tensor2d([[0.1, 0.9, 0.4]]);
    const mean = tf.tensor2d([[0.2, 0.7, 0.4]]);
    for (const sigma of [0.1, 1, 3]) {
      const want = [0.1, 0.9, 0.4].reduce((s, xi, i) => s + normalLogPdf(xi, [0.2, 0.7, 0.4][i], sigma * sigma), 0);
      expect(values(gaussianLogLikelihood(x, mean, sigma))[0]).toBeCloseTo(want, 4);
    }
    // Same value as gaussianLogDensity with logVar = log σ² everywhere.
    const viaDensity = values(gaussianLogDensity(x, mean, tf.fill([1, 3], Math.log(0.25))))[0];
    expect(values(gaussianLogLikelihood(x, mean, 0.5))[0]).toBeCloseTo(viaDensity, 5);
    expect(() => gaussianLogLikelihood(x, mean, Number.NaN)).toThrow(/sigma must be a positive number/);
  });

  it("log-densities accept images [batch, 28, 28, 1] and sum over every pixel", () => {
    const images = tf.ones([2, 28, 28, 1]);
    const logits = tf.zeros([2, 28, 28, 1]);
    expect(values(bernoulliLogLikelihood(images, logits))).toEqual([784 * Math.log(0.5), 784 * Math.log(0.5)].map((v) => expect.closeTo(v, 2)));
  });

  it("the log-densities leak no tensors", async () => {
    const x = tf.tensor2d([[1, 0]]);
    const leaked = await leakedBy(() => {
      bernoulliLogLikelihood(x, x).dispose();
      gaussianLogLikelihood(x, x, 1).dispose();
      gaussianLogDensity(x, x, x).dispose();
    });
    expect(leaked).toBe(0);
  });
});
