import type {Posteriors} from "./encode.js";
import {normalSampler} from "./random.js";

/**
 * The aggregate posterior of N data points, q(z) = (1/N) Σₙ q(z|xₙ), a mixture of the encoder's N
 * Gaussians: the distribution of the codes the decoder is trained on, to be set against the prior
 * p(z) = N(0, I) that generation samples from. Where p(z) has mass and q(z) has almost none is a
 * "hole": the prior sends codes there that the decoder has never been trained to draw.
 *
 * Averaged over the data, the ELBO's KL term splits in two (Hoffman & Johnson, 2016):
 *   (1/N) Σₙ KL(q(z|xₙ) ‖ p(z)) = I_q(n; z) + KL(q(z) ‖ p(z)),
 * the information the code carries about which data point it came from (at most log N), plus how far
 * the aggregate posterior is from the prior. Plain numbers in double precision (no tensors).
 */

const LOG_2PI = Math.log(2 * Math.PI);

/** log N(z; 0, I). */
export function standardNormalLogDensity(z: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += z[i] * z[i];
  return -0.5 * (z.length * LOG_2PI + s);
}

/** The mixture's components, flattened: means, 1/σ and each component's log normalizer. */
interface Components {
  count: number;
  dim: number;
  mean: Float64Array;
  invSd: Float64Array;
  logNorm: Float64Array;
}

function components({mean, logVar}: Posteriors): Components {
  const count = mean.length;
  if (count === 0) throw new Error("the aggregate posterior needs at least one q(z|x)");
  if (logVar.length !== count) throw new Error(`${count} means but ${logVar.length} log-variances`);
  const dim = mean[0].length;
  const out: Components = {count, dim, mean: new Float64Array(count * dim), invSd: new Float64Array(count * dim), logNorm: new Float64Array(count)};
  for (let k = 0; k < count; k++) {
    if (mean[k].length !== dim || logVar[k].length !== dim) throw new Error(`q(z|x) number ${k} has ${mean[k].length} dimensions, not ${dim}`);
    let logNorm = -0.5 * dim * LOG_2PI;
    for (let d = 0; d < dim; d++) {
      out.mean[k * dim + d] = mean[k][d];
      out.invSd[k * dim + d] = Math.exp(-logVar[k][d] / 2);
      logNorm -= logVar[k][d] / 2;
    }
    out.logNorm[k] = logNorm;
  }
  return out;
}

/** log N(z; μ_k, diag σ_k²) for every component k, into `out`; returns the largest. */
function componentLogDensities(c: Components, z: ArrayLike<number>, out: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < c.count; k++) {
    let s = 0;
    const o = k * c.dim;
    for (let d = 0; d < c.dim; d++) {
      const u = (z[d] - c.mean[o + d]) * c.invSd[o + d];
      s += u * u;
    }
    const v = c.logNorm[k] - 0.5 * s;
    out[k] = v;
    if (v > max) max = v;
  }
  return max;
}

/** log q(z) = log (1/N) Σₖ N(z; μ_k, σ_k²), by log-sum-exp. */
function mixtureLogDensityAt(c: Components, z: ArrayLike<number>, scratch: Float64Array): number {
  const max = componentLogDensities(c, z, scratch);
  if (max === -Infinity) return -Infinity;
  let sum = 0;
  for (let k = 0; k < c.count; k++) sum += Math.exp(scratch[k] - max);
  return max + Math.log(sum / c.count);
}

/**
 * log q(z) of the aggregate posterior at each point.
 * @param points [m][dim]
 * @param posteriors N encoder outputs, [N][dim] each
 */
export function aggregateLogDensity(points: ArrayLike<number>[], posteriors: Posteriors): Float64Array {
  const c = components(posteriors);
  const scratch = new Float64Array(c.count);
  return Float64Array.from(points, (z) => mixtureLogDensityAt(c, z, scratch));
}

/** log q(z) and log p(z) on a square grid over [−extent, extent]² (2-D codes only). */
export interface DensityGrid {
  /** Cells per side; cells run row by row from the top left (z₁ = −extent, z₂ = +extent). */
  size: number;
  extent: number;
  /** The centre of each cell, [size²][2]. */
  centres: [number, number][];
  logQ: Float64Array;
  logP: Float64Array;
}

export function aggregatePosteriorGrid(posteriors: Posteriors, {extent = 3.5, size = 60}: {extent?: number; size?: number} = {}): DensityGrid {
  if (posteriors.mean[0]?.length !== 2) throw new Error("aggregatePosteriorGrid: the grid is for 2-D codes");
  if (!Number.isInteger(size) || size < 2) throw new Error(`aggregatePosteriorGrid: size must be a whole number ≥ 2, got ${size}`);
  const step = (2 * extent) / size;
  const centres = Array.from({length: size * size}, (_, i): [number, number] => [-extent + (0.5 + (i % size)) * step, extent - (0.5 + Math.floor(i / size)) * step]);
  return {size, extent, centres, logQ: aggregateLogDensity(centres, posteriors), logP: Float64Array.from(centres, standardNormalLogDensity)};
}

/** The cells where q(z) < ratio·p(z), the hole the prior finds most probable, and the densest point of q. */
export interface Holes {
  isHole: boolean[];
  /** The centre of the hole cell with the largest p(z), or null when there is no hole. */
  mostProbableHole: [number, number] | null;
  /** The centre of the cell with the largest q(z). */
  densest: [number, number];
}

