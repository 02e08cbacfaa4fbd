/**
 * A claim is a sentence fragment a reader sees, typed into a page rather than computed there, whose
 * numbers are recomputed by `check` (run by tests/unit/claims.test.ts, in Node, with lib). The browser
 * test tests/browser/claims.test.ts loads every built page with JavaScript off and fails when a typed
 * number is not inside some claim's `quote` for that page, or when a claim's quote is no longer on it.
 *
 * Write `quote` exactly as the reader sees it (no KaTeX, no markdown; whitespace may differ), long
 * enough to say what the number means: "about 11,400 nats", not "11,400". `check` recomputes the
 * number independently where it can (a closed form, a re-run of the model, a count over the data) and
 * asserts it with a tolerance that matches the words ("about", "nearly", the digits shown).
 */
export interface Claim {
  /** The page's path, as in src/chapters.ts or the config: "/chapters/10-beyond". */
  page: string;
  /** The text as it appears on the page (outside math, code and computed cells). */
  quote: string;
  /** Recomputes the number(s) in the quote; throws (with `expect`) when the page would be wrong. */
  check: () => void | Promise<void>;
}

/** A number that is a definition or a count the page states, checked against its source. */
export const claim = (page: string, quote: string, check: Claim["check"]): Claim => ({page, quote, check});
