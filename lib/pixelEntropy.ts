/**
 * How unsure a Bernoulli decoder is about an image: the entropy of its 784 independent pixels,
 * H = −Σᵢ [pᵢ log pᵢ + (1 − pᵢ) log(1 − pᵢ)] in nats, for each image. 0 for an image of certain
 * pixels (every pᵢ 0 or 1), D·log 2 for one of grey pixels (every pᵢ = ½): blur reads as entropy.
 * @param probabilities count·pixels values in [0, 1] (the decoder's mean images)
 * @returns one entropy per image
 */
export function bernoulliEntropy(probabilities: ArrayLike<number>, pixels: number): number[] {
  if (!Number.isInteger(pixels) || pixels < 1 || probabilities.length % pixels !== 0) {
    throw new Error(`bernoulliEntropy: ${probabilities.length} values is not a whole number of ${pixels}-pixel images`);
  }
  const h = (p: number) => (p <= 0 || p >= 1 ? 0 : -(p * Math.log(p) + (1 - p) * Math.log(1 - p)));
  return Array.from({length: probabilities.length / pixels}, (_, n) => {
    let sum = 0;
    for (let i = 0; i < pixels; i++) sum += h(probabilities[n * pixels + i]);
    return sum;
  });
}
