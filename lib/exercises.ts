import {klStandardNormal} from "./kl.js";
import {logMeanExp} from "./iwae.js";
import {mulberry32, normalSampler} from "./random.js";
import {reparameterize} from "./reparameterize.js";
import {tf} from "./tf.js";

/**
 * The auto-checked code exercises of chapters 4–6: what the learner writes, the inputs it is run on,
 * and lib's own function as the reference. Learner functions take and return plain numbers and
 * arrays, so they can run in a Web Worker with nothing else loaded; the check happens here.
 */
export interface ExerciseCase {
  /** What is special about this input, for the report ("tiny variance"). */
  name: string;
  args: (number | number[])[];
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
  /** lib's answer for one case. */
  reference(args: ExerciseCase["args"]): number | number[];
  /** |got − want| ≤ absolute + relative·|want|, per number. */
  tolerance: {absolute: number; relative: number};
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
      return tf.tidy(() => klStandardNormal(tf.tensor2d([mu as number[]]), tf.tensor2d([logVar as number[]])).dataSync()[0]);
    },
    tolerance: {absolute: 1e-4, relative: 1e-4}
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
      return tf.tidy(() => Array.from(reparameterize(tf.tensor1d(mu as number[]), tf.tensor1d(logVar as number[]), tf.tensor1d(eps as number[])).dataSync()));
    },
    tolerance: {absolute: 1e-4, relative: 1e-4}
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
      return tf.tidy(() => logMeanExp(tf.tensor1d(a as number[])).dataSync()[0]);
    },
    tolerance: {absolute: 1e-4, relative: 1e-4}
  }
};

function describeValue(value: unknown): string {
  if (typeof value === "number") return Number.isInteger(value) || !Number.isFinite(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (Array.isArray(value)) return `[${value.map(describeValue).join(", ")}]`;
  if (value === undefined) return "undefined";
  return JSON.stringify(value) ?? String(value);
}

/** A call as the learner would write it: klStandardNormal([0.5], [-30]). */
export function describeCall(exercise: Exercise, c: ExerciseCase): string {
  return `${exercise.functionName}(${c.args.map(describeValue).join(", ")})`;
}

/** Compares one returned value with lib's, number by number. */
export function checkCase(exercise: Exercise, c: ExerciseCase, outcome: {value?: unknown; threw?: string}): CaseResult {
  const expected = exercise.reference(c.args);
  const base = {case: c, expected, got: outcome.value};
  if (outcome.threw !== undefined) return {...base, passed: false, threw: outcome.threw, message: `it threw an error: ${outcome.threw}`};
  const want = Array.isArray(expected) ? expected : [expected];
  const got = outcome.value;
  if (got === undefined) return {...base, passed: false, message: "it returned undefined: is a return missing?"};
  if (Array.isArray(expected) !== Array.isArray(got)) {
    const kind = Array.isArray(expected) ? `an array of ${want.length} numbers` : "a number";
    return {...base, passed: false, message: `it returned ${describeValue(got)}, but should return ${kind}`};
  }
  const values = (Array.isArray(got) ? got : [got]) as unknown[];
  if (values.length !== want.length) return {...base, passed: false, message: `it returned ${values.length} numbers, expected ${want.length}`};
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const [g, w] = [values[i], want[i]];
    if (typeof g !== "number") return {...base, passed: false, message: `it returned ${describeValue(g)} where a number was expected`};
    if (!Number.isFinite(w)) {
      if (g !== w) return {...base, passed: false, message: `expected ${describeValue(w)}, got ${describeValue(g)}`};
      continue;
    }
    if (!Number.isFinite(g)) return {...base, passed: false, error: Infinity, message: `it returned ${describeValue(g)}, expected ${describeValue(w)}: overflow, underflow or a division by zero?`};
    const error = Math.abs(g - w);
    worst = Math.max(worst, error);
    if (error > exercise.tolerance.absolute + exercise.tolerance.relative * Math.abs(w)) {
      return {...base, passed: false, error, message: `expected ${describeValue(expected)}, got ${describeValue(got)}: off by ${error.toPrecision(3)}`};
    }
  }
  return {...base, passed: true, error: worst};
}
