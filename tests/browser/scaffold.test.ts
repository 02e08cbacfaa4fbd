import {execFile} from "node:child_process";
import {cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {promisify} from "node:util";
import {afterAll, describe, expect, it} from "vitest";
import {chapterProblems} from "../chapterShape.ts";
import {number, setInput} from "./controls.ts";
import {cellErrors, openSite, type Site} from "./site.ts";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "../..");

// What a contributor does: scaffold a chapter, build, open it. Done on a copy of the project, so the
// real src/ is untouched; the copy reuses node_modules and the data loaders' cache (no re-training of
// anything, no network).
describe("a chapter made with `npm run new-chapter`", () => {
  const copy = mkdtempSync(join(tmpdir(), "vae-new-chapter-"));
  let site: Site | undefined;
  afterAll(async () => {
    await site?.close();
    rmSync(copy, {recursive: true, force: true});
  });

  it("builds and passes the page checks with no edits: no errors, every cell rendered, its figure live", async () => {
    if (!existsSync(join(ROOT, "src/.observablehq/cache"))) throw new Error("run `npm run build` first: the copy reuses its data-loader cache");
    for (const item of ["src", "lib", "templates", "scripts", "data", "observablehq.config.ts", "package.json", "tsconfig.json"]) {
      cpSync(join(ROOT, item), join(copy, item), {recursive: true, verbatimSymlinks: true});
    }
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"));
    const tsx = join(ROOT, "node_modules/.bin/tsx");
    const made = await run(tsx, ["scripts/new-chapter.ts", "Normalizing flows", "--summary", "A more flexible q(z|x)."], {cwd: copy});
    expect(made.stdout).toMatch(/Registered chapter \d+ at \/chapters\/\d+-normalizing-flows/);
    const path = made.stdout.match(/at (\/chapters\/\S+)/)![1];
    expect(chapterProblems(readFileSync(join(copy, "src", `${path}.md`), "utf8"))).toEqual([]);
    await run(join(ROOT, "node_modules/.bin/observable"), ["build"], {cwd: copy, maxBuffer: 64 * 2 ** 20});

    site = await openSite(join(copy, "dist"));
    const visit = await site.visit(path);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
    expect(await cellErrors(visit.page)).toEqual([]);
    // The template's figure is wired to lib: KL(N(μ, σ²) ‖ N(0, 1)) follows the sliders.
    await setInput(visit.page, "μ", 0);
    await setInput(visit.page, "σ", 1);
    expect(await number(visit.page, "template-kl")).toBeCloseTo(0, 4);
    await setInput(visit.page, "μ", 2);
    expect(await number(visit.page, "template-kl")).toBeCloseTo(2, 3);
    // And it is in the sidebar, after the last chapter.
    const links = await visit.page.locator("#observablehq-sidebar a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    expect(links.some((href) => href?.endsWith(path.split("/").at(-1)!))).toBe(true);
    await visit.page.close();
  }, 300_000);
});
