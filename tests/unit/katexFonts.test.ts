import {readFileSync} from "node:fs";
import {createRequire} from "node:module";
import {mkdtempSync, mkdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
// @ts-expect-error: a plain .mjs script without types
import {katexFamiliesUsed, mathOf} from "../../scripts/katexFonts.mjs";

const require = createRequire(import.meta.url);
const katex = require("katex");
const css = readFileSync(require.resolve("katex/dist/katex.min.css"), "utf8");

function familiesOf(markdown: string): Set<string> {
  const dir = mkdtempSync(join(tmpdir(), "katex-fonts-"));
  mkdirSync(join(dir, "chapters"));
  writeFileSync(join(dir, "chapters", "page.md"), markdown);
  return katexFamiliesUsed(katex, css, dir);
}

describe("scripts/katexFonts.mjs", () => {
  it("mathOf(markdown) finds inline and display math, and not ${…} placeholders or code", () => {
    const found = mathOf("Here $x$ and ${value} and `$y$`.\n\n$$\n\\mathcal{L}\n$$\n\n```js\nconst s = `$z$`;\n```\n");
    expect(found).toEqual([
      {tex: "\n\\mathcal{L}\n", display: true},
      {tex: "x", display: false}
    ]);
  });

  it("katexFamiliesUsed() keeps the families the math needs and no others", () => {
    const plain = familiesOf("$x + 1$");
    expect(plain.has("KaTeX_Main")).toBe(true);
    expect(plain.has("KaTeX_Math")).toBe(true);
    expect(plain.has("KaTeX_Fraktur")).toBe(false);
    expect(plain.has("KaTeX_Caligraphic")).toBe(false);
    const fancy = familiesOf("$\\mathfrak{g} + \\mathcal{L} + \\mathbb{E}$ and $$\\big( \\sum_i x_i \\Big)$$");
    for (const family of ["KaTeX_Fraktur", "KaTeX_Caligraphic", "KaTeX_AMS", "KaTeX_Size1", "KaTeX_Size2"]) expect(fancy.has(family), family).toBe(true);
    expect(fancy.has("KaTeX_Typewriter")).toBe(false);
  });
});
