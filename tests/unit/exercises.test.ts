import {createRequire} from "node:module";
import {dirname} from "node:path";
import {loadPyodide, type PyodideAPI} from "pyodide";
import {beforeAll, describe, expect, it} from "vitest";
import {checkCase, describeCall, EXERCISES, klStandardNormal, logMeanExp, readOutcome, reparameterize, tf, type Exercise, type ExerciseCase} from "../../lib/index.ts";
import {workerHelpers} from "../../lib/exerciseWorker.ts";
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

  // Written out from the formulas, in plain float64, with no lib code.
  const exact: Record<string, (args: ExerciseCase["args"]) => number | number[]> = {
    klStandardNormal: ([mu, logVar]) => (mu as number[]).reduce((s, m, j) => s + 0.5 * (Math.exp((logVar as number[])[j]) + m * m - 1 - (logVar as number[])[j]), 0),
    reparameterize: ([mu, logVar, eps]) => (mu as number[]).map((m, j) => m + Math.sqrt(Math.exp((logVar as number[])[j])) * (eps as number[])[j]),
    logMeanExp: ([a]) => {
      const values = a as number[];
      if (values.every((v) => v === -Infinity)) return -Infinity;
      // log((1/n) Σ e^{a_i}) = m + log((1/n) Σ e^{a_i − m}), exact for any m; in float64 with m the largest a_i.
      const top = values.reduce((m, v) => (v > m ? v : m), -Infinity);
      return top + Math.log(values.reduce((s, v) => s + Math.exp(v - top), 0) / values.length);
    }
  };
  const asList = (v: number | number[]) => (Array.isArray(v) ? v : [v]);

  it("every case's expected value is the float64 formula's, to 1e-12, including the −∞ cases: no float32 or GPU artefact (WebGL's log 0 ≈ −88.03)", () => {
    let infinite = 0;
    for (const exercise of Object.values(EXERCISES)) {
      for (const seed of [1, 2, 3, 17]) {
        for (const c of exercise.cases(seed)) {
          const [w, g] = [asList(exact[exercise.id](c.args)), asList(exercise.reference(c.args))];
          expect(g).toHaveLength(w.length);
          w.forEach((v, i) => {
            if (!Number.isFinite(v)) {
              infinite++;
              return expect(g[i], `${exercise.id} ${c.name}`).toBe(v);
            }
            // float32 would be off by ~1e-7 relative; float64 rounding by ~1e-16.
            expect(Math.abs(g[i] - v), `${exercise.id} ${c.name}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v)));
          });
          // And the check accepts the exact answer.
          expect(checkCase(exercise, c, {value: exact[exercise.id](c.args)}).passed, `${exercise.id} ${c.name}`).toBe(true);
        }
      }
    }
    expect(infinite).toBeGreaterThan(0);
  });

  it("logMeanExp's every-weight-zero case expects −Infinity and rejects −88.0297 (what a float32 WebGL log(0) gave)", () => {
    const lme = EXERCISES.logMeanExp;
    const c = lme.cases(1).find((k) => k.name === "every weight zero (all −∞)")!;
    expect(lme.reference(c.args)).toBe(-Infinity);
    expect(checkCase(lme, c, {value: -Infinity}).passed).toBe(true);
    expect(checkCase(lme, c, {value: -88.0297}).passed).toBe(false);
  });

  it("lib's tensor functions (klStandardNormal, reparameterize, logMeanExp, float32 on the CPU backend) agree with the references within the exercises' tolerance", () => {
    const before = tf.memory().numTensors;
    const lib: Record<string, (args: ExerciseCase["args"]) => number | number[]> = {
      klStandardNormal: ([mu, logVar]) => tf.tidy(() => klStandardNormal(tf.tensor2d([mu as number[]]), tf.tensor2d([logVar as number[]])).dataSync()[0]),
      reparameterize: ([mu, logVar, eps]) => tf.tidy(() => Array.from(reparameterize(tf.tensor1d(mu as number[]), tf.tensor1d(logVar as number[]), tf.tensor1d(eps as number[])).dataSync())),
      logMeanExp: ([a]) => tf.tidy(() => logMeanExp(tf.tensor1d(a as number[])).dataSync()[0])
    };
    for (const exercise of Object.values(EXERCISES)) {
      for (const c of exercise.cases(1)) {
        const [w, g] = [asList(exercise.reference(c.args)), asList(lib[exercise.id](c.args))];
        w.forEach((v, i) => {
          if (!Number.isFinite(v)) return expect(g[i]).toBe(v);
          expect(Math.abs(g[i] - v), `${exercise.id} ${c.name}`).toBeLessThanOrEqual(exercise.tolerance.absolute + exercise.tolerance.relative * Math.abs(v));
        });
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it("the KL reference matches the closed form computed by hand", () => {
    const kl = EXERCISES.klStandardNormal;
    const want = 0.5 * (Math.exp(-1) + 4 - 1 + 1) + 0.5 * (Math.exp(2) + 0.25 - 1 - 2);
    expect(kl.reference([[2, -0.5], [-1, 2]]) as number).toBeCloseTo(want, 12);
  });
});

describe("code exercises in Python (Pyodide from node_modules, the worker's own conversion)", () => {
  let py: PyodideAPI;
  const helpers = workerHelpers();
  beforeAll(async () => {
    // The same package the site serves; in Node it reads its files from node_modules, no network.
    py = await loadPyodide({indexURL: `${dirname(createRequire(import.meta.url).resolve("pyodide/package.json"))}/`});
  }, 120_000);

  /** Runs Python source the way the worker does (lists in, fromPython out) and checks every case. */
  function gradePython(exercise: Exercise, source: string, seed = 1) {
    const namespace = py.globals.get("dict")();
    py.runPython(source, {globals: namespace, filename: "exercise.py"});
    const fn = namespace.get(exercise.python.functionName);
    expect(typeof fn).toBe("function");
    const results = exercise.cases(seed).map((c) => {
      const args = c.args.map((a) => (Array.isArray(a) ? py.toPy(a) : a));
      let outcome: Record<string, unknown>;
      try {
        outcome = helpers.fromPython(py, fn(...args));
      } catch (error) {
        outcome = {threw: helpers.pythonError(error)};
      }
      for (const a of args) if (a instanceof py.ffi.PyProxy) a.destroy();
      // As the page reads the message: a Float64Array becomes an array.
      return checkCase(exercise, c, readOutcome({type: "outcome", index: 0, ...outcome})!, "python");
    });
    fn.destroy();
    namespace.destroy();
    return results;
  }

  it.each(Object.values(EXERCISES))("$id: the Python solution passes every case, random and edge, for several seeds", (exercise) => {
    for (const seed of [1, 2, 3]) {
      const results = gradePython(exercise, exercise.python.solution, seed);
      expect(results.filter((r) => !r.passed).map((r) => `${r.case.name}: ${r.message}`)).toEqual([]);
    }
  });

  it.each(Object.values(EXERCISES))("$id: the Python starter code is rejected", (exercise) => {
    expect(gradePython(exercise, exercise.python.starter).some((r) => !r.passed)).toBe(true);
  });

  it("log_mean_exp's naive starter raises OverflowError on large values and ValueError on underflow, with the line", () => {
    const results = gradePython(EXERCISES.logMeanExp, EXERCISES.logMeanExp.python.starter);
    const byName = Object.fromEntries(results.map((r) => [r.case.name, r]));
    expect(byName["large values (exp overflows)"].message).toBe("it threw an error: OverflowError: math range error (line 6)");
    expect(byName["very negative values (exp underflows)"].message).toMatch(/^it threw an error: ValueError: .* \(line 6\)$/);
    expect(byName["random, 2 values"].passed).toBe(true);
  });

  it("reparameterize with exp(log_var) fails on a large variance and says so in Python's words", () => {
    const wrong = "import math\ndef reparameterize(mu, log_var, eps):\n    return [m + math.exp(lv) * e for m, lv, e in zip(mu, log_var, eps)]\n";
    const results = gradePython(EXERCISES.reparameterize, wrong);
    const failed = results.find((r) => r.case.name === "large variance (logVar = 6)")!;
    expect(failed.passed).toBe(false);
    expect(failed.error).toBeCloseTo(1.5 * (Math.exp(6) - Math.exp(3)), 1);
    expect(describeCall(EXERCISES.reparameterize, failed.case, "python")).toBe("reparameterize([0], [6], [-1.5])");
  });

  it("a missing return is None, a tuple counts as a list, and a huge list or string is summarised, not sent", () => {
    const kl = EXERCISES.klStandardNormal;
    expect(gradePython(kl, "def kl_standard_normal(mu, log_var):\n    pass\n")[0].message).toBe("it returned None: is a return missing?");
    const tuple = gradePython(EXERCISES.reparameterize, "import math\ndef reparameterize(mu, log_var, eps):\n    return tuple(m + math.exp(0.5 * lv) * e for m, lv, e in zip(mu, log_var, eps))\n");
    expect(tuple.every((r) => r.passed)).toBe(true);
    expect(helpers.fromPython(py, py.runPython("[0.5] * 2_000_000"))).toEqual({summary: "a list of 2000000 values, starting [0.5, 0.5, 0.5, 0.5, 0.5, …]"});
    expect(helpers.fromPython(py, py.runPython("'x' * 20_000_000")).summary).toBe('a string of 20000000 characters, starting "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"…');
    expect(helpers.fromPython(py, py.runPython("[1.0, 'a', None, [2]]")).summary).toBe('a list of 4 values: [1, "a", None, <list>]');
    expect(helpers.fromPython(py, py.runPython("{'a': 1}")).summary).toBe("a Python dict");
    expect(helpers.fromPython(py, py.runPython("2 ** 80")).summary).toBe("the integer 1208925819614629174706176, too large for a float");
    expect(describeCall(kl, {name: "", args: [[-Infinity], [NaN]]}, "python")).toBe("kl_standard_normal([-math.inf], [math.nan])");
  });
});
