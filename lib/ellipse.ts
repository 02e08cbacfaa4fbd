/**
 * The k-standard-deviation ellipse of a 2-D diagonal Gaussian N(mean, diag sd²): the points with
 * ((z₁ − μ₁)/σ₁)² + ((z₂ − μ₂)/σ₂)² = k², as a closed polygon of `points` + 1 vertices (the first
 * repeated last), for drawing q(z|x) on a latent plane.
 */
export function posteriorEllipse(mean: ArrayLike<number>, sd: ArrayLike<number>, k: number, points = 64): {x: number; y: number}[] {
  if (mean.length !== 2 || sd.length !== 2) throw new Error(`posteriorEllipse: needs a 2-D mean and sd, got ${mean.length} and ${sd.length} values`);
  if (!(k > 0) || !Number.isFinite(k)) throw new Error(`posteriorEllipse: k must be a number > 0, got ${k}`);
  if (!Number.isInteger(points) || points < 3) throw new Error(`posteriorEllipse: points must be a whole number ≥ 3, got ${points}`);
  return Array.from({length: points + 1}, (_, i) => {
    const t = (2 * Math.PI * (i % points)) / points;
    return {x: mean[0] + k * sd[0] * Math.cos(t), y: mean[1] + k * sd[1] * Math.sin(t)};
  });
}

/**
 * The probability a 2-D Gaussian puts inside its k-σ ellipse: 1 − e^(−k²/2), since the squared
 * standardized distance is χ² with 2 degrees of freedom (about 39 % at k = 1, 86 % at k = 2).
 */
export function ellipseMass(k: number): number {
  return 1 - Math.exp(-(k * k) / 2);
}
