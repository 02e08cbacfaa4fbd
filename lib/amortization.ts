import {elbo, type Decoder} from "./elbo.js";
import {iwaeBound} from "./iwae.js";
import type {Likelihood} from "./logDensity.js";
import type {Model} from "./model.js";
import {tf, type Tensor, type Tensor2D} from "./tf.js";

export interface GaussianPosteriorInputs {
  /** The data, [batch, pixels]. */
  x: Tensor;
  /** A diagonal Gaussian q(z) per example: mean and log-variance, [batch, latentDim]. */
  mean: Tensor2D;
  logVar: Tensor2D;
  decode: Decoder;
  likelihood: Likelihood;
}

/**
 * The ELBO of each example's q, estimated with `samples` draws of z per example:
 *   𝓛(x; q) ≈ (1/S) Σ_s log p(x | z_s) − KL(q ‖ p(z)),   z_s ~ q.
 * The same seed draws the same ε for every q, so two q's compared with one seed differ by less noise
 * than their two estimates do (common random numbers).
 * @returns perExample, in nats
 */
export async function elboEstimate({samples = 256, seed = 0, ...inputs}: GaussianPosteriorInputs & {samples?: number; seed?: number}): Promise<number[]> {
  const value = tf.tidy(() => elbo({...inputs, samples, seed}).elbo);
  const out = Array.from(await value.data());
  value.dispose();
  return out;
}

export interface PosteriorOptimizerOptions extends GaussianPosteriorInputs {
  /** Draws of z per example and step for the reparameterized gradient. */
  samples?: number;
  /** Adam's step size, in the units of mean and logVar. */
  learningRate?: number;
  /** The step size at step t (1, 2, …), overriding learningRate: a schedule that decays lets the noisy steps settle. */
  learningRateAt?: (t: number) => number;
  seed?: number;
}

/**
 * Fits a diagonal Gaussian q(z) = N(mean, diag exp(logVar)) to each example separately, by gradient
 * ascent on its ELBO with the decoder fixed: the per-example ("non-amortized") inference of Cremer,
 * Li & Duvenaud (2018). Start it from the encoder's output to measure how far the encoder is from the
 * best q its family allows. Each step draws `samples` ε per example (reparameterization, chapter 6),
 * differentiates the ELBO estimate with respect to mean and logVar only, and takes an Adam step
 * (β₁ = 0.9, β₂ = 0.999). Examples do not interact: each one's gradient is its own ELBO's.
 */
export class PosteriorOptimizer {
  private readonly options: Required<Omit<PosteriorOptimizerOptions, "mean" | "logVar" | "learningRate">>;
  private params: [Tensor2D, Tensor2D];
  private moments: Tensor2D[];
  private t = 0;

  constructor({mean, logVar, samples = 16, learningRate = 0.02, learningRateAt, seed = 0, ...rest}: PosteriorOptimizerOptions) {
    if (!Number.isInteger(samples) || samples < 1) throw new Error(`PosteriorOptimizer: samples must be a positive integer, got ${samples}`);
    if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`PosteriorOptimizer: learningRate must be a positive number, got ${learningRate}`);
    this.options = {samples, learningRateAt: learningRateAt ?? (() => learningRate), seed, ...rest};
    this.params = [tf.clone(mean), tf.clone(logVar)];
    this.moments = [mean, logVar, mean, logVar].map((t) => tf.zerosLike(t));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** q's current parameters (copies; the caller disposes them). */
  current(): {mean: Tensor2D; logVar: Tensor2D} {
    return {mean: tf.clone(this.params[0]), logVar: tf.clone(this.params[1])};
  }

