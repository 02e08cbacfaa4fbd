import {describe, expect, it} from "vitest";
import {cholesky, identity, inverseSpd, logDetSpd, matMul, matVec, solveSpd, transpose} from "../../lib/linalg.ts";

// A 3×3 symmetric positive-definite matrix with hand-checked facts: det = 8·(6·5 − 1·1) − 2·(2·5 − 1·0) + 0 = 232 − 20 = 212.
const A = [
  [8, 2, 0],
  [2, 6, 1],
  [0, 1, 5]
];

describe("linalg", () => {
  it("cholesky(a) is lower-triangular with L Lᵀ = a", () => {
    const l = cholesky(A);
    expect(l[0][1]).toBe(0);
    expect(l[0][2]).toBe(0);
    expect(l[1][2]).toBe(0);
    const back = matMul(l, transpose(l));
    back.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(A[i][j], 12)));
  });

  it("cholesky(a) refuses a matrix that is not positive definite", () => {
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/positive definite/);
  });

  it("logDetSpd(a) matches the determinant expanded by hand (212)", () => {
    expect(logDetSpd(A)).toBeCloseTo(Math.log(212), 12);
  });

  it("solveSpd(a, b) solves a x = b, and inverseSpd(a) · a = I", () => {
    const x = [1, -2, 0.5];
    const b = matVec(A, x);
    solveSpd(A, b).forEach((v, i) => expect(v).toBeCloseTo(x[i], 12));
    const product = matMul(inverseSpd(A), A);
    const eye = identity(3);
    product.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(eye[i][j], 12)));
  });
});
