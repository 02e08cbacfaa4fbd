import {button} from "./dom.js";
import {enableFigureDownloads} from "./figureDownloads.js";

// Permalinks, the global seed and printing: what lets a teacher hand a class a link that shows
// everyone the same figure with the same numbers.

const SEED_KEY = "vae-explorables-seed";

function setUrlParam(key: string, value: string | null) {
  const url = new URL(location.href);
  if (value === null) url.searchParams.delete(key);
  else url.searchParams.set(key, value);
  history.replaceState(history.state, "", url);
}

export interface LinkOptions<T> {
  /** Turns the URL's text into a value; return undefined to reject it (the input keeps its default). */
  parse?: (text: string) => T | undefined;
  format?: (value: T) => string;
  /**
   * An older key this input used to be stored under, with its own reader (e.g. a select's former
   * option index). Read only when `key` is absent; the URL is then rewritten under `key`.
   */
  legacy?: {key: string; parse: (text: string) => T | undefined};
}

/** The largest counter (a "Draw new samples" button's clicks) a URL may set. */
export const MAX_COUNTER = 1_000_000;
/** The largest global seed; seeds are whole numbers from 1. */
export const MAX_SEED = 1_000_000;

const parseNumber = (text: string) => {
  const n = Number(text);
  return text.trim() !== "" && Number.isFinite(n) ? n : undefined;
};

/**
 * What a URL value must be for this input to take it, judged from the input itself: a number inside a
 * range or number field's min and max; a whole click count from 0 to MAX_COUNTER for a button; an
 * existing option for a select; any non-empty text otherwise.
 */
function defaultParse(input: HTMLElement & {value: unknown}): (text: string) => unknown {
  const field = (input.matches("input") ? input : (input.querySelector("input[type=range]") ?? input.querySelector("input[type=number]"))) as HTMLInputElement | null;
  const isCounter = !field && !input.querySelector("select, textarea, input") && input.querySelector("button") !== null;
  return (text: string) => {
    if (typeof input.value !== "number") return text === "" ? undefined : text;
    const n = parseNumber(text);
    if (n === undefined) return undefined;
    if (isCounter) return Number.isInteger(n) && n >= 0 && n <= MAX_COUNTER ? n : undefined;
    const min = field?.min !== undefined && field.min !== "" ? Number(field.min) : -Infinity;
    const max = field?.max !== undefined && field.max !== "" ? Number(field.max) : Infinity;
    return n >= min && n <= max ? n : undefined;
  };
}

/**
 * Puts an input's value in the page's URL under `key`: restored from the URL when the page loads,
 * written back (without a new history entry) whenever the reader changes it. Wrap an Observable
 * input before view(): `view(linked(Inputs.range(...), "mu"))`. The URL holds the value itself. A value
 * the input cannot take (empty, not a number, outside its range, an absurd count, not one of its
 * options) is ignored and the input keeps its default.
 */
export function linked<E extends HTMLElement & {value: unknown}>(input: E, key: string, {parse, format = String, legacy}: LinkOptions<E["value"]> = {}): E {
  const read = (parse ?? defaultParse(input)) as (text: string) => E["value"] | undefined;
  const params = new URL(location.href).searchParams;
  const take = (value: E["value"] | undefined) => {
    if (value === undefined) return false;
    const before = input.value;
    input.value = value;
    // An input that cannot take the value (a select without that option) keeps its default.
    if (String(input.value) !== String(value)) {
      input.value = before;
      return false;
    }
    return true;
  };
  const text = params.get(key);
  if (text !== null) take(read(text));
  else if (legacy && params.get(legacy.key) !== null) {
    // An old link: read it as it was meant, then store it the new way.
    const taken = take(legacy.parse(params.get(legacy.key) as string));
    setUrlParam(legacy.key, null);
    if (taken) setUrlParam(key, format(input.value));
  }
  input.addEventListener("input", () => setUrlParam(key, format(input.value)));
  return input;
}

const isSeed = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_SEED;

