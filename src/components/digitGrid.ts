export interface DigitGridOptions {
  /** Image side in pixels (MNIST: 28). */
  side?: number;
  /** Digits per row. */
  columns?: number;
  /** Screen pixels per image pixel. */
  scale?: number;
  /** What the picture shows, for screen readers. */
  label: string;
  /** 1 (grey, the default) or 3 (RGB, channels last). */
  channels?: number;
  /** true (the default): 1 is drawn dark, as ink on paper; false: 1 is drawn bright, as light. */
  ink?: boolean;
}

/**
 * Digits as one canvas, black ink on white, crisp at any zoom. `images` holds count·side² values in
 * [0, 1] (1 = ink).
 */
export function DigitGrid(images: ArrayLike<number>, {side = 28, columns = 10, scale = 2, label, channels = 1, ink = true}: DigitGridOptions): HTMLCanvasElement {
  const size = side * side * channels;
  const count = Math.floor(images.length / size);
  const rows = Math.ceil(count / columns);
  const gap = 1;
  const canvas = document.createElement("canvas");
  canvas.width = columns * (side + gap) - gap;
  canvas.height = Math.max(1, rows * (side + gap) - gap);
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", label);
  canvas.className = "digit-grid";
  canvas.style.width = `min(100%, ${canvas.width * scale}px)`;
  const context = canvas.getContext("2d");
  if (!context) return canvas;
  const image = context.createImageData(canvas.width, canvas.height);
  image.data.fill(255);
  for (let n = 0; n < count; n++) {
    const x0 = (n % columns) * (side + gap);
    const y0 = Math.floor(n / columns) * (side + gap);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const o = ((y0 + y) * canvas.width + x0 + x) * 4;
        for (let c = 0; c < 3; c++) {
          const value = Math.min(1, Math.max(0, images[n * size + (y * side + x) * channels + (channels === 1 ? 0 : c)]));
          image.data[o + c] = Math.round(255 * (ink ? 1 - value : value));
        }
      }
    }
  }
  // Gaps between digits in a light grey, so the grid reads as separate images.
  for (let o = 0; o < image.data.length; o += 4) {
    const p = o / 4;
    const [x, y] = [p % canvas.width, Math.floor(p / canvas.width)];
    if (x % (side + gap) === side || y % (side + gap) === side) image.data[o] = image.data[o + 1] = image.data[o + 2] = 200;
  }
  context.putImageData(image, 0, 0);
  return canvas;
}
