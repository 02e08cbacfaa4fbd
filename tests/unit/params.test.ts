import {describe, expect, it} from "vitest";
import {ParamStore, disposeSnapshot} from "../../lib/params.ts";
import {tf} from "../../lib/tf.ts";
import {leakedBy, useBackend} from "./helpers.ts";

describe("ParamStore", () => {
  useBackend("cpu");

  it("glorotUniform() draws U(−l, l) with l = √(6 / (fanIn + fanOut)): bounds and variance l²/3", async () => {
    const store = new ParamStore(1);
    const w = store.glorotUniform("w", [300, 200], 300, 200);
    const values = Array.from(await w.data());
    const limit = Math.sqrt(6 / 500);
    expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(limit);
    const variance = values.reduce((s, v) => s + v * v, 0) / values.length;
    expect(variance).toBeCloseTo(limit ** 2 / 3, 4);
    store.dispose();
  });

  it("new ParamStore(seed) initializes the same weights for the same seed and others for another", async () => {
    const draw = async (seed: number) => {
      const store = new ParamStore(seed);
      const values = Array.from(await store.glorotUniform("w", [4, 3], 4, 3).data());
      store.dispose();
      return values;
    };
    expect(await draw(5)).toEqual(await draw(5));
    expect(await draw(5)).not.toEqual(await draw(6));
  });

  it("assign() refuses a wrong shape or a missing name and names it; snapshot/assign round-trips without leaks", async () => {
    const store = new ParamStore(2);
    store.zeros("b", [3]);
    store.glorotUniform("w", [2, 3], 2, 3);
    expect(store.size()).toBe(9);
    expect(() => store.assign(new Map([["b", tf.zeros([4])]]))).toThrow(/parameter b has shape \[4\], expected \[3\]/);
    expect(() => store.assign(new Map([["b", tf.zeros([3])]]))).toThrow(/missing parameter w/);
    expect(() => store.zeros("b", [3])).toThrow(/defined twice/);
    const leaked = await leakedBy(async () => {
      const snapshot = store.snapshot();
      tf.tidy(() => store.get("b").assign(tf.ones([3])));
      store.assign(snapshot);
      disposeSnapshot(snapshot);
    });
    expect(leaked).toBe(0);
    expect(Array.from(await store.get("b").data())).toEqual([0, 0, 0]);
    store.dispose();
  });
});
