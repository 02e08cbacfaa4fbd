import {describe, expect, it} from "vitest";
import {checkCase, describeCall, EXERCISES, type Exercise} from "../../lib/index.ts";
import {useBackend} from "./helpers.ts";

useBackend("cpu");

/** Runs learner source the way the page's worker does, here in-process, and checks every case. */
function grade(exercise: Exercise, source: string, seed = 1) {
  const fn = new Function(`${source}\nreturn ${exercise.functionName};`)() as (...args: unknown[]) => unknown;
  return exercise.cases(seed).map((c) => {
    try {
      return checkCase(exercise, c, {value: fn(...structuredClone(c.args))});
    } catch (error) {
      return checkCase(exercise, c, {threw: (error as Error).message});
    }
  });
}

describe("code exercises", () => {
  it.each(Object.values(EXERCISES))("$id: the solution passes every case, random and edge, for several seeds", (exercise) => {
    for (const seed of [1, 2, 3]) {
      const results = grade(exercise, exercise.solution, seed);
      expect(results.length).toBeGreaterThanOrEqual(10);
      expect(results.filter((r) => !r.passed).map((r) => `${r.case.name}: ${r.message}`)).toEqual([]);
    }
  });

  it.each(Object.values(EXERCISES))("$id: the starter code is rejected", (exercise) => {
    expect(grade(exercise, exercise.starter).some((r) => !r.passed)).toBe(true);
  });

  it("the KL with σ in place of log σ² is rejected on a random case, with the amount it is off by", () => {
    const wrong = `function klStandardNormal(mu, logVar) {
      let kl = 0;
      for (let j = 0; j < mu.length; j++) kl += 0.5 * (logVar[j] ** 2 + mu[j] ** 2 - 1 - Math.log(logVar[j] ** 2));
      return kl;
    }`;
    const failed = grade(EXERCISES.klStandardNormal, wrong).filter((r) => !r.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].message).toMatch(/off by|returned/);
  });

  it("reparameterize with exp(logVar) instead of exp(logVar / 2) fails exactly the cases where logVar ≠ 0 and ε ≠ 0", () => {
    const wrong = "function reparameterize(mu, logVar, eps) { return mu.map((m, j) => m + Math.exp(logVar[j]) * eps[j]); }";
    const results = grade(EXERCISES.reparameterize, wrong);
    const byName = Object.fromEntries(results.map((r) => [r.case.name, r.passed]));
    expect(byName["ε = 0 gives the mean"]).toBe(true);
    expect(byName["unit variance (logVar = 0)"]).toBe(true);
    expect(byName["large variance (logVar = 6)"]).toBe(false);
    const failed = results.find((r) => r.case.name === "large variance (logVar = 6)")!;
    // exp(6)·1.5 versus exp(3)·1.5
    expect(failed.error).toBeCloseTo(1.5 * (Math.exp(6) - Math.exp(3)), 1);
  });

  it("the naive log-mean-exp fails on overflow and underflow, and says so", () => {
    const results = grade(EXERCISES.logMeanExp, EXERCISES.logMeanExp.starter);
    const failed = results.filter((r) => !r.passed).map((r) => r.case.name);
    expect(failed).toContain("large values (exp overflows)");
    expect(failed).toContain("very negative values (exp underflows)");
    expect(results.find((r) => r.case.name === "large values (exp overflows)")!.message).toMatch(/Infinity.*overflow/);
    expect(results.find((r) => r.case.name.startsWith("random"))!.passed).toBe(true);
  });

  it("reports a thrown error, a missing return and a wrong length in a sentence, and shows the call", () => {
    const kl = EXERCISES.klStandardNormal;
    const c = kl.cases(1)[0];
    expect(checkCase(kl, c, {threw: "x is not defined"}).message).toBe("it threw an error: x is not defined");
    expect(checkCase(kl, c, {value: undefined}).message).toMatch(/is a return missing/);
    expect(checkCase(EXERCISES.reparameterize, EXERCISES.reparameterize.cases(1)[6], {value: [1]}).message).toMatch(/returned 1 numbers, expected 2/);
    expect(describeCall(kl, {name: "", args: [[0.5], [-30]]})).toBe("klStandardNormal([0.5], [-30])");
  });

  it("the references are lib's functions: the KL reference matches the closed form computed by hand", () => {
    const kl = EXERCISES.klStandardNormal;
    const want = 0.5 * (Math.exp(-1) + 4 - 1 + 1) + 0.5 * (Math.exp(2) + 0.25 - 1 - 2);
    expect(kl.reference([[2, -0.5], [-1, 2]]) as number).toBeCloseTo(want, 4);
  });
});
