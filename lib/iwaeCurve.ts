import type {Decoder} from "./elbo.js";
import {gaussianLogDensity, logLikelihoodSamples, type Likelihood} from "./logDensity.js";
import {reparameterize} from "./reparameterize.js";
import type {Model} from "./model.js";
import {mean as average, standardError} from "./stats.js";
import {tf, type Tensor, type Tensor2D} from "./tf.js";

export interface ImportanceInputs {
  /** The data, [batch, pixels]. */
  x: Tensor;
  /** q(z | x)'s parameters, [batch, latentDim]. */
  mean: Tensor2D;
  logVar: Tensor2D;
  decode: Decoder;
  likelihood: Likelihood;
  /** A conditional prior p(z | c); N(0, I) when absent. */
  prior?: {mean: Tensor2D; logVar: Tensor2D};
}

/**
 * Log importance weights of `count` draws per example:
 *   log w_i = log p(x | z_i) + log p(z_i) − log q(z_i | x),   z_i = mean + exp(logVar/2) ⊙ ε_i,  ε_i ~ N(0, I).
 * Draws are made `chunk` at a time, chunk c from tf.randomNormal with seed `seed + c`.
 * @returns [count, batch]; row i holds draw i for every example
 */
export function importanceLogWeights({x, mean, logVar, decode, likelihood, prior, count, seed = 0, chunk = 256}: ImportanceInputs & {count: number; seed?: number; chunk?: number}): Tensor2D {
  if (!Number.isInteger(count) || count < 1) throw new Error(`importanceLogWeights: count must be a positive integer, got ${count}`);
  const [batch, latentDim] = mean.shape;
  const parts: Tensor2D[] = [];
  for (let start = 0, c = 0; start < count; start += chunk, c++) {
    const size = Math.min(chunk, count - start);
    parts.push(
      tf.tidy(() => {
        const epsilon = tf.randomNormal([size, batch, latentDim], 0, 1, "float32", seed + c);
        const z = reparameterize(mean.expandDims(0), logVar.expandDims(0), epsilon).reshape([size * batch, latentDim]) as Tensor2D;
        const tile = (t: Tensor) => t.expandDims(0).tile([size, 1, 1]).reshape([size * batch, latentDim]);
        const logPxz = logLikelihoodSamples(x, decode(z), likelihood, size);
        const logPz = prior ? gaussianLogDensity(z, tile(prior.mean), tile(prior.logVar)) : gaussianLogDensity(z, tf.zerosLike(z), tf.zerosLike(z));
        const logQz = gaussianLogDensity(z, tile(mean), tile(logVar));
        return logPxz.add(logPz.sub(logQz).reshape([size, batch])) as Tensor2D;
      })
    );
  }
  if (parts.length === 1) return parts[0];
  const all = tf.concat(parts, 0) as Tensor2D;
  parts.forEach((p) => p.dispose());
  return all;
}

/**
 * Nested importance-weighted estimates: for each k in `ks`, and each example (column),
 *   𝓛̂_k = log (1/k) Σ_{i ≤ k} w_i
 * over the FIRST k of the same draws, so the estimates for different k share their draws. Each is one
 * draw of an estimator whose expectation is 𝓛_k; only the expectation is sure to rise with k.
 * @param logWeights draws·batch values, row-major [draws, batch] (as importanceLogWeights returns)
 * @returns [ks.length][batch]
 */
export function nestedIwaeEstimates(logWeights: ArrayLike<number>, batch: number, ks: readonly number[]): number[][] {
  const draws = logWeights.length / batch;
  if (!Number.isInteger(draws)) throw new Error(`nestedIwaeEstimates: ${logWeights.length} log-weights are not a whole number of rows of ${batch}`);
  for (const k of ks) if (!Number.isInteger(k) || k < 1 || k > draws) throw new Error(`nestedIwaeEstimates: each k must be a whole number from 1 to ${draws}, got ${k}`);
  const out = ks.map(() => new Array<number>(batch));
  for (let b = 0; b < batch; b++) {
    // A running log Σ exp, rescaled whenever the running maximum grows.
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < draws; i++) {
      const v = logWeights[i * batch + b];
      if (v > max) {
        sum = sum * Math.exp(max - v) + 1;
        max = v;
      } else sum += Math.exp(v - max);
      ks.forEach((k, j) => {
        if (k === i + 1) out[j][b] = max + Math.log(sum / k);
      });
    }
  }
  return out;
}

/** One point of the curve: the estimate at k for each repeat (averaged over the examples), their mean and standard error. */
export interface IwaeCurvePoint {
  k: number;
  /** Per repeat, the mean over examples of 𝓛̂_k, in nats. */
  perRepeat: number[];
  /** The mean of perRepeat: an estimate of the average 𝓛_k over the examples. */
  mean: number;
  /** The standard error of that mean over the repeats (NaN for one repeat). */
  standardError: number;
}

