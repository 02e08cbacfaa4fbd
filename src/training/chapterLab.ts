// The wiring chapters 7 and 9 share: which digits and which shipped model their lab uses. A chapter
// calls one function; the files are named here once, with literal paths, so the build copies them.
import {FileAttachment} from "observablehq:stdlib";
import type {BackendChoice, Dataset} from "../lib/index.js";
import {initialSeed} from "../components/chapterTools.js";
import {TrainingLab} from "./trainingLab.js";

/** The six chunks of 10,000 training digits. */
const trainChunks = () => [
  FileAttachment("../data/mnist-train-0.bin").href,
  FileAttachment("../data/mnist-train-1.bin").href,
  FileAttachment("../data/mnist-train-2.bin").href,
  FileAttachment("../data/mnist-train-3.bin").href,
  FileAttachment("../data/mnist-train-4.bin").href,
  FileAttachment("../data/mnist-train-5.bin").href
];

const shippedModels = {
  vae: () => ({url: FileAttachment("../data/model-vae-20d.bin").href, name: "model-vae-20d.bin"}),
  cvae: () => ({url: FileAttachment("../data/model-cvae-2d.bin").href, name: "model-cvae-2d.bin"})
};

/**
 * A chapter's training lab: a VAE (chapter 7) or a CVAE (chapter 9) on the page's backend, seeded with
 * the page's seed, starting from the shipped model on request. On a small screen it trains on 10,000
 * digits with a small model; elsewhere on all 60,000.
 */
export function ChapterLab(kind: "vae" | "cvae", {backend, test, invalidation}: {backend: BackendChoice; test: Dataset; invalidation?: Promise<unknown>}): HTMLElement {
  const small = window.innerWidth < 640;
  const chunks = trainChunks();
  return TrainingLab({kind, backend, test, trainUrls: small ? chunks.slice(0, 1) : chunks, shipped: shippedModels[kind](), seed: initialSeed(), small, invalidation});
}
