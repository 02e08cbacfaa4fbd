import {mulberry32, type Dataset} from "../../lib/index.ts";

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
