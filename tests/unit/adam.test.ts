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