/** The seed a page starts with: ?seed= in the URL, else the last one set on this browser, else 1. */
export function initialSeed(): number {
  const fromUrl = parseNumber(new URL(location.href).searchParams.get("seed") ?? "");
  if (fromUrl !== undefined && isSeed(fromUrl)) return fromUrl;
  try {
    const stored = Number(localStorage.getItem(SEED_KEY));
    if (isSeed(stored)) return stored;
  } catch {
    // Storage may be disabled.
  }
  return 1;
}

/**
 * Combines the page's global seed with a figure's own draw counter. Seed 1 gives the figure's
 * original numbers; each other seed gives an unrelated, reproducible stream.
 */
export function seeded(globalSeed: number, local: number): number {
  return (globalSeed - 1) * 100_003 + local;
}

/** Opens every solution, prints, and closes the ones that were closed. */
function printWithSolutions(withSolutions: boolean) {
  const closed = withSolutions ? [...document.querySelectorAll("details:not([open])")] : [];
  for (const d of closed) d.setAttribute("open", "");
  document.documentElement.dataset.print = withSolutions ? "solutions" : "plain";
  const restore = () => {
    for (const d of closed) d.removeAttribute("open");
    delete document.documentElement.dataset.print;
    removeEventListener("afterprint", restore);
  };
  addEventListener("afterprint", restore);
  print();
}

/**
 * The bar at the top of a chapter: the global seed (in the URL and remembered by the browser),
 * "Copy link" for the page with every figure's state, and printing with or without solutions. Its
 * value is the seed, so `const seed = view(ChapterTools())` re-runs seeded figures when it changes.
 */
export function ChapterTools(): HTMLElement & {value: number} {
  const root = document.createElement("form") as unknown as HTMLElement & {value: number};
  root.className = "chapter-tools";
  root.addEventListener("submit", (event) => event.preventDefault());
  const seedId = `seed-${Math.random().toString(36).slice(2)}`;
  const seedLabel = document.createElement("label");
  seedLabel.htmlFor = seedId;
  seedLabel.textContent = "Seed";
  const seed = document.createElement("input");
  seed.id = seedId;
  seed.type = "number";
  seed.min = "1";
  seed.max = String(MAX_SEED);
  seed.step = "1";
  seed.value = String(initialSeed());
  seed.title = "Every random figure on every chapter uses this seed: share it, and a class sees the same numbers on the same backend.";
  const copy = button("Copy link");
  const printPlain = button("Print", () => printWithSolutions(false));
  const printAll = button("Print with solutions", () => printWithSolutions(true));
  const message = document.createElement("span");
  message.className = "chapter-tools-message";
  message.setAttribute("role", "status");
  root.append(seedLabel, seed, copy, printPlain, printAll, message);
  root.value = Number(seed.value);
  // Every chart and canvas of the chapter gets a "Save" button (for slides), with seed and settings.
  queueMicrotask(() => enableFigureDownloads());

  seed.addEventListener("change", () => {
    const n = Number(seed.value);
    if (!isSeed(n)) {
      message.textContent = `The seed must be a whole number from 1 to ${MAX_SEED.toLocaleString("en")}; keeping ${root.value}.`;
      seed.value = String(root.value);
      return;
    }
    message.textContent = "";
    root.value = n;
    setUrlParam("seed", n === 1 ? null : String(n));
    try {
      localStorage.setItem(SEED_KEY, String(n));
    } catch {
      // Not remembered; the URL still has it.
    }
    root.dispatchEvent(new Event("input", {bubbles: true}));
  });
  // Stop the number field's own input events from reaching view() before the value is checked.
  seed.addEventListener("input", (event) => event.stopPropagation());

  copy.addEventListener("click", async () => {
    // The URL already holds every linked figure's state; make sure it holds the seed too.
    if (root.value !== 1) setUrlParam("seed", String(root.value));
    const link = location.href;
    root.dataset.link = link;
    try {
      await navigator.clipboard.writeText(link);
      message.textContent = "Link copied: it opens this page with these settings.";
    } catch {
      message.textContent = `Copy this link: ${link}`;
    }
  });
  return root;
}
