import {checkBeta, freeBitsKl} from "./collapse.js";
import {dense} from "./dense.js";
import {klStandardNormalPerUnit} from "./kl.js";
import {elbo, type ElboTerms} from "./elbo.js";
import type {Likelihood} from "./logDensity.js";
import {ParamStore} from "./params.js";
import {tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D} from "./tf.js";

/**
 * Everything needed to rebuild a model: saved in every checkpoint, JSON only.
 * - kind: "vae"; "cvae" (conditioned on a one-hot label); "ae" (a plain autoencoder: a deterministic
 *   bottleneck and a squared-error loss, chapter 2's contrast).
 * - arch: "mlp" (dense layers of `hiddenSizes` units) or "conv" (two stride-2 3×3 convolutions with
 *   `hiddenSizes` = [channels1, channels2] channels, mirrored by transposed convolutions; 28×28 images).
 */
export interface ModelConfig {
  kind: "vae" | "cvae" | "ae";
  arch: "mlp" | "conv";
  /** [height, width, channels]; MNIST is [28, 28, 1]. */
  imageShape: [number, number, number];
  hiddenSizes: number[];
  latentDim: number;
  likelihood: Likelihood;
  /** Labels for the CVAE's one-hot condition. */
  numClasses?: number;
  /** The CVAE's prior: N(0, I) ("standard") or a learned p(z | c) ("learned"). */
  prior?: "standard" | "learned";
  /** Seeds the initialization. */
  seed: number;
}

/** Checks a config, e.g. one read from a checkpoint, and says what is wrong in a sentence. */
export function validateConfig(config: unknown): ModelConfig {
  const c = config as Partial<ModelConfig> | null;
  const fail = (why: string): never => {
    throw new Error(`invalid model config: ${why}`);
  };
  if (typeof c !== "object" || c === null) fail("not an object");
  const cfg = c as Partial<ModelConfig>;
  if (!["vae", "cvae", "ae"].includes(cfg.kind as string)) fail(`kind must be vae, cvae or ae, not ${JSON.stringify(cfg.kind)}`);
  if (!["mlp", "conv"].includes(cfg.arch as string)) fail(`arch must be mlp or conv, not ${JSON.stringify(cfg.arch)}`);
  const isCount = (n: unknown, max = 1e5) => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= max;
  if (!Array.isArray(cfg.imageShape) || cfg.imageShape.length !== 3 || !cfg.imageShape.every((n) => isCount(n, 4096))) fail("imageShape must be [height, width, channels]");
  if (!Array.isArray(cfg.hiddenSizes) || cfg.hiddenSizes.length < 1 || !cfg.hiddenSizes.every((n) => isCount(n, 8192))) fail("hiddenSizes must be a list of positive whole numbers");
  if (!isCount(cfg.latentDim, 1024)) fail(`latentDim must be a whole number from 1 to 1024, not ${JSON.stringify(cfg.latentDim)}`);
  const lik = cfg.likelihood as Likelihood | undefined;
  if (!lik || (lik.kind !== "bernoulli" && !(lik.kind === "gaussian" && lik.sigma > 0 && Number.isFinite(lik.sigma)))) {
    fail('likelihood must be {kind: "bernoulli"} or {kind: "gaussian", sigma > 0}');
  }
  if (cfg.arch === "conv") {
    const [h, w] = cfg.imageShape as number[];
    if (h % 4 !== 0 || w % 4 !== 0) fail("the conv architecture needs height and width divisible by 4");
    if ((cfg.hiddenSizes as number[]).length !== 2) fail("the conv architecture takes hiddenSizes = [channels1, channels2]");
  }
  if (cfg.kind === "cvae") {
    if (!isCount(cfg.numClasses, 1000)) fail("a cvae needs numClasses");
    if (!["standard", "learned"].includes(cfg.prior ?? "standard")) fail("prior must be standard or learned");
  }
  if (!Number.isInteger(cfg.seed)) fail("seed must be a whole number");
  return cfg as ModelConfig;
}

