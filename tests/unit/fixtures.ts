import {LinearGaussianModel, mulberry32, tf, type Dataset, type Tensor2D} from "../../lib/index.ts";

/**
 * A small learnable dataset: noisy copies of `classes` random prototypes of side×side pixels,
 * labelled by prototype. Seeded.
 */
export function prototypeData({count = 256, side = 4, classes = 4, seed = 1} = {}): Dataset {
  const draw = mulberry32(seed);
  const pixels = side * side;
  const prototypes = Array.from({length: classes}, () => Float32Array.from({length: pixels}, () => (draw() < 0.5 ? 0.9 : 0.1)));
  const images = new Float32Array(count * pixels);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let p = 0; p < pixels; p++) images[i * pixels + p] = Math.min(1, Math.max(0, prototypes[label][p] + (draw() - 0.5) * 0.1));
  }
  return {images, count, pixels, labels, numClasses: classes};
}

/**
 * The linear-Gaussian model the ELBO and IWAE tests share (4-D x, 2-D z), its decoder as tfjs ops for
 * lib's elbo() and iwaeBound(), and one observation x.
 */
export function linearGaussianFixture() {
  const W = [[1, 0.5], [-0.3, 0.8], [0.2, -1.1], [0.7, 0.4]];
  const b = [0.1, -0.2, 0.3, 0];
  const sigma = 0.6;
  return {
    W,
    b,
    sigma,
    model: new LinearGaussianModel(W, b, sigma),
    decode: (z: Tensor2D) => tf.matMul(z, tf.tensor2d(W), false, true).add(tf.tensor1d(b)),
    x: [1.2, -0.4, 0.3, 0.9]
  };
}
