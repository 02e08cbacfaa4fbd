// One colour per role, on every page and in every chart (the Notation page shows the key). The hues
// are from Observable's colour-blind-aware categorical scheme and read on light and dark backgrounds.
// Digit classes have their own palette (DIGIT_COLORS in latentScatter.ts); these are for the roles
// a distribution or a quantity plays in the math.

export const ROLE_COLORS = {
  /** The prior p(z) and anything measured against it, such as KL(q ‖ p(z)). */
  prior: "#9498a0",
  /** The true posterior p(z|x) and the gap KL(q ‖ p(z|x)). */
  posterior: "#efb118",
  /** The approximate posterior (the encoder) q_φ(z|x), and the ELBO it gives. */
  q: "#4269d0",
  /** Data: x, the evidence log p(x), reconstructions. */
  data: "#3ca951",
  /** A second estimator or method set against the first (score function against reparameterization). */
  contrast: "#ff725c"
} as const;

export type Role = keyof typeof ROLE_COLORS;

/** An Observable Plot colour scale for series named by role: `color: roleScale({"q(z|x)": "q", "prior p(z)": "prior"})`. */
export function roleScale(series: Record<string, Role>, {legend = true} = {}) {
  const names = Object.keys(series);
  return {domain: names, range: names.map((n) => ROLE_COLORS[series[n]]), legend};
}
