import {logMeanExpNumbers} from "./linearGaussian.js";
import {mulberry32, normalSampler} from "./random.js";

/**
 * The auto-checked code exercises of chapters 4–6: what the learner writes, the inputs it is run on,
 * and the reference answer. Learner functions take and return plain numbers and arrays, so they can
 * run in a Web Worker with nothing else loaded; the check happens here.
 *
 * The references are the formulas in plain float64 numbers, not lib's tensor functions: a tensor
 * computes in float32 on whatever backend the page chose, and WebGL's log(0) is about −88.03, not
 * −∞, so a tensor reference would reject a right answer on one backend and accept it on another.
 * tests/unit/exercises.test.ts checks that lib's tensor functions agree with these references.
 */
export interface ExerciseCase {
  /** What is special about this input, for the report ("tiny variance"). */
  name: string;
  args: (number | number[])[];
}

/** The languages a checked exercise can be written in. */
export type ExerciseLanguage = "javascript" | "python";

/** The exercise as written in Python: run in the browser by Pyodide, checked by the same cases. */
export interface PythonVersion {
  /** The function the learner must define (snake_case). */
  functionName: string;
  starter: string;
  solution: string;
}

export interface Exercise {
  id: string;
  /** The function the learner must define. */
  functionName: string;
  /** What the editor starts with: the signature, a comment saying what to return, and a stub. */
  starter: string;
  /** A correct answer, shown by "Show a solution" and used by the tests. */
  solution: string;
  /** Random inputs (seeded) followed by the edge cases. */
  cases(seed: number): ExerciseCase[];
  /** The exact answer for one case, in float64 plain numbers (the same on every backend). */
  reference(args: ExerciseCase["args"]): number | number[];
  /** |got − want| ≤ absolute + relative·|want|, per number. */
  tolerance: {absolute: number; relative: number};
  /** The same exercise in Python: lists in, a float or a list out. */
  python: PythonVersion;
}

/**
 * What running the learner's function on one case gave: the value it returned (small and plain), a
 * sentence describing a value too large or too odd to send back (`summary`), or the error it threw.
 */
export interface CaseOutcome {
  value?: unknown;
  summary?: string;
  threw?: string;
}

export interface CaseResult {
  case: ExerciseCase;
  passed: boolean;
  expected: number | number[];
  /** What the learner's function returned, or the message of what it threw. */
  got?: unknown;
  threw?: string;
  /** The largest error over the case's numbers, when both were numbers. */
  error?: number;
  /** One sentence on what went wrong. */
  message?: string;
}

const round = (v: number) => Math.round(v * 1000) / 1000;

function randomArray(draw: () => number, n: number, scale: number, shift = 0): number[] {
  return Array.from({length: n}, () => round(shift + scale * draw()));
}

