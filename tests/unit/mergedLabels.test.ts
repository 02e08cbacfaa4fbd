import {describe, expect, it} from "vitest";
import {mergedLabels} from "../../src/components/mergedLabels.ts";

// A 170 × 150 chart over [0, 100]²: its plotting area is taken as 100 × 100 pixels, one pixel a unit.
const layout = {range: {x: [0, 100] as [number, number], y: [0, 100] as [number, number]}, size: {width: 170, height: 150}};

describe("mergedLabels", () => {
  it("mergedLabels(points, layout) keeps labels apart that do not touch and merges those that would, in order of their numbers", () => {
    const points = [
      {x: 10, y: 10, n: 15},
      {x: 12, y: 12, n: 2},
      {x: 50, y: 50, n: 3},
      {x: 20, y: 10, n: 4},
      {x: 90, y: 90, n: 1}
    ];
    // "15" is 16 px wide from x = 10: "2" at 12 and "4" at 20 (within its width, within 13 px in y) collide.
    expect(mergedLabels(points, layout)).toEqual([
      {x: 90, y: 90, text: "1"},
      {x: 12, y: 12, text: "2, 4, 15"},
      {x: 50, y: 50, text: "3"}
    ]);
  });

  it("mergedLabels merges again when a merged label grows into a neighbour (by hand: '9, 13' is 37 px wide)", () => {
    // 9 and 13 collide; the merged label, wider, then reaches 5, which alone would not touch 9's label.
    const points = [
      {x: 10, y: 50, n: 9},
      {x: 14, y: 52, n: 13},
      {x: 30, y: 50, n: 5}
    ];
    expect(mergedLabels([points[0], points[2]], layout)).toHaveLength(2);
    expect(mergedLabels(points, layout)).toEqual([{x: 30, y: 50, text: "5, 9, 13"}]); // at the mark numbered 5, the smallest
  });

  it("every number appears once, however the marks crowd", () => {
    const points = Array.from({length: 20}, (_, i) => ({x: (i * 37) % 23, y: (i * 11) % 7, n: i + 1}));
    const numbers = mergedLabels(points, layout).flatMap((l) => l.text.split(", ").map(Number)).sort((a, b) => a - b);
    expect(numbers).toEqual(points.map((p) => p.n));
  });
});