/** The fixed parts of a config filled in: an MLP VAE for MNIST with a Bernoulli decoder. */
export function modelConfig(options: Partial<ModelConfig> = {}): ModelConfig {
  return validateConfig({
    kind: "vae",
    arch: "mlp",
    imageShape: [28, 28, 1],
    hiddenSizes: options.arch === "conv" ? [32, 64] : [512],
    latentDim: 20,
    likelihood: {kind: "bernoulli"},
    seed: 0,
    ...(options.kind === "cvae" ? {numClasses: 10, prior: "standard"} : {}),
    ...options
  });
}

export type Encoded = {
  /** [batch, latentDim] */
  mean: Tensor2D;
  /**
   * [batch, latentDim]. The plain autoencoder draws no noise (its code is `mean`); it returns zeros
   * here only to keep the shape, and they are not a variance of anything it uses.
   */
  logVar: Tensor2D;
};

export interface LossOptions {
  /** Weight of the KL in the loss (β-VAE); 1 gives the −ELBO. */
  beta?: number;
  /** Free bits λ (nats per latent unit, lib/collapse.ts): 0, the default, is the plain KL. Used by loss() only. */
  freeBits?: number;
  seed?: number;
  /** One-hot labels [batch, numClasses], for the CVAE. */
  condition?: Tensor2D;
}

/**
 * A VAE, CVAE or autoencoder with its parameters. Every method that makes tensors returns them (the
 * caller owns them) and runs in tf.tidy. Images go in as [batch, pixels] or [batch, h, w, c].
 */
export interface Model {
  readonly config: ModelConfig;
  readonly params: ParamStore;
  /** q(z | x, c)'s mean and log-variance. */
  encode(x: Tensor, condition?: Tensor2D): Encoded;
  /** The decoder's raw output [batch, pixels]: logits (Bernoulli) or means (Gaussian). */
  decode(z: Tensor2D, condition?: Tensor2D): Tensor2D;
  /** The decoder's mean image [batch, pixels] in [0, 1]: sigmoid(logits), or the Gaussian mean clipped. */
  decodeMean(z: Tensor2D, condition?: Tensor2D): Tensor2D;
  /** p(z) or p(z | c): [batch, latentDim] each. */
  prior(batch: number, condition?: Tensor2D): Encoded;
  /** perExample ELBO terms (for the autoencoder: logLikelihood = −‖x − x̂‖², kl = 0). */
  terms(x: Tensor, options?: LossOptions): ElboTerms;
  /**
   * batchMean numbers of one training step, each a scalar: `loss`, the training loss to minimize,
   * −logLikelihood + β·KL (with free bits, β·Σ_j max(λ, KL_j)); `negElbo`, the −ELBO (β = 1, no free
   * bits), the bound the loss curves compare; `logLikelihood` = E_q[log p(x|z)]; `kl`.
   * For the autoencoder, loss = negElbo = batchMean ‖x − x̂‖² and kl = 0.
   */
  loss(x: Tensor, options?: LossOptions): TrainingLoss;
  /** n images decoded from z ~ p(z) (or p(z | c)) with its standard deviation scaled by temperature. */
  sample(n: number, options?: {temperature?: number; seed?: number; condition?: Tensor2D}): Tensor2D;
  /** Decoder mean of the encoder mean: the usual "reconstruction" picture. */
  reconstruct(x: Tensor, condition?: Tensor2D): Tensor2D;
  dispose(): void;
}

/** What Model.loss returns: batchMean scalars (see there). */
export type TrainingLoss = {
  loss: Tensor;
  negElbo: Tensor;
  logLikelihood: Tensor;
  kl: Tensor;
};

