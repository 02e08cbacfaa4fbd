import {describe, expect, it} from "vitest";
import {codeCounts, codePerplexity, DeadCodeTracker, nearestCodes, reseedCodes, tf, type Tensor2D} from "../../lib/index.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

describe("codebook usage", () => {
  it("codeCounts(indices, K) is the histogram of the indices", () => {
    expect(codeCounts([0, 2, 2, 3, 2, 0], 5)).toEqual([2, 0, 3, 1, 0]);
    expect(codeCounts(Int32Array.from([1, 1]), 2)).toEqual([0, 2]);
    expect(() => codeCounts([0, 5], 5)).toThrow(/index 5 is outside 0…4/);
    expect(() => codeCounts([0], 0)).toThrow(/positive whole number/);
  });

  it("codePerplexity(counts) is exp of the histogram's entropy, computed by hand", () => {
    // Two codes used equally: exp(ln 2) = 2. Four equally: 4. One code: 1. Nothing: 0.
    expect(codePerplexity([2, 2, 0, 0])).toBeCloseTo(2, 12);
    expect(codePerplexity([1, 1, 1, 1])).toBeCloseTo(4, 12);
    expect(codePerplexity([0, 7, 0])).toBe(1);
    expect(codePerplexity([0, 0])).toBe(0);
    // p = (1/4, 3/4): H = (1/4)·ln 4 + (3/4)·ln(4/3) = 0.3465736 + 0.2157616 = 0.5623351 nats; exp(H) = 1.7547654.
    expect(codePerplexity([1, 3])).toBeCloseTo(1.7547654, 6);
  });

  it("DeadCodeTracker(K, window).dead() lists the codes no batch chose in the last `window` batches", () => {
    const tracker = new DeadCodeTracker(4, 3);
    tracker.record([1, 0, 2, 0]);
    tracker.record([0, 0, 1, 1]);
    // Fewer than `window` batches: nothing is called dead yet.
    expect(tracker.dead()).toEqual([]);
    tracker.record([1, 0, 0, 0]);
    expect(tracker.dead()).toEqual([1]);
    expect(tracker.counts()).toEqual([2, 0, 3, 1]);
    tracker.record([1, 0, 1, 0]);
    // Code 3's use in batch 2 is still inside the window (batches 2–4).
    expect(tracker.dead()).toEqual([1]);
    tracker.record([1, 0, 1, 0]);
    expect(tracker.dead()).toEqual([1, 3]);
    // A re-seeded code gets a whole window before it can be dead again.
    tracker.markReseeded([1]);
    tracker.record([1, 0, 1, 0]);
    tracker.record([1, 0, 1, 0]);
    expect(tracker.dead()).toEqual([3]);
    tracker.record([1, 0, 1, 0]);
    expect(tracker.dead()).toEqual([1, 3]);
    expect(tracker.batchesSeen).toBe(8);
    tracker.clear();
    expect(tracker.dead()).toEqual([]);
    expect(() => tracker.record([1, 2])).toThrow(/expected 4 counts/);
    expect(() => new DeadCodeTracker(4, 0)).toThrow(/window/);
  });

  it("reseedCodes(codebook, dead, encoderOutputs, seed): a forced dead code is detected, moved onto an encoder output, and chosen afterwards", async () => {
    expect(
      await leakedBy(() => {
        // Codes 0 and 1 sit among the outputs; code 2 is far away, so no output chooses it.
        const codebook = tf.tidy(() => tf.variable(tf.tensor2d([[0, 0], [1, 1], [50, 50]])));
        const outputs = tf.tensor2d([[0.1, 0], [0.9, 1.1], [0.2, 0.1], [1.2, 0.8], [0.5, 0.6]]) as Tensor2D;
        const tracker = new DeadCodeTracker(3, 2);
        for (let batch = 0; batch < 2; batch++) {
          const indices = tf.tidy(() => values(nearestCodes(outputs, codebook as unknown as Tensor2D)));
          tracker.record(codeCounts(indices, 3));
        }
        expect(tracker.dead()).toEqual([2]);
        const rows = reseedCodes(codebook, tracker.dead(), outputs, 11);
        tracker.markReseeded([2]);
        expect(rows).toHaveLength(1);
        const table = values(codebook);
        const output = values(outputs).slice(rows[0] * 2, rows[0] * 2 + 2);
        // Row 2 is now exactly that encoder output; rows 0 and 1 are untouched.
        expect(table.slice(4)).toEqual(output);
        expect(table.slice(0, 4)).toEqual([0, 0, 1, 1]);
        // The output it was seeded from now chooses it (distance 0).
        const after = tf.tidy(() => values(nearestCodes(outputs, codebook as unknown as Tensor2D)));
        expect(after[rows[0]]).toBe(2);
        // Seeded: the same seed picks the same output.
        const again = tf.tidy(() => tf.variable(tf.tensor2d([[0, 0], [1, 1], [50, 50]])));
        expect(reseedCodes(again, [2], outputs, 11)).toEqual(rows);
        tf.dispose([codebook, outputs, again]);
      })
    ).toBe(0);
  });

  it("reseedCodes draws distinct encoder outputs for several codes, and refuses bad code lists", () => {
    const codebook = tf.tidy(() => tf.variable(tf.zeros([6, 1])));
    const outputs = tf.tensor2d([[10], [20], [30], [40]]) as Tensor2D;
    const rows = reseedCodes(codebook, [0, 2, 3, 5], outputs, 3);
    expect(new Set(rows).size).toBe(4);
    expect(values(codebook)).toEqual([10 * (rows[0] + 1), 0, 10 * (rows[1] + 1), 10 * (rows[2] + 1), 0, 10 * (rows[3] + 1)]);
    expect(() => reseedCodes(codebook, [1, 1], outputs, 3)).toThrow(/distinct/);
    expect(() => reseedCodes(codebook, [6], outputs, 3)).toThrow(/distinct indices in 0…5/);
    expect(reseedCodes(codebook, [], outputs, 3)).toEqual([]);
    tf.dispose([codebook, outputs]);
  });
});
