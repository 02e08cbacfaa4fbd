import {describe, expect, it} from "vitest";
import {gaussianLogLikelihoodFromSquaredError, mulberry32, optimalSigma, pixelMean, shiftedCopies, shiftImage, sigmaCurve, squaredErrors} from "../../lib/index.ts";

// References: per-pixel normal log-pdfs summed in float64; a numerical search for the best σ; and
// perturbing the mean image to see that nothing nearby has a smaller average squared error.
const normalLogPdf = (x: number, m: number, s: number) => -0.5 * Math.log(2 * Math.PI * s * s) - (x - m) ** 2 / (2 * s * s);

describe("gaussianDecoder", () => {
  it("shiftImage(image, side, dx, dy) moves each pixel by (dx, dy) and drops what leaves the frame", () => {
    const image = new Float32Array(25);
    image[1 * 5 + 2] = 1; // row 1, column 2
    const moved = shiftImage(image, 5, 2, -1);
    expect(moved[0 * 5 + 4]).toBe(1);
    expect(moved.reduce((a, b) => a + b, 0)).toBe(1);
    expect(shiftImage(image, 5, 3, 0).reduce((a, b) => a + b, 0)).toBe(0);
    expect(() => shiftImage(image, 5, 0.5, 0)).toThrow(/whole pixels/);
  });

  it("shiftedCopies(image, side, r) gives (2r + 1)² copies with the unshifted image in the middle", () => {
    const draw = mulberry32(3);
    const image = Float32Array.from({length: 49}, () => draw());
    const {images, count} = shiftedCopies(image, 7, 2);
    expect(count).toBe(25);
    expect(Array.from(images.subarray(12 * 49, 13 * 49))).toEqual(Array.from(image));
    expect(Array.from(images.subarray(0, 49))).toEqual(Array.from(shiftImage(image, 7, -2, -2)));
  });

  it("pixelMean(images) has the smallest average squared error: every perturbation of it does worse", () => {
    const draw = mulberry32(7);
    const count = 9;
    const pixels = 16;
    const images = Float32Array.from({length: count * pixels}, () => draw());
    const mean = pixelMean(images, count, pixels);
    const average = (guess: ArrayLike<number>) => squaredErrors(images, count, guess).reduce((a, b) => a + b, 0) / count;
    const best = average(mean);
    for (let trial = 0; trial < 50; trial++) {
      const other = Float32Array.from(mean, (v) => v + (draw() - 0.5) * 0.1);
      expect(average(other)).toBeGreaterThan(best);
    }
    // and in closed form: the average error is the per-pixel variance summed, Σ_p Var_k(x_kp).
    let variance = 0;
    for (let p = 0; p < pixels; p++) for (let k = 0; k < count; k++) variance += (images[k * pixels + p] - mean[p]) ** 2 / count;
    expect(best).toBeCloseTo(variance, 5);
  });

  it("gaussianLogLikelihoodFromSquaredError(S, D, σ) is the sum of the D per-pixel normal log-pdfs", () => {
    const draw = mulberry32(11);
    const x = Array.from({length: 784}, () => draw());
    const f = x.map((v) => Math.min(1, Math.max(0, v + (draw() - 0.5) * 0.3)));
    const S = x.reduce((s, v, i) => s + (v - f[i]) ** 2, 0);
    for (const sigma of [0.05, 0.1, 0.3, 1]) {
      const want = x.reduce((s, v, i) => s + normalLogPdf(v, f[i], sigma), 0);
      expect(gaussianLogLikelihoodFromSquaredError(S, 784, sigma)).toBeCloseTo(want, 6);
    }
    expect(() => gaussianLogLikelihoodFromSquaredError(S, 784, 0)).toThrow(/positive/);
  });

  it("optimalSigma(S, D) = √(S/D) is where a fine search over σ finds the largest log-likelihood", () => {
    for (const S of [3, 15, 60]) {
      let best = {sigma: 0, value: -Infinity};
      for (let sigma = 0.01; sigma < 2; sigma += 1e-5) {
        const value = gaussianLogLikelihoodFromSquaredError(S, 784, sigma);
        if (value > best.value) best = {sigma, value};
      }
      const s = optimalSigma(S, 784);
      expect(Math.abs(best.sigma - s)).toBeLessThan(2e-5);
      expect(gaussianLogLikelihoodFromSquaredError(S, 784, s)).toBeCloseTo(-392 * (Math.log((2 * Math.PI * S) / 784) + 1), 8);
    }
    expect(() => optimalSigma(0, 784)).toThrow(/no best σ/);
  });

  it("sigmaCurve(mse, D, sigmas) rises to its peak at optimalSigma(mse, D) and falls after it", () => {
    const sigmas = Array.from({length: 200}, (_, i) => 0.02 * 1.02 ** i);
    const curve = sigmaCurve(20, 784, sigmas);
    const peak = curve.reduce((a, b) => (b.logLikelihood > a.logLikelihood ? b : a));
    expect(Math.abs(Math.log(peak.sigma / optimalSigma(20, 784)))).toBeLessThan(0.02);
  });
});
