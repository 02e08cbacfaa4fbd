// Screenshots of built pages, for looking at what a reader sees:
//   npm run screenshot -- / /diagnostics --width 390 --out shots [--dark] [--print]
// Prints each page's console errors, failed and foreign requests beside the file it wrote.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {openSite, sitePages} from "../tests/browser/site.ts";

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {
    width: {type: "string", default: "1280"},
    out: {type: "string", default: "screenshots"},
    segment: {type: "string"},
    dark: {type: "boolean", default: false},
    print: {type: "boolean", default: false}
  }
});
const width = Number(values.width);
if (!Number.isInteger(width) || width < 200) throw new Error(`--width must be a whole number of pixels ≥ 200, not "${values.width}"`);
const paths = positionals.length ? positionals : sitePages();
mkdirSync(values.out, {recursive: true});
const site = await openSite();
try {
  for (const path of paths) {
    const visit = await site.visit(path, {width});
    // --dark: the dark theme; --print: the print stylesheet (solutions opened, as "Print with solutions").
    if (values.dark) await visit.page.emulateMedia({colorScheme: "dark"});
    if (values.print) {
      await visit.page.evaluate(`document.querySelectorAll("details").forEach((d) => (d.open = true)); document.documentElement.dataset.print = "solutions"`);
      await visit.page.emulateMedia({media: "print"});
    }
    if (values.dark || values.print) await visit.page.waitForTimeout(500);
    const mode = `${values.dark ? "-dark" : ""}${values.print ? "-print" : ""}`;
    const file = join(values.out, `${path.replace(/[^\w-]+/g, "_").replace(/^_|_$/g, "") || "index"}-${width}${mode}.png`);
    // --segment H: the full page cut into pieces H pixels tall (a phone page is too tall to view whole).
    const segment = Number(values.segment ?? 0);
    if (segment > 0) {
      const height = await visit.page.evaluate("document.documentElement.scrollHeight") as number;
      for (let y = 0, i = 0; y < height; y += segment, i++) {
        await visit.page.screenshot({path: file.replace(/\.png$/, `-${i}.png`), fullPage: true, clip: {x: 0, y, width, height: Math.min(segment, height - y)}});
      }
    } else {
      await visit.page.screenshot({path: file, fullPage: true});
    }
    const problems = [...visit.consoleErrors, ...visit.pageErrors, ...visit.failedRequests, ...visit.foreignRequests];
    console.log(`${file}${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`);
    await visit.page.close();
  }
} finally {
  await site.close();
}
