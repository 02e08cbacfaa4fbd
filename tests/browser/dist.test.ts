import {describe, expect, it} from "vitest";
import {foreignLoads} from "./scan.ts";
import {DIST} from "./site.ts";

describe("dist/", () => {
  it("foreignLoads(dist) finds no script, stylesheet, font, import, fetch or image from outside the site", () => {
    expect(foreignLoads(DIST)).toEqual([]);
  });
});