  /** Takes n Adam steps; resolves when the device has finished them. */
  async step(n = 1): Promise<void> {
    const {x, decode, likelihood, samples, learningRateAt, seed} = this.options;
    for (let i = 0; i < n; i++) {
      this.t++;
      const t = this.t;
      const learningRate = learningRateAt(t);
      if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`PosteriorOptimizer: the learning rate at step ${t} must be a positive number, got ${learningRate}`);
      const next = tf.tidy(() => {
        // Minimize −Σ_examples ELBO: the sum keeps each example's gradient its own.
        const loss = (m: Tensor, lv: Tensor) => elbo({x, mean: m as Tensor2D, logVar: lv as Tensor2D, decode, likelihood, samples, seed: seed + t}).elbo.sum().neg();
        const grads = tf.grads(loss)(this.params) as Tensor2D[];
        const [beta1, beta2, epsilon] = [0.9, 0.999, 1e-8];
        const out: Tensor2D[] = [];
        grads.forEach((g, j) => {
          const m = this.moments[j].mul(beta1).add(g.mul(1 - beta1)) as Tensor2D;
          const v = this.moments[j + 2].mul(beta2).add(g.square().mul(1 - beta2)) as Tensor2D;
          const stepSize = learningRate / (1 - beta1 ** t);
          const update = m.div(v.div(1 - beta2 ** t).sqrt().add(epsilon)).mul(stepSize);
          out.push(this.params[j].sub(update) as Tensor2D, m, v);
        });
        return out;
      });
      tf.dispose([...this.params, ...this.moments]);
      this.params = [next[0], next[3]];
      this.moments = [next[1], next[4], next[2], next[5]];
    }
    await this.params[0].data();
  }

  /** The ELBO of each example's current q, estimated with `samples` draws (see elboEstimate). */
  evaluate({samples = 256, seed = 0}: {samples?: number; seed?: number} = {}): Promise<number[]> {
    const {x, decode, likelihood} = this.options;
    return elboEstimate({x, mean: this.params[0], logVar: this.params[1], decode, likelihood, samples, seed});
  }

  dispose(): void {
    tf.dispose([...this.params, ...this.moments]);
  }
}

export interface InferenceGapOptions {
  /** Adam steps per example; the step size falls linearly from learningRate to a tenth of it over them. */
  steps?: number;
  /** Evaluate the ELBO every this many steps (for the curve). */
  every?: number;
  /** Draws per example and step of the optimizer. */
  samples?: number;
  learningRate?: number;
  /** Draws per example for each ELBO evaluation (the same ε for every evaluation). */
  evalSamples?: number;
  /** Importance samples for the log p(x) estimate. */
  k?: number;
  seed?: number;
  /** Called after each evaluation with the steps so far and each example's ELBO estimate. */
  onProgress?: (point: {step: number; elbo: number[]}) => void | Promise<void>;
}

/** Each example's numbers, in nats: see inferenceGaps. */
export interface InferenceGaps {
  /** The ELBO of the encoder's q_φ(z|x). */
  encoderElbo: number[];
  /** The ELBO of the q found by per-example optimization (the best diagonal Gaussian, approximately). */
  optimizedElbo: number[];
  /** log p(x), estimated by the importance-weighted bound with k samples from the optimized q. */
  logLikelihood: number[];
  /** logLikelihood − optimizedElbo: what a diagonal Gaussian q cannot close. */
  approximationGap: number[];
  /** optimizedElbo − encoderElbo: what the encoder loses by predicting q in one pass. */
  amortizationGap: number[];
  /** The ELBO estimates during optimization, step 0 being the encoder's q. */
  history: {step: number; elbo: number[]}[];
}

/** What inferenceGapsProgress yields: the ELBO history so far, and the gaps once done. */
export interface InferenceGapProgress {
  step: number;
  history: {step: number; elbo: number[]}[];
  /** Null until the optimization and the log p(x) estimate are finished. */
  gaps: InferenceGaps | null;
}

