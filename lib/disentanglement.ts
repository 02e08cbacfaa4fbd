// Is a code disentangled? Chapter 12's measured answer: the mutual information between each latent
// unit and each factor that made the data, and the mutual information gap (MIG, Chen et al. 2018).
//
// The estimator is the one disentanglement_lib uses for MIG (Locatello et al. 2019): each unit's
// encoder means over the data are cut into `bins` equal-width bins between their minimum and maximum,
// and I(z_j; v_k) is the plug-in ("histogram") estimate from the contingency table of bin against the
// factor's value, in nats:
//   I(a; b) = Σ_{a,b} p(a, b) · log( p(a, b) / (p(a) p(b)) ),  p = counts / N.
// Chen et al. estimate I from samples of q(z|x) instead; on the encoder means the two agree in spirit
// but not in value. The plug-in estimate is biased upwards: for independent variables its expectation
// is about (A − 1)(B − 1) / (2N) nats (Miller 1955), with A and B the numbers of occupied bins and
// values, e.g. 19·15/4,000 ≈ 0.07 nats for 20 bins, a 16-valued factor and N = 2,000. The matrix
// reports that figure beside each entry. Binning a continuous unit also loses information, so a unit
// that copies a factor with more distinct values than bins scores below H(v_k).
import type {Dataset} from "./batches.js";
import type {Model} from "./model.js";
import {tf} from "./tf.js";

/**
 * Each value's bin among `bins` equal-width bins between the values' minimum and maximum (the maximum
 * goes in the last bin); a constant column is all bin 0. @returns [n] bin indices
 */
export function discretize(values: ArrayLike<number>, bins = 20): Int32Array {
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`discretize: bins must be a whole number ≥ 1, got ${bins}`);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) throw new Error(`discretize: value ${i} is ${v}; every value must be a finite number`);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const out = new Int32Array(values.length);
  if (!(max > min)) return out;
  const scale = bins / (max - min);
  for (let i = 0; i < values.length; i++) out[i] = Math.min(bins - 1, Math.floor((values[i] - min) * scale));
  return out;
}

/** Compact labels 0..m−1 for arbitrary whole-number labels, and m. */
function relabel(labels: ArrayLike<number>): {codes: Int32Array; size: number} {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = map.get(labels[i]);
    if (c === undefined) map.set(labels[i], (c = map.size));
    codes[i] = c;
  }
  return {codes, size: map.size};
}

/** The plug-in entropy H(a) = −Σ p log p of discrete labels, in nats. */
export function entropy(labels: ArrayLike<number>): number {
  const n = labels.length;
  if (n === 0) throw new Error("entropy: no labels");
  const {codes, size} = relabel(labels);
  const counts = new Float64Array(size);
  for (let i = 0; i < n; i++) counts[codes[i]]++;
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / n) * Math.log(c / n);
  return h;
}

/**
 * The plug-in mutual information I(a; b) between two discrete labelings of the same n items, in nats,
 * from their contingency table (see the file's comment for its bias).
 */
export function mutualInformation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  if (n === 0 || b.length !== n) throw new Error(`mutualInformation: needs two labelings of the same items, got ${a.length} and ${b.length}`);
  const A = relabel(a);
  const B = relabel(b);
  const joint = new Float64Array(A.size * B.size);
  const pa = new Float64Array(A.size);
  const pb = new Float64Array(B.size);
  for (let i = 0; i < n; i++) {
    joint[A.codes[i] * B.size + B.codes[i]]++;
    pa[A.codes[i]]++;
    pb[B.codes[i]]++;
  }
  let mi = 0;
  for (let x = 0; x < A.size; x++) {
    for (let y = 0; y < B.size; y++) {
      const c = joint[x * B.size + y];
      if (c > 0) mi += (c / n) * Math.log((c * n) / (pa[x] * pb[y]));
    }
  }
  return Math.max(0, mi);
}

export interface MutualInformationMatrix {
  /** I(z_j; v_k) in nats: [latentDim][factors]. */
  mi: number[][];
  /** H(v_k) in nats: [factors]. */
  entropies: number[];
  /** I(z_j; v_k) / H(v_k), in [0, 1]: [latentDim][factors] (0 for a factor that never varies). */
  normalized: number[][];
  /** The plug-in estimate's approximate upward bias, (A − 1)(B − 1) / (2N) nats: [latentDim][factors]. */
  bias: number[][];
  bins: number;
  count: number;
}

