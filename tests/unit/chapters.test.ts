import {cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {pathToFileURL} from "node:url";
import {afterAll, describe, expect, it} from "vitest";
import {scaffoldChapter, slugify} from "../../scripts/new-chapter.ts";
import {CHAPTERS, type Chapter} from "../../src/chapters.ts";
import {assumedChapters, chapterProblems} from "../chapterShape.ts";

const ROOT = join(import.meta.dirname, "../..");
const fileOf = (root: string, chapter: Chapter) => join(root, "src", `${chapter.path}.md`);

describe("chapters", () => {
  it.each(CHAPTERS.filter((c) => c.ready))("chapter $number ($path) exists and has the full shape", (chapter) => {
    const file = fileOf(ROOT, chapter);
    expect(existsSync(file), file).toBe(true);
    expect(chapterProblems(readFileSync(file, "utf8"))).toEqual([]);
  });

  it.each(CHAPTERS.filter((c) => c.ready && c.needs))("chapter $number's meta line names every chapter it needs (src/chapters.ts)", (chapter) => {
    const assumed = assumedChapters(readFileSync(fileOf(ROOT, chapter), "utf8"));
    expect(chapter.needs!.filter((n) => !assumed.includes(n)), `chapter ${chapter.number} needs these but its meta line does not say so`).toEqual([]);
  });

  it("assumedChapters() reads single chapters, ranges and lists", () => {
    const meta = (text: string) => `<p class="chapter-meta">About 9 minutes · assumes: ${text}</p>`;
    expect(assumedChapters(meta("chapter 3 (Jensen), chapters 4–6, and chapters 8 and 10"))).toEqual([3, 4, 5, 6, 8, 10]);
    expect(assumedChapters(meta("chapters 1, 2 and 7, calculus"))).toEqual([1, 2, 7]);
    expect(assumedChapters(meta("basic probability"))).toEqual([]);
  });

  it("chapterProblems() names what a page lacks", () => {
    expect(chapterProblems("# nothing")).toContain("missing ## Summary");
    expect(chapterProblems("---\ntitle: 1. X\n---\nPlot.plot()")).toContain('uses a library without importing it: import * as Plot from "@observablehq/plot"');
  });
});

describe("npm run new-chapter", () => {
  const root = mkdtempSync(join(tmpdir(), "vae-scaffold-"));
  afterAll(() => rmSync(root, {recursive: true, force: true}));

  it("makes the next chapter from the template, registers it after the last one, and the result has the full shape", async () => {
    mkdirSync(join(root, "src/chapters"), {recursive: true});
    cpSync(join(ROOT, "src/chapters.ts"), join(root, "src/chapters.ts"));
    cpSync(join(ROOT, "templates"), join(root, "templates"), {recursive: true});
    const made = scaffoldChapter(root, {title: "Vector-quantized VAEs", summary: "Discrete codes with a learned codebook.", assumes: "chapters 4–7", minutes: 25});
    const last = Math.max(...CHAPTERS.map((c) => c.number));
    expect(made).toMatchObject({number: last + 1, path: `/chapters/${String(last + 1).padStart(2, "0")}-vector-quantized-vaes`});
    const page = readFileSync(made.file, "utf8");
    expect(chapterProblems(page)).toEqual([]);
    expect(page).toContain(`# ${last + 1}. Vector-quantized VAEs`);
    expect(page).toContain("About 25 minutes · assumes: chapters 4–7");
    const registry = (await import(pathToFileURL(join(root, "src/chapters.ts")).href)) as {CHAPTERS: Chapter[]};
    expect(registry.CHAPTERS.slice(0, -1)).toEqual(CHAPTERS);
    expect(registry.CHAPTERS.at(-1)).toEqual({number: last + 1, title: "Vector-quantized VAEs", path: made.path, ready: true, summary: "Discrete codes with a learned codebook."});
    expect(() => scaffoldChapter(root, {title: "Vector-quantized VAEs", summary: "", assumes: "", minutes: 20})).toThrow(/already has a chapter titled/);
    expect(() => scaffoldChapter(root, {title: "  ", summary: "", assumes: "", minutes: 20})).toThrow(/title/);
  });

  it("slugify() makes a URL-safe, stable slug", () => {
    expect(slugify("β-VAEs & Posterior Collapse!")).toBe("vaes-posterior-collapse");
    expect(slugify("Normalizing flows in q(z|x)")).toBe("normalizing-flows-in-q-z-x");
  });
});
