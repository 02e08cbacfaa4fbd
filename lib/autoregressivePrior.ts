import {createAdam} from "./adam.js";
import {dense} from "./dense.js";
import {ParamStore} from "./params.js";
import {mulberry32} from "./random.js";
import {tf, type Scalar, type Tensor1D, type Tensor2D, type Tensor3D} from "./tf.js";
import {lookupCodes} from "./vectorQuantizer.js";

/**
 * A tiny autoregressive prior over a VQ-VAE's code grid, in raster order:
 *   p(k) = Π_i p(k_i | k_<i),
 * where each factor sees only a few earlier neighbours (by default the left two, and the five above:
 * up-left, up, up-right, up-right-2, two up), as one layer of PixelCNN's masked convolution does:
 *   h_i = ReLU(W₁ · [embed(k_{i+o}) for o in context] + b₁ + a_i),   logits_i = W₂ h_i + b₂ + c_i.
 * A neighbour outside the grid is a special token K. a_i and c_i are per-position biases, so with no
 * useful context it can still match the independent per-position prior. Code grids are [n, positions]
 * int32, raster order. PixelCNN (van den Oord et al. 2016) stacks many masked layers and so sees every
 * earlier position; this one sees a fixed neighbourhood, enough to show what a prior over codes adds.
 */
export interface AutoregressivePriorConfig {
  codebookSize: number;
  /** [h, w] of the code grid. */
  grid: [number, number];
  /** Offsets [row, column] of the neighbours each position sees; all must come earlier in raster order. */
  context?: [number, number][];
  embeddingDim?: number;
  hidden?: number;
  seed?: number;
}

export const DEFAULT_CONTEXT: [number, number][] = [
  [0, -1],
  [0, -2],
  [-1, -1],
  [-1, 0],
  [-1, 1],
  [-1, 2],
  [-2, 0]
];

export interface AutoregressiveCodePrior {
  readonly config: Required<AutoregressivePriorConfig>;
  readonly params: ParamStore;
  /** Teacher-forced logits of p(k_i | k_<i) for every position: [n, positions, K]. */
  logits(codes: Int32Array, n: number): Tensor3D;
  /** log p(grid) = Σ_i log p(k_i | k_<i), nats, [n]. */
  logLikelihood(codes: Int32Array, n: number): Tensor1D;
  /** −batchMean log p(grid): the training loss. */
  loss(codes: Int32Array, n: number): Scalar;
  /** n grids drawn position by position (ancestral sampling), seeded. */
  sample(n: number, seed: number, options?: {temperature?: number}): Int32Array;
  dispose(): void;
}

/** For each grid, position and context offset: the neighbour's code, or K when it is outside the grid. [n · positions · context] */
export function contextCodes(codes: ArrayLike<number>, n: number, grid: [number, number], context: [number, number][], codebookSize: number): Int32Array {
  const [h, w] = grid;
  const positions = h * w;
  const out = new Int32Array(n * positions * context.length);
  let j = 0;
  for (let g = 0; g < n; g++) {
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        for (const [dr, dc] of context) {
          const rr = r + dr;
          const cc = c + dc;
          out[j++] = rr >= 0 && rr < h && cc >= 0 && cc < w ? codes[g * positions + rr * w + cc] : codebookSize;
        }
      }
    }
  }
  return out;
}