export const EXERCISES: Record<string, Exercise> = {
  klStandardNormal: {
    id: "klStandardNormal",
    functionName: "klStandardNormal",
    starter: `function klStandardNormal(mu, logVar) {
  // mu, logVar: arrays of numbers, one per latent dimension (logVar = log σ²).
  // Return KL( N(mu, diag exp(logVar)) ‖ N(0, I) ), summed over the dimensions.
  return 0;
}`,
    solution: `function klStandardNormal(mu, logVar) {
  let kl = 0;
  for (let j = 0; j < mu.length; j++) kl += 0.5 * (Math.exp(logVar[j]) + mu[j] * mu[j] - 1 - logVar[j]);
  return kl;
}`,
    cases(seed) {
      const normal = normalSampler(seed);
      const uniform = mulberry32(seed + 1);
      const random = Array.from({length: 6}, (_, i): ExerciseCase => {
        const d = 1 + (i % 5);
        return {name: `random, ${d} dimension${d > 1 ? "s" : ""}`, args: [randomArray(normal, d, 1.5), randomArray(() => uniform(), d, 6, -4)]};
      });
      return [
        ...random,
        {name: "q equals the prior", args: [[0, 0], [0, 0]]},
        {name: "tiny variance (logVar = −30)", args: [[0.5], [-30]]},
        {name: "large means", args: [[40, -40], [0, 0]]},
        {name: "wide q (logVar = 5)", args: [[0], [5]]}
      ];
    },
    reference([mu, logVar]) {
      // KL(N(μ, diag σ²) ‖ N(0, I)) = ½ Σ_j (σ_j² + μ_j² − 1 − log σ_j²), with log σ² = logVar.
      const lv = logVar as number[];
      return (mu as number[]).reduce((kl, m, j) => kl + 0.5 * (Math.exp(lv[j]) + m * m - 1 - lv[j]), 0);
    },
    tolerance: {absolute: 1e-4, relative: 1e-4},
    python: {
      functionName: "kl_standard_normal",
      starter: `import math

def kl_standard_normal(mu, log_var):
    # mu, log_var: lists of floats, one per latent dimension (log_var = log σ²).
    # Return KL( N(mu, diag exp(log_var)) ‖ N(0, I) ), summed over the dimensions.
    return 0.0
`,
      solution: `import math

def kl_standard_normal(mu, log_var):
    return sum(0.5 * (math.exp(lv) + m * m - 1 - lv) for m, lv in zip(mu, log_var))
`
    }
  },

  reparameterize: {
    id: "reparameterize",
    functionName: "reparameterize",
    starter: `function reparameterize(mu, logVar, eps) {
  // mu, logVar, eps: arrays of the same length; eps holds standard normal draws.
  // Return z, the array with z[j] drawn from N(mu[j], exp(logVar[j])) using eps[j].
  return mu;
}`,
    solution: `function reparameterize(mu, logVar, eps) {
  return mu.map((m, j) => m + Math.exp(0.5 * logVar[j]) * eps[j]);
}`,
    cases(seed) {
      const normal = normalSampler(seed);
      const uniform = mulberry32(seed + 1);
      const random = Array.from({length: 6}, (_, i): ExerciseCase => {
        const d = 1 + (i % 4);
        return {name: `random, ${d} dimension${d > 1 ? "s" : ""}`, args: [randomArray(normal, d, 2), randomArray(() => uniform(), d, 4, -2), randomArray(normal, d, 1)]};
      });
      return [
        ...random,
        {name: "ε = 0 gives the mean", args: [[1.5, -2], [0.7, -1.3], [0, 0]]},
        {name: "unit variance (logVar = 0)", args: [[0, 1], [0, 0], [1, -1]]},
        {name: "small variance (logVar = −8)", args: [[3], [-8], [2]]},
        {name: "large variance (logVar = 6)", args: [[0], [6], [-1.5]]}
      ];
    },
    reference([mu, logVar, eps]) {
      // z_j = μ_j + exp(logVar_j / 2) ε_j
      const [lv, e] = [logVar as number[], eps as number[]];
      return (mu as number[]).map((m, j) => m + Math.exp(0.5 * lv[j]) * e[j]);
    },
    tolerance: {absolute: 1e-4, relative: 1e-4},
    python: {
      functionName: "reparameterize",
      starter: `import math

def reparameterize(mu, log_var, eps):
    # mu, log_var, eps: lists of the same length; eps holds standard normal draws.
    # Return z, the list with z[j] drawn from N(mu[j], exp(log_var[j])) using eps[j].
    return mu
`,
      solution: `import math

def reparameterize(mu, log_var, eps):
    return [m + math.exp(0.5 * lv) * e for m, lv, e in zip(mu, log_var, eps)]
`
    }
  },

  logMeanExp: {
    id: "logMeanExp",
    functionName: "logMeanExp",
    starter: `function logMeanExp(a) {
  // a: an array of numbers, such as log importance weights log w_i.
  // Return log( (1/n) Σ exp(a[i]) ), without overflow or underflow.
  return Math.log(a.reduce((s, v) => s + Math.exp(v), 0) / a.length);
}`,
    solution: `function logMeanExp(a) {
  const max = Math.max(...a);
  if (!Number.isFinite(max)) return max;
  const sum = a.reduce((s, v) => s + Math.exp(v - max), 0);
  return max + Math.log(sum / a.length);
}`,
    cases(seed) {
      const normal = normalSampler(seed);
      const random = Array.from({length: 5}, (_, i): ExerciseCase => {
        const n = 2 + 2 * i;
        return {name: `random, ${n} values`, args: [randomArray(normal, n, 3)]};
      });
      return [
        ...random,
        {name: "one value", args: [[3.25]]},
        {name: "large values (exp overflows)", args: [[1000, 1001, 999]]},
        {name: "very negative values (exp underflows)", args: [[-1000, -1001, -1002]]},
        {name: "values far apart", args: [[-10000, 0, 2]]},
        {name: "every weight zero (all −∞)", args: [[-Infinity, -Infinity]]}
      ];
    },
    reference([a]) {
      // log((1/n) Σ e^{a_i}) = m + log((1/n) Σ e^{a_i − m}) with m the largest a_i; −∞ when every a_i is −∞.
      return logMeanExpNumbers(a as number[]);
    },
    tolerance: {absolute: 1e-4, relative: 1e-4},
    python: {
      functionName: "log_mean_exp",
      starter: `import math

def log_mean_exp(a):
    # a: a list of floats, such as log importance weights log w_i.
    # Return log( (1/n) Σ exp(a[i]) ), without overflow or underflow.
    return math.log(sum(math.exp(v) for v in a) / len(a))
`,
      solution: `import math

def log_mean_exp(a):
    m = max(a)
    if math.isinf(m):
        return m
    return m + math.log(sum(math.exp(v - m) for v in a) / len(a))
`
    }
  }
};

