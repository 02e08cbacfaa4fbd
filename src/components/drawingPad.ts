import {button} from "./dom.js";

export interface DrawingPadOptions {
  /** Digits to start from and to load with "Load a test digit": count·784 values in [0, 1]. */
  examples: Float32Array;
  /** Accessible name of the pad. */
  label?: string;
  /** Screen pixels per image pixel. */
  scale?: number;
  /** The load button's text (default "Load a test digit"). */
  loadLabel?: string;
  /** The hint under the pad (default: how to draw one digit). */
  help?: string;
}

const SIDE = 28;

/**
 * A 28×28 drawing pad: draw with a mouse, pen or finger; with the keyboard, move the pen with the arrow
 * keys and press Space to lift or lower it. Its value is the 784 pixels in [0, 1], and it fires "input"
 * when a stroke ends, so `view(DrawingPad(...))` works in a page.
 */
export function DrawingPad({examples, label = "Drawing pad, 28 by 28 pixels", scale = 7, loadLabel = "Load a test digit", help: hint = "Draw one digit, large, in the middle. Keyboard: arrows move, Space lowers or lifts the pen."}: DrawingPadOptions): HTMLElement & {value: Float32Array} {
  const root = document.createElement("div") as unknown as HTMLElement & {value: Float32Array};
  root.className = "drawing-pad";
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = SIDE;
  canvas.tabIndex = 0;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${label}. Draw with the pointer, or move the pen with the arrow keys and press Space to lower or lift it.`);
  canvas.style.width = canvas.style.height = `${SIDE * scale}px`;
  const clear = button("Clear");
  const load = button(loadLabel);
  const help = document.createElement("p");
  help.className = "lab-status";
  help.textContent = hint;
  const buttons = document.createElement("div");
  buttons.className = "lab-buttons";
  buttons.append(clear, load);
  root.append(canvas, buttons, help);

  const count = Math.floor(examples.length / (SIDE * SIDE));
  let next = 1;
  let pixels = examples.slice(0, SIDE * SIDE);
  const cursor = {x: 14, y: 14, down: false};
  let focused = false;

  function render() {
    const context = canvas.getContext("2d");
    if (!context) return;
    const image = context.createImageData(SIDE, SIDE);
    for (let i = 0; i < pixels.length; i++) {
      const v = Math.round(255 * (1 - Math.min(1, pixels[i])));
      image.data.set([v, v, v, 255], i * 4);
    }
    if (focused) {
      // The keyboard pen: a blue pixel where it is, filled when it is down.
      const o = (cursor.y * SIDE + cursor.x) * 4;
      image.data.set(cursor.down ? [0, 90, 200, 255] : [120, 170, 255, 255], o);
    }
    context.putImageData(image, 0, 0);
  }

  function emit() {
    root.value = pixels.slice();
    root.dispatchEvent(new Event("input", {bubbles: true}));
  }

  /** Ink with a soft round brush about 2.5 pixels wide, like MNIST's pen strokes. */
  function stamp(x: number, y: number) {
    for (let py = Math.floor(y - 2); py <= Math.ceil(y + 2); py++) {
      for (let px = Math.floor(x - 2); px <= Math.ceil(x + 2); px++) {
        if (px < 0 || py < 0 || px >= SIDE || py >= SIDE) continue;
        const d = Math.hypot(px + 0.5 - x, py + 0.5 - y);
        const ink = Math.max(0, Math.min(1, 1.6 - d));
        pixels[py * SIDE + px] = Math.max(pixels[py * SIDE + px], ink);
      }
    }
  }

  function line(from: {x: number; y: number}, to: {x: number; y: number}) {
    const steps = Math.max(1, Math.ceil(Math.hypot(to.x - from.x, to.y - from.y) * 3));
    for (let i = 0; i <= steps; i++) stamp(from.x + ((to.x - from.x) * i) / steps, from.y + ((to.y - from.y) * i) / steps);
  }

  const position = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect();
    return {x: ((event.clientX - rect.left) / rect.width) * SIDE, y: ((event.clientY - rect.top) / rect.height) * SIDE};
  };
  let last: {x: number; y: number} | null = null;
  let fresh = false;
  canvas.addEventListener("pointerdown", (event) => {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    // A new drawing replaces the example the pad started with.
    if (fresh) {
      pixels = new Float32Array(SIDE * SIDE);
      fresh = false;
    }
    last = position(event);
    stamp(last.x, last.y);
    render();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!last) return;
    const here = position(event);
    line(last, here);
    last = here;
    render();
  });
  const end = () => {
    if (!last) return;
    last = null;
    emit();
  };
  canvas.addEventListener("pointerup", end);
  canvas.addEventListener("pointercancel", end);

  canvas.addEventListener("focus", () => {
    focused = true;
    render();
  });
  canvas.addEventListener("blur", () => {
    focused = false;
    render();
  });
  canvas.addEventListener("keydown", (event) => {
    const moves: Record<string, [number, number]> = {ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1]};
    if (event.key === " ") {
      event.preventDefault();
      if (fresh) {
        pixels = new Float32Array(SIDE * SIDE);
        fresh = false;
      }
      cursor.down = !cursor.down;
      if (cursor.down) stamp(cursor.x + 0.5, cursor.y + 0.5);
      else emit();
      render();
    } else if (moves[event.key]) {
      event.preventDefault();
      const [dx, dy] = moves[event.key];
      const from = {x: cursor.x + 0.5, y: cursor.y + 0.5};
      cursor.x = Math.max(0, Math.min(SIDE - 1, cursor.x + dx));
      cursor.y = Math.max(0, Math.min(SIDE - 1, cursor.y + dy));
      if (cursor.down) line(from, {x: cursor.x + 0.5, y: cursor.y + 0.5});
      render();
    }
  });

  clear.addEventListener("click", () => {
    pixels = new Float32Array(SIDE * SIDE);
    fresh = false;
    render();
    emit();
  });
  load.addEventListener("click", () => {
    pixels = examples.slice(next * SIDE * SIDE, (next + 1) * SIDE * SIDE);
    next = (next + 1) % Math.max(1, count);
    fresh = true;
    render();
    emit();
  });

  fresh = true;
  root.value = pixels.slice();
  render();
  return root;
}
