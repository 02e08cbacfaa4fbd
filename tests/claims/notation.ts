import {expect} from "vitest";
import {claim} from "./claim.ts";

const page = "/notation";

export const claims = [
  // The definition of a nat, by example: log-probability −100 nats is probability e^−100, and in bits
  // that is 100 / ln 2 ≈ 144.3 bits (the page's 1/ln 2 ≈ 1.443 is in math).
  claim(page, "A log-likelihood of −100 nats means a probability of", () => {
    expect(Math.log(Math.exp(-100))).toBeCloseTo(-100, 10);
    expect(-Math.log2(Math.exp(-100))).toBeCloseTo(144.27, 2);
    expect(1 / Math.LN2).toBeCloseTo(1.443, 3);
  })
];
