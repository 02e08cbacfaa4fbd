import {describe, expect, it} from "vitest";
import {CHAPTERS} from "../../src/chapters.ts";
import {chapterDepths} from "../../src/components/prerequisiteMap.ts";

describe("the prerequisite map", () => {
  it("chapterDepths(chapters) puts each chapter one column after its deepest prerequisite", () => {
    const depths = chapterDepths([
      {number: 1, title: "a", path: "/a", summary: "", ready: true, needs: []},
      {number: 2, title: "b", path: "/b", summary: "", ready: true, needs: [1]},
      {number: 3, title: "c", path: "/c", summary: "", ready: true, needs: [1, 2]}
    ]);
    expect([...depths.entries()]).toEqual([[1, 0], [2, 1], [3, 2]]);
  });

  it("chapterDepths(chapters) refuses a cycle", () => {
    expect(() => chapterDepths([{number: 1, title: "a", path: "/a", summary: "", ready: true, needs: [1]}])).toThrow(/cycle/);
  });

  it("every chapter's prerequisites come before it in the book", () => {
    for (const c of CHAPTERS) for (const n of c.needs ?? []) expect(n, `chapter ${c.number} needs ${n}`).toBeLessThan(c.number);
  });
});
