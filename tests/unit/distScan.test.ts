import {mkdtempSync, mkdirSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {foreignLoads} from "../browser/scan.ts";

// The scan must itself be able to fail: feed it a site with one of each forbidden reference.
describe("foreignLoads(root)", () => {
  it("flags CDN scripts, stylesheets, fonts, imports and fetches, and allows prose links", () => {
    const root = mkdtempSync(join(tmpdir(), "dist-scan-"));
    mkdirSync(join(root, "_import"));
    writeFileSync(join(root, "index.html"), `<a href="https://arxiv.org/abs/1312.6114">paper</a>
<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Source+Serif">
<script type="module" src="https://cdn.jsdelivr.net/npm/d3/+esm"></script>`);
    writeFileSync(join(root, "_import/a.js"), `import * as d3 from "https://cdn.jsdelivr.net/npm/d3/+esm"; await import("//cdn.example/x.js"); fetch("https://example.org/data.json");`);
    writeFileSync(join(root, "_import/b.css"), `@font-face{src:url(https://cdn.example/f.woff2)} .x{background:url(data:image/png;base64,AAAA)}`);
    const found = foreignLoads(root);
    expect(found.filter((f) => f.startsWith("index.html"))).toHaveLength(2);
    expect(found.filter((f) => f.startsWith("_import/a.js"))).toHaveLength(3);
    expect(found.filter((f) => f.startsWith("_import/b.css"))).toHaveLength(1);
    expect(found.join("\n")).not.toContain("arxiv");
  });
});
