import {logDetSpd, matMul, matVec, transpose, type Vector} from "./linalg.js";
import {logMeanExpNumbers, type LinearGaussianModel} from "./linearGaussian.js";
import {normalSampler} from "./random.js";

// Naive Monte Carlo for the linear-Gaussian model (chapter 3), fast enough to run hundreds of times in
// a page: log p(x) ≈ log (1/S) Σ_s p(x | z_s), z_s ~ p(z) = N(0, I).

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * log p(x | z_s) for S draws z_s ~ N(0, I_K), in O(K²) per draw instead of O(D K): with c = x − b,
 *   ‖c − W z‖² = ‖c‖² − 2 (Wᵀc)·z + zᵀ (WᵀW) z.
 * The draws are those of `model.naiveMonteCarlo(x, samples, seed)` (K normals per draw, in order), so
 * both give the same estimate.
 * @returns [samples] log-likelihoods
 */
export function priorSampleLogLikelihoods(model: LinearGaussianModel, x: Vector, samples: number, seed: number): Float64Array {
  const k = model.latentDim;
  const s2 = model.sigma ** 2;
  const centered = x.map((v, i) => v - model.bias[i]);
  const u = matVec(transpose(model.weights), centered);
  const gram = matMul(transpose(model.weights), model.weights);
  const cc = centered.reduce((sum, v) => sum + v * v, 0);
  const constant = -0.5 * model.dataDim * (LOG_2PI + Math.log(s2));
  const draw = normalSampler(seed);
  const z = new Float64Array(k);
  const out = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    for (let j = 0; j < k; j++) z[j] = draw();
    let linear = 0;
    let quadratic = 0;
    for (let i = 0; i < k; i++) {
      linear += u[i] * z[i];
      let row = 0;
      for (let j = 0; j < k; j++) row += gram[i][j] * z[j];
      quadratic += z[i] * row;
    }
    out[s] = constant - (cc - 2 * linear + quadratic) / (2 * s2);
  }
  return out;
}

export interface NaiveRun {
  /** S, the number of draws from the prior. */
  samples: number;
  /** log p̂(x) = logMeanExp of the draws' log p(x | z_s). */
  estimate: number;
  /** The largest normalized weight p(x | z_s) / Σ_t p(x | z_t): the share of the single best draw. */
  largestShare: number;
}

/** One run of naive Monte Carlo: the estimate of log p(x) and the share of its best draw. */
export function naiveRun(model: LinearGaussianModel, x: Vector, samples: number, seed: number): NaiveRun {
  const logWeights = priorSampleLogLikelihoods(model, x, samples, seed);
  let max = -Infinity;
  for (const w of logWeights) max = Math.max(max, w);
  let total = 0;
  for (const w of logWeights) total += Math.exp(w - max);
  return {samples, estimate: logMeanExpNumbers(logWeights), largestShare: 1 / total};
}

/**
 * KL(p(z | x) ‖ p(z)) for the linear-Gaussian model, exactly: the posterior is N(m, Σ) and the prior
 * N(0, I), so KL = ½ [tr Σ + mᵀm − K − log det Σ]. Naive Monte Carlo needs about exp(KL) draws
 * (Chatterjee & Diaconis 2018).
 */
export function posteriorKlToPrior(model: LinearGaussianModel, x: Vector): number {
  const {mean, covariance} = model.posterior(x);
  const trace = covariance.reduce((sum, row, i) => sum + row[i], 0);
  const norm = mean.reduce((sum, m) => sum + m * m, 0);
  return 0.5 * (trace + norm - model.latentDim - logDetSpd(covariance));
}

/**
 * KL(p ‖ q) = ∫ p(z) log(p(z) / q(z)) dz for one-dimensional densities given by their logs, by the
 * midpoint rule on n cells of [lo, hi] (choose the interval to hold essentially all of p's mass).
 * Terms where p underflows to 0 contribute 0 (0 log 0 = 0).
 */
export function klNumeric1d(logP: (z: number) => number, logQ: (z: number) => number, lo: number, hi: number, n = 4000): number {
  const h = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const z = lo + (i + 0.5) * h;
    const lp = logP(z);
    const p = Math.exp(lp);
    if (p > 0) sum += p * (lp - logQ(z));
  }
  return sum * h;
}

/** log N(z; mean, sd²) in one dimension. */
export function normalLogDensity(z: number, mean: number, sd: number): number {
  return -0.5 * LOG_2PI - Math.log(sd) - ((z - mean) / sd) ** 2 / 2;
}

export interface JensenGap {
  /** The (weighted) average of the values t. */
  mean: number;
  /** f(average of t): for f = log and t = p̂ / p(x), the log of the average. */
  fOfMean: number;
  /** The average of f(t): the average of the logs. */
  meanOfF: number;
  /** fOfMean − meanOfF: never negative for a concave f such as log (Jensen's inequality). */
  gap: number;
}

/** Jensen's inequality on a list of values: f(E[t]) against E[f(t)], with optional weights (normalized here). */
export function jensenGap(values: ArrayLike<number>, f: (t: number) => number = Math.log, weights?: ArrayLike<number>): JensenGap {
  const n = values.length;
  if (n === 0) throw new Error("jensenGap: no values");
  let total = 0;
  for (let i = 0; i < n; i++) total += weights ? weights[i] : 1;
  let mean = 0;
  let meanOfF = 0;
  for (let i = 0; i < n; i++) {
    const w = (weights ? weights[i] : 1) / total;
    mean += w * values[i];
    meanOfF += w * f(values[i]);
  }
  const fOfMean = f(mean);
  return {mean, fOfMean, meanOfF, gap: fOfMean - meanOfF};
}
