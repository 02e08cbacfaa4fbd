// The shape every chapter has (CONTRIBUTING.md, "Adding a chapter"), as a check that names what is
// missing. Used by the unit tests on every registered chapter and on a freshly scaffolded one.

const REQUIRED: [RegExp, string][] = [
  [/^---\ntitle: \d+\. .+\n---\n/, "front matter with `title: N. Title`"],
  [/<p class="chapter-meta">About \d+ minutes[^<]*· assumes: [^<]+<\/p>/, 'the chapter-meta line: `<p class="chapter-meta">About N minutes · assumes: …</p>`'],
  [/view\(ChapterTools\(\)\)/, "the chapter tools (seed, copy link, print): `const pageSeed = view(ChapterTools());`"],
  [/\*\*What you will learn\.\*\*/, "**What you will learn.**"],
  [/^## Try this$/m, "## Try this"],
  [/<div class="warning" label="Common mistake">/, 'a `<div class="warning" label="Common mistake">`'],
  [/^## Summary$/m, "## Summary"],
  [/^## Exercises$/m, "## Exercises"],
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

/** What a chapter's markdown lacks, one sentence each; empty when it has the full shape. */
export function chapterProblems(markdown: string): string[] {
  const problems = REQUIRED.filter(([pattern]) => !pattern.test(markdown)).map(([, what]) => `missing ${what}`);
  const solutions = markdown.match(/<details><summary>Solution<\/summary>/g)?.length ?? 0;
  if (solutions < 3) problems.push(`has ${solutions} exercises with a <details><summary>Solution</summary>, needs at least 3`);
  for (const [used, imported, what] of EXPLICIT) if (used.test(markdown) && !imported.test(markdown)) problems.push(`uses a library without importing it: ${what}`);
  return problems;
}
