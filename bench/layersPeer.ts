// The peer for `npm run bench`: the same VAE written the way the tfjs examples write it
// (tfjs-examples/fashion-mnist-vae): tf.layers models for the encoder and decoder, a loss of
// binaryCrossentropy × pixels plus the KL, trained by optimizer.minimize in a loop.
import {tf} from "../lib/index.ts";

export interface LayersVae {
  step(x: tf.Tensor2D): tf.Scalar;
  dispose(): void;
}

export function createLayersVae(pixels = 784, hidden = 512, latent = 20): LayersVae {
  const input = tf.input({shape: [pixels]});
  const h = tf.layers.dense({units: hidden, activation: "relu"}).apply(input) as tf.SymbolicTensor;
  const zMean = tf.layers.dense({units: latent}).apply(h) as tf.SymbolicTensor;
  const zLogVar = tf.layers.dense({units: latent}).apply(h) as tf.SymbolicTensor;
  const encoder = tf.model({inputs: input, outputs: [zMean, zLogVar]});
  const decoder = tf.sequential({
    layers: [tf.layers.dense({inputShape: [latent], units: hidden, activation: "relu"}), tf.layers.dense({units: pixels, activation: "sigmoid"})]
  });
  const optimizer = tf.train.adam(1e-3);
  return {
    step: (x) =>
      optimizer.minimize(() => {
        const [mean, logVar] = encoder.apply(x) as tf.Tensor2D[];
        const z = mean.add(tf.exp(logVar.mul(0.5)).mul(tf.randomNormal(mean.shape)));
        const decoded = decoder.apply(z) as tf.Tensor2D;
        const reconstruction = tf.metrics.binaryCrossentropy(x, decoded).mul(pixels);
        const kl = tf.sum(tf.exp(logVar).add(tf.square(mean)).sub(1).sub(logVar), -1).mul(0.5);
        return reconstruction.add(kl).mean() as tf.Scalar;
      }, true) as tf.Scalar,
    dispose: () => {
      encoder.dispose();
      decoder.dispose();
      optimizer.dispose();
    }
  };
}
