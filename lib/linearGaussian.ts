import {identity, inverseSpd, logDetSpd, matMul, matVec, solveSpd, transpose, type Matrix, type Vector} from "./linalg.js";
import {normalSampler} from "./random.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** A diagonal Gaussian q(z) = N(mean, diag exp(logVar)), in plain numbers. */
export interface DiagonalGaussian {
  mean: Vector;
  logVar: Vector;
}

/** The ELBO's parts for one x, in nats: elbo = reconstruction − kl. */
export interface ExactElbo {
  reconstruction: number;
  kl: number;
  elbo: number;
}

/**
 * The linear-Gaussian latent variable model, where everything is exact (probabilistic PCA):
 *   p(z) = N(0, I_K),   p(x | z) = N(W z + b, σ² I_D),   W: [D, K].
 * Then p(x) = N(b, W Wᵀ + σ² I) and the posterior is Gaussian:
 *   p(z | x) = N(Σ Wᵀ (x − b) / σ², Σ),  Σ = (I + Wᵀ W / σ²)⁻¹.
 * The chapters and tests use it to check the ELBO identity, the gap and the IWAE bound against
 * exact values. Computed in float64.
 */
export class LinearGaussianModel {
  readonly weights: Matrix;
  readonly bias: Vector;
  readonly sigma: number;
  readonly dataDim: number;
  readonly latentDim: number;
  /** Σ⁻¹ = I + Wᵀ W / σ², the posterior precision (the same for every x). */
  private readonly precision: Matrix;

  constructor(weights: Matrix, bias: Vector, sigma: number) {
    if (!(sigma > 0)) throw new Error(`LinearGaussianModel: sigma must be positive, got ${sigma}`);
    if (weights.length !== bias.length) throw new Error("LinearGaussianModel: W has one row per data dimension, like b");
    this.weights = weights;
    this.bias = bias;
    this.sigma = sigma;
    this.dataDim = bias.length;
    this.latentDim = weights[0].length;
    const wtw = matMul(transpose(weights), weights);
    this.precision = identity(this.latentDim).map((row, i) => row.map((v, j) => v + wtw[i][j] / (sigma * sigma)));
  }

  /**
   * The exact log p(x) = log N(x; b, Σ), Σ = W Wᵀ + σ² I, in O(D K²) rather than O(D³) (x can be an
   * image), through the matrix determinant lemma and the Woodbury identity:
   *   log det Σ = D log σ² + log det(I + Wᵀ W / σ²)
   *   cᵀ Σ⁻¹ c = (‖c‖² − uᵀ (σ² I + Wᵀ W)⁻¹ u) / σ²,  c = x − b,  u = Wᵀ c.
   */
  logMarginal(x: Vector): number {
    const s2 = this.sigma ** 2;
    const centered = x.map((v, i) => v - this.bias[i]);
    const u = matVec(transpose(this.weights), centered);
    const inner = this.precision.map((row) => row.map((v) => v * s2)); // σ² I + Wᵀ W
    const solved = solveSpd(inner, u);
    const quad = (centered.reduce((sum, v) => sum + v * v, 0) - u.reduce((sum, v, i) => sum + v * solved[i], 0)) / s2;
    const logDet = this.dataDim * Math.log(s2) + logDetSpd(this.precision);
    return -0.5 * (this.dataDim * LOG_2PI + logDet + quad);
  }

  /** The exact posterior p(z | x): its mean and full covariance. */
  posterior(x: Vector): {mean: Vector; covariance: Matrix} {
    const covariance = inverseSpd(this.precision);
    const projected = matVec(transpose(this.weights), x.map((v, i) => (v - this.bias[i]) / this.sigma ** 2));
    return {mean: matVec(covariance, projected), covariance};
  }

  /** The ELBO of a diagonal q in closed form: E_q[log p(x|z)] and KL(q ‖ N(0, I)), both exact. */
  elbo(x: Vector, q: DiagonalGaussian): ExactElbo {
    const variances = q.logVar.map(Math.exp);
    const predicted = matVec(this.weights, q.mean);
    const squared = x.reduce((sum, v, i) => sum + (v - predicted[i] - this.bias[i]) ** 2, 0);
    // E_q‖x − Wz − b‖² = ‖x − W mean − b‖² + tr(W diag(var) Wᵀ)
    const trace = this.weights.reduce((sum, row) => sum + row.reduce((s, w, j) => s + w * w * variances[j], 0), 0);
    const reconstruction = -0.5 * this.dataDim * (LOG_2PI + 2 * Math.log(this.sigma)) - (squared + trace) / (2 * this.sigma ** 2);
    const kl = 0.5 * q.mean.reduce((sum, m, j) => sum + variances[j] + m * m - 1 - q.logVar[j], 0);
    return {reconstruction, kl, elbo: reconstruction - kl};
  }

  /**
   * KL(q ‖ p(z | x)) for a diagonal q against the full-covariance posterior:
   * ½ [tr(Σ⁻¹ S) + (μ − m)ᵀ Σ⁻¹ (μ − m) − K + log det Σ − log det S], S = diag(var), m = q's mean.
   */
  klToPosterior(x: Vector, q: DiagonalGaussian): number {
    const {mean: mu} = this.posterior(x);
    const p = this.precision;
    const variances = q.logVar.map(Math.exp);
    const trace = variances.reduce((sum, v, j) => sum + p[j][j] * v, 0);
    const diff = mu.map((m, j) => m - q.mean[j]);
    const pDiff = matVec(p, diff);
    const quad = diff.reduce((sum, d, i) => sum + d * pDiff[i], 0);
    const logDetPosterior = -logDetSpd(p);
    const logDetQ = q.logVar.reduce((a, b) => a + b, 0);
    return 0.5 * (trace + quad - this.latentDim + logDetPosterior - logDetQ);
  }

  /** log p(x | z) for one z. */
  logLikelihood(x: Vector, z: Vector): number {
    let squared = 0;
    for (let i = 0; i < this.dataDim; i++) {
      const row = this.weights[i];
      let predicted = this.bias[i];
      for (let j = 0; j < this.latentDim; j++) predicted += row[j] * z[j];
      squared += (x[i] - predicted) ** 2;
    }
    return -0.5 * this.dataDim * (LOG_2PI + 2 * Math.log(this.sigma)) - squared / (2 * this.sigma ** 2);
  }

  /**
   * Naive Monte Carlo: log p(x) ≈ log (1/n) Σ p(x | z_i), z_i ~ p(z). Unbiased for p(x), but almost
   * every z from the prior explains x badly, so in many dimensions a few draws carry all the weight.
   * @returns the estimate and each draw's log p(x | z_i)
   */
  naiveMonteCarlo(x: Vector, samples: number, seed: number): {estimate: number; logWeights: Float64Array} {
    const draw = normalSampler(seed);
    const logWeights = new Float64Array(samples);
    for (let i = 0; i < samples; i++) {
      const z = Array.from({length: this.latentDim}, draw);
      logWeights[i] = this.logLikelihood(x, z);
    }
    return {estimate: logMeanExpNumbers(logWeights), logWeights};
  }

  /** Draws x ~ p(x) (through z ~ p(z)), for making test data. */
  sample(seed: number): Vector {
    const draw = normalSampler(seed);
    const z = Array.from({length: this.latentDim}, draw);
    return matVec(this.weights, z).map((v, i) => v + this.bias[i] + this.sigma * draw());
  }
}

/** log((1/n) Σ exp(v_i)) in float64, stable for very negative v. */
export function logMeanExpNumbers(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i]);
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += Math.exp(values[i] - max);
  return max + Math.log(sum / values.length);
}
