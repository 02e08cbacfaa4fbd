import {describe, expect, it} from "vitest";
import {ThinnedHistory} from "../../lib/index.ts";

describe("ThinnedHistory", () => {
  it("ThinnedHistory(4) keeps every item until full, then every other one: items 0, 2, 4, 6 of 0…6", () => {
    const h = new ThinnedHistory<number>(4);
    h.push(0, 1, 2, 3);
    expect(h.points).toEqual([0, 1, 2, 3]);
    h.push(4, 5, 6);
    expect(h.points).toEqual([0, 2, 4, 6]);
    expect(h.stride).toBe(2);
  });

  it("ThinnedHistory(capacity) never holds more than capacity items, however long the run", () => {
    const h = new ThinnedHistory<number>(600);
    for (let i = 0; i < 100_000; i++) h.push(i);
    expect(h.points.length).toBeLessThanOrEqual(600);
    expect(h.points[0]).toBe(0);
    // Evenly spaced: every kept item is a multiple of the stride.
    expect(h.points.every((v, i) => v === i * h.stride)).toBe(true);
    expect(h.count).toBe(100_000);
  });

  it("pointsWithLatest ends with the last item pushed even when it was not kept; clear() starts over", () => {
    const h = new ThinnedHistory<number>(2);
    h.push(0, 1, 2, 3);
    expect(h.points).toEqual([0, 2]);
    expect(h.pointsWithLatest).toEqual([0, 2, 3]);
    h.clear();
    expect([h.points, h.latest, h.count]).toEqual([[], undefined, 0]);
  });
});
