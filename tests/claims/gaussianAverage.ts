// Independent references for the claims of chapters 4–6: averages under a Gaussian by numerical
// integration (Simpson's rule on a fine grid), in plain numbers, with no lib code involved.
import {readFileSync} from "node:fs";
import {join} from "node:path";

/** E_{z ~ N(mean, sd²)}[g(z)], by Simpson's rule over mean ± 12 sd (the tails beyond weigh < 1e-30). */
export function gaussianAverage(g: (z: number) => number, mean: number, sd: number, steps = 20_000): number {
  const half = 12;
  const h = (2 * half) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const e = -half + i * h;
    const weight = i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2;
    sum += weight * Math.exp(-0.5 * e * e) * g(mean + sd * e);
  }
  return (sum * h) / 3 / Math.sqrt(2 * Math.PI);
}

/** log N(z; mean, sd²) for one number. */
export const logNormal = (z: number, mean: number, sd: number) => -0.5 * Math.log(2 * Math.PI * sd * sd) - ((z - mean) ** 2) / (2 * sd * sd);

/** KL(N(m1, s1²) ‖ N(m2, s2²)) as the average of log q − log p under q, by numerical integration. */
export const klByIntegration = (m1: number, s1: number, m2: number, s2: number) =>
  gaussianAverage((z) => logNormal(z, m1, s1) - logNormal(z, m2, s2), m1, s1);

/** A chapter's markdown source, for claims that state what the page's own code sets (defaults, options). */
export const chapterSource = (file: string) => readFileSync(join(import.meta.dirname, "../../src/chapters", file), "utf8");
