import {describe, expect, it} from "vitest";
import {encodeFloat16, fromFloat16Bits, mulberry32, toFloat16Bits} from "../../lib/index.ts";

describe("float16", () => {
  it("toFloat16Bits(x) gives the IEEE half-precision patterns of known values", () => {
    const known: [number, number][] = [[1, 0x3c00], [-2, 0xc000], [65504, 0x7bff], [0.1, 0x2e66], [2 ** -24, 0x0001], [0, 0], [1e-9, 0], [1e6, 0x7c00], [-Infinity, 0xfc00]];
    for (const [x, bits] of known) expect(toFloat16Bits(x)).toBe(bits);
    expect(Number.isNaN(fromFloat16Bits(toFloat16Bits(Number.NaN)))).toBe(true);
  });

  it("encodeFloat16 round-trips random weights within half precision's 2⁻¹¹ relative error", () => {
    const draw = mulberry32(1);
    const values = Float32Array.from({length: 10_000}, () => (draw() - 0.5) * 2 ** Math.floor(draw() * 20 - 10));
    const bits = encodeFloat16(values);
    values.forEach((v, i) => {
      const back = fromFloat16Bits(bits[i]);
      expect(Math.abs(back - v)).toBeLessThanOrEqual(Math.max(Math.abs(v) * 2 ** -11, 2 ** -25));
    });
  });
});
