import {bernoulliLogLikelihood} from "./logDensity.js";
import {tf, type Tensor} from "./tf.js";

// Why a Bernoulli decoder outputs logits (chapter 7). A pixel's probability of ink is sigmoid(l) for a
// logit l the network may set to any real number. In exact arithmetic
//   log Bernoulli(x; sigmoid(l)) = x·log sigmoid(l) + (1 − x)·log(1 − sigmoid(l)) = x·l − softplus(l),
// with softplus(l) = log(1 + e^l). In float32 the left form breaks for confident logits: sigmoid(l)
// rounded to the nearest float32 is exactly 1 once e^−l < 2^−25 (l > 25 ln 2 ≈ 17.3), and a kernel that
// computes 1 + e^−l itself in float32 (as WebGL's does) gets 1 already once e^−l ≤ 2^−24
// (l ≥ 24 ln 2 ≈ 16.6); either way log(1 − sigmoid(l)) = log 0 = −∞, while the right form stays finite
// and exact to float32 precision for any l.

/** softplus(l) = log(1 + e^l) in float64, without overflow: max(l, 0) + log1p(e^−|l|). */
export function softplus(l: number): number {
  return Math.max(l, 0) + Math.log1p(Math.exp(-Math.abs(l)));
}

/** log Bernoulli(x; sigmoid(l)) = x·l − softplus(l) for one pixel x ∈ {0, 1}, in float64. */
export function bernoulliLogProbability(x: number, logit: number): number {
  return x * logit - softplus(logit);
}

/**
 * sigmoid(l) as a float32 tensor stores it: 1 / (1 + e^−l) rounded to the nearest float32
 * (Math.fround), the value a float32 kernel that works in higher precision inside would return.
 */
export function float32Sigmoid(logit: number): number {
  return Math.fround(1 / (1 + Math.exp(-logit)));
}

/**
 * sigmoid(l) computed step by step in float32 arithmetic, every intermediate rounded: e^−l, then
 * 1 + e^−l, then its reciprocal. The float32 numbers just above 1 are 2^−23 apart, so 1 + e^−l is
 * exactly 1 once e^−l ≤ 2^−24, earlier than the correctly rounded float32Sigmoid reaches 1.
 */
export function float32ArithmeticSigmoid(logit: number): number {
  const f = Math.fround;
  return f(1 / f(1 + f(Math.exp(-logit))));
}

/**
 * The smallest logit (to `tolerance`) at which float32ArithmeticSigmoid(l) is exactly 1, by bisection.
 * In closed form l = 24 ln 2 (1 + 2^−24 is the tie between 1 and 1 + 2^−23, and rounds to even, 1).
 */
export function float32ArithmeticSaturationLogit(tolerance = 1e-6): number {
  let [lo, hi] = [0, 100];
  while (hi - lo > tolerance) {
    const mid = (lo + hi) / 2;
    if (float32ArithmeticSigmoid(mid) === 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The naive log-probability of one pixel in float32: round sigmoid(l) to float32, take 1 − it for
 * x = 0 (exact in float32 near 1), and the log of that. −∞ once the probability rounds to 0.
 */
export function naiveFloat32LogProbability(x: number, logit: number): number {
  const s = float32Sigmoid(logit);
  const p = x === 1 ? s : Math.fround(1 - s);
  return Math.fround(Math.log(p));
}

/**
 * The smallest logit (to `tolerance`) at which float32 sigmoid(l) is exactly 1, so that
 * log(1 − sigmoid(l)) = −∞: found by bisection on float32Sigmoid. In closed form l = 25 ln 2 (the
 * float32 numbers just below 1 are 2^−24 apart, and 1 − 2^−25 rounds up to 1).
 */
export function float32SaturationLogit(tolerance = 1e-6): number {
  let [lo, hi] = [0, 100];
  while (hi - lo > tolerance) {
    const mid = (lo + hi) / 2;
    if (float32Sigmoid(mid) === 1) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * log Bernoulli(x; sigmoid(logits)) per pixel the naive way, on the current backend:
 * log(sigmoid(l)) where x = 1, log(1 − sigmoid(l)) where x = 0. Gives −∞ for confident wrong logits.
 * @param x [n] (or any shape) in {0, 1}
 * @param logits same shape as x
 * @returns per pixel, same shape
 */
export function naiveBernoulliLogProbabilities(x: Tensor, logits: Tensor): Tensor {
  return tf.tidy(() => {
    const s = tf.sigmoid(logits);
    return tf.log(tf.where(tf.equal(x, 1), s, tf.sub(1, s)));
  });
}

/**
 * The same per pixel, computed stably as x·l − softplus(l) by lib's bernoulliLogLikelihood (the form
 * every model here trains with), one pixel per row.
 * @param x [n] in {0, 1}; logits [n]
 * @returns [n]
 */
export function stableBernoulliLogProbabilities(x: Tensor, logits: Tensor): Tensor {
  return tf.tidy(() => bernoulliLogLikelihood(x.reshape([-1, 1]), logits.reshape([-1, 1])));
}

/**
 * d/dl of each pixel's log-probability by autodiff, for the naive form and for lib's stable form
 * (whose gradient is x − sigmoid(l)). The naive one is NaN where 1 − sigmoid(l) rounded to 0.
 * @returns {naive, stable}, each [n]; the caller owns them
 */
export function bernoulliLogProbabilityGradients(x: Tensor, logits: Tensor): {naive: Tensor; stable: Tensor} {
  const naive = tf.grad((l: Tensor) => naiveBernoulliLogProbabilities(x, l).sum())(logits);
  const stable = tf.grad((l: Tensor) => stableBernoulliLogProbabilities(x, l).sum())(logits);
  return {naive, stable};
}
