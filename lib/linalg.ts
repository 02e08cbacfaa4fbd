// Small dense linear algebra in float64 for the teaching models, whose answers must be exact to many
// digits (tfjs computes in float32). Matrices are arrays of rows.

export type Matrix = number[][];
export type Vector = number[];

export function matVec(a: Matrix, v: Vector): Vector {
  return a.map((row) => row.reduce((sum, x, j) => sum + x * v[j], 0));
}

export function transpose(a: Matrix): Matrix {
  return a[0].map((_, j) => a.map((row) => row[j]));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const bt = transpose(b);
  return a.map((row) => bt.map((col) => row.reduce((sum, x, k) => sum + x * col[k], 0)));
}

export function identity(n: number): Matrix {
  return Array.from({length: n}, (_, i) => Array.from({length: n}, (_, j) => (i === j ? 1 : 0)));
}

/** Lower-triangular L with L Lᵀ = a, for symmetric positive-definite a. */
export function cholesky(a: Matrix): Matrix {
  const n = a.length;
  const l: Matrix = Array.from({length: n}, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0)) throw new Error("cholesky: matrix is not positive definite");
        l[i][i] = Math.sqrt(sum);
      } else {
        l[i][j] = sum / l[j][j];
      }
    }
  }
  return l;
}

/** log det a for symmetric positive-definite a: 2 Σ log L_ii. */
export function logDetSpd(a: Matrix): number {
  return 2 * cholesky(a).reduce((sum, row, i) => sum + Math.log(row[i]), 0);
}

/** Solves a x = b for symmetric positive-definite a, through its Cholesky factor. */
export function solveSpd(a: Matrix, b: Vector): Vector {
  const l = cholesky(a);
  const n = b.length;
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

/** The inverse of a symmetric positive-definite matrix, column by column. */
export function inverseSpd(a: Matrix): Matrix {
  const columns = identity(a.length).map((e) => solveSpd(a, e));
  return transpose(columns);
}
