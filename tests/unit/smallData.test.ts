import {describe, expect, it} from "vitest";
import {augmentWithShifts, earlyStopping, holdOut, mulberry32, shiftClamped, shiftImage, subset} from "../../lib/index.ts";

// References: set arithmetic on the split; each augmented copy found again by searching every shift
// of its original; gaussianDecoder's zero-filling shiftImage, which shiftClamped must match away from
// the edges; early-stopping histories worked by hand.
const side = 6;
const images = (count: number, seed: number) => {
  const draw = mulberry32(seed);
  return {images: Float32Array.from({length: count * side * side}, () => draw()), count, pixels: side * side, labels: Uint8Array.from({length: count}, (_, i) => i % 3), numClasses: 3};
};

describe("smallData", () => {
  it("holdOut(count, {fraction, seed}) splits every index once, holds out round(fraction·count), and repeats with the seed", () => {
    const {train, heldOut} = holdOut(20, {fraction: 0.25, seed: 3});
    expect(heldOut.length).toBe(5);
    expect([...train, ...heldOut].sort((a, b) => a - b)).toEqual(Array.from({length: 20}, (_, i) => i));
    expect(Array.from(holdOut(20, {fraction: 0.25, seed: 3}).heldOut)).toEqual(Array.from(heldOut));
    expect(Array.from(holdOut(20, {fraction: 0.25, seed: 4}).heldOut)).not.toEqual(Array.from(heldOut));
    // at least one on each side
    expect(holdOut(3, {fraction: 0.01}).heldOut.length).toBe(1);
    expect(holdOut(3, {fraction: 0.99}).train.length).toBe(1);
    expect(() => holdOut(1)).toThrow(/at least 2 images/);
  });

  it("subset(data, indices) copies those images and labels", () => {
    const data = images(5, 1);
    const part = subset(data, [4, 1]);
    expect(part.count).toBe(2);
    expect(Array.from(part.images.subarray(0, 36))).toEqual(Array.from(data.images.subarray(4 * 36, 5 * 36)));
    expect(Array.from(part.labels as Uint8Array)).toEqual([1, 1]);
    expect(() => subset(data, [5])).toThrow(/outside the 5 images/);
  });

  it("shiftClamped(image, side, 1, dx, dy) moves the image like shiftImage inside the frame and repeats the edge into the gap", () => {
    const [data] = [images(1, 2).images];
    const moved = shiftClamped(data, side, 1, 2, -1);
    const zeroFilled = shiftImage(data, side, 2, -1);
    for (let y = 0; y < side - 1; y++) for (let x = 2; x < side; x++) expect(moved[y * side + x]).toBe(zeroFilled[y * side + x]);
    // the two new columns on the left repeat the image's first column; the new bottom row repeats its last
    for (let y = 0; y < side - 1; y++) expect(moved[y * side]).toBe(data[(y + 1) * side]);
    expect(moved[(side - 1) * side + 3]).toBe(data[(side - 1) * side + 1]);
    // three channels move together
    const rgb = Float32Array.from({length: side * side * 3}, (_, i) => i);
    const m = shiftClamped(rgb, side, 3, 1, 0);
    expect(Array.from(m.subarray(3, 6))).toEqual([0, 1, 2]);
  });

  it("augmentWithShifts(data, {copies, maxShift, seed}) keeps the originals first and adds copies each a real shift within range", () => {
    const data = images(4, 3);
    const out = augmentWithShifts(data, {side, copies: 3, maxShift: 2, seed: 5});
    expect(out.count).toBe(16);
    expect(Array.from(out.images.subarray(0, 4 * 36))).toEqual(Array.from(data.images));
    for (let i = 0; i < 4; i++) {
      const original = data.images.subarray(i * 36, (i + 1) * 36);
      for (let k = 0; k < 3; k++) {
        const at = 4 + i * 3 + k;
        const copy = Array.from(out.images.subarray(at * 36, (at + 1) * 36));
        // search every shift in range for the one that made this copy
        const found: [number, number][] = [];
        for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (Array.from(shiftClamped(original, side, 1, dx, dy)).every((v, p) => v === copy[p])) found.push([dx, dy]);
        expect(found).toContainEqual([out.shifts[(i * 3 + k) * 2], out.shifts[(i * 3 + k) * 2 + 1]]);
        expect(found).not.toContainEqual([0, 0]);
        expect((out.labels as Uint8Array)[at]).toBe(data.labels[i]);
      }
    }
    expect(Array.from(augmentWithShifts(data, {side, copies: 3, seed: 5}).images)).toEqual(Array.from(out.images));
    expect(Array.from(augmentWithShifts(data, {side, copies: 3, seed: 6}).shifts)).not.toEqual(Array.from(out.shifts));
    expect(() => augmentWithShifts(data, {side: 5})).toThrow(/36 pixels per image are not 5×5×1/);
  });

  it("earlyStopping(history, {patience, minDelta}) stops after patience evaluations without an improvement larger than minDelta", () => {
    // best 90 at index 2; then 3 evaluations without beating it
    expect(earlyStopping([100, 95, 90, 91, 92, 90.5], {patience: 3})).toEqual({stop: true, bestIndex: 2, best: 90, sinceBest: 3});
    expect(earlyStopping([100, 95, 90, 91, 92], {patience: 3}).stop).toBe(false);
    // 89.9 beats 90 by 0.1: an improvement with minDelta 0, not with minDelta 0.5
    expect(earlyStopping([100, 90, 89.9, 89.8, 89.7], {patience: 3}).bestIndex).toBe(4);
    expect(earlyStopping([100, 90, 89.9, 89.8, 89.7], {patience: 3, minDelta: 0.5})).toEqual({stop: true, bestIndex: 1, best: 90, sinceBest: 3});
    // NaN never improves; an empty history does not stop
    expect(earlyStopping([100, Number.NaN, Number.NaN], {patience: 2})).toMatchObject({stop: true, bestIndex: 0});
    expect(earlyStopping([], {patience: 2})).toMatchObject({stop: false, bestIndex: -1});
    expect(() => earlyStopping([1], {patience: 0})).toThrow(/patience/);
  });
});
