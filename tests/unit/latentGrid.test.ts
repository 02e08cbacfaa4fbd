import {describe, expect, it} from "vitest";
import {latentGrid} from "../../lib/index.ts";

describe("latentGrid", () => {
  it("latentGrid(3, 2) reads like a plot: z₁ from −2 to 2 left to right, z₂ from 2 down to −2", () => {
    expect(Array.from(latentGrid(3, 2))).toEqual([-2, 2, 0, 2, 2, 2, -2, 0, 0, 0, 2, 0, -2, -2, 0, -2, 2, -2]);
  });

  it("latentGrid refuses fewer than 2 points a side or a non-positive extent", () => {
    expect(() => latentGrid(1, 2)).toThrow(/n must be a whole number ≥ 2/);
    expect(() => latentGrid(3, 0)).toThrow(/extent must be a positive number/);
  });
});