/** Builds a model with freshly initialized, seeded parameters. */
export function createModel(options: ModelConfig): Model {
  const config = validateConfig(options);
  const [height, width, channels] = config.imageShape;
  const pixels = height * width * channels;
  const classes = config.kind === "cvae" ? (config.numClasses as number) : 0;
  const stochastic = config.kind !== "ae";
  const codeSize = stochastic ? 2 * config.latentDim : config.latentDim;
  const params = new ParamStore(config.seed);

  const denseParams = (name: string, fanIn: number, fanOut: number) => {
    params.glorotUniform(`${name}/kernel`, [fanIn, fanOut], fanIn, fanOut);
    params.zeros(`${name}/bias`, [fanOut]);
  };
  const applyDense = (name: string, x: Tensor2D, inputGrad = true) =>
    dense(x, params.get(`${name}/kernel`) as unknown as Tensor2D, params.get(`${name}/bias`) as unknown as Tensor1D, {inputGrad});

  // ---- parameters
  const sizes = config.hiddenSizes;
  const [c1, c2] = sizes;
  const [h4, w4] = [height / 4, width / 4];
  if (config.arch === "mlp") {
    let fanIn = pixels + classes;
    sizes.forEach((size, i) => {
      denseParams(`encoder/dense${i}`, fanIn, size);
      fanIn = size;
    });
    denseParams("encoder/code", fanIn, codeSize);
    fanIn = config.latentDim + classes;
    [...sizes].reverse().forEach((size, i) => {
      denseParams(`decoder/dense${i}`, fanIn, size);
      fanIn = size;
    });
    denseParams("decoder/output", fanIn, pixels);
  } else {
    params.glorotUniform("encoder/conv0/filter", [3, 3, channels, c1], 9 * channels, 9 * c1);
    params.zeros("encoder/conv0/bias", [c1]);
    params.glorotUniform("encoder/conv1/filter", [3, 3, c1, c2], 9 * c1, 9 * c2);
    params.zeros("encoder/conv1/bias", [c2]);
    denseParams("encoder/code", h4 * w4 * c2 + classes, codeSize);
    denseParams("decoder/dense0", config.latentDim + classes, h4 * w4 * c2);
    // conv2dTranspose filters are [h, w, outChannels, inChannels].
    params.glorotUniform("decoder/deconv0/filter", [3, 3, c1, c2], 9 * c2, 9 * c1);
    params.zeros("decoder/deconv0/bias", [c1]);
    params.glorotUniform("decoder/deconv1/filter", [3, 3, channels, c1], 9 * c1, 9 * channels);
    params.zeros("decoder/deconv1/bias", [channels]);
  }
  if (config.kind === "cvae" && config.prior === "learned") denseParams("prior/code", classes, 2 * config.latentDim);

  // ---- networks
  const needCondition = (condition?: Tensor2D): Tensor2D | null => {
    if (config.kind !== "cvae") return null;
    if (!condition) throw new Error("a cvae needs a condition: one-hot labels [batch, numClasses]");
    return condition;
  };
  const withCondition = (h: Tensor2D, condition: Tensor2D | null) => (condition ? (tf.concat([h, condition], 1) as Tensor2D) : h);

  const encode = (x: Tensor, condition?: Tensor2D): Encoded =>
    tf.tidy(() => {
      const c = needCondition(condition);
      const batch = x.shape[0];
      let h: Tensor2D;
      if (config.arch === "mlp") {
        h = withCondition(x.reshape([batch, pixels]) as Tensor2D, c);
        sizes.forEach((_, i) => (h = tf.relu(applyDense(`encoder/dense${i}`, h, i > 0)) as Tensor2D));
      } else {
        const image = x.reshape([batch, height, width, channels]) as Tensor4D;
        const a = tf.relu(tf.conv2d(image, params.get("encoder/conv0/filter") as unknown as Tensor4D, 2, "same").add(params.get("encoder/conv0/bias"))) as Tensor4D;
        const b = tf.relu(tf.conv2d(a, params.get("encoder/conv1/filter") as unknown as Tensor4D, 2, "same").add(params.get("encoder/conv1/bias")));
        h = withCondition(b.reshape([batch, h4 * w4 * c2]) as Tensor2D, c);
      }
      const code = applyDense("encoder/code", h);
      if (!stochastic) return {mean: code, logVar: tf.zerosLike(code)};
      const [mean, logVar] = tf.split(code, 2, 1) as [Tensor2D, Tensor2D];
      return {mean, logVar};
    });

  const decode = (z: Tensor2D, condition?: Tensor2D): Tensor2D =>
    tf.tidy(() => {
      const c = needCondition(condition);
      const batch = z.shape[0];
      let h = withCondition(z, c);
      if (config.arch === "mlp") {
        sizes.forEach((_, i) => (h = tf.relu(applyDense(`decoder/dense${i}`, h)) as Tensor2D));
        return applyDense("decoder/output", h);
      }
      const d = tf.relu(applyDense("decoder/dense0", h)).reshape([batch, h4, w4, c2]) as Tensor4D;
      const e = tf.relu(tf.conv2dTranspose(d, params.get("decoder/deconv0/filter") as unknown as Tensor4D, [batch, 2 * h4, 2 * w4, c1], 2, "same").add(params.get("decoder/deconv0/bias"))) as Tensor4D;
      const out = tf.conv2dTranspose(e, params.get("decoder/deconv1/filter") as unknown as Tensor4D, [batch, height, width, channels], 2, "same").add(params.get("decoder/deconv1/bias"));
      return out.reshape([batch, pixels]) as Tensor2D;
    });

  const toMean = (output: Tensor2D): Tensor2D => (config.likelihood.kind === "bernoulli" ? tf.sigmoid(output) : tf.clipByValue(output, 0, 1)) as Tensor2D;

  const prior = (batch: number, condition?: Tensor2D): Encoded =>
    tf.tidy(() => {
      const c = needCondition(condition);
      if (c && config.prior === "learned") {
        const [mean, logVar] = tf.split(applyDense("prior/code", c), 2, 1) as [Tensor2D, Tensor2D];
        return {mean, logVar};
      }
      const zeros = tf.zeros([batch, config.latentDim]) as Tensor2D;
      return {mean: zeros, logVar: tf.zeros([batch, config.latentDim]) as Tensor2D};
    });

  const terms = (x: Tensor, {beta = 1, seed, condition}: LossOptions = {}): ElboTerms =>
    tf.tidy(() => {
      const flat = x.reshape([x.shape[0], pixels]) as Tensor2D;
      const {mean, logVar} = encode(flat, condition);
      if (!stochastic) {
        const logLikelihood = tf.square(tf.sub(flat, decode(mean))).sum(1).neg() as Tensor1D;
        return {logLikelihood, kl: tf.zerosLike(logLikelihood), klPerUnit: tf.zerosLike(mean), elbo: logLikelihood};
      }
      const learnedPrior = config.kind === "cvae" && config.prior === "learned" ? prior(x.shape[0], condition) : undefined;
      return elbo({x: flat, mean, logVar, decode: (z) => decode(z, condition), likelihood: config.likelihood, beta, seed, prior: learnedPrior});
    });

  return {
    config,
    params,
    encode,
    decode,
    decodeMean: (z, condition) => tf.tidy(() => toMean(decode(z, condition))),
    prior,
    terms,
    loss: (x, {beta = 1, freeBits = 0, seed, condition} = {}) =>
      tf.tidy(() => {
        checkBeta(beta);
        const t = terms(x, {seed, condition});
        const logLikelihood = t.logLikelihood.mean();
        const kl = t.kl.mean();
        const klTerm = freeBits > 0 ? freeBitsKl(t.klPerUnit, freeBits) : kl;
        return {loss: logLikelihood.neg().add(klTerm.mul(beta)), negElbo: t.elbo.mean().neg(), logLikelihood, kl};
      }),
    sample: (n, {temperature = 1, seed, condition} = {}) =>
      tf.tidy(() => {
        if (!(temperature >= 0) || !Number.isFinite(temperature)) throw new Error(`temperature must be a number ≥ 0, got ${temperature}`);
        const p = prior(n, condition);
        const z = p.mean.add(tf.exp(p.logVar.mul(0.5)).mul(tf.randomNormal([n, config.latentDim], 0, temperature, "float32", seed))) as Tensor2D;
        return toMean(decode(z, condition));
      }),
    reconstruct: (x, condition) => tf.tidy(() => toMean(decode(encode(x, condition).mean, condition))),
    dispose: () => params.dispose()
  };
}

