// Page weight and first figure, per page: how long after navigation the first live figure (a canvas
// or a chart in the page's main column) is drawn, and how many bytes the page had fetched by then,
// raw and as a static host serves them gzip-compressed (each file compressed here with gzip -6, the
// usual default). Used by `npm run bench:browser` and on its own by `npm run bench:pages`.
import {readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import type {Site} from "../tests/browser/site.ts";

export interface PageWeight {
  path: string;
  /** Seconds from navigation start to the first canvas or chart in main; null if none appeared. */
  firstFigureSeconds: number | null;
  /** Bytes of the site's files fetched before the first figure, uncompressed and gzip-compressed. */
  bytesBeforeFirstFigure: number;
  gzipBytesBeforeFirstFigure: number;
  /** Every file the page fetched in the window, whatever the time. */
  bytesTotal: number;
  gzipBytesTotal: number;
}

// Records when the first figure appears. A string, not a function: tsx would inject helpers the page lacks.
const FIRST_FIGURE_PROBE = `(() => {
  const figure = () => document.querySelector('#observablehq-main canvas[role=img], #observablehq-main svg[class^="plot-"]');
  const done = () => { if (window.__firstFigure === undefined && figure()) window.__firstFigure = performance.now(); };
  new MutationObserver(done).observe(document, {childList: true, subtree: true});
  document.addEventListener("DOMContentLoaded", done);
})()`;

const gzipCache = new Map<string, number>();
function gzipSize(file: string): number {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(file), {level: 6}).length;
    gzipCache.set(file, size);
  }
  return size;
}

/** Loads each path in a fresh page (empty cache) and measures it. `dist` maps request paths to files. */
export async function measurePages(site: Site, paths: readonly string[], {dist, settleSeconds = 20}: {dist: string; settleSeconds?: number}): Promise<PageWeight[]> {
  const results: PageWeight[] = [];
  for (const path of paths) {
    const context = await site.browser.newContext({viewport: {width: 1280, height: 900}});
    const page = await context.newPage();
    await page.addInitScript(FIRST_FIGURE_PROBE);
    await page.goto(site.origin + path, {waitUntil: "load"});
    const deadline = Date.now() + settleSeconds * 1000;
    while (Date.now() < deadline && (await page.evaluate("window.__firstFigure")) === undefined) await page.waitForTimeout(100);
    await page.waitForTimeout(1000);
    const first = (await page.evaluate("window.__firstFigure ?? null")) as number | null;
    const entries = (await page.evaluate(`[
      {name: location.href.split("?")[0], responseEnd: performance.getEntriesByType("navigation")[0].responseEnd},
      ...performance.getEntriesByType("resource").map((e) => ({name: e.name, responseEnd: e.responseEnd}))
    ]`)) as {name: string; responseEnd: number}[];
    const weight: PageWeight = {path, firstFigureSeconds: first === null ? null : first / 1000, bytesBeforeFirstFigure: 0, gzipBytesBeforeFirstFigure: 0, bytesTotal: 0, gzipBytesTotal: 0};
    for (const entry of entries) {
      const url = new URL(entry.name);
      if (url.origin !== site.origin) continue;
      let file = join(dist, decodeURIComponent(url.pathname));
      try {
        if (statSync(file).isDirectory()) file = join(file, "index.html");
      } catch {
        file += ".html";
      }
      let raw: number;
      try {
        raw = statSync(file).size;
      } catch {
        continue;
      }
      const gz = gzipSize(file);
      weight.bytesTotal += raw;
      weight.gzipBytesTotal += gz;
      if (first === null || entry.responseEnd <= first) {
        weight.bytesBeforeFirstFigure += raw;
        weight.gzipBytesBeforeFirstFigure += gz;
      }
    }
    results.push(weight);
    await context.close();
  }
  return results;
}

export function formatWeights(weights: readonly PageWeight[]): string[] {
  const mb = (n: number) => (n / 1e6).toFixed(2);
  return weights.map(
    (w) =>
      `${w.path.padEnd(38)} first figure ${w.firstFigureSeconds === null ? "none" : `${w.firstFigureSeconds.toFixed(1)} s`}; before it ${mb(w.gzipBytesBeforeFirstFigure)} MB gzip (${mb(w.bytesBeforeFirstFigure)} MB raw); in all ${mb(w.gzipBytesTotal)} MB gzip (${mb(w.bytesTotal)} MB raw)`
  );
}

/** The worst first figure and the most bytes before one, as `key=value` fields for a SUMMARY line. */
export function weightSummary(weights: readonly PageWeight[]): string {
  const live = weights.filter((w) => w.firstFigureSeconds !== null);
  const worstTime = live.reduce((a, b) => ((b.firstFigureSeconds ?? 0) > (a.firstFigureSeconds ?? 0) ? b : a), live[0]);
  const worstBytes = weights.reduce((a, b) => (b.gzipBytesBeforeFirstFigure > a.gzipBytesBeforeFirstFigure ? b : a), weights[0]);
  return (
    `pages=${weights.length} max_first_figure_s=${worstTime?.firstFigureSeconds?.toFixed(1) ?? "none"} (${worstTime?.path}) ` +
    `max_gzip_mb_before_first_figure=${(worstBytes.gzipBytesBeforeFirstFigure / 1e6).toFixed(2)} (${worstBytes.path}) raw_mb=${(worstBytes.bytesBeforeFirstFigure / 1e6).toFixed(2)}`
  );
}
