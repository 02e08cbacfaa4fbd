import {tf, type Tensor1D} from "./tf.js";

/** An objective f(z) applied elementwise to a vector of samples: [samples] → [samples]. */
export type Objective = (z: Tensor1D) => Tensor1D;

export interface EstimatorOptions {
  samples: number;
  seed?: number;
  /** Fixed noise, [samples]; both estimators given the same epsilon see the same z. */
  epsilon?: Float32Array;
}

export interface GradientEstimate {
  /** One single-sample estimate of ∂/∂mean E_q[f(z)] per draw. */
  perSample: Float32Array;
  /** Their average: the estimator with `samples` draws. */
  mean: number;
  /** Their standard deviation: the spread of a single-sample estimate. */
  std: number;
}

function summarize(perSample: Float32Array): GradientEstimate {
  const n = perSample.length;
  let sum = 0;
  for (const v of perSample) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of perSample) squares += (v - mean) ** 2;
  return {perSample, mean, std: n > 1 ? Math.sqrt(squares / (n - 1)) : 0};
}

function noise({samples, seed, epsilon}: EstimatorOptions): Tensor1D {
  if (epsilon) {
    if (epsilon.length !== samples) throw new Error(`epsilon has ${epsilon.length} values, expected ${samples}`);
    return tf.tensor1d(epsilon);
  }
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`samples must be a positive integer, got ${samples}`);
  return tf.randomNormal([samples], 0, 1, "float32", seed) as Tensor1D;
}

/**
 * Score-function (REINFORCE) estimator of ∂/∂mean E_{z~N(mean, σ²)}[f(z)]:
 *   f(z) · ∂/∂mean log q(z) = f(z) · (z − mean) / σ²,  z = mean + σ·ε.
 * Needs only values of f, never its derivative, and is noisy.
 */
export function scoreFunctionGradient(f: Objective, mean: number, sigma: number, options: EstimatorOptions): GradientEstimate {
  const perSample = tf.tidy(() => {
    const epsilon = noise(options);
    const z = epsilon.mul(sigma).add(mean) as Tensor1D;
    return f(z).mul(epsilon.div(sigma)); // (z − mean)/σ² = ε/σ
  });
  const values = perSample.dataSync() as Float32Array;
  perSample.dispose();
  return summarize(Float32Array.from(values));
}

/**
 * Reparameterized (pathwise) estimator of the same gradient:
 *   ∂/∂mean f(mean + σ·ε) = f′(mean + σ·ε),
 * computed by automatic differentiation through z = mean + σ·ε.
 */
export function reparameterizedGradient(f: Objective, mean: number, sigma: number, options: EstimatorOptions): GradientEstimate {
  const perSample = tf.tidy(() => {
    const epsilon = noise(options);
    const means = tf.fill([epsilon.shape[0]], mean) as Tensor1D;
    // Each sample has its own copy of mean, so the gradient of the sum is the per-sample gradient.
    return tf.grad((m) => f(m.add(epsilon.mul(sigma)) as Tensor1D).sum())(means);
  });
  const values = perSample.dataSync() as Float32Array;
  perSample.dispose();
  return summarize(Float32Array.from(values));
}
