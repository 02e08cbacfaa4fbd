// Which of KaTeX's font families the site's math uses: every $…$ and $$…$$ in the pages is rendered
// with KaTeX here, the class names it produces are collected, and a family is needed when a rule of
// KaTeX's stylesheet that sets it matches those classes. scripts/vendor.mjs inlines only those fonts,
// so a reader does not download the Fraktur or Typewriter faces no page uses.
import {readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";

/** Every math expression of a page's markdown, outside code, with whether it is displayed. */
export function mathOf(markdown) {
  const text = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  const out = [];
  for (const m of text.matchAll(/\$\$([\s\S]+?)\$\$/g)) out.push({tex: m[1], display: true});
  const inline = text.replace(/\$\$[\s\S]+?\$\$/g, "");
  // $…$ not opening a ${…} placeholder (the config's rule), on one line.
  for (const m of inline.matchAll(/(?<![\\$])\$(?!\{)([^$\n]+?)\$/g)) out.push({tex: m[1], display: false});
  return out;
}

function markdownFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith(".") || name === "node_modules") return [];
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith(".md") ? [path] : [];
  });
}

/** The font families (e.g. "KaTeX_Main") that KaTeX's rendering of every page under `src` uses. */
export function katexFamiliesUsed(katex, css, src) {
  const classes = new Set();
  for (const file of markdownFiles(src)) {
    for (const {tex, display} of mathOf(readFileSync(file, "utf8"))) {
      const html = katex.renderToString(tex, {displayMode: display, throwOnError: false});
      for (const m of html.matchAll(/class="([^"]+)"/g)) for (const c of m[1].split(/\s+/)) classes.add(c);
    }
  }
  // The text of every formula is set in KaTeX_Main (.katex) and letters in KaTeX_Math (.mathnormal).
  const families = new Set(["KaTeX_Main"]);
  for (const m of css.matchAll(/([^{}@]+)\{[^{}]*font-family:"?(KaTeX_\w+)/g)) {
    const selectors = m[1].split(",");
    // A rule applies when every class of one of its selectors occurs (the @font-face rules have none).
    const matches = selectors.some((selector) => {
      const names = [...selector.matchAll(/\.([\w-]+)/g)].map(([, c]) => c);
      return names.length > 0 && names.every((c) => c === "katex" || classes.has(c));
    });
    if (matches) families.add(m[2]);
  }
  return families;
}
