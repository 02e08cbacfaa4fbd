import {addGridDecoder, addGridEncoder, gridDecode, gridEncode, latentGrid} from "./gridNetworks.js";
import {bernoulliLogLikelihood} from "./logDensity.js";
import {ParamStore} from "./params.js";
import {tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D, type Variable} from "./tf.js";
import {vectorQuantize, type Quantized} from "./vectorQuantizer.js";

/**
 * A VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017) for small images: a convolutional encoder to a
 * grid of D-dimensional vectors z_e (7×7 for 28×28 MNIST), each replaced by its nearest codebook
 * entry (lib/vectorQuantizer.ts), and a convolutional decoder from the grid of codes z_q to Bernoulli
 * logits (lib/gridNetworks.ts). The latent is the grid of code indices: h·w discrete variables, each
 * taking one of K values. Saved in the checkpoint format of lib/checkpoint.ts (lib/vqvaeCheckpoint.ts).
 */
export interface VqVaeConfig {
  kind: "vqvae";
  arch: "conv";
  /** [height, width, channels]; MNIST is [28, 28, 1]. Height and width divisible by 4. */
  imageShape: [number, number, number];
  /** [c1, c2]: channels of the two hidden convolutions in the encoder (mirrored in the decoder). */
  hiddenSizes: number[];
  /** D: the length of each grid position's vector and of each code. */
  codeDim: number;
  /** K: the number of codes in the codebook. */
  codebookSize: number;
  /** The number of discrete latent variables: the grid's positions, (height/4)·(width/4) (49 for MNIST). */
  latentDim: number;
  likelihood: {kind: "bernoulli"};
  /** Seeds the initialization. */
  seed: number;
}

/** Checks a config (e.g. one read from a checkpoint) and says what is wrong in a sentence. */
export function validateVqVaeConfig(config: unknown): VqVaeConfig {
  const c = config as Partial<VqVaeConfig> | null;
  const fail = (why: string): never => {
    throw new Error(`invalid VQ-VAE config: ${why}`);
  };
  if (typeof c !== "object" || c === null) fail("not an object");
  const cfg = c as Partial<VqVaeConfig>;
  const isCount = (n: unknown, max: number) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;
  if (cfg.kind !== "vqvae") fail(`kind must be vqvae, not ${JSON.stringify(cfg.kind)}`);
  if (cfg.arch !== "conv") fail(`arch must be conv, not ${JSON.stringify(cfg.arch)}`);
  if (!Array.isArray(cfg.imageShape) || cfg.imageShape.length !== 3 || !cfg.imageShape.every((n) => isCount(n, 4096))) fail("imageShape must be [height, width, channels]");
  const [h, w] = cfg.imageShape as number[];
  if (h % 4 !== 0 || w % 4 !== 0) fail("height and width must be divisible by 4");
  if (!Array.isArray(cfg.hiddenSizes) || cfg.hiddenSizes.length !== 2 || !cfg.hiddenSizes.every((n) => isCount(n, 1024))) fail("hiddenSizes must be [channels1, channels2]");
  if (!isCount(cfg.codeDim, 1024)) fail(`codeDim must be a whole number from 1 to 1024, not ${JSON.stringify(cfg.codeDim)}`);
  if (!isCount(cfg.codebookSize, 65536)) fail(`codebookSize must be a whole number from 1 to 65536, not ${JSON.stringify(cfg.codebookSize)}`);
  if (cfg.latentDim !== (h / 4) * (w / 4)) fail(`latentDim must be the grid's ${(h / 4) * (w / 4)} positions, not ${JSON.stringify(cfg.latentDim)}`);
  if (cfg.likelihood?.kind !== "bernoulli") fail('likelihood must be {kind: "bernoulli"}');
  if (!Number.isInteger(cfg.seed)) fail("seed must be a whole number");
  return cfg as VqVaeConfig;
}

/** A VQ-VAE config for MNIST with the given parts changed; latentDim follows the image size. */
export function vqvaeConfig(options: Partial<Omit<VqVaeConfig, "kind" | "arch" | "latentDim" | "likelihood">> = {}): VqVaeConfig {
  const imageShape = options.imageShape ?? [28, 28, 1];
  return validateVqVaeConfig({
    kind: "vqvae",
    arch: "conv",
    imageShape,
    hiddenSizes: [16, 32],
    codeDim: 8,
    codebookSize: 64,
    seed: 0,
    ...options,
    latentDim: (imageShape[0] / 4) * (imageShape[1] / 4),
    likelihood: {kind: "bernoulli"}
  });
}

/** Per-example terms of the VQ-VAE's training loss, [batch] each, in nats (the codebook terms: squared distances). */
export interface VqVaeTerms {
  /** −log p(x | z_q), summed over pixels. */
  reconstructionLoss: Tensor1D;
  /** Σ over grid positions of ‖sg[z_e] − e_k‖². */
  codebookLoss: Tensor1D;
  /** Σ over grid positions of ‖z_e − sg[e_k]‖² (before the weight β). */
  commitmentLoss: Tensor1D;
  /** reconstructionLoss + codebookLoss + β·commitmentLoss: what training minimizes. */
  loss: Tensor1D;
  /** The chosen codes [batch, h, w], int32. */
  indices: Tensor3D;
}

/** batchMean of each term, as scalars, and the chosen codes. */
export interface VqVaeLoss {
  loss: Scalar;
  reconstructionLoss: Scalar;
  codebookLoss: Scalar;
  commitmentLoss: Scalar;
  indices: Tensor3D;
}

