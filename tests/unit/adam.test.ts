import {describe, expect, it} from "vitest";
import {createAdam, DeviceAdam, HostAdam, tf, type Scalar} from "../../lib/index.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("wasm");

// f(w) = Σ (w − target)² ⊙ scale, minimized by both optimizers from the same start.
const target = [1, -2, 0.5, 3];
const scale = [1, 10, 0.1, 2];
function run(make: () => {minimize(loss: () => Scalar, vars: tf.Variable[]): Scalar; dispose(): void}, steps: number): number[] {
  const w = tf.tidy(() => tf.variable(tf.tensor1d([0, 0, 0, 0])));
  const optimizer = make();
  for (let i = 0; i < steps; i++) {
    optimizer.minimize(() => w.sub(target).square().mul(scale).sum() as Scalar, [w]).dispose();
  }
  const result = values(w);
  optimizer.dispose();
  w.dispose();
  return result;
}

describe("adam", () => {
  it("HostAdam follows Adam's update exactly: after one step every weight moves by lr against its gradient's sign", () => {
    // With m̂ = g and v̂ = g² after the first step, the update is lr · g / (|g| + ε).
    expect(run(() => new HostAdam({learningRate: 0.1}), 1)).toEqual(target.map((t) => expect.closeTo(0.1 * Math.sign(t), 6)));
  });

  it("setLearningRate(lr) changes the step size and keeps the moments, on HostAdam and DeviceAdam, as Adam written out in plain numbers does", () => {
    // The reference: Adam by hand, 5 steps at 0.05 then 5 at 0.01, with m and v carried across the change.
    const w = [0, 0, 0, 0];
    const m = [0, 0, 0, 0];
    const v = [0, 0, 0, 0];
    for (let t = 1; t <= 10; t++) {
      const lr = t <= 5 ? 0.05 : 0.01;
      for (let i = 0; i < 4; i++) {
        const g = 2 * scale[i] * (w[i] - target[i]);
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        w[i] -= ((lr / (1 - 0.9 ** t)) * m[i]) / (Math.sqrt(v[i]) / Math.sqrt(1 - 0.999 ** t) + 1e-8);
      }
    }
    for (const make of [() => new HostAdam({learningRate: 0.05}), () => new DeviceAdam({learningRate: 0.05})]) {
      const weights = tf.tidy(() => tf.variable(tf.tensor1d([0, 0, 0, 0])));
      const optimizer = make();
      for (let t = 1; t <= 10; t++) {
        if (t === 6) optimizer.setLearningRate(0.01);
        optimizer.minimize(() => weights.sub(target).square().mul(scale).sum() as Scalar, [weights]).dispose();
      }
      expect(optimizer.learningRate).toBe(0.01);
      values(weights).forEach((x, i) => expect(x).toBeCloseTo(w[i], 4));
      optimizer.dispose();
      weights.dispose();
    }
  });

  it("HostAdam(…) matches tfjs's Adam with the same hyperparameters over 50 steps", () => {
    const host = run(() => new HostAdam({learningRate: 0.05, epsilon: 1e-8}), 50);
    const device = run(() => new DeviceAdam({learningRate: 0.05, epsilon: 1e-8}), 50);
    host.forEach((v, i) => expect(v).toBeCloseTo(device[i], 4));
  });

  it("HostAdam picks up weights that were assigned from outside between steps", () => {
    const w = tf.variable(tf.tensor1d([0, 0, 0, 0]));
    const optimizer = new HostAdam({learningRate: 0.1});
    const loss = () => w.sub(target).square().sum() as Scalar;
    optimizer.minimize(loss, [w]).dispose();
    w.assign(tf.tensor1d([5, 5, 5, 5]));
    optimizer.minimize(loss, [w]).dispose();
    values(w).forEach((v) => expect(v).toBeGreaterThan(4.5)); // moved from 5, not from the old 0.1
    optimizer.dispose();
    w.dispose();
  });

  it("createAdam() uses HostAdam on CPU-memory backends and refuses a bad learning rate", () => {
    expect(createAdam({learningRate: 1e-3})).toBeInstanceOf(HostAdam);
    expect(() => createAdam({learningRate: Number.NaN})).toThrow(/learning rate must be a positive number/);
    expect(() => createAdam({learningRate: -1})).toThrow(/learning rate/);
  });

  it("HostAdam leaks no tensors", () => {
    const before = tf.memory().numTensors;
    run(() => new HostAdam({learningRate: 0.1}), 20);
    expect(tf.memory().numTensors).toBe(before);
  });
});
