import {describe, expect, it} from "vitest";
import {centerDigit} from "../../lib/index.ts";

/** A filled rectangle of ink, rows y0..y1 and columns x0..x1 inclusive, on a 28×28 canvas. */
function rectangle(y0: number, y1: number, x0: number, x1: number): Float32Array {
  const pixels = new Float32Array(784);
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) pixels[y * 28 + x] = 1;
  return pixels;
}

function box(pixels: Float32Array) {
  const ys: number[] = [];
  const xs: number[] = [];
  let [mass, my, mx] = [0, 0, 0];
  pixels.forEach((v, i) => {
    if (v > 0.05) {
      ys.push(Math.floor(i / 28));
      xs.push(i % 28);
    }
    mass += v;
    my += v * (Math.floor(i / 28) + 0.5);
    mx += v * ((i % 28) + 0.5);
  });
  return {height: Math.max(...ys) - Math.min(...ys) + 1, width: Math.max(...xs) - Math.min(...xs) + 1, cy: my / mass, cx: mx / mass};
}

describe("centerDigit", () => {
  it("scales a small stroke in a corner up to a 20-pixel box and moves its centre of mass to the middle", () => {
    // A 6-tall, 3-wide bar in the top-left corner.
    const out = box(centerDigit(rectangle(1, 6, 2, 4)));
    expect(out.height).toBe(20);
    expect(out.width).toBeGreaterThanOrEqual(9);
    expect(out.width).toBeLessThanOrEqual(11);
    expect(Math.abs(out.cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(out.cx - 14)).toBeLessThanOrEqual(0.5);
  });

  it("keeps values in [0, 1], leaves an empty drawing empty, and rejects the wrong size", () => {
    const out = centerDigit(rectangle(10, 25, 3, 27));
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(centerDigit(new Float32Array(784)).every((v) => v === 0)).toBe(true);
    expect(() => centerDigit(new Float32Array(100))).toThrow(/784/);
  });

  it("gives the same picture wherever the same shape is drawn", () => {
    expect(Array.from(centerDigit(rectangle(2, 9, 3, 6)))).toEqual(Array.from(centerDigit(rectangle(15, 22, 18, 21))));
  });
});
