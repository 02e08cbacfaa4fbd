import {describe, expect, it} from "vitest";
import {createModel, decodeCodes, encodeMeans, encodePosteriors, mulberry32, modelConfig, type Model} from "../../lib/index.ts";
import {leakedBy, useBackend} from "./helpers.ts";

useBackend("cpu");

/** The MLP encoder written out in plain numbers from the model's weights: relu(x·W₀ + b₀)·W + b, split in half. */
function referenceEncoder(model: Model, x: number[], label?: number): {mean: number[]; logVar: number[]} {
  const weights = (name: string) => Array.from(model.params.get(name).dataSync());
  const layer = (input: number[], name: string, relu: boolean) => {
    const kernel = weights(`${name}/kernel`);
    const bias = weights(`${name}/bias`);
    const out = bias.length;
    return bias.map((b, j) => {
      let s = b;
      for (let i = 0; i < input.length; i++) s += input[i] * kernel[i * out + j];
      return relu ? Math.max(0, s) : s;
    });
  };
  const input = label === undefined ? x : [...x, ...Array.from({length: model.config.numClasses as number}, (_, c) => (c === label ? 1 : 0))];
  const code = layer(layer(input, "encoder/dense0", true), "encoder/code", false);
  const latent = model.config.latentDim;
  return {mean: code.slice(0, latent), logVar: code.slice(latent)};
}

/** The MLP decoder in plain numbers: sigmoid(relu(z·W₀ + b₀)·W + b). */
function referenceDecoder(model: Model, z: number[]): number[] {
  const weights = (name: string) => Array.from(model.params.get(name).dataSync());
  const layer = (input: number[], name: string, relu: boolean) => {
    const kernel = weights(`${name}/kernel`);
    const bias = weights(`${name}/bias`);
    return bias.map((b, j) => {
      let s = b;
      for (let i = 0; i < input.length; i++) s += input[i] * kernel[i * bias.length + j];
      return relu ? Math.max(0, s) : s;
    });
  };
  return layer(layer(z, "decoder/dense0", true), "decoder/output", false).map((l) => 1 / (1 + Math.exp(-l)));
}

function images(count: number, pixels: number, seed: number): Float32Array {
  const draw = mulberry32(seed);
  return Float32Array.from({length: count * pixels}, () => draw());
}

describe("encode", () => {
  const config = {imageShape: [4, 4, 1] as [number, number, number], hiddenSizes: [8], latentDim: 3, seed: 2};

  it("encodePosteriors(model, images) matches a plain-number forward pass of the encoder, across batch boundaries", async () => {
    const model = createModel(modelConfig(config));
    const x = images(7, 16, 1);
    const {mean, logVar} = await encodePosteriors(model, x, {batchSize: 3});
    expect(mean).toHaveLength(7);
    for (let n = 0; n < 7; n++) {
      const ref = referenceEncoder(model, Array.from(x.subarray(n * 16, (n + 1) * 16)));
      ref.mean.forEach((v, d) => expect(mean[n][d]).toBeCloseTo(v, 5));
      ref.logVar.forEach((v, d) => expect(logVar[n][d]).toBeCloseTo(v, 5));
    }
    expect(await encodeMeans(model, x)).toEqual(mean);
    model.dispose();
  });

  it("encodePosteriors(cvae, images, {condition}) feeds each image's label to the encoder", async () => {
    const model = createModel(modelConfig({...config, kind: "cvae", numClasses: 4}));
    const x = images(5, 16, 4);
    const labels = [0, 3, 1, 2, 3];
    const {mean} = await encodePosteriors(model, x, {condition: labels, batchSize: 2});
    for (let n = 0; n < 5; n++) {
      const ref = referenceEncoder(model, Array.from(x.subarray(n * 16, (n + 1) * 16)), labels[n]);
      ref.mean.forEach((v, d) => expect(mean[n][d]).toBeCloseTo(v, 5));
    }
    await expect(encodePosteriors(model, x)).rejects.toThrow(/one label per image/);
    model.dispose();
  });

  it("decodeCodes(model, codes) matches a plain-number forward pass of the decoder, and leaves no tensors behind", async () => {
    const model = createModel(modelConfig(config));
    const codes = [[0.5, -1, 2], [0, 0, 0], [-2, 1.5, 0.3]];
    const decoded = await decodeCodes(model, codes);
    expect(decoded).toHaveLength(3 * 16);
    codes.forEach((z, n) => referenceDecoder(model, z).forEach((p, i) => expect(decoded[n * 16 + i]).toBeCloseTo(p, 5)));
    expect(await leakedBy(async () => void (await decodeCodes(model, codes)))).toBe(0);
    await expect(decodeCodes(model, [[1, 2]])).rejects.toThrow(/needs 3 numbers/);
    expect(await decodeCodes(model, [])).toHaveLength(0);
    model.dispose();
  });

  it("encodePosteriors leaves no tensors behind and refuses a partial image", async () => {
    const model = createModel(modelConfig(config));
    expect(await leakedBy(async () => void (await encodePosteriors(model, images(10, 16, 2), {batchSize: 4})))).toBe(0);
    await expect(encodePosteriors(model, new Float32Array(20))).rejects.toThrow(/not a whole number of 16-pixel images/);
    await expect(encodePosteriors(model, new Float32Array(16), {batchSize: 0})).rejects.toThrow(/batchSize/);
    model.dispose();
  });
});
