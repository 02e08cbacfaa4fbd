// Chapter 11's drawing pad for a set of sketches: chapter 8's DrawingPad with a button that adds the
// sketch to the set and a counter. A view: the set lives in the page, which is told of each sketch.
import {button} from "./dom.js";
import {DrawingPad} from "./drawingPad.js";

export interface SketchCollectorOptions {
  /** Sketches the "Load an example" button cycles through, count·784 values in [0, 1] (1 = ink). */
  examples: Float32Array;
  /** Called with the sketch's 28×28 pixels (1 = ink) when the reader adds it. */
  onAdd: (pixels: Float32Array) => void;
  /** How many sketches a set should have at least (the counter says how many are still missing). */
  target?: number;
}

/** The pad, "Add this sketch to the set", and a counter the page keeps up to date with setCount. */
export function SketchCollector({examples, onAdd, target = 24}: SketchCollectorOptions): HTMLElement & {setCount(drawn: number): void} {
  const root = document.createElement("div") as unknown as HTMLElement & {setCount(drawn: number): void};
  root.className = "sketch-collector";
  const pad = DrawingPad({
    examples,
    label: "Drawing pad for a sketch, 28 by 28 pixels",
    loadLabel: "Load an example sketch",
    help: "Draw one sketch, large, in the middle, then add it. Keyboard: arrows move, Space lowers or lifts the pen."
  });
  const counter = document.createElement("p");
  counter.className = "lab-status sketch-count";
  counter.setAttribute("aria-live", "polite");
  const add = button("Add this sketch to the set", () => {
    const pixels = pad.value;
    if (!pixels.some((v) => v > 0.05)) {
      counter.textContent = "The pad is empty: draw something first.";
      return;
    }
    onAdd(Float32Array.from(pixels));
    // a clean pad for the next one
    (pad.querySelector("button") as HTMLButtonElement).click();
  });
  const row = document.createElement("div");
  row.className = "lab-buttons";
  row.append(add);
  root.append(pad, row, counter);
  root.setCount = (drawn: number) => {
    counter.dataset.count = String(drawn);
    counter.textContent =
      drawn === 0
        ? `No sketches yet: draw at least ${target} for a set worth training on.`
        : `${drawn} ${drawn === 1 ? "sketch" : "sketches"} drawn` + (drawn < target ? `; draw at least ${target - drawn} more for a set worth training on.` : ".");
  };
  root.setCount(0);
  return root;
}
