import {describe, expect, it} from "vitest";
import {chooseBackend, conv2dSame, mulberry32, tf, upsampleNearest, type Tensor1D, type Tensor4D} from "../../lib/index.ts";
import {leakedBy} from "./helpers.ts";

// The reference is tfjs's own conv2d gradient on the CPU backend (its Conv2DBackpropFilter kernel),
// an independent implementation; the check then re-runs conv2dSame on WASM, which lacks that kernel.
const random = (n: number, seed: number) => {
  const draw = mulberry32(seed);
  return Float32Array.from({length: n}, () => draw() * 2 - 1);
};

function case_(batch: number, size: number, inC: number, outC: number, k: number, seed: number) {
  return {
    x: {values: random(batch * size * size * inC, seed), shape: [batch, size, size, inC] as [number, number, number, number]},
    w: {values: random(k * k * inC * outC, seed + 1), shape: [k, k, inC, outC] as [number, number, number, number]},
    b: random(outC, seed + 2),
    // A fixed random weighting of the output, so the loss Σ y ⊙ r has a gradient with no symmetry.
    seed: seed + 3
  };
}

type Case = ReturnType<typeof case_>;

function gradients(c: Case, which: "lib" | "tfjs", stride: number) {
  return tf.tidy(() => {
    const x = tf.tensor4d(c.x.values, c.x.shape);
    const w = tf.tensor4d(c.w.values, c.w.shape);
    const b = tf.tensor1d(c.b);
    const f = (xi: Tensor4D, wi: Tensor4D, bi: Tensor1D) => {
      const y = which === "lib" ? conv2dSame(xi, wi, bi, {stride}) : tf.conv2d(xi, wi, stride, "same").add(bi);
      const r = tf.tensor(random(y.size, c.seed), y.shape);
      return y.mul(r).sum();
    };
    const g = tf.grads((xi, wi, bi) => f(xi as Tensor4D, wi as Tensor4D, bi as Tensor1D))([x, w, b]);
    const y = which === "lib" ? conv2dSame(x, w, b, {stride}) : tf.conv2d(x, w, stride, "same").add(b);
    return [y, ...g].map((t) => Array.from(t.dataSync()));
  });
}

function expectClose(got: number[], want: number[], tolerance = 1e-4) {
  expect(got.length).toBe(want.length);
  const worst = Math.max(...got.map((v, i) => Math.abs(v - want[i]) / Math.max(1, Math.abs(want[i]))));
  expect(worst).toBeLessThan(tolerance);
}

