import {existsSync} from "node:fs";
import {join} from "node:path";
import type {Browser, Page} from "playwright-core";
import config from "../../observablehq.config.ts";
import {launchChromium} from "./chromium.ts";
import {serveStatic, type StaticSite} from "./server.ts";

export const DIST = join(import.meta.dirname, "../../dist");

/** Every page of the site, from the config: the index plus each page in the sidebar. */
export function sitePages(): string[] {
  const paths = ["/"];
  const walk = (items: readonly {path?: string; pages?: readonly unknown[]}[]) => {
    for (const item of items) {
      if (item.path) paths.push(item.path);
      if (item.pages) walk(item.pages as {path?: string}[]);
    }
  };
  walk(config.pages as {path?: string}[]);
  return paths;
}

export interface Visit {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  foreignRequests: string[];
}

export interface Site {
  origin: string;
  browser: Browser;
  /** Opens a path, records what went wrong, and waits until every cell has settled. */
  visit(path: string, options?: {width?: number; height?: number}): Promise<Visit>;
  close(): Promise<void>;
}

/** Serves a built site (this project's dist/ unless told otherwise) and opens Chromium on it. */
export async function openSite(dist = DIST): Promise<Site> {
  if (!existsSync(join(dist, "index.html"))) throw new Error(`${dist} is missing: run \`npm run build\` before the browser tests.`);
  const server: StaticSite = await serveStatic(dist);
  const browser = await launchChromium();
  const origin = server.origin;
  return {
    origin,
    browser,
    async visit(path, {width = 1280, height = 900} = {}) {
      const page = await browser.newPage({viewport: {width, height}});
      const visit: Visit = {page, consoleErrors: [], pageErrors: [], failedRequests: [], foreignRequests: []};
      page.on("console", (message) => {
        if (message.type() === "error") visit.consoleErrors.push(message.text());
      });
      page.on("pageerror", (error) => visit.pageErrors.push(error.message));
      page.on("requestfailed", (request) => visit.failedRequests.push(`${request.url()} (${request.failure()?.errorText})`));
      page.on("response", (response) => {
        if (response.status() >= 400) visit.failedRequests.push(`${response.url()} (HTTP ${response.status()})`);
      });
      page.on("request", (request) => {
        const url = new URL(request.url());
        if (!["data:", "blob:"].includes(url.protocol) && url.origin !== origin) visit.foreignRequests.push(request.url());
      });
      await page.goto(origin + path, {waitUntil: "networkidle"});
      await waitForCells(page);
      return visit;
    },
    async close() {
      await browser.close();
      await server.close();
    }
  };
}

/**
 * Waits until the page has settled: no cell shows Framework's loading indicator, and nothing in the
 * page has changed for `quietMs`. Placeholders inside HTML blocks get no loading indicator, and the
 * runtime computes on animation frames after `load`, so the indicator alone is not enough.
 */
export async function waitForCells(page: Page, {timeout = 90_000, quietMs = 750} = {}): Promise<void> {
  // A string, not a function: the TypeScript runners (vitest, tsx) would otherwise inject helpers
  // such as __name into the function's source, which do not exist in the page.
  await page.evaluate(`new Promise((resolve, reject) => {
    let last = performance.now();
    const observer = new MutationObserver(() => (last = performance.now()));
    observer.observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
    const started = performance.now();
    const check = () => {
      const now = performance.now();
      if (document.querySelectorAll("observablehq-loading").length === 0 && now - last >= ${quietMs}) {
        observer.disconnect();
        resolve();
      } else if (now - started > ${timeout}) {
        observer.disconnect();
        reject(new Error("the page did not settle within ${timeout} ms"));
      } else {
        setTimeout(check, 100);
      }
    };
    requestAnimationFrame(() => requestAnimationFrame(check));
  })`);
}

/** Cells that rendered an error: Framework marks them with `observablehq--error`. */
export async function cellErrors(page: Page): Promise<string[]> {
  return page.$$eval(".observablehq--error", (nodes) => nodes.map((node) => node.textContent ?? ""));
}