export interface VqVae {
  readonly config: VqVaeConfig;
  readonly params: ParamStore;
  /** [h, w] of the latent grid. */
  readonly grid: [number, number];
  /** The codebook variable [K, D]. */
  codebook(): Variable;
  /** z_e: x [batch, pixels] → [batch, h, w, D]. */
  encode(x: Tensor): Tensor4D;
  /** Nearest codes of z_e, with the straight-through output and both codebook losses. */
  quantize(zE: Tensor4D): Quantized<Tensor4D>;
  /** The code grid of each image, [batch, h, w], int32. */
  codes(x: Tensor): Tensor3D;
  /** Bernoulli logits [batch, pixels] from z_q [batch, h, w, D]. */
  decode(zQ: Tensor4D): Tensor2D;
  /** Logits [batch, pixels] from code grids [batch, h, w] or [batch, h·w] (int32). */
  decodeCodes(indices: Tensor): Tensor2D;
  /** Pixel probabilities sigmoid(logits) [batch, pixels] from code grids. */
  decodeCodesMean(indices: Tensor): Tensor2D;
  /** sigmoid(decode(z_q(x))): the reconstruction picture, [batch, pixels]. */
  reconstruct(x: Tensor): Tensor2D;
  /** Per-example terms; `commitment` is β (default 0.25, the paper's). */
  terms(x: Tensor, options?: {commitment?: number}): VqVaeTerms;
  /** batchMean of the terms: `loss` is what a training step minimizes. */
  loss(x: Tensor, options?: {commitment?: number}): VqVaeLoss;
  dispose(): void;
}

export function checkCommitment(commitment: number): void {
  if (!(commitment >= 0) || !Number.isFinite(commitment)) throw new Error(`the commitment weight β must be a number ≥ 0, got ${commitment}`);
}

/** Builds a VQ-VAE with freshly initialized, seeded parameters; the codebook is U(−1/K, 1/K). */
export function createVqVae(options: VqVaeConfig): VqVae {
  const config = validateVqVaeConfig(options);
  const {codeDim, codebookSize} = config;
  const grid = latentGrid(config);
  const pixels = config.imageShape.reduce((a, b) => a * b, 1);
  const params = new ParamStore(config.seed);
  addGridEncoder(params, config, codeDim);
  params.uniform("quantizer/codebook", [codebookSize, codeDim], 1 / codebookSize);
  addGridDecoder(params, config, codeDim);
  const codebook = () => params.get("quantizer/codebook");
  const table = () => codebook() as unknown as Tensor2D;

  const encode = (x: Tensor) => gridEncode(params, config, x);
  const quantize = (zE: Tensor4D) => vectorQuantize(zE, table());
  const decode = (zQ: Tensor4D) => gridDecode(params, config, zQ);
  const decodeCodes = (indices: Tensor) =>
    tf.tidy(() => {
      const batch = indices.shape[0];
      const chosen = tf.gather(table(), indices.reshape([-1]).toInt());
      return decode(chosen.reshape([batch, grid[0], grid[1], codeDim]) as Tensor4D);
    });

  const terms = (x: Tensor, {commitment = 0.25} = {}): VqVaeTerms => {
    checkCommitment(commitment);
    return tf.tidy(() => {
      const flat = x.reshape([x.shape[0], pixels]);
      const q = quantize(encode(flat));
      const reconstructionLoss = bernoulliLogLikelihood(flat, decode(q.quantized)).neg() as Tensor1D;
      const codebookLoss = q.codebookLoss.sum([1, 2]) as Tensor1D;
      const commitmentLoss = q.commitmentLoss.sum([1, 2]) as Tensor1D;
      return {
        reconstructionLoss,
        codebookLoss,
        commitmentLoss,
        loss: reconstructionLoss.add(codebookLoss).add(commitmentLoss.mul(commitment)) as Tensor1D,
        indices: q.indices as Tensor3D
      };
    });
  };

  return {
    config,
    params,
    grid,
    codebook,
    encode,
    quantize,
    codes: (x) => tf.tidy(() => quantize(encode(x)).indices as Tensor3D),
    decode,
    decodeCodes,
    decodeCodesMean: (indices) => tf.tidy(() => tf.sigmoid(decodeCodes(indices)) as Tensor2D),
    reconstruct: (x) => tf.tidy(() => tf.sigmoid(decode(quantize(encode(x)).quantized)) as Tensor2D),
    terms,
    loss: (x, options) =>
      tf.tidy(() => {
        const t = terms(x, options);
        return {
          loss: t.loss.mean() as Scalar,
          reconstructionLoss: t.reconstructionLoss.mean() as Scalar,
          codebookLoss: t.codebookLoss.mean() as Scalar,
          commitmentLoss: t.commitmentLoss.mean() as Scalar,
          indices: t.indices
        };
      }),
    dispose: () => params.dispose()
  };
}

/**
 * KL(q(k | x) ‖ uniform prior) for the VQ-VAE: q puts all its mass on the chosen code grid, so the KL
 * is −log p(k) = positions · log K nats for every x. With it, reconstructionLoss + positions·log K is
 * the −ELBO, an upper bound on −log p(x) of the model "codes uniform, then decode".
 */
export function uniformCodePriorKl(config: Pick<VqVaeConfig, "latentDim" | "codebookSize">): number {
  return config.latentDim * Math.log(config.codebookSize);
}
