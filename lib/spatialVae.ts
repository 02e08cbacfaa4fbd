import {createAdam} from "./adam.js";
import {BatchSampler, type Dataset} from "./batches.js";
import {addGridDecoder, addGridEncoder, gridDecode, gridEncode, latentGrid} from "./gridNetworks.js";
import {klStandardNormal} from "./kl.js";
import {bernoulliLogLikelihood} from "./logDensity.js";
import {ParamStore} from "./params.js";
import {reparameterize} from "./reparameterize.js";
import {tf, type Scalar, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D} from "./tf.js";

/**
 * A VAE whose latent is a small image: a grid of C-channel vectors (7×7×4 for MNIST), the kind of
 * autoencoder latent diffusion (Rombach et al. 2022) trains first. q(z|x) is a diagonal Gaussian per
 * grid position and channel, p(z) = N(0, I), the decoder Bernoulli; the networks are those of the
 * VQ-VAE (lib/gridNetworks.ts). Trained with a tiny KL weight β (Rombach et al. use about 1e-6), the
 * latent is a compressed image that decodes well but is not distributed like N(0, I), so a second
 * model (diffusion) must learn its distribution; with β = 1 it is a plain VAE.
 */
export interface SpatialVaeConfig {
  kind: "spatial-vae";
  arch: "conv";
  imageShape: [number, number, number];
  hiddenSizes: number[];
  /** C: channels of the latent grid. */
  latentChannels: number;
  /** Latent dimensions in all: (height/4)·(width/4)·C. */
  latentDim: number;
  likelihood: {kind: "bernoulli"};
  seed: number;
}

export function spatialVaeConfig(options: Partial<Pick<SpatialVaeConfig, "imageShape" | "hiddenSizes" | "latentChannels" | "seed">> = {}): SpatialVaeConfig {
  const imageShape = options.imageShape ?? [28, 28, 1];
  const latentChannels = options.latentChannels ?? 4;
  const [h, w] = latentGrid({imageShape});
  const hiddenSizes = options.hiddenSizes ?? [16, 32];
  if (hiddenSizes.length !== 2 || !hiddenSizes.every((c) => Number.isInteger(c) && c >= 1)) throw new Error("hiddenSizes must be [channels1, channels2]");
  if (!Number.isInteger(latentChannels) || latentChannels < 1) throw new Error(`latentChannels must be a positive whole number, got ${latentChannels}`);
  return {kind: "spatial-vae", arch: "conv", imageShape, hiddenSizes, latentChannels, latentDim: h * w * latentChannels, likelihood: {kind: "bernoulli"}, seed: options.seed ?? 0};
}

/** Per-example terms, [batch] each, nats. */
export interface SpatialVaeTerms {
  /** −E_q[log p(x|z)] with one z, summed over pixels. */
  reconstructionLoss: Tensor1D;
  /** KL(q(z|x) ‖ N(0, I)), summed over the grid and channels. */
  kl: Tensor1D;
  /** reconstructionLoss + β·kl: what training minimizes (the −ELBO when β = 1). */
  loss: Tensor1D;
}

export interface SpatialVae {
  readonly config: SpatialVaeConfig;
  readonly params: ParamStore;
  readonly grid: [number, number];
  /** q(z|x): mean and log-variance, [batch, h, w, C] each. */
  encode(x: Tensor): {mean: Tensor4D; logVar: Tensor4D};
  /** Bernoulli logits [batch, pixels] from z [batch, h, w, C]. */
  decode(z: Tensor4D): Tensor2D;
  /** sigmoid(decode(mean of q(z|x))). */
  reconstruct(x: Tensor): Tensor2D;
  /** Pixel probabilities of n images decoded from z ~ N(0, I). */
  sample(n: number, seed: number): Tensor2D;
  terms(x: Tensor, options?: {beta?: number; seed?: number}): SpatialVaeTerms;
  /** batchMean of the terms. */
  loss(x: Tensor, options?: {beta?: number; seed?: number}): {loss: Scalar; reconstructionLoss: Scalar; kl: Scalar};
  dispose(): void;
}

