import {DigitGrid} from "./digitGrid.js";

export interface ReconstructionGridOptions {
  /** The step the reconstructions were made at, for their label. */
  step: number;
  columns?: number;
  scale?: number;
  /** What the originals are, for screen readers. */
  originalsLabel?: string;
}

/** Test digits above the model's reconstructions of them, one canvas each (values in [0, 1], 784 per digit). */
export function ReconstructionGrid(originals: ArrayLike<number>, reconstructions: ArrayLike<number>, {step, columns = 10, scale = 2, originalsLabel}: ReconstructionGridOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "lab-pictures";
  const count = Math.floor(originals.length / 784);
  root.append(
    DigitGrid(originals, {columns, scale, label: originalsLabel ?? `${count === 10 ? "Ten" : count} held-out test digits`}),
    DigitGrid(reconstructions, {columns, scale, label: `The model's reconstructions at step ${step}`})
  );
  return root;
}
