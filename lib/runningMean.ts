/**
 * Running means of a sequence of estimates, read at a few sample counts: how an average of n draws
 * settles as n grows. Chapter 6 plots the running means of two gradient estimators on one pair of
 * axes, against the number of samples.
 *
 *   runningMean_n = (1/n) Σ_{i ≤ n} values_i,  n = 1 … values.length
 */

/** Sample counts 1 … total, spaced evenly on a log scale, each at most once, always ending at total. */
export function logSpacedCounts(total: number, points: number): number[] {
  if (!Number.isInteger(total) || total < 1) throw new Error(`logSpacedCounts: total must be a positive integer, got ${total}`);
  if (!Number.isInteger(points) || points < 2) throw new Error(`logSpacedCounts: points must be an integer ≥ 2, got ${points}`);
  const counts = new Set<number>();
  for (let i = 0; i < points; i++) counts.add(Math.min(total, Math.round(Math.exp((Math.log(total) * i) / (points - 1)))));
  counts.add(total);
  return [...counts].sort((a, b) => a - b);
}

/**
 * The mean of the first n values, for each n in `counts` (ascending, each in 1 … values.length).
 * @returns one {n, mean} per count, in float64
 */
export function runningMeans(values: ArrayLike<number>, counts: readonly number[]): {n: number; mean: number}[] {
  const result: {n: number; mean: number}[] = [];
  let sum = 0;
  let i = 0;
  let last = 0;
  for (const n of counts) {
    if (!Number.isInteger(n) || n < 1 || n > values.length || n < last) {
      throw new Error(`runningMeans: counts must be ascending integers in 1 … ${values.length}, got ${n}`);
    }
    for (; i < n; i++) sum += values[i];
    result.push({n, mean: sum / n});
    last = n;
  }
  return result;
}
