import {normalSampler} from "./random.js";

/**
 * Where the codes of a Gaussian prior lie. The density of N(0, I_J) is largest at z = 0, but the
 * volume of a shell of radius r grows like r^(J−1), so the norm ‖z‖ of a draw concentrates near √J:
 * in J = 20 dimensions almost no draw comes near the centre. These are plain-number functions (no
 * tensors): the page draws them at once, before a model has loaded.
 */

// Lanczos coefficients (g = 7, n = 9), as in Numerical Recipes and most libm's.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7
];

/** log Γ(x) for x > 0 (Lanczos approximation; relative error below 1e-13). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`logGamma: x must be > 0, got ${x}`);
  // Reflection keeps the series in its accurate range: Γ(x)Γ(1 − x) = π / sin(πx).
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (y + i);
  const t = y + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}

/**
 * The density of r = ‖z‖ for z ~ N(0, T² I_J): a chi distribution with J degrees of freedom, scaled by T,
 *   f(r) = r^(J−1) e^(−r²/(2T²)) / (2^(J/2 − 1) Γ(J/2) T^J),
 * the Gaussian density at radius r times the area of the sphere of radius r. Its mode is T·√(J − 1).
 */
export function normDensity(r: number, dim: number, temperature = 1): number {
  if (!Number.isInteger(dim) || dim < 1) throw new Error(`normDensity: dim must be a whole number ≥ 1, got ${dim}`);
  if (!(temperature > 0)) throw new Error(`normDensity: temperature must be > 0, got ${temperature}`);
  if (r < 0) return 0;
  if (r === 0) return dim === 1 ? Math.sqrt(2 / Math.PI) / temperature : 0;
  const s = r / temperature;
  const log = (dim - 1) * Math.log(s) - (s * s) / 2 - (dim / 2 - 1) * Math.LN2 - logGamma(dim / 2) - Math.log(temperature);
  return Math.exp(log);
}

/** E‖z‖ for z ~ N(0, T² I_J): T·√2·Γ((J + 1)/2) / Γ(J/2), a little under T·√J. */
export function meanNorm(dim: number, temperature = 1): number {
  return temperature * Math.SQRT2 * Math.exp(logGamma((dim + 1) / 2) - logGamma(dim / 2));
}

/**
 * n codes z = T·ε, ε ~ N(0, I_J), drawn from a seeded generator outside tfjs, so that a page can show
 * their norms at once and decode exactly these codes once its model has loaded.
 * @returns n arrays of dim numbers
 */
export function sampleCodes(n: number, dim: number, {temperature = 1, seed = 1}: {temperature?: number; seed?: number} = {}): number[][] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`sampleCodes: n must be a whole number ≥ 0, got ${n}`);
  if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new Error(`sampleCodes: temperature must be a number ≥ 0, got ${temperature}`);
  const draw = normalSampler(seed);
  return Array.from({length: n}, () => Array.from({length: dim}, () => temperature * draw()));
}

/**
 * One draw z = μ + σ ⊙ ε, ε ~ N(0, I), σ = exp(logVar / 2), from each row's q(z|x) (seeded, outside tfjs).
 * @param mean [n][dim]
 * @param logVar [n][dim]
 */
export function samplePosteriors(mean: number[][], logVar: number[][], seed = 1): number[][] {
  if (mean.length !== logVar.length) throw new Error(`samplePosteriors: ${mean.length} means but ${logVar.length} log-variances`);
  const draw = normalSampler(seed);
  return mean.map((m, i) => m.map((v, d) => v + Math.exp(logVar[i][d] / 2) * draw()));
}

/** The Euclidean norm of each code. */
export function norms(codes: ArrayLike<number>[]): number[] {
  return codes.map((z) => {
    let s = 0;
    for (let i = 0; i < z.length; i++) s += z[i] * z[i];
    return Math.sqrt(s);
  });
}
