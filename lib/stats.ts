// Summaries of plain arrays of numbers, for the figures' captions and the claims' checks.

/** The arithmetic mean; NaN for an empty list. */
export function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length ? sum / values.length : NaN;
}

/**
 * The q-quantile with linear interpolation between order statistics (type 7, the default of R and
 * numpy): position h = (n − 1)·q in the sorted values, interpolated between ⌊h⌋ and ⌈h⌉.
 * quantile(v, 0.5) is the median: the middle value, or the mean of the two middle values when n is even.
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile: q must be in [0, 1], got ${q}`);
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The median: the middle value, or the mean of the two middle values when there are an even number. */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/**
 * The standard error of the mean, s/√n with s the sample standard deviation (n − 1 in its
 * denominator): how far the mean of n independent draws typically is from their expectation.
 * NaN for fewer than two values.
 */
export function standardError(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return NaN;
  const m = mean(values);
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i] - m) ** 2;
  return Math.sqrt(squares / (n - 1) / n);
}

/** The fraction of values strictly above `threshold`. */
export function fractionAbove(values: ArrayLike<number>, threshold: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] > threshold) count++;
  return values.length ? count / values.length : NaN;
}

/** Nats per image to bits per dimension: nats / (dims · ln 2). One nat is 1/ln 2 ≈ 1.443 bits. */
export function bitsPerDim(nats: number, dims: number): number {
  return nats / (dims * Math.LN2);
}