describe("conv2dSame", () => {
  const cases = [
    {name: "3×3, stride 2, 28×28 → 14×14", c: case_(2, 28, 1, 3, 3, 10), stride: 2},
    {name: "3×3, stride 2, 14×14 → 7×7 (odd output)", c: case_(2, 14, 3, 4, 3, 20), stride: 2},
    {name: "3×3, stride 1, 7×7", c: case_(3, 7, 4, 2, 3, 30), stride: 1},
    {name: "1×1, stride 1", c: case_(2, 5, 3, 2, 1, 40), stride: 1},
    {name: "1×1, stride 2 (the last row and column are never read)", c: case_(2, 6, 2, 3, 1, 45), stride: 2},
    {name: "5×5, stride 2, odd input 9×9", c: case_(2, 9, 2, 2, 5, 47), stride: 2}
  ];

  for (const {name, c, stride} of cases) {
    it(`conv2dSame(x, filter, bias, {stride: ${stride}}) and its gradients match tfjs's conv2d on the CPU backend (${name})`, async () => {
      await chooseBackend({prefer: "cpu"});
      const want = gradients(c, "tfjs", stride);
      const got = gradients(c, "lib", stride);
      want.forEach((w, i) => expectClose(got[i], w));
      await chooseBackend({prefer: "wasm"});
      expect(tf.getBackend()).toBe("wasm");
      // tfjs's own conv2d gradient cannot run here; conv2dSame's can, and agrees.
      expect(() => gradients(c, "tfjs", stride)).toThrow(/Conv2DBackpropFilter/);
      const onWasm = gradients(c, "lib", stride);
      want.forEach((w, i) => expectClose(onWasm[i], w));
    });
  }

  it("conv2dSame(x, filter, bias)'s filter gradient matches central finite differences", async () => {
    await chooseBackend({prefer: "cpu"});
    const c = case_(1, 6, 2, 2, 3, 50);
    const loss = (filterValues: Float32Array) =>
      tf.tidy(() => {
        const y = conv2dSame(tf.tensor4d(c.x.values, c.x.shape), tf.tensor4d(filterValues, c.w.shape), tf.tensor1d(c.b), {stride: 2});
        return y.mul(tf.tensor(random(y.size, c.seed), y.shape)).sum().dataSync()[0];
      });
    const [, , analytic] = gradients(c, "lib", 2);
    const h = 1e-2;
    for (const i of [0, 7, 13, 30, 35]) {
      const plus = Float32Array.from(c.w.values);
      const minus = Float32Array.from(c.w.values);
      plus[i] += h;
      minus[i] -= h;
      // The loss is linear in the filter, so the central difference is exact up to rounding.
      expect((loss(plus) - loss(minus)) / (2 * h)).toBeCloseTo(analytic[i], 3);
    }
  });

  it("conv2dSame and upsampleNearest leak no tensors", async () => {
    await chooseBackend({prefer: "wasm"});
    const c = case_(2, 8, 2, 3, 3, 60);
    expect(await leakedBy(() => void gradients(c, "lib", 2))).toBe(0);
    expect(
      await leakedBy(() => {
        const up = tf.tidy(() => upsampleNearest(tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])).dataSync());
        // Each value becomes a 2 × 2 block.
        expect(Array.from(up)).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
      })
    ).toBe(0);
  });

  it("upsampleNearest(x) copies each value into a 2 × 2 block and sums each block of the gradient back, for every image of a batch, on CPU and WASM", async () => {
    const [batch, h, w, c] = [3, 2, 3, 2];
    const x = random(batch * h * w * c, 70);
    const r = random(batch * 4 * h * w * c, 71);
    const at = (b: number, i: number, j: number, k: number, width: number) => ((b * (width === w ? h : 2 * h) + i) * width + j) * c + k;
    // The plain-number reference: y[b, i, j, k] = x[b, ⌊i/2⌋, ⌊j/2⌋, k]; ∂(Σ y ⊙ r)/∂x = the sum of r over each block.
    const wantY: number[] = [];
    for (let b = 0; b < batch; b++) for (let i = 0; i < 2 * h; i++) for (let j = 0; j < 2 * w; j++) for (let k = 0; k < c; k++) wantY.push(x[at(b, i >> 1, j >> 1, k, w)]);
    const wantGrad = new Array<number>(x.length).fill(0);
    for (let b = 0; b < batch; b++) for (let i = 0; i < 2 * h; i++) for (let j = 0; j < 2 * w; j++) for (let k = 0; k < c; k++) wantGrad[at(b, i >> 1, j >> 1, k, w)] += r[at(b, i, j, k, 2 * w)];
    for (const backend of ["cpu", "wasm"]) {
      await chooseBackend({prefer: backend});
      const [y, grad, tfjsGrad] = tf.tidy(() => {
        const input = tf.tensor4d(x, [batch, h, w, c]);
        const weights = tf.tensor4d(r, [batch, 2 * h, 2 * w, c]);
        const g = tf.grad((t) => upsampleNearest(t as Tensor4D).mul(weights).sum())(input);
        const gTfjs = tf.grad((t) => tf.image.resizeNearestNeighbor(t as Tensor4D, [2 * h, 2 * w]).mul(weights).sum())(input);
        return [upsampleNearest(input), g, gTfjs].map((t) => Array.from(t.dataSync()));
      });
      expectClose(y, wantY, 1e-6);
      expectClose(grad, wantGrad, 1e-5);
      // tfjs's own gradient is right on WASM and wrong on the CPU backend from the second image on.
      const firstImage = h * w * c;
      expectClose(tfjsGrad.slice(0, firstImage), wantGrad.slice(0, firstImage), 1e-5);
      if (backend === "wasm") expectClose(tfjsGrad, wantGrad, 1e-5);
      else expect(tfjsGrad.slice(firstImage).some((v, i) => Math.abs(v - wantGrad[firstImage + i]) > 1e-3)).toBe(true);
    }
  });

  it("conv2dSame(x, filter, bias, {stride: 0}) is refused with a sentence", () => {
    const x = tf.zeros([1, 4, 4, 1]) as Tensor4D;
    const w = tf.zeros([3, 3, 1, 1]) as Tensor4D;
    const b = tf.zeros([1]) as Tensor1D;
    expect(() => conv2dSame(x, w, b, {stride: 0})).toThrow(/stride must be a positive whole number/);
    tf.dispose([x, w, b]);
  });
});
