import {describe, expect, it} from "vitest";
import {lookupCodes, mulberry32, nearestCodes, straightThrough, tf, vectorQuantize, type Tensor, type Tensor1D, type Tensor2D} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

const random = (n: number, seed: number, scale = 1) => {
  const draw = mulberry32(seed);
  return Array.from({length: n}, () => (draw() * 2 - 1) * scale);
};

/** Brute force in float64: for each vector, the nearest code, its squared distance and the gap to the runner-up. */
function bruteForce(vectors: number[], codebook: number[], dim: number) {
  const codes = codebook.length / dim;
  const out: {index: number; distance: number; gap: number}[] = [];
  for (let i = 0; i < vectors.length / dim; i++) {
    const d = Array.from({length: codes}, (_, k) => {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (vectors[i * dim + j] - codebook[k * dim + j]) ** 2;
      return s;
    });
    const sorted = [...d].sort((a, b) => a - b);
    out.push({index: d.indexOf(sorted[0]), distance: sorted[0], gap: sorted[1] - sorted[0]});
  }
  return out;
}

describe("vector quantizer", () => {
  it("nearestCodes(vectors, codebook) matches a hand-computed assignment, ties going to the lower index", () => {
    // codes e0 = (0, 0), e1 = (1, 0), e2 = (0, 2).
    // (0.4, 0.1): ‖·‖² to e0 = 0.17, e1 = 0.37, e2 = 3.77 → 0
    // (0.6, 0):   0.36, 0.16, 4.36 → 1
    // (0.1, 1.2): 1.45, 2.25, 0.65 → 2
    // (−3, −3):   18, 25, 34 → 0
    // (0.5, 0):   0.25, 0.25, 4.25 → a tie, 0
    const got = tf.tidy(() => values(nearestCodes(tf.tensor2d([[0.4, 0.1], [0.6, 0], [0.1, 1.2], [-3, -3], [0.5, 0]]), tf.tensor2d([[0, 0], [1, 0], [0, 2]]))));
    expect(got).toEqual([0, 1, 2, 0, 0]);
  });

  it("vectorQuantize(zE [2, 7, 7, 4], codebook [16, 4]) picks the brute-force nearest code and its distance at every grid position", async () => {
    const dim = 4;
    const zValues = random(2 * 7 * 7 * dim, 1);
    const codeValues = random(16 * dim, 2);
    const want = bruteForce(zValues, codeValues, dim);
    // The draw has no near-ties, so float32 rounding cannot flip an assignment.
    expect(Math.min(...want.map((w) => w.gap))).toBeGreaterThan(1e-4);
    expect(
      await leakedBy(() => {
        const zE = tf.tensor4d(zValues, [2, 7, 7, dim]);
        const codebook = tf.tensor2d(codeValues, [16, dim]);
        const q = vectorQuantize(zE, codebook);
        expect(q.indices.shape).toEqual([2, 7, 7]);
        expect(q.quantized.shape).toEqual([2, 7, 7, dim]);
        expect(values(q.indices)).toEqual(want.map((w) => w.index));
        const quantized = values(q.quantized);
        want.forEach((w, i) => {
          for (let j = 0; j < dim; j++) expect(quantized[i * dim + j]).toBeCloseTo(codeValues[w.index * dim + j], 6);
        });
        // Forward, both losses are the squared distance; they differ only in where the gradient goes.
        expect(values(q.codebookLoss)).toEqual(want.map((w) => expect.closeTo(w.distance, 5)));
        expect(values(q.commitmentLoss)).toEqual(want.map((w) => expect.closeTo(w.distance, 5)));
        tf.dispose([zE, codebook, q.indices, q.quantized, q.codebookLoss, q.commitmentLoss]);
      })
    ).toBe(0);
  });

  it("straightThrough(zE, zQ): the gradient reaching z_e is the gradient with respect to the quantized output, unchanged, and none reaches the codebook", () => {
    const dim = 3;
    const zValues = random(2 * 2 * 2 * dim, 3);
    const codeValues = random(5 * dim, 4);
    const weights = random(2 * 2 * 2 * dim, 5);
    tf.tidy(() => {
      const zE = tf.tensor4d(zValues, [2, 2, 2, dim]);
      const codebook = tf.tensor2d(codeValues, [5, dim]);
      const w = tf.tensor4d(weights, [2, 2, 2, dim]);
      // A nonlinear downstream loss f(q) = Σ w ⊙ q³, whose gradient 3 w ⊙ q² depends on where it is taken.
      const f = (q: Tensor) => tf.sum(tf.mul(w, tf.pow(q, 3)));
      const [viaZe, viaCodebook] = tf.grads((z: Tensor, e: Tensor) => f(vectorQuantize(z, e as Tensor2D).quantized))([zE, codebook]);
      const zQ = vectorQuantize(zE, codebook).quantized;
      const atQuantized = tf.grad(f)(zQ);
      expect(values(viaZe)).toEqual(values(atQuantized).map((v) => expect.closeTo(v, 5)));
      // The identity it must be, written out: 3 w ⊙ z_q².
      const zq = values(zQ);
      expect(values(viaZe)).toEqual(zq.map((q, i) => expect.closeTo(3 * weights[i] * q * q, 5)));
      // Not the gradient at z_e itself (the estimator is biased: it is taken at the code, not at z_e).
      expect(values(tf.grad(f)(zE))).not.toEqual(values(viaZe));
      expect(values(viaCodebook).every((v) => v === 0)).toBe(true);
      // straightThrough on its own: value z_q, gradient to z_e only.
      const [dz, dq] = tf.grads((a: Tensor, b: Tensor) => f(straightThrough(a, b)))([zE, zQ]);
      expect(values(straightThrough(zE, zQ))).toEqual(zq.map((v) => expect.closeTo(v, 6)));
      expect(values(dz)).toEqual(values(atQuantized).map((v) => expect.closeTo(v, 5)));
      expect(values(dq).every((v) => v === 0)).toBe(true);
    });
  });

  // The two losses as plain functions: the assignment is recomputed at every point, so the finite
  // difference includes any change of code (none happens: the points are away from ties).
  const dim = 3;
  const zValues = random(2 * 3 * 3 * dim, 6);
  const codeValues = random(6 * dim, 7);
  const lossAt = (which: "codebookLoss" | "commitmentLoss", z: number[], e: number[]) =>
    tf.tidy(() => values(tf.sum(vectorQuantize(tf.tensor4d(z, [2, 3, 3, dim]), tf.tensor2d(e, [6, dim]))[which]))[0]);
  const autodiff = (which: "codebookLoss" | "commitmentLoss") =>
    tf.tidy(() => {
      const [dz, de] = tf.grads((z: Tensor, e: Tensor) => tf.sum(vectorQuantize(z, e as Tensor2D)[which]))([tf.tensor4d(zValues, [2, 3, 3, dim]), tf.tensor2d(codeValues, [6, dim])]);
      return {dz: values(dz), de: values(de)};
    });
  const centralDifference = (which: "codebookLoss" | "commitmentLoss", wrt: "z" | "e", i: number, h = 1e-3) => {
    const shift = (xs: number[], by: number) => xs.map((v, j) => (j === i ? v + by : v));
    const [plus, minus] = wrt === "z" ? [lossAt(which, shift(zValues, h), codeValues), lossAt(which, shift(zValues, -h), codeValues)] : [lossAt(which, zValues, shift(codeValues, h)), lossAt(which, zValues, shift(codeValues, -h))];
    return (plus - minus) / (2 * h);
  };

  it("the sum of vectorQuantize(zE, codebook).codebookLoss: its codebook gradient matches central finite differences; z_e gets none (sg)", () => {
    expect(Math.min(...bruteForce(zValues, codeValues, dim).map((w) => w.gap))).toBeGreaterThan(1e-2);
    const {dz, de} = autodiff("codebookLoss");
    const used = new Set(bruteForce(zValues, codeValues, dim).map((w) => w.index));
    for (let i = 0; i < codeValues.length; i++) expect(de[i]).toBeCloseTo(centralDifference("codebookLoss", "e", i), 2);
    // Some code is unused, and its gradient is exactly zero: nothing pulls a dead code.
    const unused = [...Array(6).keys()].filter((k) => !used.has(k));
    expect(unused.length).toBeGreaterThan(0);
    for (const k of unused) expect(de.slice(k * dim, (k + 1) * dim)).toEqual([0, 0, 0]);
    expect(dz.every((v) => v === 0)).toBe(true);
  });

  it("the sum of vectorQuantize(zE, codebook).commitmentLoss: its z_e gradient matches central finite differences; the codebook gets none (sg)", () => {
    const {dz, de} = autodiff("commitmentLoss");
    for (let i = 0; i < zValues.length; i += 2) expect(dz[i]).toBeCloseTo(centralDifference("commitmentLoss", "z", i), 2);
    expect(de.every((v) => v === 0)).toBe(true);
  });

  it("lookupCodes(codebook, indices)'s codebook gradient is oneHot(k)ᵀ · dy (summed per code), and it leaks no tensors", async () => {
    expect(
      await leakedBy(() =>
        tf.tidy(() => {
          const codebook = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
          const indices = tf.tensor1d([2, 0, 2], "int32") as Tensor1D;
          const dy = tf.tensor2d([[1, 10], [100, 1000], [2, 20]]);
          const grad = tf.grad((e: Tensor) => tf.sum(tf.mul(lookupCodes(e as Tensor2D, indices), dy)))(codebook);
          // code 0 gets row 1 of dy; code 1 nothing; code 2 rows 0 and 2.
          expect(values(grad)).toEqual([100, 1000, 0, 0, 3, 30]);
          expect(values(lookupCodes(codebook, indices))).toEqual([5, 6, 1, 2, 5, 6]);
        })
      )
    ).toBe(0);
  });

  it("vectorQuantize(zE, codebook) refuses vectors whose length differs from the codes'", () => {
    tf.tidy(() => {
      expect(() => vectorQuantize(tf.zeros([2, 3]), tf.zeros([4, 2]) as Tensor2D)).toThrow(/3 dimensions, the codebook's codes 2/);
    });
  });
});
