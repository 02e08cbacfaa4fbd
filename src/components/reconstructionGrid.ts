import {DigitGrid} from "./digitGrid.js";

export interface ReconstructionGridOptions {
  /** The step the reconstructions were made at, for their label. */
  step: number;
  columns?: number;
  scale?: number;
  /** What the originals are, for screen readers. */
  originalsLabel?: string;
  /** What the reconstructions are, for screen readers (default "The model's reconstructions at step N"). */
  reconstructionsLabel?: string;
  /** Image side (default 28), channels (1 or 3) and whether 1 is drawn dark (DigitGrid's ink). */
  side?: number;
  channels?: number;
  ink?: boolean;
}

/** Test digits above the model's reconstructions of them, one canvas each (values in [0, 1], 784 per digit). */
export function ReconstructionGrid(originals: ArrayLike<number>, reconstructions: ArrayLike<number>, {step, columns = 10, scale = 2, originalsLabel, reconstructionsLabel, side = 28, channels = 1, ink = true}: ReconstructionGridOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "lab-pictures";
  const count = Math.floor(originals.length / (side * side * channels));
  const look = {columns, scale, side, channels, ink};
  root.append(
    DigitGrid(originals, {...look, label: originalsLabel ?? `${count === 10 ? "Ten" : count} held-out test digits`}),
    DigitGrid(reconstructions, {...look, label: reconstructionsLabel ?? `The model's reconstructions at step ${step}`})
  );
  return root;
}
