// Images made unusual on purpose, for chapter 10's anomaly scores. Images are stored row by row,
// `side`×`side` pixels each, one after another in one array (the layout of every digit array here).

function checkLayout(images: ArrayLike<number>, side: number): number {
  if (!Number.isInteger(side) || side < 1) throw new Error(`side must be a positive whole number, got ${side}`);
  const count = images.length / (side * side);
  if (!Number.isInteger(count)) throw new Error(`${images.length} values are not a whole number of ${side}×${side} images`);
  return count;
}

/**
 * Each image turned a quarter turn clockwise: the pixel at row r, column c moves to row c,
 * column side − 1 − r. Four turns give the image back.
 */
export function rotate90(images: ArrayLike<number>, side = 28): Float32Array {
  const count = checkLayout(images, side);
  const pixels = side * side;
  const out = new Float32Array(images.length);
  for (let n = 0; n < count; n++) {
    const o = n * pixels;
    for (let r = 0; r < side; r++) for (let c = 0; c < side; c++) out[o + c * side + (side - 1 - r)] = images[o + r * side + c];
  }
  return out;
}

/** Ink and paper swapped: 1 − p for every pixel in [0, 1]. */
export function invert(images: ArrayLike<number>): Float32Array {
  return Float32Array.from(images, (p) => 1 - p);
}