export function createAutoregressivePrior(options: AutoregressivePriorConfig): AutoregressiveCodePrior {
  const config: Required<AutoregressivePriorConfig> = {context: DEFAULT_CONTEXT, embeddingDim: 8, hidden: 128, seed: 0, ...options};
  const {codebookSize: K, grid, context, embeddingDim: E, hidden: H} = config;
  if (!Number.isInteger(K) || K < 2) throw new Error(`the codebook size must be a whole number ≥ 2, got ${K}`);
  if (context.length === 0 || context.some(([dr, dc]) => !(dr < 0 || (dr === 0 && dc < 0)))) {
    throw new Error("every context offset must point to an earlier position in raster order (a row above, or to the left in the same row)");
  }
  const positions = grid[0] * grid[1];
  const params = new ParamStore(config.seed);
  params.glorotUniform("prior/embedding", [K + 1, E], K + 1, E);
  params.glorotUniform("prior/hidden/kernel", [context.length * E, H], context.length * E, H);
  params.zeros("prior/hidden/bias", [H]);
  params.zeros("prior/hidden/positionBias", [positions, H]);
  params.glorotUniform("prior/output/kernel", [H, K], H, K);
  params.zeros("prior/output/bias", [K]);
  params.zeros("prior/output/positionBias", [positions, K]);
  const p = (name: string) => params.get(name) as unknown as Tensor2D;

  const checkCodes = (codes: Int32Array, n: number) => {
    if (codes.length !== n * positions) throw new Error(`expected ${n} grids of ${positions} codes, got ${codes.length} codes`);
  };

  const logits = (codes: Int32Array, n: number): Tensor3D =>
    tf.tidy(() => {
      checkCodes(codes, n);
      const neighbours = tf.tensor1d(contextCodes(codes, n, grid, context, K), "int32");
      const embedded = lookupCodes(p("prior/embedding"), neighbours).reshape([n * positions, context.length * E]) as Tensor2D;
      const pre = dense(embedded, p("prior/hidden/kernel"), params.get("prior/hidden/bias") as unknown as Tensor1D).reshape([n, positions, H]);
      const h = tf.relu(pre.add(p("prior/hidden/positionBias"))).reshape([n * positions, H]) as Tensor2D;
      const out = dense(h, p("prior/output/kernel"), params.get("prior/output/bias") as unknown as Tensor1D).reshape([n, positions, K]);
      return out.add(p("prior/output/positionBias")) as Tensor3D;
    });

  const logLikelihood = (codes: Int32Array, n: number): Tensor1D =>
    tf.tidy(() => {
      const l = logits(codes, n);
      const logProbs = l.sub(l.logSumExp(-1, true));
      const target = tf.oneHot(tf.tensor2d(codes, [n, positions], "int32"), K).toFloat();
      return logProbs.mul(target).sum([1, 2]) as Tensor1D;
    });

  const sample = (n: number, seed: number, {temperature = 1} = {}): Int32Array => {
    if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a positive number, got ${temperature}`);
    const draw = mulberry32(seed);
    const codes = new Int32Array(n * positions);
    for (let i = 0; i < positions; i++) {
      // Later positions hold 0s for now; position i's logits see only earlier ones.
      const row = tf.tidy(() => logits(codes, n).slice([0, i, 0], [n, 1, K]).reshape([n, K]).div(temperature).softmax().dataSync() as Float32Array);
      for (let g = 0; g < n; g++) {
        let u = draw();
        let k = 0;
        while (k < K - 1) {
          u -= row[g * K + k];
          if (u < 0) break;
          k++;
        }
        codes[g * positions + i] = k;
      }
    }
    return codes;
  };

  return {
    config,
    params,
    logits,
    logLikelihood,
    loss: (codes, n) => tf.tidy(() => logLikelihood(codes, n).mean().neg() as Scalar),
    sample,
    dispose: () => params.dispose()
  };
}

/**
 * Fits the prior to training code grids by maximum likelihood with Adam, in shuffled mini-batches
 * (seeded). Returns the mean training −log p(grid) of each epoch, in nats.
 */
export async function trainAutoregressivePrior(
  prior: AutoregressiveCodePrior,
  codes: Int32Array,
  {epochs = 1, batchSize = 128, learningRate = 1e-3, seed = 0, onEpoch}: {epochs?: number; batchSize?: number; learningRate?: number; seed?: number; onEpoch?: (epoch: number, loss: number) => void | Promise<void>} = {}
): Promise<number[]> {
  const positions = prior.config.grid[0] * prior.config.grid[1];
  const n = codes.length / positions;
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected whole grids of ${positions} codes, got ${codes.length} codes`);
  const optimizer = createAdam({learningRate, epsilon: 1e-8});
  const draw = mulberry32(seed);
  const order = Array.from({length: n}, (_, i) => i);
  const losses: number[] = [];
  const size = Math.min(batchSize, n);
  const batch = new Int32Array(size * positions);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(draw() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    let sum = 0;
    let steps = 0;
    for (let start = 0; start + size <= n; start += size) {
      for (let b = 0; b < size; b++) batch.set(codes.subarray(order[start + b] * positions, (order[start + b] + 1) * positions), b * positions);
      const cost = optimizer.minimize(() => prior.loss(batch, size), prior.params.list());
      sum += (await cost.data())[0];
      cost.dispose();
      steps++;
    }
    losses.push(sum / steps);
    await onEpoch?.(epoch, sum / steps);
  }
  optimizer.dispose();
  return losses;
}
