import {readFileSync} from "node:fs";
import {join} from "node:path";
import {expect} from "vitest";
import {chooseBackend, fromFloat16Bits, loadCheckpoint, mulberry32, siteWeights, tf} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {expectLinearity} from "./bce.ts";
import {claim} from "./claim.ts";

// The Numbers page computes its figures from the files in data/; what it types is checked here.
const page = "/numbers";
const root = join(import.meta.dirname, "../..");

export const claims = [
  // The identity the page's reading of the PyTorch example rests on, checked by Monte Carlo over
  // binarizations against the closed form, on random logits and on vae-20d's for grey test digits.
  claim(page, "Binary cross-entropy is linear in its target x", async () => {
    await chooseBackend({prefer: "wasm"});
    const draw = mulberry32(21);
    const x = Float32Array.from({length: 784}, () => (draw() < 0.5 ? 0 : draw()));
    expectLinearity(x, Float32Array.from({length: 784}, () => (draw() - 0.5) * 6), 3000, 22);
    const model = await loadCheckpoint(folderHandler(join(root, "data/checkpoints/vae-20d")));
    const test = await loadMnist("test");
    const grey = test.images.subarray(0, 784);
    const logits = tf.tidy(() => {
      const {mean, logVar} = model.encode(tf.tensor2d(grey, [1, 784]));
      const z = mean.add(tf.exp(logVar.mul(0.5)).mul(tf.randomNormal(mean.shape, 0, 1, "float32", 23)));
      return model.decode(z as tf.Tensor2D).dataSync() as Float32Array;
    });
    expectLinearity(grey, logits, 3000, 24);
    model.dispose();
  }),

  // The re-run's settings, read from the script that ran it.
  claim(page, "We re-ran the example here (784-400-20 MLP, Adam with learning rate 0.001, batch 128;", () => {
    const script = readFileSync(join(root, "bench/pytorch_example.py"), "utf-8");
    expect(script).toContain("nn.Linear(784, 400)");
    expect(script).toMatch(/nn\.Linear\(400, 20\), nn\.Linear\(400, 20\)/);
    expect(script).toMatch(/nn\.Linear\(20, 400\), nn\.Linear\(400, 784\)/);
    expect(script).toContain("torch.optim.Adam(model.parameters(), lr=1e-3)");
    expect(script).toContain("range(0, len(train), 128)");
  }),

  // The site's copy of a checkpoint, as the loader makes it, read back byte by byte from vae-20d.
  claim(page, "whose weight matrices are stored in 8 bits: each matrix keeps its own minimum and step, and each weight the nearest of the 256 levels between them", () => {
    const dir = join(root, "data/checkpoints/vae-20d");
    const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
    const original = new Float32Array(Uint8Array.from(readFileSync(join(dir, "weights.bin"))).buffer);
    const specs: {name: string; shape: number[]}[] = modelJson.weightsManifest[0].weights;
    expect(modelJson.weightsManifest[0].weights.every((s: {dtype: string; quantization?: unknown}) => s.dtype === "float32" && !s.quantization)).toBe(true);
    const site = siteWeights(modelJson, readFileSync(join(dir, "weights.bin")), "uint8") as {modelJson: {weightsManifest: {weights: {name: string; shape: number[]; quantization: {dtype: string; scale: number; min: number}}[]}[]}; weights: Uint8Array};
    const out = site.modelJson.weightsManifest[0].weights;
    let at = 0;
    let read = 0;
    expect(out.map((s) => s.name)).toEqual(specs.map((s) => s.name));
    for (const [i, spec] of specs.entries()) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const values = original.subarray(at, at + size);
      at += size;
      const q = out[i].quantization;
      if (spec.shape.length === 1) {
        read += 2 * size; // a bias, in 16 bits: the next claim
        continue;
      }
      expect(q.dtype).toBe("uint8");
      const codes = site.weights.subarray(read, read + size); // one byte per weight
      read += size;
      // Nearest level: no other of the 256 levels min + scale·j is closer to the original weight.
      for (let j = 0; j < size; j += 97) {
        const decoded = q.min + q.scale * codes[j];
        expect(Math.abs(decoded - values[j])).toBeLessThanOrEqual(q.scale / 2 + 1e-6);
      }
      const lo = values.reduce((m, v) => Math.min(m, v), 0);
      const hi = values.reduce((m, v) => Math.max(m, v), 0);
      expect(q.min).toBeLessThanOrEqual(lo + q.scale / 2);
      expect(q.min + 255 * q.scale).toBeGreaterThanOrEqual(hi - q.scale / 2);
    }
    expect(read).toBe(site.weights.byteLength);
  }),

  claim(page, "while the biases stay in 16-bit floats", () => {
    const dir = join(root, "data/checkpoints/vae-20d");
    const modelJson = JSON.parse(readFileSync(join(dir, "model.json"), "utf-8"));
    const original = new Float32Array(Uint8Array.from(readFileSync(join(dir, "weights.bin"))).buffer);
    const site = siteWeights(modelJson, readFileSync(join(dir, "weights.bin")), "uint8") as {modelJson: {weightsManifest: {weights: {shape: number[]; quantization: {dtype: string}}[]}[]}; weights: Uint8Array};
    const out = site.modelJson.weightsManifest[0].weights;
    let at = 0;
    let read = 0;
    for (const spec of out) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (spec.shape.length === 1) {
        expect(spec.quantization.dtype).toBe("float16");
        const halves = new Uint16Array(site.weights.slice(read, read + 2 * size).buffer);
        halves.forEach((h, j) => expect(Math.abs(fromFloat16Bits(h) - original[at + j])).toBeLessThanOrEqual(Math.abs(original[at + j]) * 2 ** -11 + 1e-7));
        read += 2 * size;
      } else {
        read += size;
      }
      at += size;
    }
    expect(read).toBe(site.weights.byteLength);
  })
];
