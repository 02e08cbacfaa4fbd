import {describe, expect, it} from "vitest";
import {minSquaredDistances, mulberry32} from "../../lib/index.ts";
import {leakedBy, useBackend} from "./helpers.ts";

useBackend("cpu");

describe("sample quality", () => {
  it("minSquaredDistances(queries, references, dim) matches a brute-force search in float64, across chunks", async () => {
    const draw = mulberry32(4);
    const dim = 5;
    const queries = Float32Array.from({length: 7 * dim}, () => draw());
    const references = Float32Array.from({length: 23 * dim}, () => draw());
    // Query 3 is an exact copy of reference 17: distance 0.
    queries.set(references.subarray(17 * dim, 18 * dim), 3 * dim);
    const want = Array.from({length: 7}, (_, i) => {
      let best = Infinity;
      for (let j = 0; j < 23; j++) {
        let s = 0;
        for (let d = 0; d < dim; d++) s += (queries[i * dim + d] - references[j * dim + d]) ** 2;
        best = Math.min(best, s);
      }
      return best;
    });
    let got: Float64Array = new Float64Array();
    expect(await leakedBy(async () => void (got = await minSquaredDistances(queries, references, dim, {chunk: 5})))).toBe(0);
    expect(Array.from(got)).toEqual(want.map((v) => expect.closeTo(v, 5)));
    expect(got[3]).toBeLessThan(1e-6);
  });
});
