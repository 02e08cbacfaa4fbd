/**
 * IEEE 754 half precision, for smaller checkpoint downloads: 11 significant bits (relative error
 * ≤ 2⁻¹¹ ≈ 4.9e-4), range ±65504. tfjs decodes it natively (quantization dtype "float16").
 */
const scratch = new DataView(new ArrayBuffer(4));

/** The float16 bit pattern nearest to x (round half to even), with overflow to ±∞. */
export function toFloat16Bits(x: number): number {
  scratch.setFloat32(0, x);
  const bits = scratch.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  let mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // NaN or ∞
  const e = exponent - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // too large: ∞
  if (e <= 0) {
    if (e < -10) return sign; // underflow to ±0
    mantissa |= 0x800000; // subnormal half: shift the implicit 1 in
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let value = mantissa >>> shift;
    const rest = mantissa & ((1 << shift) - 1);
    if (rest > half || (rest === half && value & 1)) value++;
    return sign | value;
  }
  let value = (e << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && value & 1)) value++; // may carry into the exponent, as it should
  return sign | value;
}

export function encodeFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toFloat16Bits(values[i]);
  return out;
}

export function fromFloat16Bits(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >>> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}
