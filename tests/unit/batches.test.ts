import {describe, expect, it} from "vitest";
import {BatchSampler, oneHotLabels, validateDataset} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend} from "./helpers.ts";

useBackend("cpu");

describe("batches", () => {
  const data = prototypeData({count: 100});

  it("BatchSampler visits every image once per epoch, in a new seeded order each epoch", () => {
    const sampler = new BatchSampler(data, {batchSize: 10, seed: 1});
    const seen = (): number[] => {
      const labels: number[] = [];
      for (let i = 0; i < 10; i++) labels.push(...(sampler.next().labels as Uint8Array));
      return labels;
    };
    const first = seen();
    expect(sampler.epoch).toBe(1);
    const counts = [0, 0, 0, 0];
    first.forEach((l) => counts[l]++);
    expect(counts).toEqual([25, 25, 25, 25]);
    expect(seen()).not.toEqual(first);
    const again = new BatchSampler(data, {batchSize: 10, seed: 1});
    expect(Array.from(again.next().x)).toEqual(Array.from(new BatchSampler(data, {batchSize: 10, seed: 1}).next().x));
  });

  it("dynamic binarization draws {0, 1} pixels with P(1) = the grey level; static draws once", () => {
    const grey = {images: new Float32Array(1000 * 4).fill(0.3), count: 1000, pixels: 4};
    const dynamic = new BatchSampler(grey, {batchSize: 1000, seed: 2, binarize: "dynamic"});
    const a = dynamic.next().x;
    expect(a.every((p) => p === 0 || p === 1)).toBe(true);
    const mean = a.reduce((s, p) => s + p, 0) / a.length;
    expect(Math.abs(mean - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / a.length));
    expect(Array.from(dynamic.next().x)).not.toEqual(Array.from(a));
    const fixed = new BatchSampler({...grey, count: 10, images: grey.images.slice(0, 40)}, {batchSize: 10, seed: 2, binarize: "static"});
    const sum = (x: Float32Array) => x.reduce((s, p) => s + p, 0);
    expect(sum(fixed.next().x)).toBe(sum(fixed.next().x)); // the same images, reshuffled
  });

  it("validateDataset() explains a size mismatch", () => {
    expect(() => validateDataset({...data, count: 101})).toThrow(/pixel values, expected 101 × 16/);
    expect(() => validateDataset({...data, labels: new Uint8Array(3)})).toThrow(/3 labels for 100 images/);
  });

  it("oneHotLabels([2, 0], 3) is [[0, 0, 1], [1, 0, 0]] (float32), and a label out of range is refused", () => {
    const t = oneHotLabels([2, 0], 3);
    expect(t.dtype).toBe("float32");
    expect(t.arraySync()).toEqual([[0, 0, 1], [1, 0, 0]]);
    t.dispose();
    expect(() => oneHotLabels([3], 3)).toThrow(/label 3 is not one of 0…2/);
  });
});