/**
 * The two parts of the ELBO's gap for each image (Cremer, Li & Duvenaud, 2018):
 *   log p(x) − 𝓛(x; q_φ) = [log p(x) − max_q 𝓛(x; q)] + [max_q 𝓛(x; q) − 𝓛(x; q_φ)]
 *                          approximation gap            amortization gap
 * where q ranges over diagonal Gaussians. The maximum is approached by PosteriorOptimizer from the
 * encoder's output; log p(x) by the importance-weighted bound with k samples from the optimized q (a
 * lower estimate, so the approximation gap it gives is, in expectation, a little too small). The
 * ELBO is evaluated every `every` steps with the same ε each time (step 0 is the encoder's q).
 * Yields after each evaluation, and last with the gaps; stopping the iteration frees the tensors.
 * @param images count·pixels values, binary for a Bernoulli decoder
 */
export async function* inferenceGapsProgress(model: Model, images: Float32Array, options: Omit<InferenceGapOptions, "onProgress"> = {}): AsyncGenerator<InferenceGapProgress> {
  const {steps = 100, every = 10, samples = 8, learningRate = 0.05, evalSamples = 128, k = 1000, seed = 1} = options;
  const [h, w, c] = model.config.imageShape;
  const pixels = h * w * c;
  const count = images.length / pixels;
  if (!Number.isInteger(count) || count < 1) throw new Error(`inferenceGaps: ${images.length} values are not a whole number of ${pixels}-pixel images`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`inferenceGaps: steps must be a positive integer, got ${steps}`);
  const x = tf.tensor2d(images, [count, pixels]);
  const {mean, logVar} = model.encode(x);
  const decode = (z: Tensor2D) => model.decode(z);
  const likelihood = model.config.likelihood;
  // The step size falls linearly from learningRate to a tenth of it, so the last noisy steps settle.
  const learningRateAt = (t: number) => learningRate * (1 - (0.9 * (t - 1)) / Math.max(1, steps - 1));
  const optimizer = new PosteriorOptimizer({x, mean, logVar, decode, likelihood, samples, learningRateAt, seed: seed * 7919});
  tf.dispose([mean, logVar]);
  const evalSeed = seed * 7919 + 1_000_003;
  const history: {step: number; elbo: number[]}[] = [];
  try {
    const record = async () => {
      history.push({step: optimizer.steps, elbo: await optimizer.evaluate({samples: evalSamples, seed: evalSeed})});
      return {step: optimizer.steps, history: [...history], gaps: null};
    };
    yield await record();
    while (optimizer.steps < steps) {
      await optimizer.step(Math.min(every, steps - optimizer.steps));
      yield await record();
    }
    const best = optimizer.current();
    const bound = iwaeBound({x, mean: best.mean, logVar: best.logVar, decode, likelihood, k, seed: evalSeed + 1, chunk: 250});
    const logLikelihood = Array.from(await bound.data());
    tf.dispose([bound, best.mean, best.logVar]);
    const encoderElbo = history[0].elbo;
    const optimizedElbo = history[history.length - 1].elbo;
    yield {
      step: optimizer.steps,
      history: [...history],
      gaps: {
        encoderElbo,
        optimizedElbo,
        logLikelihood,
        approximationGap: logLikelihood.map((l, i) => l - optimizedElbo[i]),
        amortizationGap: optimizedElbo.map((e, i) => e - encoderElbo[i]),
        history
      }
    };
  } finally {
    optimizer.dispose();
    x.dispose();
  }
}

/** inferenceGapsProgress run to the end; `onProgress` sees each evaluation. */
export async function inferenceGaps(model: Model, images: Float32Array, options: InferenceGapOptions = {}): Promise<InferenceGaps> {
  const {onProgress, ...rest} = options;
  for await (const progress of inferenceGapsProgress(model, images, rest)) {
    if (progress.gaps) return progress.gaps;
    await onProgress?.({step: progress.step, elbo: progress.history[progress.history.length - 1].elbo});
  }
  throw new Error("inferenceGaps: the optimization ended without a result");
}