/** The function's name in `language`. */
export function functionNameIn(exercise: Exercise, language: ExerciseLanguage = "javascript"): string {
  return language === "python" ? exercise.python.functionName : exercise.functionName;
}

function describeNumber(value: number, language: ExerciseLanguage): string {
  if (language === "python" && !Number.isFinite(value)) return Number.isNaN(value) ? "math.nan" : value > 0 ? "math.inf" : "-math.inf";
  return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function describeValue(value: unknown, language: ExerciseLanguage = "javascript"): string {
  if (typeof value === "number") return describeNumber(value, language);
  if (Array.isArray(value)) return `[${value.map((v) => describeValue(v, language)).join(", ")}]`;
  if (language === "python") {
    if (value === undefined || value === null) return "None";
    if (typeof value === "boolean") return value ? "True" : "False";
  }
  if (value === undefined) return "undefined";
  return JSON.stringify(value) ?? String(value);
}

/** A call as the learner would write it: klStandardNormal([0.5], [-30]), or kl_standard_normal([0.5], [-30]). */
export function describeCall(exercise: Exercise, c: ExerciseCase, language: ExerciseLanguage = "javascript"): string {
  return `${functionNameIn(exercise, language)}(${c.args.map((a) => describeValue(a, language)).join(", ")})`;
}

/** Compares one returned value with the reference, number by number. Messages use `language`'s words (None, list). */
export function checkCase(exercise: Exercise, c: ExerciseCase, outcome: CaseOutcome, language: ExerciseLanguage = "javascript"): CaseResult {
  const expected = exercise.reference(c.args);
  const base = {case: c, expected, got: outcome.value};
  const py = language === "python";
  const show = (v: unknown) => describeValue(v, language);
  if (outcome.threw !== undefined) return {...base, passed: false, threw: outcome.threw, message: `it threw an error: ${outcome.threw}`};
  const want = Array.isArray(expected) ? expected : [expected];
  const kind = Array.isArray(expected) ? `${py ? "a list" : "an array"} of ${want.length} numbers` : "a number";
  if (outcome.summary !== undefined) return {...base, passed: false, message: `it returned ${outcome.summary}, but should return ${kind}`};
  const got = outcome.value;
  if (got === undefined || (py && got === null)) {
    return {...base, passed: false, message: py ? "it returned None: is a return missing?" : "it returned undefined: is a return missing?"};
  }
  if (Array.isArray(expected) !== Array.isArray(got)) {
    return {...base, passed: false, message: `it returned ${show(got)}, but should return ${kind}`};
  }
  const values = (Array.isArray(got) ? got : [got]) as unknown[];
  if (values.length !== want.length) return {...base, passed: false, message: `it returned ${values.length} numbers, expected ${want.length}`};
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [values[i], want[i]];
    if (typeof g !== "number") return {...base, passed: false, message: `it returned ${show(g)} where a number was expected`};
    if (!Number.isFinite(w)) {
      if (g !== w) return {...base, passed: false, message: `expected ${show(w)}, got ${show(g)}`};
      continue;
    }
    if (!Number.isFinite(g)) return {...base, passed: false, error: Infinity, message: `it returned ${show(g)}, expected ${show(w)}: overflow, underflow or a division by zero?`};
    const error = Math.abs(g - w);
    worst = Math.max(worst, error);
    if (error > exercise.tolerance.absolute + exercise.tolerance.relative * Math.abs(w)) {
      return {...base, passed: false, error, message: `expected ${show(expected)}, got ${show(got)}: off by ${error.toPrecision(3)}`};
    }
  }
  return {...base, passed: true, error: worst};
}