/**
 * The mutual information between each latent unit and each factor.
 * @param codes [count, latentDim] encoder means, row by row
 * @param factors one [count] array of whole-number factor values (grid indices) per factor
 */
export function mutualInformationMatrix(codes: ArrayLike<number>, latentDim: number, factors: ArrayLike<number>[], {bins = 20}: {bins?: number} = {}): MutualInformationMatrix {
  if (!Number.isInteger(latentDim) || latentDim < 1) throw new Error(`mutualInformationMatrix: latentDim must be a whole number ≥ 1, got ${latentDim}`);
  const count = codes.length / latentDim;
  if (!Number.isInteger(count) || count < 2) throw new Error(`mutualInformationMatrix: ${codes.length} code values are not [count ≥ 2, ${latentDim}]`);
  if (factors.length === 0) throw new Error("mutualInformationMatrix: no factors");
  factors.forEach((f, k) => {
    if (f.length !== count) throw new Error(`mutualInformationMatrix: factor ${k} has ${f.length} values for ${count} codes`);
  });
  const occupied = (labels: ArrayLike<number>) => new Set(Array.from(labels)).size;
  const factorSizes = factors.map(occupied);
  const entropies = factors.map((f) => entropy(f));
  const column = new Float64Array(count);
  const mi: number[][] = [];
  const bias: number[][] = [];
  for (let j = 0; j < latentDim; j++) {
    for (let n = 0; n < count; n++) column[n] = codes[n * latentDim + j];
    const binned = discretize(column, bins);
    const used = occupied(binned);
    mi.push(factors.map((f) => mutualInformation(binned, f)));
    bias.push(factorSizes.map((size) => ((used - 1) * (size - 1)) / (2 * count)));
  }
  const normalized = mi.map((row) => row.map((v, k) => (entropies[k] > 0 ? Math.min(1, v / entropies[k]) : 0)));
  return {mi, entropies, normalized, bias, bins, count};
}

export interface MutualInformationGap {
  /** The mean over the factors that vary of perFactor: Chen et al.'s MIG, in [0, 1]. */
  score: number;
  /** (I(z_a; v_k) − I(z_b; v_k)) / H(v_k), a and b the units with the largest and second-largest I: [factors]; null for a factor that never varies. */
  perFactor: (number | null)[];
  /** [a, b] for each factor (b is −1 with a single unit). */
  topUnits: [number, number][];
}

/**
 * The mutual information gap (Chen et al. 2018): for each factor, the gap between the two units that
 * know the most about it, over the factor's entropy, averaged over factors. Near 1 when each factor is
 * captured by one unit alone; near 0 when no unit knows it, or when two units know it equally.
 */
export function mutualInformationGap(matrix: Pick<MutualInformationMatrix, "mi" | "entropies">): MutualInformationGap {
  const {mi, entropies} = matrix;
  const perFactor: (number | null)[] = [];
  const topUnits: [number, number][] = [];
  entropies.forEach((h, k) => {
    let [a, b] = [-1, -1];
    for (let j = 0; j < mi.length; j++) {
      if (a < 0 || mi[j][k] > mi[a][k]) [a, b] = [j, a];
      else if (b < 0 || mi[j][k] > mi[b][k]) b = j;
    }
    topUnits.push([a, b]);
    perFactor.push(h > 0 ? Math.max(0, mi[a][k] - (b >= 0 ? mi[b][k] : 0)) / h : null);
  });
  const varying = perFactor.filter((v): v is number => v !== null);
  return {score: varying.length ? varying.reduce((s, v) => s + v, 0) / varying.length : 0, perFactor, topUnits};
}

export interface Disentanglement {
  matrix: MutualInformationMatrix;
  gap: MutualInformationGap;
  /** KL(q(z_j|x) ‖ N(0, 1)) averaged over the data, per unit, nats: [latentDim]. */
  klPerUnit: number[];
  /** The encoder means, [count, latentDim] row by row (for a latent plot). */
  means: Float32Array;
}

/**
 * Encodes `data` in batches (reading back asynchronously, so a page stays responsive) and measures the
 * code against the factors: the mutual information matrix on the encoder means, the MIG, and the KL per
 * unit. Tensors are disposed.
 * @param factors one [data.count] array of factor grid indices per factor (e.g. factorColumn(shapes, k))
 */
