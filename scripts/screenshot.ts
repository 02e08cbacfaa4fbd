// Screenshots of built pages, for looking at what a reader sees:
//   npm run screenshot -- / /diagnostics --width 390 --out shots
// Prints each page's console errors, failed and foreign requests beside the file it wrote.
import {mkdirSync} from "node:fs";
import {join} from "node:path";
import {parseArgs} from "node:util";
import {openSite, sitePages} from "../tests/browser/site.ts";

const {values, positionals} = parseArgs({
  allowPositionals: true,
  options: {width: {type: "string", default: "1280"}, out: {type: "string", default: "screenshots"}, full: {type: "boolean", default: true}}
});
const width = Number(values.width);
if (!Number.isInteger(width) || width < 200) throw new Error(`--width must be a whole number of pixels ≥ 200, not "${values.width}"`);
const paths = positionals.length ? positionals : sitePages();
mkdirSync(values.out, {recursive: true});
const site = await openSite();
try {
  for (const path of paths) {
    const visit = await site.visit(path, {width});
    const file = join(values.out, `${path.replace(/[^\w-]+/g, "_").replace(/^_|_$/g, "") || "index"}-${width}.png`);
    await visit.page.screenshot({path: file, fullPage: values.full});
    const problems = [...visit.consoleErrors, ...visit.pageErrors, ...visit.failedRequests, ...visit.foreignRequests];
    console.log(`${file}${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`);
    await visit.page.close();
  }
} finally {
  await site.close();
}