/**
 * KL(q(z_j|x) ‖ N(0, 1)) of each latent unit j, batchMean, [latentDim]. This is the average KL a unit
 * carries, not Burda et al.'s activity (that is activeUnits below); a unit can vary across x and still
 * carry little KL.
 */
export function klPerUnit(encoded: Encoded): Tensor1D {
  return tf.tidy(() => klStandardNormalPerUnit(encoded.mean, encoded.logVar).mean(0) as Tensor1D);
}


/**
 * Active latent units (Burda, Grosse & Salakhutdinov, 2016): unit u is active when the encoder's mean
 * for it varies across inputs, Cov_x(E_q[z_u]) > threshold. A collapsed unit outputs the same mean
 * for every x, so it carries no information about x. `means` is q's mean for a set of inputs,
 * [n, latentDim]; returns each unit's variance across the inputs (population, over n) and the count.
 */
export function activeUnits(means: Tensor2D, threshold = 0.01): {variances: number[]; active: number} {
  if (means.shape[0] < 2) throw new Error(`activeUnits needs the means of at least 2 inputs, got ${means.shape[0]}`);
  if (!(threshold >= 0)) throw new Error(`the threshold must be a number ≥ 0, got ${threshold}`);
  const variances = Array.from(tf.tidy(() => tf.moments(means, 0).variance).dataSync() as Float32Array);
  return {variances, active: variances.filter((v) => v > threshold).length};
}

