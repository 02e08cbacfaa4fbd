import {expect} from "vitest";
import {claim} from "./claim.ts";

const page = "/chapters/07-training";

export const claims = [
  // Exercise 1 and its solution (the solution's 0.184 is in math, so only the question is scanned).
  claim(page, "A model reports −ELBO 100 nats per image. How many bits per pixel is that?", () => {
    expect(100 / (784 * Math.LN2)).toBeCloseTo(0.184, 3);
  })
];
