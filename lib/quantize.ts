import {encodeFloat16, fromFloat16Bits} from "./float16.js";

/**
 * 8-bit affine quantization of a weight tensor, as tfjs decodes it natively (a weight spec's
 * `quantization: {dtype: "uint8", scale, min}`): value ≈ min + scale · q with q ∈ {0, …, 255}.
 * The range [min, max] is nudged so that 0 is exactly representable (zeros, e.g. unused biases, stay
 * zero), as tfjs's converter does. The error of each value is at most scale / 2 = (max − min) / 510.
 */
export interface Uint8Quantized {
  codes: Uint8Array;
  scale: number;
  min: number;
}

export function quantizeUint8(values: Float32Array): Uint8Quantized {
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error("quantizeUint8: the values must be finite");
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (hi === lo) return {codes: new Uint8Array(values.length), scale: 1, min: 0};
  // The step, rounded up to 15 significant bits: 255 steps still span the range, and
  // min = −zero · scale (zero ≤ 255, 8 bits) is exact in float32, so the code `zero` decodes to 0.
  const raw = (hi - lo) / 255;
  const unit = 2 ** (Math.floor(Math.log2(raw)) - 14);
  const scale = Math.ceil(raw / unit) * unit;
  const zero = Math.round(-lo / scale); // the code that stands for 0
  const min = Math.fround(-zero * scale);
  const codes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = Math.max(0, Math.min(255, Math.round((values[i] - min) / scale)));
  return {codes, scale, min};
}

/** The values a quantized tensor stands for: min + scale · q. */
export function dequantizeUint8({codes, scale, min}: Uint8Quantized): Float32Array {
  return Float32Array.from(codes, (q) => q * scale + min);
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: {dtype: string; scale?: number; min?: number};
}

/**
 * A checkpoint's weights (float32 or float16 specs, concatenated as in its weights file) re-encoded
 * with tensors of at least `minValues` values (the kernels) as uint8 and the rest (biases) as float16.
 * Returns the new specs and bytes, ready for a model.json and its weights file.
 */
export function quantizeWeightsUint8(specs: WeightSpec[], weights: Uint8Array, {minValues = 1024}: {minValues?: number} = {}): {specs: WeightSpec[]; weights: Uint8Array} {
  const parts: Uint8Array[] = [];
  const out: WeightSpec[] = [];
  let offset = 0;
  const copy = Uint8Array.from(weights); // aligned, whatever the caller's view
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (spec.dtype !== "float32") throw new Error(`quantizeWeightsUint8: weight ${spec.name} has dtype ${spec.dtype}`);
    let values: Float32Array;
    if (!spec.quantization) {
      values = new Float32Array(copy.buffer.slice(offset, offset + 4 * size));
      offset += 4 * size;
    } else if (spec.quantization.dtype === "float16") {
      const halves = new Uint16Array(copy.buffer.slice(offset, offset + 2 * size));
      values = Float32Array.from(halves, fromFloat16Bits);
      offset += 2 * size;
    } else {
      throw new Error(`quantizeWeightsUint8: weight ${spec.name} is already quantized as ${spec.quantization.dtype}`);
    }
    if (size >= minValues) {
      const {codes, scale, min} = quantizeUint8(values);
      parts.push(codes);
      out.push({name: spec.name, shape: spec.shape, dtype: "float32", quantization: {dtype: "uint8", scale, min}});
    } else {
      const halves = encodeFloat16(values);
      parts.push(new Uint8Array(halves.buffer));
      out.push({name: spec.name, shape: spec.shape, dtype: "float32", quantization: {dtype: "float16"}});
    }
  }
  if (offset !== weights.byteLength) throw new Error(`quantizeWeightsUint8: the manifest describes ${offset} bytes, the weights have ${weights.byteLength}`);
  const bytes = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.byteLength;
  }
  return {specs: out, weights: bytes};
}

/**
 * The site's copy of a checkpoint: float32 weights re-encoded as float16 ("float16"), or with 8-bit
 * kernels and float16 biases ("uint8"); weights already quantized are re-encoded from their values.
 * Returns the model.json to bundle (one weights group) and the weights' bytes.
 */
export function siteWeights(modelJson: {weightsManifest: {paths: string[]; weights: WeightSpec[]}[]}, weights: Uint8Array, precision: "float16" | "uint8"): {modelJson: object; weights: Uint8Array} {
  const specs = modelJson.weightsManifest.flatMap((group) => group.weights);
  const encoded = precision === "uint8" ? quantizeWeightsUint8(specs, weights) : quantizeWeightsUint8(specs, weights, {minValues: Infinity});
  return {modelJson: {...modelJson, weightsManifest: [{paths: ["weights.bin"], weights: encoded.specs}]}, weights: encoded.weights};
}
