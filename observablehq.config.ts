import markdownItKatex from "@vscode/markdown-it-katex";
import {CHAPTERS} from "./src/chapters.ts";

// The sidebar lists the chapters that exist, in reading order; the browser tests read this list too,
// so a chapter added here is tested the moment it is added.
const chapterPages = CHAPTERS.filter((c) => c.ready).map((c) => ({name: `${c.number}. ${c.title}`, path: c.path}));

// The package is CommonJS with `exports.default`; under Node's ESM interop that arrives as `.default`.
const katexPlugin = (markdownItKatex as unknown as {default?: unknown}).default ?? markdownItKatex;

type InlineRule = (state: {src: string; pos: number}, silent: boolean) => boolean;
interface MarkdownIt {
  use(plugin: unknown): MarkdownIt;
  inline: {ruler: {__rules__: {name: string; fn: InlineRule}[]; at(name: string, fn: InlineRule): void}};
}

/**
 * Math is rendered to HTML at build time, because Framework's `tex` fetches KaTeX from a CDN. KaTeX's
 * inline rule runs before Framework's `${…}` placeholders and would eat their `$`, so it is told to
 * leave a `$` followed by `{` alone: write `$x$`, never `${x}$`, for math.
 */
function katexBesidePlaceholders(md: MarkdownIt): MarkdownIt {
  md.use(katexPlugin);
  for (const name of ["math_inline", "math_inline_block"]) {
    const rule = md.inline.ruler.__rules__.find((r) => r.name === name);
    if (!rule) throw new Error(`observablehq.config.ts: markdown-it-katex has no rule ${name}; update katexBesidePlaceholders`);
    const original = rule.fn;
    md.inline.ruler.at(name, (state, silent) => (state.src.startsWith("${", state.pos) ? false : original(state, silent)));
  }
  return md;
}

// A favicon inline, so browsers do not ask the host for /favicon.ico (a 404 and a console error).
const FAVICON = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#4269d0"/><text x="16" y="23" font-family="sans-serif" font-size="18" font-weight="700" text-anchor="middle" fill="white">z</text></svg>'
)}`;

export default {
  title: "VAE Explorables",
  root: "src",
  pages: [...chapterPages, {
      name: "Reference",
      pages: [
        {name: "Notation", path: "/notation"},
        {name: "Bibliography", path: "/bibliography"},
        {name: "Answer key", path: "/answers"},
        {name: "Numbers", path: "/numbers"},
        {name: "Diagnostics", path: "/diagnostics"}
      ]
    }],
  pager: true,
  search: true,
  toc: true,
  // The default links Google Fonts, which an offline reader cannot load (shared/notes/offline-build.md, 5).
  globalStylesheets: [],
  style: "style.css",
  head: `<meta name="color-scheme" content="light"><link rel="icon" href="${FAVICON}">`,
  footer: "VAE Explorables: an interactive textbook on variational autoencoders. Every number on these pages is computed by the tested library in lib/.",
  markdownIt: katexBesidePlaceholders
};
