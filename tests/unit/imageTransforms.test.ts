import {describe, expect, it} from "vitest";
import {invert, mulberry32, rotate90} from "../../lib/index.ts";

describe("imageTransforms", () => {
  it("rotate90(images, 3) turns a 3×3 image a quarter turn clockwise", () => {
    // 1 2 3        7 4 1
    // 4 5 6   →    8 5 2
    // 7 8 9        9 6 3
    expect(Array.from(rotate90([1, 2, 3, 4, 5, 6, 7, 8, 9], 3))).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
  });

  it("rotate90 four times is the identity, and twice turns every image upside down, image by image", () => {
    const draw = mulberry32(2);
    const side = 28;
    const images = Float32Array.from({length: 3 * side * side}, () => (draw() < 0.2 ? 1 : 0));
    expect(Array.from(rotate90(rotate90(rotate90(rotate90(images, side), side), side), side))).toEqual(Array.from(images));
    const half = rotate90(rotate90(images, side), side);
    for (let n = 0; n < 3; n++) {
      for (let p = 0; p < side * side; p++) expect(half[n * side * side + (side * side - 1 - p)]).toBe(images[n * side * side + p]);
    }
    expect(rotate90(images, side)).not.toEqual(images);
  });

  it("rotate90 refuses an array that is not a whole number of images", () => {
    expect(() => rotate90(new Float32Array(10), 3)).toThrow(/not a whole number of 3×3 images/);
  });

  it("invert(images) is 1 − p for every pixel, and inverting twice gives the images back", () => {
    expect(Array.from(invert([0, 1, 0.25]))).toEqual([1, 0, 0.75]);
    const images = Float32Array.from({length: 784}, (_, i) => (i % 7 === 0 ? 1 : 0));
    expect(Array.from(invert(invert(images)))).toEqual(Array.from(images));
  });
});
