import {describe, expect, it} from "vitest";
import {SKETCH_KINDS, checkSize, exampleSketches, imagesToDataset, prepareImage, shiftedCopies} from "../../lib/index.ts";

// References: counts over the pixels (ink on every sketch, paper at the border), the page's own checks
// and preparation, and nearest neighbours among the prepared sketches (allowing small shifts): mostly
// of the same kind, so the set has structure for a VAE to find.
describe("sketches", () => {
  it("exampleSketches({count, seed}) is the same for the same seed, kinds in turn, ink on white paper", () => {
    const a = exampleSketches({count: 24, seed: 1});
    const b = exampleSketches({count: 24, seed: 1});
    expect(a.images.map((im) => Array.from(im.data))).toEqual(b.images.map((im) => Array.from(im.data)));
    expect(Array.from(exampleSketches({count: 24, seed: 2}).images[0].data)).not.toEqual(Array.from(a.images[0].data));
    expect(Array.from(a.labels.subarray(0, 7))).toEqual([0, 1, 2, 3, 4, 5, 0]);
    expect(a.kinds).toEqual(SKETCH_KINDS);
    for (const im of a.images) {
      expect(im).toMatchObject({width: 64, height: 64, channels: 1});
      expect(checkSize("sketch", im)).toBeNull();
      const ink = Array.from(im.data).filter((v) => v < 128).length / (64 * 64);
      expect(ink).toBeGreaterThan(0.02);
      expect(ink).toBeLessThan(0.4);
      const corners = [0, 63, 64 * 63, 64 * 64 - 1].map((p) => im.data[p]);
      expect(corners).toEqual([255, 255, 255, 255]);
    }
  });

  it("exampleSketches() prepared as the reader's images: inverted to ink on black, each one's nearest neighbour mostly of its kind", () => {
    const {images, labels} = exampleSketches({count: 60, seed: 0});
    const prepared = images.map((im) => prepareImage(im, {side: 28}));
    expect(prepared.every((p) => p.inverted)).toBe(true);
    const set = imagesToDataset(prepared, labels);
    // the squared distance, minimised over shifts of up to 3 pixels (sketches sit in different places)
    const shifted = Array.from({length: 60}, (_, j) => shiftedCopies(set.images.subarray(j * 784, (j + 1) * 784), 28, 3));
    const distances = new Float64Array(60 * 60).fill(Infinity);
    for (let i = 0; i < 60; i++) {
      const x = set.images.subarray(i * 784, (i + 1) * 784);
      for (let j = i + 1; j < 60; j++) {
        const {images: copies, count} = shifted[j];
        for (let k = 0; k < count; k++) {
          let s = 0;
          for (let p = 0; p < 784; p++) s += (x[p] - copies[k * 784 + p]) ** 2;
          if (s < distances[i * 60 + j]) distances[i * 60 + j] = distances[j * 60 + i] = s;
        }
      }
    }
    let agree = 0;
    for (let i = 0; i < 60; i++) {
      let [nearest, d] = [-1, Infinity];
      for (let j = 0; j < 60; j++) if (j !== i && distances[i * 60 + j] < d) [nearest, d] = [j, distances[i * 60 + j]];
      if (labels[nearest] === labels[i]) agree++;
    }
    // chance is 1 in 6 (about 10 of 60); seed 0 gives 53
    expect(agree).toBeGreaterThan(40);
  });
});