export function findHoles(grid: DensityGrid, {ratio = 0.1}: {ratio?: number} = {}): Holes {
  if (!(ratio > 0)) throw new Error(`findHoles: ratio must be > 0, got ${ratio}`);
  const threshold = Math.log(ratio);
  const isHole = grid.centres.map((_, i) => grid.logQ[i] - grid.logP[i] < threshold);
  let hole = -1;
  let dense = 0;
  for (let i = 0; i < isHole.length; i++) {
    if (isHole[i] && (hole < 0 || grid.logP[i] > grid.logP[hole])) hole = i;
    if (grid.logQ[i] > grid.logQ[dense]) dense = i;
  }
  return {isHole, mostProbableHole: hole < 0 ? null : grid.centres[hole], densest: grid.centres[dense]};
}

/** The average KL and its two parts, estimated on the data the posteriors came from. */
export interface KlSplit {
  /** N, the number of q(z|x) in the mixture. */
  count: number;
  samplesPerPoint: number;
  /** (1/N) Σₙ KL(q(z|xₙ) ‖ N(0, I)), exactly (the closed form of chapter 5). */
  averageKl: number;
  /** I_q(n; z) = E[log q(z|xₙ) − log q(z)], by Monte Carlo over z ~ q(z|xₙ); at most log N. */
  mutualInformation: number;
  /** KL(q(z) ‖ p(z)) = E_q(z)[log q(z) − log p(z)], by Monte Carlo with the same draws. */
  marginalKl: number;
  /** Standard errors of the two Monte Carlo estimates (of this run, not of the expectation's value). */
  standardErrors: {mutualInformation: number; marginalKl: number};
}

/**
 * Splits the average KL into I_q(n; z) + KL(q(z) ‖ p(z)). Each of the N·S draws z ~ q(z|xₙ) is scored
 * under its own component, the whole mixture (log q(z), exactly: a sum over the N components) and the
 * prior; the two Monte Carlo averages add up to a Monte Carlo estimate of the exact average KL.
 */
export function klSplit(posteriors: Posteriors, {samplesPerPoint = 4, seed = 1}: {samplesPerPoint?: number; seed?: number} = {}): KlSplit {
  if (!Number.isInteger(samplesPerPoint) || samplesPerPoint < 1) throw new Error(`klSplit: samplesPerPoint must be a whole number ≥ 1, got ${samplesPerPoint}`);
  const c = components(posteriors);
  const scratch = new Float64Array(c.count);
  const draw = normalSampler(seed);
  let averageKl = 0;
  for (let k = 0; k < c.count; k++) {
    for (let d = 0; d < c.dim; d++) {
      const m = posteriors.mean[k][d];
      const v = posteriors.logVar[k][d];
      averageKl += 0.5 * (Math.exp(v) + m * m - 1 - v);
    }
  }
  averageKl /= c.count;
  const z = new Float64Array(c.dim);
  let [sumI, sumI2, sumM, sumM2] = [0, 0, 0, 0];
  for (let k = 0; k < c.count; k++) {
    for (let s = 0; s < samplesPerPoint; s++) {
      let own = c.logNorm[k];
      for (let d = 0; d < c.dim; d++) {
        const e = draw();
        z[d] = c.mean[k * c.dim + d] + e / c.invSd[k * c.dim + d];
        own -= 0.5 * e * e;
      }
      const logQ = mixtureLogDensityAt(c, z, scratch);
      const i = own - logQ;
      const m = logQ - standardNormalLogDensity(z);
      sumI += i;
      sumI2 += i * i;
      sumM += m;
      sumM2 += m * m;
    }
  }
  const n = c.count * samplesPerPoint;
  const se = (sum: number, sum2: number) => (n > 1 ? Math.sqrt(Math.max(0, sum2 / n - (sum / n) ** 2) / (n - 1)) : NaN);
  return {
    count: c.count,
    samplesPerPoint,
    averageKl,
    mutualInformation: sumI / n,
    marginalKl: sumM / n,
    standardErrors: {mutualInformation: se(sumI, sumI2), marginalKl: se(sumM, sumM2)}
  };
}

/** Draws from the prior, and which of them land in a hole (q(z) < ratio·p(z)). */
export interface PriorInHoles {
  /** The fraction of the draws in a hole: a Monte Carlo estimate of the prior's mass there. */
  fraction: number;
  standardError: number;
  codes: number[][];
  inHole: boolean[];
}

export function priorInHoles(posteriors: Posteriors, {ratio = 0.1, samples = 2000, seed = 1}: {ratio?: number; samples?: number; seed?: number} = {}): PriorInHoles {
  if (!(ratio > 0)) throw new Error(`priorInHoles: ratio must be > 0, got ${ratio}`);
  const c = components(posteriors);
  const scratch = new Float64Array(c.count);
  const draw = normalSampler(seed);
  const threshold = Math.log(ratio);
  const codes = Array.from({length: samples}, () => Array.from({length: c.dim}, draw));
  const inHole = codes.map((z) => mixtureLogDensityAt(c, z, scratch) - standardNormalLogDensity(z) < threshold);
  const fraction = inHole.filter(Boolean).length / samples;
  return {fraction, standardError: Math.sqrt((fraction * (1 - fraction)) / samples), codes, inHole};
}
