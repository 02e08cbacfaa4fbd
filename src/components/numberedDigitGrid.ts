import {DigitGrid, type DigitGridOptions} from "./digitGrid.js";

/** Pixels of the numbered canvas per image pixel: enough for a legible number in each image's corner. */
const UPSCALE = 4;

/**
 * A DigitGrid with each image numbered 1, 2, … in its top-left corner, so that a chart can label the
 * same items with the same numbers. One canvas (the numbers are drawn into it), so it saves as one PNG
 * and the dark theme's inversion of digit grids inverts the numbers with the digits.
 */
export function NumberedDigitGrid(images: ArrayLike<number>, options: DigitGridOptions): HTMLCanvasElement {
  const {side = 28, columns = 10, scale = 2} = options;
  const plain = DigitGrid(images, options);
  const canvas = document.createElement("canvas");
  canvas.width = plain.width * UPSCALE;
  canvas.height = plain.height * UPSCALE;
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `${options.label}, numbered 1 to ${Math.floor(images.length / (side * side))} in reading order`);
  canvas.className = "digit-grid";
  canvas.style.width = `min(100%, ${plain.width * scale}px)`;
  const context = canvas.getContext("2d");
  if (!context) return plain;
  context.imageSmoothingEnabled = false;
  context.drawImage(plain, 0, 0, canvas.width, canvas.height);
  const count = Math.floor(images.length / (side * side));
  const font = Math.round(side * UPSCALE * 0.22);
  context.font = `600 ${font}px system-ui, sans-serif`;
  context.textBaseline = "top";
  for (let n = 0; n < count; n++) {
    const x0 = (n % columns) * (side + 1) * UPSCALE;
    const y0 = Math.floor(n / columns) * (side + 1) * UPSCALE;
    const text = String(n + 1);
    const pad = Math.round(font * 0.15);
    const w = context.measureText(text).width + 2 * pad;
    // A light box under a dark number, so it reads over ink as well as over paper.
    context.fillStyle = "rgba(255, 255, 255, 0.85)";
    context.fillRect(x0, y0, w, font + 2 * pad);
    context.fillStyle = "#333";
    context.fillText(text, x0 + pad, y0 + pad + 1);
  }
  return canvas;
}
