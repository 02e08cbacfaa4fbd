import {describe, expect, it} from "vitest";
import {normalSampler, pca, project} from "../../lib/index.ts";

describe("pca", () => {
  it("pca(data) recovers the directions and variances of data drawn with a known covariance", () => {
    // Points = 3·g1·u + 1·g2·v + 0.1·noise, with u, v orthonormal in 5-D: variances 9 and 1 along u and v.
    const draw = normalSampler(3);
    const u = [1, 1, 0, 0, 0].map((x) => x / Math.SQRT2);
    const v = [0, 0, 1, -1, 0].map((x) => x / Math.SQRT2);
    const n = 20_000;
    const data = new Float64Array(n * 5);
    for (let i = 0; i < n; i++) {
      const [g1, g2] = [draw(), draw()];
      for (let j = 0; j < 5; j++) data[i * 5 + j] = 3 * g1 * u[j] + g2 * v[j] + 0.1 * draw() + 7;
    }
    const model = pca(data, 5, 2);
    expect(Math.abs(model.components[0].reduce((s, c, j) => s + c * u[j], 0))).toBeCloseTo(1, 3);
    expect(Math.abs(model.components[1].reduce((s, c, j) => s + c * v[j], 0))).toBeCloseTo(1, 3);
    expect(model.variances[0]).toBeCloseTo(9.01, 0);
    expect(model.variances[1]).toBeCloseTo(1.01, 1);
    const coords = project(model, data, 5);
    const variance = (k: number) => coords.reduce((s, c) => s + c[k] ** 2, 0) / (n - 1);
    expect(variance(0)).toBeCloseTo(model.variances[0], 1);
    expect(Array.from(model.mean).every((m) => Math.abs(m - 7) < 0.1)).toBe(true);
  });

  it("pca refuses malformed input", () => {
    expect(() => pca([1, 2, 3], 2)).toThrow(/expected n·2 values/);
    expect(() => pca([1, 2, 3, 4], 2, 3)).toThrow(/3 components of 2-dimensional/);
  });
});