export function createSpatialVae(config: SpatialVaeConfig): SpatialVae {
  const grid = latentGrid(config);
  const C = config.latentChannels;
  const pixels = config.imageShape.reduce((a, b) => a * b, 1);
  const params = new ParamStore(config.seed);
  addGridEncoder(params, config, 2 * C);
  addGridDecoder(params, config, C);
  const encode = (x: Tensor) =>
    tf.tidy(() => {
      const [mean, logVar] = tf.split(gridEncode(params, config, x), 2, 3) as [Tensor4D, Tensor4D];
      return {mean, logVar};
    });
  const decode = (z: Tensor4D) => gridDecode(params, config, z);
  const terms = (x: Tensor, {beta = 1, seed}: {beta?: number; seed?: number} = {}): SpatialVaeTerms => {
    if (!(beta >= 0) || !Number.isFinite(beta)) throw new Error(`β must be a number ≥ 0, got ${beta}`);
    return tf.tidy(() => {
      const flat = x.reshape([x.shape[0], pixels]);
      const {mean, logVar} = encode(flat);
      const z = reparameterize(mean, logVar, undefined, seed) as Tensor4D;
      const reconstructionLoss = bernoulliLogLikelihood(flat, decode(z)).neg() as Tensor1D;
      const kl = klStandardNormal(mean.reshape([x.shape[0], -1]), logVar.reshape([x.shape[0], -1]));
      return {reconstructionLoss, kl, loss: reconstructionLoss.add(kl.mul(beta)) as Tensor1D};
    });
  };
  return {
    config,
    params,
    grid,
    encode,
    decode,
    reconstruct: (x) => tf.tidy(() => tf.sigmoid(decode(encode(x).mean)) as Tensor2D),
    sample: (n, seed) => tf.tidy(() => tf.sigmoid(decode(tf.randomNormal([n, grid[0], grid[1], C], 0, 1, "float32", seed) as Tensor4D)) as Tensor2D),
    terms,
    loss: (x, options) =>
      tf.tidy(() => {
        const t = terms(x, options);
        return {loss: t.loss.mean() as Scalar, reconstructionLoss: t.reconstructionLoss.mean() as Scalar, kl: t.kl.mean() as Scalar};
      }),
    dispose: () => params.dispose()
  };
}

/**
 * Trains with Adam on dynamically binarized mini-batches (seeded) for a number of steps; returns the
 * batchMean training loss, reconstruction loss and KL of each step.
 */
export async function trainSpatialVae(
  model: SpatialVae,
  data: Dataset,
  {steps, beta = 1, batchSize = 128, learningRate = 1e-3, seed = 0, onStep}: {steps: number; beta?: number; batchSize?: number; learningRate?: number; seed?: number; onStep?: (step: number, record: {loss: number; reconstructionLoss: number; kl: number}) => void}
): Promise<{loss: number; reconstructionLoss: number; kl: number}[]> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive whole number, got ${steps}`);
  const sampler = new BatchSampler(data, {batchSize, seed, binarize: "dynamic"});
  const optimizer = createAdam({learningRate, epsilon: 1e-8});
  const records: {loss: number; reconstructionLoss: number; kl: number}[] = [];
  for (let step = 0; step < steps; step++) {
    const batch = sampler.next();
    const x = tf.tensor2d(batch.x, [batch.size, data.pixels]);
    const kept: Tensor[] = [];
    const cost = optimizer.minimize(() => {
      const l = model.loss(x, {beta, seed: seed * 1_000_003 + step + 1});
      kept.push(tf.keep(l.reconstructionLoss), tf.keep(l.kl));
      return l.loss;
    }, model.params.list());
    x.dispose();
    const [loss, reconstructionLoss, kl] = await Promise.all([cost, ...kept].map(async (t) => (await t.data())[0]));
    tf.dispose([cost, ...kept]);
    const record = {loss, reconstructionLoss, kl};
    records.push(record);
    onStep?.(step + 1, record);
  }
  optimizer.dispose();
  return records;
}
