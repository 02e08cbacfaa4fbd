import {beforeAll, describe, expect, it} from "vitest";
import {dense, tf, type Tensor1D, type Tensor2D} from "../../lib/index.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("wasm");

describe("dense", () => {
  // Made in beforeAll: tensors need the backend, which useBackend starts there.
  let x: Tensor2D, kernel: Tensor2D, bias: Tensor1D, c: tf.Tensor;
  beforeAll(() => {
    x = tf.tensor2d([[0.5, -1, 2], [1.5, 0.2, -0.3]]) as Tensor2D;
    kernel = tf.tensor2d([[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]) as Tensor2D;
    bias = tf.tensor1d([0.05, -0.1]) as Tensor1D;
    // A loss with non-trivial upstream gradient: Σ (y ⊙ c)² with fixed c.
    c = tf.tensor2d([[1, -2], [0.5, 3]]);
  });
  const viaDense = (a: Tensor2D, w: Tensor2D, b: Tensor1D) => dense(a, w, b).mul(c).square().sum();
  const viaMatMul = (a: Tensor2D, w: Tensor2D, b: Tensor1D) => tf.matMul(a, w).add(b).mul(c).square().sum();

  it("dense(x, kernel, bias) computes x · kernel + bias", () => {
    expect(values(dense(x, kernel, bias))).toEqual(values(tf.matMul(x, kernel).add(bias)).map((v) => expect.closeTo(v, 6)));
  });

  it("dense()'s hand-written gradient equals tfjs's autodiff of matMul for x, kernel and bias", () => {
    const ours = tf.grads(viaDense as (...t: tf.Tensor[]) => tf.Tensor)([x, kernel, bias]).map(values);
    const reference = tf.grads(viaMatMul as (...t: tf.Tensor[]) => tf.Tensor)([x, kernel, bias]).map(values);
    ours.forEach((g, i) => expect(g).toEqual(reference[i].map((v) => expect.closeTo(v, 4))));
  });

  it("dense()'s kernel gradient matches central finite differences", () => {
    const [, dKernel] = tf.grads(viaDense as (...t: tf.Tensor[]) => tf.Tensor)([x, kernel, bias]).map(values);
    const base = values(kernel);
    const h = 1e-2;
    base.forEach((_, i) => {
      const bump = (s: number) => tf.tensor2d(base.map((v, j) => (j === i ? v + s * h : v)), [3, 2]) as Tensor2D;
      const fd = (values(viaDense(x, bump(1), bias))[0] - values(viaDense(x, bump(-1), bias))[0]) / (2 * h);
      expect(dKernel[i]).toBeCloseTo(fd, 2);
    });
  });

  it("dense(…, {inputGrad: false}) skips ∂/∂x (returns zeros) but keeps the parameter gradients", () => {
    const f = (a: Tensor2D, w: Tensor2D, b: Tensor1D) => dense(a, w, b, {inputGrad: false}).mul(c).square().sum();
    const [dx, dw] = tf.grads(f as (...t: tf.Tensor[]) => tf.Tensor)([x, kernel, bias]).map(values);
    expect(dx.every((v) => v === 0)).toBe(true);
    expect(dw).toEqual(values(tf.grads(viaMatMul as (...t: tf.Tensor[]) => tf.Tensor)([x, kernel, bias])[1]).map((v) => expect.closeTo(v, 4)));
  });
});
