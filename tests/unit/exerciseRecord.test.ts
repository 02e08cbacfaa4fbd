import {describe, expect, it} from "vitest";
import {localTimestamp, parseResults, resultKey, resultsRecordText, type ExerciseResult} from "../../lib/index.ts";

const passed: ExerciseResult = {
  exercise: "klStandardNormal",
  functionName: "kl_standard_normal",
  language: "python",
  outcome: "passed",
  passedCases: 10,
  totalCases: 10,
  caseSeed: 200011,
  pageSeed: 3,
  backend: "webgl",
  checkedAt: "2025-11-30T21:40:12+01:00"
};

describe("exercise record", () => {
  it("resultsRecordText names the chapter and, per exercise and language, passed or not, seed, backend and time", () => {
    const timeout: ExerciseResult = {...passed, functionName: "klStandardNormal", language: "javascript", outcome: "timeout", passedCases: 0, pageSeed: null};
    const text = resultsRecordText({chapter: "5. KL divergence in closed form", path: "/chapters/05-kl-closed-form", results: [timeout, passed], madeAt: new Date(2025, 10, 30, 21, 41, 5)});
    expect(text.split("\n")).toEqual([
      "VAE Explorables: code exercises, 5. KL divergence in closed form (/chapters/05-kl-closed-form)",
      "- klStandardNormal: not passed (stopped by the time limit); JavaScript; case seed 200011; backend webgl; checked 2025-11-30T21:40:12+01:00",
      "- kl_standard_normal: passed (10 of 10 cases); Python; seed 3 (case seed 200011); backend webgl; checked 2025-11-30T21:40:12+01:00",
      expect.stringMatching(/^Record made in the browser at 2025-11-30T21:41:05[+-]\d\d:\d\d; each line is the last check/)
    ]);
    expect(resultsRecordText({chapter: "4. The ELBO", path: "/chapters/04-elbo", results: [], madeAt: new Date()})).toContain("- no exercise checked yet");
  });

  it("localTimestamp(date) is the local time with the UTC offset, and parses back to the same instant", () => {
    const date = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));
    const stamp = localTimestamp(date);
    expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
    expect(new Date(stamp).getTime()).toBe(date.getTime());
  });

  it("parseResults keeps well-formed results by exercise and language and drops anything else", () => {
    const stored = JSON.stringify({a: passed, b: {...passed, outcome: "won"}, c: {...passed, passedCases: 11}, d: "x", e: {...passed, language: "javascript"}});
    const results = parseResults(stored);
    expect(Object.keys(results).sort()).toEqual([resultKey(passed), "klStandardNormal:javascript"].sort());
    expect(parseResults("{not json")).toEqual({});
    expect(parseResults("[1, 2]")).toEqual({});
    expect(parseResults(null)).toEqual({});
  });
});