/**
 * How many numbers a model of this config learns (weights and biases of both networks, and a learned
 * prior's), counted from the config alone: for an MLP VAE with one hidden layer of h units, latent J
 * and D pixels, (D·h + h) + (h·2J + 2J) + (J·h + h) + (h·D + D).
 */
export function parameterCount(config: ModelConfig): number {
  const c = validateConfig(config);
  const [height, width, channels] = c.imageShape;
  const pixels = height * width * channels;
  const classes = c.kind === "cvae" ? (c.numClasses as number) : 0;
  const code = c.kind === "ae" ? c.latentDim : 2 * c.latentDim;
  const dense = (fanIn: number, fanOut: number) => fanIn * fanOut + fanOut;
  let total = 0;
  if (c.arch === "mlp") {
    const sizes = c.hiddenSizes;
    let fanIn = pixels + classes;
    for (const size of sizes) {
      total += dense(fanIn, size);
      fanIn = size;
    }
    total += dense(fanIn, code);
    fanIn = c.latentDim + classes;
    for (const size of [...sizes].reverse()) {
      total += dense(fanIn, size);
      fanIn = size;
    }
    total += dense(fanIn, pixels);
  } else {
    const [c1, c2] = c.hiddenSizes;
    const flat = (height / 4) * (width / 4) * c2;
    total += 9 * channels * c1 + c1 + 9 * c1 * c2 + c2 + dense(flat + classes, code);
    total += dense(c.latentDim + classes, flat) + 9 * c2 * c1 + c1 + 9 * c1 * channels + channels;
  }
  if (c.kind === "cvae" && c.prior === "learned") total += dense(classes, 2 * c.latentDim);
  return total;
}
