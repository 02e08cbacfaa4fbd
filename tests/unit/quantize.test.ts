import {describe, expect, it} from "vitest";
import {createModel, dequantizeUint8, fromFloat16Bits, modelConfig, modelFromArtifacts, modelToArtifacts, mulberry32, quantizeUint8, quantizeWeightsUint8, tf} from "../../lib/index.ts";
import {useBackend} from "./helpers.ts";

useBackend("wasm");

describe("8-bit weights", () => {
  it("quantizeUint8(values) stays within scale / 2 of every value, keeps 0 exact, and spans the range", () => {
    const draw = mulberry32(3);
    const values = Float32Array.from({length: 5000}, () => (draw() - 0.3) * 0.8);
    values[17] = 0;
    const q = quantizeUint8(values);
    // The step is the range over 255 levels, computed here from the data alone.
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    expect(q.scale).toBeCloseTo((hi - lo) / 255, 7);
    const back = dequantizeUint8(q);
    let worst = 0;
    values.forEach((v, i) => (worst = Math.max(worst, Math.abs(back[i] - v))));
    expect(worst).toBeLessThanOrEqual(q.scale / 2 + 1e-7);
    expect(back[17]).toBe(0);
    expect(Math.min(...q.codes)).toBeLessThanOrEqual(1);
    expect(Math.max(...q.codes)).toBeGreaterThanOrEqual(254);
  });

  it("quantizeUint8 of a constant tensor decodes to the constant", () => {
    expect(Array.from(dequantizeUint8(quantizeUint8(new Float32Array(4))))).toEqual([0, 0, 0, 0]);
  });

  it("tfjs's own decoder (tf.io.decodeWeights) reads quantizeUint8's codes as min + scale · q", () => {
    const draw = mulberry32(4);
    const values = Float32Array.from({length: 300}, () => draw() * 2 - 1.5);
    const q = quantizeUint8(values);
    const decoded = tf.io.decodeWeights(q.codes.slice().buffer, [{name: "w", shape: [300], dtype: "float32", quantization: {dtype: "uint8", scale: q.scale, min: q.min}}]);
    const fromTf = decoded.w.dataSync() as Float32Array;
    // An independent reading of the codes: plain arithmetic, in float64.
    q.codes.forEach((code, i) => expect(fromTf[i]).toBeCloseTo(q.min + q.scale * code, 6));
    tf.dispose(Object.values(decoded));
  });

  it("quantizeWeightsUint8(specs, weights) gives a checkpoint modelFromArtifacts loads, each weight within its step of the float16 original", async () => {
    const before = tf.memory().numTensors;
    const model = createModel(modelConfig({hiddenSizes: [64], latentDim: 4, seed: 2}));
    const artifacts = await modelToArtifacts(model, {float16: true});
    const {specs, weights} = quantizeWeightsUint8(artifacts.weightSpecs as never, new Uint8Array(artifacts.weightData as ArrayBuffer));
    // Kernels (≥ 1024 values) became one byte each; biases stayed float16.
    const kernel = specs.find((s) => s.name === "encoder/dense0/kernel");
    expect(kernel?.quantization?.dtype).toBe("uint8");
    expect(specs.find((s) => s.name === "encoder/dense0/bias")?.quantization?.dtype).toBe("float16");
    const sizes = specs.map((s) => s.shape.reduce((a, b) => a * b, 1) * (s.quantization?.dtype === "uint8" ? 1 : 2));
    expect(weights.byteLength).toBe(sizes.reduce((a, b) => a + b, 0));
    const loaded = modelFromArtifacts({...artifacts, weightSpecs: specs as never, weightData: weights.slice().buffer});
    // The reference: the float16 weights decoded by hand, compared weight by weight.
    const halves = new Uint16Array((artifacts.weightData as ArrayBuffer).slice(0));
    let at = 0;
    for (const spec of artifacts.weightSpecs ?? []) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const original = Array.from(halves.subarray(at, at + size), fromFloat16Bits);
      at += size;
      const now = loaded.params.get(spec.name).dataSync() as Float32Array;
      const step = specs.find((s) => s.name === spec.name)?.quantization?.scale ?? 0;
      original.forEach((v, i) => expect(Math.abs(now[i] - v)).toBeLessThanOrEqual(step ? step / 2 + 1e-6 : Math.abs(v) * 2 ** -11 + 1e-8));
    }
    loaded.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
