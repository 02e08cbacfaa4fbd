import {describe, expect, it} from "vitest";
import {artifactsFromFiles, checkpointFiles, createModel, modelConfig, modelFromArtifacts, modelToArtifacts, type NamedBytes} from "../../lib/index.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("cpu");

const text = (s: string) => new TextEncoder().encode(s);

async function savedFiles(): Promise<NamedBytes[]> {
  const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 3}));
  const files = checkpointFiles(await modelToArtifacts(model), "lab");
  model.dispose();
  return files;
}

describe("checkpoint files", () => {
  it("checkpointFiles(artifacts, 'lab') writes lab.json naming lab.weights.bin, as tfjs's downloads do", async () => {
    const [json, weights] = await savedFiles();
    expect([json.name, weights.name]).toEqual(["lab.json", "lab.weights.bin"]);
    const parsed = JSON.parse(new TextDecoder().decode(json.bytes));
    expect(parsed.weightsManifest[0].paths).toEqual(["./lab.weights.bin"]);
    expect(weights.bytes.length).toBe(parsed.weightsManifest[0].weights.reduce((n: number, w: {shape: number[]}) => n + 4 * w.shape.reduce((a, b) => a * b, 1), 0));
  });

  it("artifactsFromFiles(checkpointFiles(…)) gives back the same model, whichever order the files come in", async () => {
    const files = await savedFiles();
    const original = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 3}));
    const loaded = modelFromArtifacts(artifactsFromFiles([...files].reverse()));
    expect(values(loaded.params.get("decoder/output/kernel"))).toEqual(values(original.params.get("decoder/output/kernel")));
    original.dispose();
    loaded.dispose();
  });

  it("artifactsFromFiles with an empty model.json says it is empty", async () => {
    const [, weights] = await savedFiles();
    expect(() => artifactsFromFiles([{name: "model.json", bytes: new Uint8Array(0)}, weights])).toThrow("model.json is empty (0 bytes): choose the .json file the lab saved, together with its .weights.bin.");
  });

  it("artifactsFromFiles with a truncated model.json says it is cut off", async () => {
    const [json, weights] = await savedFiles();
    expect(() => artifactsFromFiles([{name: "model.json", bytes: json.bytes.subarray(0, 100)}, weights])).toThrow(/^model\.json is cut off: it ends after 100 bytes, in the middle of its JSON\. Save the checkpoint again\.$/);
  });

  it("artifactsFromFiles with a PNG renamed model.json says it is a PNG image", async () => {
    const [, weights] = await savedFiles();
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(() => artifactsFromFiles([{name: "model.json", bytes: png}, weights])).toThrow("model.json is a PNG image, not a model description: choose the .json file the lab saved.");
  });

  it("artifactsFromFiles with JSON that is not a tfjs model, or without its weights file, says which", async () => {
    const [json, weights] = await savedFiles();
    expect(() => artifactsFromFiles([{name: "model.json", bytes: text("[1, 2]")}, weights])).toThrow(/is JSON but not a model description/);
    expect(() => artifactsFromFiles([{name: "model.json", bytes: text("{}")}, weights])).toThrow(/has no weightsManifest/);
    expect(() => artifactsFromFiles([json])).toThrow(/names the weights file "lab.weights.bin", which was not chosen/);
    expect(() => artifactsFromFiles([weights])).toThrow(/Choose the checkpoint's .json file/);
  });
});
