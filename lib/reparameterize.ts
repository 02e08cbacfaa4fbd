import {tf, type Tensor, type Tensor2D} from "./tf.js";

/**
 * The reparameterization trick: z = mean + exp(logVar / 2) ⊙ epsilon, epsilon ~ N(0, I).
 * Sampling moves into epsilon, which does not depend on the parameters, so z is a differentiable
 * function of mean and logVar and gradients flow through it.
 * @param mean [batch, latentDim] (or any shape)
 * @param logVar same shape as mean
 * @param epsilon optional noise of the same (or a broadcastable) shape; drawn from N(0, I) when absent
 * @param seed seeds the draw of epsilon when it is not given
 * @returns z, same shape as mean
 */
export function reparameterize(mean: Tensor, logVar: Tensor, epsilon?: Tensor, seed?: number): Tensor {
  return tf.tidy(() => {
    const noise = epsilon ?? tf.randomNormal(mean.shape, 0, 1, "float32", seed);
    return tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), noise));
  });
}

/**
 * Stacks `samples` copies of a per-example tensor in sample-major order, the layout of z drawn as
 * [samples, batch, latentDim] and flattened: row s·batch + n is example n's row, for every sample s.
 * @param t [batch, d]
 * @returns [samples · batch, d]
 */
export function repeatSamples(t: Tensor, samples: number): Tensor2D {
  return tf.tidy(() => {
    const [batch, d] = t.shape;
    return t.expandDims(0).tile([samples, 1, 1]).reshape([samples * batch, d]) as Tensor2D;
  });
}