/**
 * The importance-weighted bound as k grows, drawn progressively: `extendTo(k)` draws more samples
 * and keeps all of them, so the estimate at every k uses the first k draws of each repeat (nested),
 * and a figure can show k = 1, 3, 10 at once and refine as more draws arrive. `repeats` independent
 * sets of draws per example show how much one estimate varies. The same seed and the same sequence of
 * extendTo() calls give the same numbers.
 */
export class NestedIwaeCurve {
  readonly batch: number;
  readonly repeats: number;
  private readonly inputs: ImportanceInputs & {x: Tensor; mean: Tensor2D; logVar: Tensor2D};
  private readonly seed: number;
  private readonly chunk: number;
  private stage = 0;
  private logWeights = new Float32Array(0);

  constructor({x, mean, logVar, decode, likelihood, prior, repeats = 1, seed = 0, chunk = 256}: ImportanceInputs & {repeats?: number; seed?: number; chunk?: number}) {
    if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`NestedIwaeCurve: repeats must be a positive integer, got ${repeats}`);
    this.batch = mean.shape[0];
    this.repeats = repeats;
    this.seed = seed;
    this.chunk = chunk;
    // Each repeat is a copy of the batch: rows r·batch … (r+1)·batch − 1.
    const tile = (t: Tensor) => tf.tidy(() => tf.tile(t.reshape([t.shape[0], -1]), [repeats, 1]));
    this.inputs = {
      x: tile(x),
      mean: tile(mean) as Tensor2D,
      logVar: tile(logVar) as Tensor2D,
      decode,
      likelihood,
      prior: prior && {mean: tile(prior.mean) as Tensor2D, logVar: tile(prior.logVar) as Tensor2D}
    };
  }

  /** Draws made so far per example and repeat. */
  get draws(): number {
    return this.logWeights.length / (this.batch * this.repeats);
  }

  /** Draws more samples until there are at least k per example and repeat. Reads back asynchronously. */
  async extendTo(k: number): Promise<void> {
    const more = k - this.draws;
    if (more <= 0) return;
    const weights = importanceLogWeights({...this.inputs, count: more, seed: this.seed + 1000 * this.stage++, chunk: this.chunk});
    const added = (await weights.data()) as Float32Array;
    weights.dispose();
    const grown = new Float32Array(this.logWeights.length + added.length);
    grown.set(this.logWeights);
    grown.set(added, this.logWeights.length);
    this.logWeights = grown;
  }

  /** 𝓛̂_k for each repeat and example, [repeats][batch], from the first k draws. */
  estimates(k: number): number[][] {
    const wide = this.batch * this.repeats;
    const [row] = nestedIwaeEstimates(this.logWeights.subarray(0, k * wide), wide, [k]);
    return Array.from({length: this.repeats}, (_, r) => row.slice(r * this.batch, (r + 1) * this.batch));
  }

  /** The curve at k: each repeat's mean over the examples, and their mean and standard error. */
  point(k: number): IwaeCurvePoint {
    const perRepeat = this.estimates(k).map((examples) => average(examples));
    return {k, perRepeat, mean: average(perRepeat), standardError: standardError(perRepeat)};
  }

  dispose(): void {
    const {x, mean, logVar, prior} = this.inputs;
    tf.dispose([x, mean, logVar, ...(prior ? [prior.mean, prior.logVar] : [])]);
  }
}

/**
 * The nested IWAE curve of a VAE on some images, one point per k as its draws arrive: yields the
 * points so far after each k, so a figure can draw k = 1 at once and refine. The images are encoded
 * once; q_φ(z|x) is the proposal. Stopping the iteration (return()) frees the tensors. The model may
 * and the images may be promises (a page can start the figure before they have loaded).
 * @param images count·pixels values (binary for a Bernoulli decoder)
 */
export async function* iwaeCurveOfModel(
  modelOrPromise: Model | Promise<Model>,
  imagesOrPromise: Float32Array | Promise<Float32Array>,
  {ks, repeats = 4, seed = 0, chunk = 100}: {ks: readonly number[]; repeats?: number; seed?: number; chunk?: number}
): AsyncGenerator<{points: IwaeCurvePoint[]; done: boolean}> {
  const model = await modelOrPromise;
  const images = await imagesOrPromise;
  const [h, w, c] = model.config.imageShape;
  const pixels = h * w * c;
  const count = images.length / pixels;
  if (!Number.isInteger(count) || count < 1) throw new Error(`iwaeCurveOfModel: ${images.length} values are not a whole number of ${pixels}-pixel images`);
  const x = tf.tensor2d(images, [count, pixels]);
  const {mean, logVar} = model.encode(x);
  // The curve keeps its own (tiled) copies.
  const curve = new NestedIwaeCurve({x, mean, logVar, decode: (z) => model.decode(z), likelihood: model.config.likelihood, repeats, seed, chunk});
  tf.dispose([x, mean, logVar]);
  try {
    const points: IwaeCurvePoint[] = [];
    const sorted = [...ks].sort((a, b) => a - b);
    for (const k of sorted) {
      await curve.extendTo(k);
      points.push(curve.point(k));
      yield {points: [...points], done: k === sorted[sorted.length - 1]};
    }
  } finally {
    curve.dispose();
  }
}
