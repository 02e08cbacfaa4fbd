import {describe, expect, it} from "vitest";
import {createModel, parameterCount, type ModelConfig} from "../../lib/index.ts";
import {useBackend} from "./helpers.ts";

useBackend("cpu");

// Reference: the sizes of the parameters createModel really makes, summed.
const built = (config: ModelConfig) => {
  const model = createModel(config);
  const total = model.params.list().reduce((sum, v) => sum + v.size, 0);
  model.dispose();
  return total;
};

describe("parameterCount", () => {
  const base: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [28, 28, 1], hiddenSizes: [128], latentDim: 2, likelihood: {kind: "bernoulli"}, seed: 1};
  it.each([
    ["the small MLP VAE of chapter 11 (28×28 grey)", base],
    ["a colour 32×32 MLP VAE with two hidden layers", {...base, imageShape: [32, 32, 3], hiddenSizes: [64, 32], latentDim: 8}],
    ["a conv VAE", {...base, arch: "conv", hiddenSizes: [8, 16]}],
    ["a colour conv VAE at 32×32", {...base, arch: "conv", imageShape: [32, 32, 3], hiddenSizes: [8, 16]}],
    ["a CVAE with a learned prior", {...base, kind: "cvae", numClasses: 10, prior: "learned"}],
    ["an autoencoder", {...base, kind: "ae", latentDim: 3}]
  ] as [string, ModelConfig][])("parameterCount(config) counts what createModel builds: %s", (_, config) => {
    expect(parameterCount(config)).toBe(built(config));
  });
  it("parameterCount of the small MLP VAE is (D·h + h) + (h·2J + 2J) + (J·h + h) + (h·D + D)", () => {
    const [D, h, J] = [784, 128, 2];
    expect(parameterCount(base)).toBe(D * h + h + h * 2 * J + 2 * J + J * h + h + h * D + D);
  });
});
