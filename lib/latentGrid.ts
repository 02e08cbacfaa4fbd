/**
 * The codes of a decoded-manifold picture for a 2-D latent space: an n × n grid of z = (z₁, z₂)
 * evenly spaced over [−extent, extent]², in reading order (left to right, then top to bottom), with
 * z₂ largest on the top row so that the picture has the orientation of a plot with z₂ upwards.
 * @returns [n·n, 2] flattened, row-major
 */
export function latentGrid(n: number, extent: number): Float32Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`latentGrid: n must be a whole number ≥ 2, got ${n}`);
  if (!(extent > 0) || !Number.isFinite(extent)) throw new Error(`latentGrid: extent must be a positive number, got ${extent}`);
  const codes = new Float32Array(n * n * 2);
  const at = (i: number) => -extent + (2 * extent * i) / (n - 1);
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      codes[2 * (row * n + col)] = at(col);
      codes[2 * (row * n + col) + 1] = at(n - 1 - row);
    }
  }
  return codes;
}
