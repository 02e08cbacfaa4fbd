// The shape every chapter has (CONTRIBUTING.md, "Adding a chapter"), as a check that names what is
// missing. Used by the unit tests on every registered chapter and on a freshly scaffolded one.

const REQUIRED: [RegExp, string][] = [
  [/^---\ntitle: \d+\. .+\n---\n/, "front matter with `title: N. Title`"],
  [/<p class="chapter-meta">About \d+ minutes[^<]*· assumes: [^<]+<\/p>/, 'the chapter-meta line: `<p class="chapter-meta">About N minutes · assumes: …</p>`'],
  [/view\(ChapterTools\(\)\)/, "the chapter tools (seed, copy link, print): `const pageSeed = view(ChapterTools());`"],
  [/\*\*What you will learn\.\*\*[^\n]*\n\n(- .+\n(  .+\n)*){2,4}\n/, "**What you will learn.** followed by a list of two to four objectives"],
  [/^## Try this$/m, "## Try this"],
  [/<div class="warning" label="Common mistake">/, 'a `<div class="warning" label="Common mistake">`'],
  [/^## Summary$/m, "## Summary"],
  [/^## Exercises$/m, "## Exercises"],
  [/^## Further reading\n\n- /m, "## Further reading, with a list of entries"],
  [/\(Numeric\)/, "a numeric exercise, marked (Numeric)"]
];

/** Libraries Framework would otherwise fetch from a CDN: used names and the import each needs. */
const EXPLICIT: [RegExp, RegExp, string][] = [
  [/\bPlot\./, /import \* as Plot from "@observablehq\/plot"/, 'import * as Plot from "@observablehq/plot"'],
  [/\bInputs\./, /import \* as Inputs from "@observablehq\/inputs"/, 'import * as Inputs from "@observablehq/inputs"'],
  [/\bd3\./, /import \* as d3 from "d3"/, 'import * as d3 from "d3"'],
  [/\bhtml`/, /import \{[^}]*\bhtml\b[^}]*\} from "htl"/, 'import {html} from "htl"'],
  [/\btex`/, /$^/, "no tex`…` (write $…$ math, rendered at build time)"]
];

/**
 * The chapters a chapter-meta line names after "assumes:": "chapter 3", "chapters 4–6" (a range),
 * "chapters 1 and 2", "chapters 4, 5 and 7".
 */
export function assumedChapters(markdown: string): number[] {
  const line = /<p class="chapter-meta">[^<]*· assumes: ([^<]+)<\/p>/.exec(markdown)?.[1] ?? "";
  const found = new Set<number>();
  for (const m of line.matchAll(/chapters? ((?:\d+(?:\s*[–-]\s*\d+)?(?:,\s*|\s+and\s+)?)+)/g)) {
    for (const part of m[1].split(/,\s*|\s+and\s+/).filter((p) => p.trim() !== "")) {
      const [a, b] = part.split(/\s*[–-]\s*/).map(Number);
      if (!Number.isFinite(a)) continue;
      for (let n = a; n <= (Number.isFinite(b) ? b : a); n++) found.add(n);
    }
  }
  return [...found].sort((x, y) => x - y);
}

/** What a chapter's markdown lacks, one sentence each; empty when it has the full shape. */
export function chapterProblems(markdown: string): string[] {
  const problems = REQUIRED.filter(([pattern]) => !pattern.test(markdown)).map(([, what]) => `missing ${what}`);
  const solutions = markdown.match(/<details><summary>Solution<\/summary>/g)?.length ?? 0;
  if (solutions < 3) problems.push(`has ${solutions} exercises with a <details><summary>Solution</summary>, needs at least 3`);
  for (const [used, imported, what] of EXPLICIT) if (used.test(markdown) && !imported.test(markdown)) problems.push(`uses a library without importing it: ${what}`);
  return problems;
}
