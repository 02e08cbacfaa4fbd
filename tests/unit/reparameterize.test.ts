import {describe, expect, it} from "vitest";
import {repeatSamples, reparameterize, tf, type Tensor} from "../../lib/index.ts";
import {meanAndStd, useBackend, values} from "./helpers.ts";

useBackend("cpu");

describe("reparameterize", () => {
  it("reparameterize(mean, logVar, epsilon) is mean + exp(logVar/2)·epsilon exactly", () => {
    const z = reparameterize(tf.tensor2d([[1, -2]]), tf.tensor2d([[Math.log(4), 0]]), tf.tensor2d([[0.5, -1]]));
    expect(values(z)).toEqual([2, -3].map((v) => expect.closeTo(v, 6)));
  });

  it("reparameterize(mean, logVar) draws from N(mean, exp(logVar)) (sample mean and std)", () => {
    const n = 100_000;
    const z = reparameterize(tf.fill([n, 1], 3), tf.fill([n, 1], Math.log(0.25)), undefined, 11);
    const {mean, std} = meanAndStd(values(z));
    expect(Math.abs(mean - 3)).toBeLessThan((4 * 0.5) / Math.sqrt(n));
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
  });

  it("gradients flow through the sample: ∂z/∂mean = 1 and ∂z/∂logVar = ½ exp(logVar/2) ε, as finite differences say", () => {
    const epsilon = tf.tensor1d([0.7, -1.3]);
    const f = (m: Tensor, l: Tensor) => reparameterize(m, l, epsilon).sum();
    const [m0, l0] = [tf.tensor1d([0.2, -0.4]), tf.tensor1d([0.3, -1])];
    const [gm, gl] = tf.grads(f)([m0, l0]).map(values);
    expect(gm).toEqual([1, 1].map((v) => expect.closeTo(v, 5)));
    const h = 1e-2;
    const fd = [0, 1].map((i) => {
      const bump = tf.oneHot(i, 2).mul(h);
      return (values(f(m0, l0.add(bump)))[0] - values(f(m0, l0.sub(bump)))[0]) / (2 * h);
    });
    gl.forEach((g, i) => expect(g).toBeCloseTo(fd[i], 3));
    expect(gl[0]).toBeCloseTo(0.5 * Math.exp(0.15) * 0.7, 5);
  });

  it("repeatSamples(t, 3) stacks the rows sample-major: row s·batch + n is row n, for every s", () => {
    const got = tf.tidy(() => repeatSamples(tf.tensor2d([[1, 2], [3, 4]]), 3).arraySync());
    expect(got).toEqual([[1, 2], [3, 4], [1, 2], [3, 4], [1, 2], [3, 4]]);
  });
});
