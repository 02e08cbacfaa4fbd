/**
 * Paths between two latent codes a and b, for decoding "in between" images.
 * - linear: (1 − t)·a + t·b. Its points have smaller norms than the ends: the midpoint's is
 *   ‖a + b‖/2, which for ends of equal norm r at an angle θ is r·cos(θ/2).
 * - spherical (slerp, White 2016): sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b, θ the angle between a
 *   and b. Its weights are those that move a unit vector along the great circle from â to b̂ at a
 *   constant angular speed. When ‖a‖ = ‖b‖ the path is that arc scaled: the norm stays constant. When
 *   the norms differ it is not: for θ ≤ 90° the norm stays between ‖a‖ and ‖b‖, for larger θ it can
 *   leave that range (ends of norms 4 and 2 at 150°: from about 1.5 to 5.5), and the angle no longer
 *   moves evenly. Both paths pass through the same directions (the plane of a and b, from â to b̂),
 *   and slerp's midpoint (t = ½) is the linear midpoint divided by cos(θ/2): (a + b)/(2·cos(θ/2)).
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

/** The angle between two codes, in radians (0 when either is zero). */
export function angleBetween(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`angleBetween: codes of different sizes (${a.length} and ${b.length})`);
  let [dot, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? Math.acos(Math.max(-1, Math.min(1, dot / Math.sqrt(aa * bb)))) : 0;
}
