import {tf, type Tensor, type Tensor1D} from "./tf.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** [batch, ...] → [batch, rest]: every log-density here sums over all but the batch axis. */
function flat(t: Tensor): Tensor {
  return t.rank === 2 ? t : t.reshape([t.shape[0], -1]);
}

/**
 * log N(x; mean, diag(exp(logVar))), summed over dimensions.
 * log N = −½ Σ_d [log 2π + logVar_d + (x_d − mean_d)² / exp(logVar_d)]
 * @param x [batch, dim] (or any [batch, ...]); mean and logVar broadcast against it
 * @returns perExample [batch]
 */
export function gaussianLogDensity(x: Tensor, mean: Tensor, logVar: Tensor): Tensor1D {
  return tf.tidy(() => {
    const [fx, fm, fl] = [flat(x), flat(mean), flat(logVar)];
    const squared = tf.square(tf.sub(fx, fm)).div(tf.exp(fl));
    return tf.add(squared, fl).add(LOG_2PI).sum(-1).mul(-0.5) as Tensor1D;
  });
}

/**
 * log Bernoulli(x; sigmoid(logits)), summed over pixels: Σ x·logits − softplus(logits).
 * tfjs's softplus switches to l or exp(l) for large |l|, so this stays finite for any logits,
 * unlike log(sigmoid(l)).
 * This is a likelihood only for x ∈ {0, 1}: on grey pixels the same formula (binary cross-entropy) has no
 * normalizer over [0, 1] and is not a log-density (pytorch/examples #460).
 * @param x [batch, pixels] with values in {0, 1}
 * @param logits [batch, pixels], the decoder's output before the sigmoid
 * @returns perExample [batch]
 */
export function bernoulliLogLikelihood(x: Tensor, logits: Tensor): Tensor1D {
  // A hand-written gradient, ∂/∂logits = x − sigmoid(logits) and ∂/∂x = logits, replaces the chain of
  // relu/abs/exp/log1p gradients autodiff would build: fewer kernels over every pixel of every step.
  const op = tf.customGrad((...args: unknown[]) => {
    const [fx, fl, save] = args as [Tensor, Tensor, (tensors: Tensor[]) => void];
    save([fx, fl]);
    return {
      value: tf.mul(fx, fl).sub(tf.softplus(fl)).sum(-1),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const [sx, sl] = saved;
        const upstream = (dy as Tensor).expandDims(-1);
        return [tf.mul(upstream, sl), tf.mul(upstream, tf.sub(sx, tf.sigmoid(sl)))];
      }
    };
  });
  return tf.tidy(() => op(flat(x), flat(logits)) as Tensor1D);
}

/**
 * log N(x; mean, σ² I), summed over pixels, with σ a fixed hyperparameter.
 * = −D/2 · log(2πσ²) − ‖x − mean‖² / (2σ²): the squared error scaled by 1/(2σ²) plus a constant, which is
 * why "MSE is a Gaussian likelihood". σ sets the weight of reconstruction against the KL term.
 * @param x [batch, pixels]; mean [batch, pixels], the decoder's output
 * @returns perExample [batch]
 */
export function gaussianLogLikelihood(x: Tensor, mean: Tensor, sigma: number): Tensor1D {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`gaussianLogLikelihood: sigma must be a positive number, got ${sigma}`);
  return tf.tidy(() => {
    const [fx, fm] = [flat(x), flat(mean)];
    const dim = fx.shape[1] as number;
    const squared = tf.square(tf.sub(fx, fm)).sum(-1);
    return squared.div(-2 * sigma * sigma).sub((dim / 2) * (LOG_2PI + 2 * Math.log(sigma))) as Tensor1D;
  });
}

/** How the decoder's output turns into log p(x | z). */
export type Likelihood = {kind: "bernoulli"} | {kind: "gaussian"; sigma: number};

/**
 * log p(x | z) for the chosen likelihood.
 * @param output [batch, ...] the decoder's output: logits (Bernoulli) or the mean (Gaussian)
 * @returns perExample [batch]
 */
export function logLikelihood(x: Tensor, output: Tensor, likelihood: Likelihood): Tensor1D {
  return likelihood.kind === "bernoulli" ? bernoulliLogLikelihood(x, output) : gaussianLogLikelihood(x, output, likelihood.sigma);
}

/**
 * log p(x | z_s) for S samples of z per example, without copying x S times: the decoder's outputs for
 * all samples are broadcast against the one x. Used by the IWAE bound and the multi-sample ELBO.
 * @param x [batch, pixels]
 * @param output [samples · batch, pixels], sample-major (all of sample 0's batch, then sample 1's, …)
 * @returns [samples, batch]
 */
export function logLikelihoodSamples(x: Tensor, output: Tensor, likelihood: Likelihood, samples: number): Tensor {
  return tf.tidy(() => {
    const fx = flat(x);
    const [batch, pixels] = fx.shape as [number, number];
    const out = output.reshape([samples, batch, pixels]);
    if (likelihood.kind === "bernoulli") return tf.mul(fx, out).sub(tf.softplus(out)).sum(-1);
    const {sigma} = likelihood;
    return tf.squaredDifference(out, fx).sum(-1).div(-2 * sigma * sigma).sub((pixels / 2) * (LOG_2PI + 2 * Math.log(sigma)));
  });
}
