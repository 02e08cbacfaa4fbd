// Shared bits of the command-line tools: flags, one-line errors, a progress line.
import {parseArgs, type ParseArgsConfig} from "node:util";

/** A problem the user can fix: printed as one line, exit code 2, no stack trace. */
export class UsageError extends Error {}

export function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const known = error instanceof UsageError || ["IdxError", "CheckpointError"].includes((error as Error)?.name) || /^invalid model config/.test(message);
  process.stderr.write(`error: ${message}\n`);
  if (!known && process.env.DEBUG) console.error(error);
  process.exit(known ? 2 : 1);
}

export function parseFlags<T extends NonNullable<ParseArgsConfig["options"]>>(options: T, usage: string, args = process.argv.slice(2)) {
  try {
    const parsed = parseArgs({options: {...options, help: {type: "boolean", short: "h"}}, allowPositionals: true, args, strict: true});
    if ((parsed.values as {help?: boolean}).help) {
      process.stdout.write(usage);
      process.exit(0);
    }
    return parsed as {values: {[K in keyof T]?: T[K]["type"] extends "boolean" ? boolean : string}; positionals: string[]};
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split("\n")[0]} (see --help)`);
  }
}

export function number(name: string, value: string | undefined, fallback: number, {integer = false, min = -Infinity, max = Infinity} = {}): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min || n > max) {
    const range = min > -Infinity && max < Infinity ? ` from ${min} to ${max}` : min > -Infinity ? ` ≥ ${min}` : max < Infinity ? ` ≤ ${max}` : "";
    throw new UsageError(`--${name} must be ${integer ? "a whole number" : "a number"}${range}, not "${value}"`);
  }
  return n;
}

export function choice<T extends string>(name: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!choices.includes(value as T)) throw new UsageError(`--${name} must be one of ${choices.join(", ")}, not "${value}"`);
  return value as T;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.round(seconds);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** A progress line: redrawn in place on a terminal, printed every few seconds otherwise (logs, CI). */
export function progressLine(): (text: string, fraction: number) => void {
  const tty = process.stderr.isTTY;
  let last = 0;
  return (text, fraction) => {
    if (tty) {
      const width = 24;
      const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K`);
    } else if (Date.now() - last > 10_000 || fraction >= 1) {
      last = Date.now();
      process.stderr.write(`${text}\n`);
    }
  };
}

export function endProgressLine(): void {
  if (process.stderr.isTTY) process.stderr.write("\n");
}
