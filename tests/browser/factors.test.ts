import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {picture, setInput} from "./controls.ts";
import {cellErrors, type Visit} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapter 12 (factors you can see), one page load shared by every test: the shapes and their factors,
// the traversals and the mutual information matrix of the shipped checkpoints, the MIG against β, and a
// tiny live run (one β, 100 steps) that adds its point to the chart. WASM: the fastest backend on a
// machine without a GPU.
const PATH = "/chapters/12-factors?backend=wasm";
const SWEEP = ".factor-sweep";

describe("chapter 12: factors you can see", () => {
  const site = useSite();
  let visit: Visit;
  let page: Page;

  beforeAll(async () => {
    visit = await site().visit(PATH, {width: 1280});
    page = visit.page;
    // The shipped models are measured after the first paint; the sweep's chart appears once they are.
    await page.waitForSelector(`${SWEEP} .mig-chart`, {timeout: 90_000});
  }, 150_000);
  afterAll(async () => {
    await page?.close();
  });

  it("shows the shapes with their factors and each factor on its own", async () => {
    expect(await page.locator(".shape-sample").count()).toBe(12);
    expect(await page.locator(".shape-sample figcaption").first().textContent()).toMatch(/(square|ellipse|heart)scale [\d.]+/);
    expect(await page.getByRole("img", {name: /^Each factor on its own, the others fixed\. Rows: shape .*scale .*rotation .*x .*y/}).count()).toBe(1);
  });

  it("draws the shipped β = 16 model's traversal and matrix, and switches to β = 1", async () => {
    const traversal = await picture(page, /^Traversals of the shipped β = 16 model around test shape 5/);
    expect(traversal.length).toBeGreaterThan(1000);
    const caption = (await page.locator("#mi-caption").textContent()) ?? "";
    const mig16 = Number(/MIG = ([\d.]+)/.exec(caption)?.[1]);
    // The registered claim (tests/claims/chapter12.ts) recomputes this in Node from the checkpoint; the
    // site serves 8-bit weights, so the page's value may differ a little.
    expect(mig16).toBeGreaterThan(0.15);
    expect(mig16).toBeLessThan(0.6);
    expect(await page.locator(".mi-matrix svg").count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator("#shipped-table tbody tr").count()).toBe(3);
    await page.getByRole("radio", {name: "β = 1", exact: true}).check();
    await expect.poll(() => page.locator("#mi-caption").textContent(), {timeout: 60_000}).toContain("The shipped β = 1 model");
    const mig1 = Number(/MIG = ([\d.]+)/.exec((await page.locator("#mi-caption").textContent()) ?? "")?.[1]);
    expect(mig1).toBeLessThan(mig16);
    expect(await picture(page, /^Traversals of the shipped β = 1 model/)).not.toBe(traversal);
  }, 90_000);

  it("a tiny live run at one β adds a point to the shipped MIG curve", async () => {
    const chart = page.locator(`${SWEEP} .mig-chart svg[aria-label^="MIG against β"]`);
    expect(await chart.getAttribute("aria-label")).toMatch(/Shipped models: β = 1: [\d.]+, β = 4: [\d.]+, β = 16: [\d.]+\. Live run: not trained yet/);
    await setInput(page, "Train", "β = 16 only");
    await setInput(page, "Training steps per β", "100");
    await page.getByRole("button", {name: "Train the β sweep"}).click();
    await expect.poll(() => page.locator(SWEEP).getAttribute("data-state"), {timeout: 120_000, interval: 1000}).toBe("done");
    const status = await page.locator(`${SWEEP} .lab-status`).first().textContent();
    expect(await page.locator(SWEEP).getAttribute("data-rows"), status ?? "").toBe("1");
    expect(await chart.getAttribute("aria-label")).toMatch(/Live run: β = 16: [\d.]+$/);
    expect(await page.locator("#factor-sweep-summary").textContent()).toMatch(/^β = 16: MIG [\d.]+, reconstruction loss [\d.]+/);
    expect(await page.getByRole("img", {name: /^Traversals of the model trained with β = 16/}).count()).toBe(1);
  }, 150_000);

  it("has no cell errors, console errors or requests off the site", async () => {
    expect(await cellErrors(page)).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
  });
});