export async function measureDisentanglement(model: Model, data: Pick<Dataset, "images" | "count" | "pixels">, factors: ArrayLike<number>[], {bins = 20, batchSize = 250}: {bins?: number; batchSize?: number} = {}): Promise<Disentanglement> {
  const {latentDim} = model.config;
  const means = new Float32Array(data.count * latentDim);
  const kl = new Float64Array(latentDim);
  for (let start = 0; start < data.count; start += batchSize) {
    const size = Math.min(batchSize, data.count - start);
    const [mean, klSum] = tf.tidy(() => {
      const x = tf.tensor2d(data.images.subarray(start * data.pixels, (start + size) * data.pixels), [size, data.pixels]);
      const q = model.encode(x);
      // KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²), per unit, summed over the batch
      const perUnit = tf.exp(q.logVar).add(tf.square(q.mean)).sub(1).sub(q.logVar).mul(0.5).sum(0);
      return [q.mean, perUnit];
    });
    const [m, k] = await Promise.all([mean.data(), klSum.data()]);
    tf.dispose([mean, klSum]);
    means.set(m as Float32Array, start * latentDim);
    for (let j = 0; j < latentDim; j++) kl[j] += k[j];
  }
  const matrix = mutualInformationMatrix(means, latentDim, factors, {bins});
  return {matrix, gap: mutualInformationGap(matrix), klPerUnit: Array.from(kl, (v) => v / data.count), means};
}

/**
 * Codes for a latent traversal: `steps` copies of `base` with unit `unit` swept evenly from `from` to
 * `to`, the others fixed; decode them to see what the unit does. @returns [steps, latentDim] row by row
 */
export function traversalCodes(base: ArrayLike<number>, unit: number, {from = -2, to = 2, steps = 9}: {from?: number; to?: number; steps?: number} = {}): Float32Array {
  const latentDim = base.length;
  if (!Number.isInteger(unit) || unit < 0 || unit >= latentDim) throw new Error(`traversalCodes: unit must be from 0 to ${latentDim - 1}, got ${unit}`);
  if (!Number.isInteger(steps) || steps < 2) throw new Error(`traversalCodes: steps must be a whole number ≥ 2, got ${steps}`);
  const codes = new Float32Array(steps * latentDim);
  for (let s = 0; s < steps; s++) {
    codes.set(Array.from(base), s * latentDim);
    codes[s * latentDim + unit] = from + ((to - from) * s) / (steps - 1);
  }
  return codes;
}

/**
 * The decoder's mean images along a traversal of each unit in `units` (all by default): for unit j,
 * traversalCodes(base, j, {from, to, steps}) decoded. Read back asynchronously; tensors are disposed.
 * @returns [units.length · steps, pixels] row by row: unit units[0]'s steps first
 */
export async function decodeTraversals(model: Model, base: ArrayLike<number>, {units, from = -2, to = 2, steps = 9}: {units?: readonly number[]; from?: number; to?: number; steps?: number} = {}): Promise<Float32Array> {
  const latentDim = model.config.latentDim;
  if (base.length !== latentDim) throw new Error(`decodeTraversals: the base code has ${base.length} numbers, the model's latent has ${latentDim}`);
  const chosen = units ?? Array.from({length: latentDim}, (_, j) => j);
  if (chosen.length === 0) return new Float32Array(0);
  const codes = new Float32Array(chosen.length * steps * latentDim);
  chosen.forEach((j, r) => codes.set(traversalCodes(base, j, {from, to, steps}), r * steps * latentDim));
  const images = tf.tidy(() => model.decodeMean(tf.tensor2d(codes, [chosen.length * steps, latentDim])));
  try {
    return (await images.data()) as Float32Array;
  } finally {
    images.dispose();
  }
}

export interface UnitFactor {
  /** The factor this unit shares the most information with, as an index into the matrix's factors. */
  factor: number;
  /** That factor's I(z_j; v_k) / H(v_k). */
  normalized: number;
}

/** For each unit, the factor whose normalized mutual information with it is largest (ties: the first). */
export function unitFactors(matrix: Pick<MutualInformationMatrix, "normalized">): UnitFactor[] {
  return matrix.normalized.map((row) => {
    let factor = 0;
    for (let k = 1; k < row.length; k++) if (row[k] > row[factor]) factor = k;
    return {factor, normalized: row[factor] ?? 0};
  });
}
