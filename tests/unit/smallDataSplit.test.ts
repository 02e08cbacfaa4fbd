import {describe, expect, it} from "vitest";
import {mulberry32, splitForTraining} from "../../lib/index.ts";

// Reference: every image of each slice is looked up in the original set by its pixels; each shifted
// copy is matched against all 24 non-zero shifts (edges repeated) of every original, written out here.
const side = 5;
const set = (count: number) => {
  const draw = mulberry32(11);
  return {images: Float32Array.from({length: count * side * side}, () => draw()), count, pixels: side * side};
};
const image = (data: {images: Float32Array; pixels: number}, i: number) => Array.from(data.images.subarray(i * data.pixels, (i + 1) * data.pixels));
const shifted = (pixels: number[], dx: number, dy: number) => {
  const at = (x: number, y: number) => pixels[Math.min(side - 1, Math.max(0, y)) * side + Math.min(side - 1, Math.max(0, x))];
  return Array.from({length: side * side}, (_, p) => at((p % side) - dx, Math.floor(p / side) - dy));
};

describe("splitForTraining", () => {
  it("splitForTraining(data, {fraction, copies}) holds out round(fraction·count) images and shifts only the training ones", () => {
    const data = set(20);
    const split = splitForTraining(data, {side, fraction: 0.2, seed: 2, copies: 3, maxShift: 2});
    expect([split.heldOut.count, split.trainPlain.count, split.train.count]).toEqual([4, 16, 16 * 4]);
    expect([...split.trainIndices, ...split.heldOutIndices].sort((a, b) => a - b)).toEqual(Array.from({length: 20}, (_, i) => i));
    const key = (pixels: number[]) => pixels.map((v) => v.toFixed(6)).join();
    const heldKeys = new Set(Array.from(split.heldOutIndices, (i) => key(image(data, i))));
    const trainOriginals = Array.from(split.trainIndices, (i) => image(data, i));
    // every heldOut image is the original at its index, and every plain training image likewise
    split.heldOutIndices.forEach((i, n) => expect(image(split.heldOut, n)).toEqual(image(data, i)));
    split.trainIndices.forEach((i, n) => expect(image(split.train, n)).toEqual(image(data, i)));
    // every copy is a shift of some training original, never of a held-out one
    const shifts = Array.from({length: 25}, (_, k) => [(k % 5) - 2, Math.floor(k / 5) - 2]).filter(([dx, dy]) => dx !== 0 || dy !== 0);
    for (let n = 16; n < split.train.count; n++) {
      const copy = key(image(split.train, n));
      const source = trainOriginals.findIndex((o) => shifts.some(([dx, dy]) => key(shifted(o, dx, dy)) === copy));
      expect(source).toBe(Math.floor((n - 16) / 3));
      for (const i of split.heldOutIndices) expect(shifts.some(([dx, dy]) => key(shifted(image(data, i), dx, dy)) === copy)).toBe(false);
      expect(heldKeys.has(copy)).toBe(false);
    }
  });

  it("splitForTraining(data, {copies: 0}) trains on the training slice as it is, and repeats with the seed", () => {
    const data = set(10);
    const a = splitForTraining(data, {side, copies: 0, seed: 5});
    expect(a.train).toBe(a.trainPlain);
    expect(Array.from(splitForTraining(data, {side, copies: 0, seed: 5}).heldOutIndices)).toEqual(Array.from(a.heldOutIndices));
    expect(() => splitForTraining(set(1), {side})).toThrow(/at least 2 images/);
  });

  it("splitForTraining(data, {heldOut}) holds out exactly the indices given, whatever the seed", () => {
    const data = set(6);
    const split = splitForTraining(data, {side, copies: 0, heldOut: [4, 1, 4], seed: 9});
    expect(Array.from(split.heldOutIndices)).toEqual([1, 4]);
    expect(Array.from(split.trainIndices)).toEqual([0, 2, 3, 5]);
    expect(image(split.heldOut, 1)).toEqual(image(data, 4));
    expect(() => splitForTraining(data, {side, heldOut: [6]})).toThrow(/held-out indices must be 1 to 5 distinct whole numbers below 6/);
    expect(() => splitForTraining(data, {side, heldOut: []})).toThrow(/held-out indices/);
  });
});
