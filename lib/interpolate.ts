/**
 * Paths between two latent codes a and b, for decoding "in between" images.
 * - linear: (1 − t)·a + t·b. Under a Gaussian prior its midpoints have a smaller norm than typical
 *   codes (in 20 dimensions, ‖z‖ ≈ √20 for a typical z but ≈ √10 at the middle of two), so they decode
 *   to blurrier, "average" digits.
 * - spherical (slerp): sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b, θ the angle between a and b; keeps
 *   the norm near that of the ends, where the prior puts its mass.
 * @returns steps codes, t = 0 … 1 evenly, as arrays of latentDim numbers
 */
export function interpolate(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, kind: "linear" | "spherical" = "linear"): number[][] {
  if (a.length !== b.length) throw new Error(`interpolate: codes of different sizes (${a.length} and ${b.length})`);
  if (!Number.isInteger(steps) || steps < 2) throw new Error(`interpolate: steps must be a whole number ≥ 2, got ${steps}`);
  const dot = Array.from(a).reduce((s, v, i) => s + v * b[i], 0);
  const norms = Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0) * Array.from(b).reduce((s, v) => s + v * v, 0));
  const theta = norms > 0 ? Math.acos(Math.max(-1, Math.min(1, dot / norms))) : 0;
  return Array.from({length: steps}, (_, k) => {
    const t = k / (steps - 1);
    // Nearly parallel codes: slerp's weights become 0/0, and linear interpolation is the limit.
    const [wa, wb] =
      kind === "spherical" && Math.sin(theta) > 1e-6 ? [Math.sin((1 - t) * theta) / Math.sin(theta), Math.sin(t * theta) / Math.sin(theta)] : [1 - t, t];
    return Array.from(a, (v, i) => wa * v + wb * b[i]);
  });
}
