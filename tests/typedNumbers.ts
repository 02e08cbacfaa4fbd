/**
 * Finds the numbers a reader sees that were typed into a page rather than computed: run in a page
 * loaded with JavaScript off (so no cell has computed anything), it reads the text outside math, code,
 * navigation and cells, the same way `../shared/tools/typed-numbers.mjs` does, and says where each
 * claim's quote occurs, so that tests/browser/claims.test.ts can check that every number is inside one.
 *
 * It is kept as source text and evaluated in the page: a bundler's helpers (esbuild's `__name`) would
 * not exist there.
 */
export interface TypedNumbers {
  numbers: {number: string; context: string; at: number}[];
  /** For each quote passed in, whether the page's text contains it. */
  quotesFound: boolean[];
  /** Where the quotes occur in the page's text, as [from, to) offsets comparable with `at`. */
  ranges: [number, number][];
}

const SOURCE = String.raw`(quotes) => {
  const skip = "script, style, code, pre, nav, header, footer, .katex, #observablehq-sidebar, #observablehq-toc, .observablehq--block, .citation";
  const normalize = (s) => s.replace(/\s+/g, " ");
  const root = document.querySelector("#observablehq-main") ?? document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let text = "";
  const numbers = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement?.closest(skip)) continue;
    const piece = normalize(n.textContent ?? "");
    // A comma belongs to a number only between digits ("1,000"); "N(0, I)" holds the number 0.
    for (const m of piece.matchAll(/(?<![\w.])[−-]?\d(?:\d|,(?=\d))*(\.\d+)?(\s?%)?/g)) {
      const context = piece.slice(Math.max(0, (m.index ?? 0) - 50), (m.index ?? 0) + m[0].length + 30).trim();
      const before = piece.slice(0, m.index).trimEnd();
      // Not claims: citation years, reading times, and single digits that are only ordinals.
      const isYear = /^(19|20)\d\d$/.test(m[0]) && /(et al\.|&|[A-Z][a-z]+|\(),? ?$/.test(before);
      const isTime = new RegExp("About " + m[0] + " minutes").test(context);
      const bareDigit = /^\d$/.test(m[0]) && !/[=≈<>×]|nats|bits|%|samples|pixels|units|digits/.test(context);
      // Ordinals: "Chapter 3", "exercise 2", "chapters 4, 5 and 6", and a page title's "10.".
      const ordinal = /\b(chapters?|exercises?)$/i.test(before) || (n.parentElement?.closest("h1") && m.index === 0);
      if (!isYear && !isTime && !bareDigit && !ordinal) numbers.push({number: m[0], context, at: text.length + (m.index ?? 0)});
    }
    text += piece;
  }
  const flat = text.replace(/\s+/g, " ");
  // Offsets above are into text; collapsing runs of spaces across pieces can only shift them left.
  const shift = [];
  for (let i = 0, j = 0; i <= text.length; i++) {
    shift[i] = j;
    if (!(text[i] === " " && text[i - 1] === " ")) j++;
  }
  for (const n of numbers) n.at = shift[n.at];
  const ranges = [];
  const quotesFound = quotes.map((quote) => {
    const q = normalize(quote).trim();
    let found = false;
    for (let i = flat.indexOf(q); i >= 0; i = flat.indexOf(q, i + 1)) {
      ranges.push([i, i + q.length]);
      found = true;
    }
    return found;
  });
  return {numbers, quotesFound, ranges};
}`;

/** The expression to pass to page.evaluate for these quotes. */
export function typedNumbersScript(quotes: string[]): string {
  return `(${SOURCE})(${JSON.stringify(quotes)})`;
}
