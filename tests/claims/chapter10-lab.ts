// Chapter 10's β sweep and its remedies for posterior collapse (the section the lab's helper wrote;
// the rest of chapter 10 has its own file). The sweep's settings are read from the module the sweep
// itself uses, and the arithmetic is redone with lib's free-bits and warm-up functions.
import {expect} from "vitest";
import {freeBitsKl, klWarmupBeta, tf, type Tensor2D} from "../../lib/index.ts";
import {SWEEP_FREE_BITS, SWEEP_HELD_OUT, SWEEP_LATENT, SWEEP_WARMUP_FRACTION} from "../../src/training/sweepSettings.ts";
import {claim} from "./claim.ts";

const page = "/chapters/10-beyond";

/** The KL part of the free-bits training loss for units that each carry `perUnit` nats. */
const klPart = (beta: number, perUnit: number) => beta * tf.tidy(() => freeBitsKl(tf.fill([4, SWEEP_LATENT], perUnit) as Tensor2D, SWEEP_FREE_BITS).dataSync()[0]);

export const claims = [
  claim(page, "scores each on 500 held-out digits", () => {
    expect(SWEEP_HELD_OUT).toBe(500);
  }),
  claim(page, "a warm-up over the first half of each run's steps, or free bits at λ = 0.5 nats per unit", () => {
    expect(SWEEP_WARMUP_FRACTION).toBe(0.5);
    expect(SWEEP_FREE_BITS).toBe(0.5);
  }),
  claim(
    page,
    "The sweep's VAE has 16 latent units. With free bits at λ = 0.5 nats per unit and β = 8, what is the smallest value the KL part of the training loss can take? What does a model pay whose units each carry 0.2 nats? And with a warm-up over 150 steps instead, which β does step 60 use?",
    () => {
      expect(SWEEP_LATENT).toBe(16);
      expect(SWEEP_FREE_BITS).toBe(0.5);
    }
  ),
  // The solution: 8 · 16 · 0.5 = 64 nats at least; 0.2 nats per unit pays the same; β₆₀ = 8 · 60/150 = 3.2.
  claim(page, "A model whose units each carry 0.2 nats, below λ, pays the same 64 nats", async () => {
    await tf.ready();
    expect(klPart(8, 0)).toBeCloseTo(64, 4);
    expect(klPart(8, 0.2)).toBeCloseTo(64, 4);
    expect(klPart(8, 0.7)).toBeCloseTo(8 * 16 * 0.7, 3); // above λ the floor no longer binds
  }),
  claim(page, "so at β = 1 the loss is never below the batch's −ELBO", async () => {
    // Random per-digit, per-unit KLs, some below λ and some above: the free-bits KL term at β = 1 is at
    // least the batch's average KL summed over units (the −ELBO's KL part), and equal when every unit is above λ.
    await tf.ready();
    let state = 7;
    const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 20; trial++) {
      const kls = Array.from({length: 4 * SWEEP_LATENT}, () => uniform() * 1.5);
      const plain = kls.reduce((s, v) => s + v, 0) / 4;
      const floored = tf.tidy(() => freeBitsKl(tf.tensor2d(kls, [4, SWEEP_LATENT]), SWEEP_FREE_BITS).dataSync()[0]);
      expect(floored).toBeGreaterThanOrEqual(plain - 1e-4);
    }
    const high = Array.from({length: 4 * SWEEP_LATENT}, (_, i) => 0.6 + (i % 5) * 0.1);
    const highFloored = tf.tidy(() => freeBitsKl(tf.tensor2d(high, [4, SWEEP_LATENT]), SWEEP_FREE_BITS).dataSync()[0]);
    expect(highFloored).toBeCloseTo(high.reduce((s, v) => s + v, 0) / 4, 3);
  }),
  claim(page, "With the warm-up, step 60 uses", () => {
    expect(klWarmupBeta(60, 8, 150)).toBeCloseTo(3.2, 12);
  })
];
