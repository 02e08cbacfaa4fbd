import type {ExerciseLanguage} from "./exercises.js";

/**
 * The record a student can hand in: the last check of each exercise of a chapter, in each language,
 * as plain text made in the browser. Nothing here is sent anywhere; the page keeps the results in
 * the browser's storage, one entry per chapter.
 */
export interface ExerciseResult {
  /** A key of EXERCISES. */
  exercise: string;
  /** The function as named in the language used. */
  functionName: string;
  language: ExerciseLanguage;
  /** How the check ended: every case passed, some failed, the time limit, or code that did not run. */
  outcome: "passed" | "failed" | "timeout" | "error";
  passedCases: number;
  totalCases: number;
  /** The seed the check drew its random cases from (`exercise.cases(caseSeed)` gives them again). */
  caseSeed: number;
  /** The page's seed (the Seed box), when the page says. */
  pageSeed: number | null;
  /** The tfjs backend the page ran on (the references are plain float64 numbers, the same on every backend). */
  backend: string;
  /** When the check ran, ISO 8601 with the reader's UTC offset. */
  checkedAt: string;
}

const LANGUAGE_NAMES: Record<ExerciseLanguage, string> = {javascript: "JavaScript", python: "Python"};
const OUTCOMES = ["passed", "failed", "timeout", "error"] as const;

/** 2025-11-30T21:40:12+01:00: the local time with its offset, to the second. */
export function localTimestamp(date: Date): string {
  const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, "0");
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? "+" : "-";
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** The key a result is kept under: one per exercise and language. */
export function resultKey(result: Pick<ExerciseResult, "exercise" | "language">): string {
  return `${result.exercise}:${result.language}`;
}

function isResult(value: unknown): value is ExerciseResult {
  if (value === null || typeof value !== "object") return false;
  const r = value as Record<string, unknown>;
  const count = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  return (
    typeof r.exercise === "string" &&
    typeof r.functionName === "string" &&
    (r.language === "javascript" || r.language === "python") &&
    OUTCOMES.includes(r.outcome as (typeof OUTCOMES)[number]) &&
    count(r.passedCases) &&
    count(r.totalCases) &&
    (r.passedCases as number) <= (r.totalCases as number) &&
    typeof r.caseSeed === "number" &&
    (r.pageSeed === null || typeof r.pageSeed === "number") &&
    typeof r.backend === "string" &&
    typeof r.checkedAt === "string"
  );
}

/** The results kept for a chapter, from storage text; anything malformed is dropped, never thrown. */
export function parseResults(text: string | null): Record<string, ExerciseResult> {
  if (!text) return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return {};
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) return {};
  const results: Record<string, ExerciseResult> = {};
  for (const value of Object.values(data)) if (isResult(value)) results[resultKey(value)] = value;
  return results;
}

function resultLine(r: ExerciseResult): string {
  const verdict =
    r.outcome === "passed"
      ? `passed (${r.passedCases} of ${r.totalCases} cases)`
      : r.outcome === "failed"
        ? `not passed (${r.passedCases} of ${r.totalCases} cases)`
        : r.outcome === "timeout"
          ? "not passed (stopped by the time limit)"
          : "not passed (the code did not run)";
  const seed = r.pageSeed === null ? `case seed ${r.caseSeed}` : `seed ${r.pageSeed} (case seed ${r.caseSeed})`;
  return `- ${r.functionName}: ${verdict}; ${LANGUAGE_NAMES[r.language]}; ${seed}; backend ${r.backend}; checked ${r.checkedAt}`;
}

/**
 * The text a student pastes into a course system: the chapter, then one line per exercise and
 * language (passed or not, language, seed, backend, date and time), then when the record was made.
 */
export function resultsRecordText({chapter, path, results, madeAt}: {chapter: string; path: string; results: ExerciseResult[]; madeAt: Date}): string {
  const lines = [`VAE Explorables: code exercises, ${chapter} (${path})`];
  if (results.length === 0) lines.push("- no exercise checked yet");
  const sorted = [...results].sort((a, b) => a.exercise.localeCompare(b.exercise) || a.language.localeCompare(b.language));
  for (const r of sorted) lines.push(resultLine(r));
  lines.push(`Record made in the browser at ${localTimestamp(madeAt)}; each line is the last check of that exercise in that language.`);
  return lines.join("\n");
}
