import {mulberry32} from "./random.js";
import {tf, type Tensor2D, type Variable} from "./tf.js";

/**
 * How a VQ-VAE uses its codebook: the histogram of chosen codes, its perplexity, and the dead codes
 * (chosen by no encoder output for a while), with the usual fix of re-seeding a dead code to a
 * randomly chosen encoder output, so it lands where the data is and starts being chosen.
 */

/** How often each of the K codes was chosen. @param indices code indices, each in [0, K) */
export function codeCounts(indices: ArrayLike<number>, codebookSize: number): number[] {
  if (!Number.isInteger(codebookSize) || codebookSize < 1) throw new Error(`codeCounts: the codebook size must be a positive whole number, got ${codebookSize}`);
  const counts = new Array<number>(codebookSize).fill(0);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i];
    if (!Number.isInteger(k) || k < 0 || k >= codebookSize) throw new Error(`codeCounts: index ${k} is outside 0…${codebookSize - 1}`);
    counts[k]++;
  }
  return counts;
}

/**
 * The perplexity of the code histogram, exp(H) with H = −Σ_k p_k log p_k and p_k = count_k / Σ count:
 * the number of equally used codes that would have the same entropy. K when all K codes are used
 * equally, 1 when one code takes everything. Empty counts give 0.
 */
export function codePerplexity(counts: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  if (total === 0) return 0;
  let entropy = 0;
  for (let k = 0; k < counts.length; k++) {
    const p = counts[k] / total;
    if (p > 0) entropy -= p * Math.log(p);
  }
  return Math.exp(entropy);
}

/**
 * Counts code usage over the last `window` batches. A code is dead when no encoder output chose it
 * in the last `window` batches (and it has not been re-seeded within them). Until `window` batches
 * have been recorded, nothing counts as dead.
 */
export class DeadCodeTracker {
  readonly codebookSize: number;
  readonly window: number;
  private readonly recent: number[][] = [];
  private batches = 0;
  private readonly reseededAt: number[];

  constructor(codebookSize: number, window: number) {
    if (!Number.isInteger(codebookSize) || codebookSize < 1) throw new Error(`DeadCodeTracker: the codebook size must be a positive whole number, got ${codebookSize}`);
    if (!Number.isInteger(window) || window < 1) throw new Error(`DeadCodeTracker: the window must be a positive whole number of batches, got ${window}`);
    this.codebookSize = codebookSize;
    this.window = window;
    this.reseededAt = new Array<number>(codebookSize).fill(0);
  }

  /** Batches recorded so far. */
  get batchesSeen(): number {
    return this.batches;
  }

  /** Adds one batch's code histogram (length K). */
  record(counts: ArrayLike<number>): void {
    if (counts.length !== this.codebookSize) throw new Error(`DeadCodeTracker.record: expected ${this.codebookSize} counts, got ${counts.length}`);
    this.recent.push(Array.from(counts));
    if (this.recent.length > this.window) this.recent.shift();
    this.batches++;
  }

  /** Each code's count summed over the last `window` batches (or fewer, early on). */
  counts(): number[] {
    const total = new Array<number>(this.codebookSize).fill(0);
    for (const batch of this.recent) for (let k = 0; k < this.codebookSize; k++) total[k] += batch[k];
    return total;
  }

  /** The dead codes, in increasing order. */
  dead(): number[] {
    if (this.batches < this.window) return [];
    const counts = this.counts();
    return counts.flatMap((c, k) => (c === 0 && this.batches - this.reseededAt[k] >= this.window ? [k] : []));
  }

  /** Marks codes as re-seeded now: they get `window` batches before they can count as dead again. */
  markReseeded(codes: readonly number[]): void {
    for (const k of codes) this.reseededAt[k] = this.batches;
  }

  /** Forgets everything (a reset model). */
  clear(): void {
    this.recent.length = 0;
    this.batches = 0;
    this.reseededAt.fill(0);
  }
}

/**
 * Moves each code in `codes` onto a different encoder output, drawn without replacement with a
 * seeded generator (with replacement only if there are more codes than outputs). Changes the
 * codebook variable in place; returns, for each code, the row of `encoderOutputs` it was set to.
 * @param codebook [K, D], a variable
 * @param codes indices of the codes to re-seed (usually the dead ones)
 * @param encoderOutputs [n, D], e.g. z_e of a recent batch, flattened over the grid
 */
export function reseedCodes(codebook: Variable, codes: readonly number[], encoderOutputs: Tensor2D, seed: number): number[] {
  const [size, dim] = codebook.shape as [number, number];
  const [n, outputDim] = encoderOutputs.shape;
  if (outputDim !== dim) throw new Error(`reseedCodes: the encoder outputs have ${outputDim} dimensions, the codes ${dim}`);
  if (codes.length === 0) return [];
  if (n < 1) throw new Error("reseedCodes: no encoder outputs to re-seed from");
  if (new Set(codes).size !== codes.length || codes.some((k) => !Number.isInteger(k) || k < 0 || k >= size)) {
    throw new Error(`reseedCodes: the codes must be distinct indices in 0…${size - 1}`);
  }
  const draw = mulberry32(seed);
  // A partial Fisher–Yates shuffle of 0…n−1 picks distinct rows.
  const pool = Array.from({length: n}, (_, i) => i);
  const rows = codes.map((_, i) => {
    if (i >= n) return pool[Math.floor(draw() * n)];
    const j = i + Math.floor(draw() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
    return pool[i];
  });
  const updated = tf.tidy(() => {
    const picked = tf.gather(encoderOutputs, tf.tensor1d(rows, "int32"));
    // placement [K, m]: column i is one-hot at codes[i]; the new rows are placement · picked.
    const placement = tf.transpose(tf.oneHot(tf.tensor1d(codes as number[], "int32"), size).toFloat());
    const keep = tf.sub(1, tf.sum(placement, 1, true));
    return tf.add(tf.mul(codebook, keep), tf.matMul(placement, picked));
  });
  codebook.assign(updated);
  updated.dispose();
  return rows;
}
