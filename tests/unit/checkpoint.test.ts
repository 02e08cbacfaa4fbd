import {mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {
  CheckpointError,
  checkpointMetadata,
  createModel,
  decodeCheckpointBundle,
  encodeCheckpointBundle,
  loadCheckpoint,
  loadWeightsInto,
  MAX_CHECKPOINT_BYTES,
  modelConfig,
  modelFromArtifacts,
  modelFromBundle,
  modelToArtifacts,
  readArtifacts,
  saveCheckpoint,
  tf
} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("wasm");

const config = modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 1});
const tempDir = () => mkdtempSync(join(tmpdir(), "ckpt-"));

async function saved(options: {float16?: boolean} = {}) {
  const dir = tempDir();
  const model = createModel(config);
  await saveCheckpoint(model, folderHandler(dir), {...options, metadata: {epoch: 3, command: "npm run train -- --epochs 3"}});
  return {dir, model};
}

describe("checkpoint", () => {
  it("saveCheckpoint → loadCheckpoint through a folder restores the config, the metadata and the exact weights", async () => {
    const {dir, model} = await saved();
    const loaded = await loadCheckpoint(folderHandler(dir));
    expect(loaded.config).toEqual(model.config);
    for (const [name, variable] of model.params.variables) expect(values(loaded.params.get(name))).toEqual(values(variable));
    expect(checkpointMetadata(await readArtifacts(folderHandler(dir)))).toEqual({epoch: 3, command: "npm run train -- --epochs 3"});
    const x = tf.randomUniform([3, 16], 0, 1, "float32", 1);
    expect(values(loaded.reconstruct(x))).toEqual(values(model.reconstruct(x)));
    loaded.dispose();
    model.dispose();
  });

  it("float16 checkpoints are half the size and reconstruct to within half precision", async () => {
    const full = await saved();
    const half = await saved({float16: true});
    const size = (dir: string) => readFileSync(join(dir, "weights.bin")).byteLength;
    expect(size(half.dir) * 2).toBe(size(full.dir));
    const loaded = await loadCheckpoint(folderHandler(half.dir));
    for (const [name, variable] of half.model.params.variables) {
      const [a, b] = [values(loaded.params.get(name)), values(variable)];
      a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(Math.abs(b[i]) * 2 ** -11 + 1e-7));
    }
    [full.model, half.model, loaded].forEach((m) => m.dispose());
  });

  it("a corrupt model.json, a truncated weights file or a missing file gives a clear CheckpointError", async () => {
    const {dir, model} = await saved();
    const bin = readFileSync(join(dir, "weights.bin"));
    writeFileSync(join(dir, "weights.bin"), bin.subarray(0, bin.byteLength - 8));
    await expect(loadCheckpoint(folderHandler(dir))).rejects.toThrow(/truncated or corrupt/);
    writeFileSync(join(dir, "model.json"), "{not json");
    await expect(loadCheckpoint(folderHandler(dir))).rejects.toThrow(/is not valid JSON/);
    await expect(loadCheckpoint(folderHandler(join(dir, "nowhere")))).rejects.toThrow(/model.json is missing/);
    writeFileSync(join(dir, "model.json"), JSON.stringify({modelTopology: {format: "keras"}, weightsManifest: [{paths: ["weights.bin"], weights: []}]}));
    await expect(loadCheckpoint(folderHandler(dir))).rejects.toThrow(/not a VAE Explorables checkpoint/);
    model.dispose();
  });

  it("a wrong-shape weight or a checkpoint of another architecture is refused, and the current model is untouched", async () => {
    const {model} = await saved();
    const artifacts = await modelToArtifacts(model);
    const reshaped = {...artifacts, weightSpecs: artifacts.weightSpecs?.map((s) => (s.name === "encoder/dense0/kernel" ? {...s, shape: [8, 16]} : s))};
    expect(() => modelFromArtifacts(reshaped)).toThrow(/has shape \[8, 16\], but the model needs \[16, 8\]/);
    const other = createModel(modelConfig({...config, latentDim: 3}));
    const before = values(other.params.get("encoder/code/kernel"));
    expect(() => loadWeightsInto(other, artifacts)).toThrow(/for a different model \(vae, mlp \[8\], latent 2, bernoulli\)/);
    expect(values(other.params.get("encoder/code/kernel"))).toEqual(before);
    const broken = {...artifacts, modelTopology: {...(artifacts.modelTopology as object), config: {...config, latentDim: -1}}};
    expect(() => modelFromArtifacts(broken as typeof artifacts)).toThrow(/model description is broken: invalid model config: latentDim/);
    const poisoned = await modelToArtifacts(model);
    new Float32Array(poisoned.weightData as ArrayBuffer)[0] = Number.NaN;
    expect(() => loadWeightsInto(other, poisoned)).toThrow(CheckpointError);
    const same = createModel(config);
    const kept = values(same.params.get("decoder/output/bias"));
    expect(() => loadWeightsInto(same, poisoned)).toThrow(/NaN or infinite/);
    expect(values(same.params.get("decoder/output/bias"))).toEqual(kept);
    [model, other, same].forEach((m) => m.dispose());
  });

  it("an oversized upload is refused before it is read", async () => {
    const huge = [{name: "model.json", size: 1000}, {name: "weights.bin", size: MAX_CHECKPOINT_BYTES}] as unknown as File[];
    await expect(loadCheckpoint(huge)).rejects.toThrow(/64.0 MiB together; the limit is 64 MiB/);
    await expect(loadCheckpoint([{name: "weights.bin", size: 10}] as unknown as File[])).rejects.toThrow(/\.json file together with its weights/);
  });

  it("loading leaks no tensors, also when it fails", async () => {
    const {dir, model} = await saved();
    const before = tf.memory().numTensors;
    const loaded = await loadCheckpoint(folderHandler(dir));
    loaded.dispose();
    const artifacts = await modelToArtifacts(model);
    const bad = {...artifacts, weightSpecs: artifacts.weightSpecs?.slice(1)};
    expect(() => modelFromArtifacts(bad)).toThrow(/lacks 1 weight/);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("checkpoint bundles", () => {
  it("encodeCheckpointBundle → decodeCheckpointBundle gives back a loadable checkpoint; a truncated bundle is refused", async () => {
    const {dir, model} = await saved({float16: true});
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
    const bundle = encodeCheckpointBundle(json, readFileSync(join(dir, "weights.bin")));
    const loaded = modelFromArtifacts(decodeCheckpointBundle(bundle));
    expect(loaded.config).toEqual(model.config);
    const viaBytes = modelFromBundle(bundle.slice().buffer);
    expect(values(viaBytes.params.get("decoder/output/bias"))).toEqual(values(loaded.params.get("decoder/output/bias")));
    viaBytes.dispose();
    expect(() => modelFromArtifacts(decodeCheckpointBundle(bundle.subarray(0, bundle.length - 4)))).toThrow(/truncated or corrupt/);
    expect(() => decodeCheckpointBundle(bundle.subarray(0, 20))).toThrow(/truncated inside its model description/);
    expect(() => decodeCheckpointBundle(new Uint8Array(16))).toThrow(/not a VAE Explorables checkpoint bundle/);
    loaded.dispose();
    model.dispose();
  });
});

describe("checkpoints from a URL", () => {
  it("loadCheckpoint(url) fetches model.json and its weights over HTTP, and a missing URL gives a CheckpointError", async () => {
    const {createServer} = await import("node:http");
    const {readFile} = await import("node:fs/promises");
    const {dir, model} = await saved();
    const server = createServer(async (request, response) => {
      const file = join(dir, (request.url ?? "/").slice(1));
      const body = await readFile(file).catch(() => null);
      if (body) response.writeHead(200).end(body);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const {port} = server.address() as {port: number};
    try {
      const loaded = await loadCheckpoint(`http://127.0.0.1:${port}/model.json`);
      expect(values(loaded.params.get("decoder/output/bias"))).toEqual(values(model.params.get("decoder/output/bias")));
      loaded.dispose();
      await expect(loadCheckpoint(`http://127.0.0.1:${port}/nowhere/model.json`)).rejects.toThrow(CheckpointError);
    } finally {
      server.close();
      model.dispose();
    }
  });
});
