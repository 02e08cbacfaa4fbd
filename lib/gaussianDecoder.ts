// The Gaussian decoder of chapter 7, in plain arrays: why a Gaussian decoder's mean is blurry, and
// what σ does. With p_θ(x|z) = N(x; f(z), σ² I) over D pixels,
//   log p_θ(x|z) = −(D/2)·log(2πσ²) − ‖x − f(z)‖² / (2σ²),
// so maximizing it over f is minimizing the squared error, and the σ that maximizes it for a given
// squared error S is σ² = S / D, the mean squared error per pixel.

const LOG_2PI = Math.log(2 * Math.PI);

/**
 * An image moved by (dx, dy) whole pixels (right and down are positive), with zeros shifted in.
 * @param image side·side values, row by row
 */
export function shiftImage(image: ArrayLike<number>, side: number, dx: number, dy: number): Float32Array {
  if (!Number.isInteger(dx) || !Number.isInteger(dy)) throw new Error(`shiftImage: shifts must be whole pixels, got (${dx}, ${dy})`);
  if (image.length !== side * side) throw new Error(`shiftImage: expected ${side}×${side} = ${side * side} pixels, got ${image.length}`);
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++) {
    const from = y - dy;
    if (from < 0 || from >= side) continue;
    for (let x = 0; x < side; x++) {
      const fx = x - dx;
      if (fx >= 0 && fx < side) out[y * side + x] = image[from * side + fx];
    }
  }
  return out;
}

/**
 * Every copy of an image moved by up to `radius` pixels in each direction: (2·radius + 1)² images,
 * row-major by dy then dx, the unshifted image in the middle.
 * @returns count·side² values
 */
export function shiftedCopies(image: ArrayLike<number>, side: number, radius: number): {images: Float32Array; count: number} {
  if (!Number.isInteger(radius) || radius < 0) throw new Error(`shiftedCopies: radius must be a whole number ≥ 0, got ${radius}`);
  const n = 2 * radius + 1;
  const pixels = side * side;
  const images = new Float32Array(n * n * pixels);
  let k = 0;
  for (let dy = -radius; dy <= radius; dy++) for (let dx = -radius; dx <= radius; dx++) images.set(shiftImage(image, side, dx, dy), pixels * k++);
  return {images, count: n * n};
}

/** The pixel-wise mean of `count` images: the single image with the least squared error on average over them. */
export function pixelMean(images: ArrayLike<number>, count: number, pixels: number): Float32Array {
  if (images.length !== count * pixels) throw new Error(`pixelMean: expected ${count}·${pixels} values, got ${images.length}`);
  const mean = new Float64Array(pixels);
  for (let k = 0; k < count; k++) for (let p = 0; p < pixels; p++) mean[p] += images[k * pixels + p];
  return Float32Array.from(mean, (v) => v / count);
}

/** ‖x_k − guess‖², summed over pixels, for each of `count` images: [count]. */
export function squaredErrors(images: ArrayLike<number>, count: number, guess: ArrayLike<number>): number[] {
  const pixels = guess.length;
  if (images.length !== count * pixels) throw new Error(`squaredErrors: expected ${count}·${pixels} values, got ${images.length}`);
  return Array.from({length: count}, (_, k) => {
    let s = 0;
    for (let p = 0; p < pixels; p++) s += (images[k * pixels + p] - guess[p]) ** 2;
    return s;
  });
}

/**
 * log N(x; f, σ² I) over `dim` pixels from the squared error S = ‖x − f‖² alone:
 * −(dim/2)·log(2πσ²) − S/(2σ²). Positive for small σ: a density, not a probability, can exceed 1.
 */
export function gaussianLogLikelihoodFromSquaredError(squaredError: number, dim: number, sigma: number): number {
  if (!(sigma > 0) || !Number.isFinite(sigma)) throw new Error(`sigma must be a positive number, got ${sigma}`);
  return -(dim / 2) * (LOG_2PI + 2 * Math.log(sigma)) - squaredError / (2 * sigma * sigma);
}

/**
 * The σ that maximizes the Gaussian log-likelihood for a squared error S over `dim` pixels:
 * d/dσ [−dim·log σ − S/(2σ²)] = −dim/σ + S/σ³ = 0 gives σ² = S/dim, the mean squared error per pixel.
 * At that σ the log-likelihood is −(dim/2)·(log(2π S/dim) + 1).
 */
export function optimalSigma(squaredError: number, dim: number): number {
  if (!(squaredError > 0)) throw new Error(`optimalSigma: the squared error must be > 0 (a perfect fit has no best σ), got ${squaredError}`);
  return Math.sqrt(squaredError / dim);
}

export interface SigmaCurvePoint {
  sigma: number;
  /** The Gaussian log-likelihood averaged over the images, in nats per image. */
  logLikelihood: number;
}

/**
 * The average of log N(x_k; guess, σ² I) over images x_k, for each σ: a curve to plot against σ.
 * Depends on the images only through their mean squared error, so it peaks at optimalSigma of it.
 */
export function sigmaCurve(meanSquaredError: number, dim: number, sigmas: readonly number[]): SigmaCurvePoint[] {
  return sigmas.map((sigma) => ({sigma, logLikelihood: gaussianLogLikelihoodFromSquaredError(meanSquaredError, dim, sigma)}));
}
