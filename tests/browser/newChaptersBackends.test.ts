import {describe, expect, it} from "vitest";
import {number, setInput} from "./controls.ts";
import {cellErrors, waitForCells, type Visit} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapters 11–13 on the two backends their own test files do not use (those run on WASM, the quickest
// here): WebGL (SwiftShader in headless Chromium) and the plain-JavaScript CPU backend. Each page trains
// a tiny model for a few steps and its figures change, with no errors. Step counts are small because
// SwiftShader and the CPU backend are slow; what is checked is that the page works on the backend, not
// what the model learns (ownData.test.ts, factors.test.ts and vqvae.test.ts check that).
const BACKENDS = ["webgl", "cpu"] as const;

async function clean(visit: Visit) {
  expect(await cellErrors(visit.page)).toEqual([]);
  expect(visit.consoleErrors).toEqual([]);
  expect(visit.pageErrors).toEqual([]);
  expect(visit.foreignRequests).toEqual([]);
}

describe.each(BACKENDS)("chapters 11–13 on the %s backend", (backend) => {
  const site = useSite();

  it("chapter 11: the example set trains in the worker and both −ELBOs appear", async () => {
    const visit = await site().visit(`/chapters/11-your-own-data?backend=${backend}`, {width: 1000});
    const {page} = visit;
    try {
      const lab = page.locator(".training-lab");
      await page.getByLabel("Example sketches", {exact: true}).selectOption({label: "20 sketches"});
      await waitForCells(page);
      await page.waitForFunction(`document.querySelector(".training-lab")?.dataset.ready === "true"`, null, {timeout: 120_000});
      await page.getByRole("button", {name: "▶ Play"}).click();
      // The held-out and training images are scored at the end of the first epoch 50 steps after the
      // last score: 60 steps are enough for one score of each.
      await expect.poll(async () => Number(await lab.getAttribute("data-step")), {timeout: 240_000, interval: 500}).toBeGreaterThanOrEqual(60);
      await page.getByRole("button", {name: "Pause", exact: true}).click();
      await expect.poll(() => lab.getAttribute("data-state"), {timeout: 60_000}).toBe("paused");
      expect(await page.locator(".lab-thread").first().textContent()).toContain(`on ${backend}`);
      await expect.poll(async () => Number(await page.locator('[data-value="test-neg-elbo"]').textContent()), {timeout: 60_000}).toBeGreaterThan(0);
      expect(Number(await page.locator('[data-value="train-neg-elbo"]').textContent())).toBeGreaterThan(0);
      await clean(visit);
    } finally {
      await page.close();
    }
  }, 300_000);

  it("chapter 12: the shipped traversal and matrix draw, and a 100-step live run adds a point", async () => {
    const visit = await site().visit(`/chapters/12-factors?backend=${backend}`, {width: 1280});
    const {page} = visit;
    try {
      await page.waitForSelector(".factor-sweep .mig-chart", {timeout: 150_000});
      expect(await page.getByRole("img", {name: /^Traversals of the shipped β = 16 model/}).count()).toBeGreaterThanOrEqual(1);
      expect(await page.locator(".mi-matrix svg").count()).toBeGreaterThanOrEqual(4);
      await setInput(page, "Train", "β = 16 only");
      await setInput(page, "Training steps per β", "100");
      await page.getByRole("button", {name: "Train the β sweep"}).click();
      await expect.poll(() => page.locator(".factor-sweep").getAttribute("data-state"), {timeout: 240_000, interval: 1000}).toBe("done");
      expect(await page.locator(".factor-sweep").getAttribute("data-rows")).toBe("1");
      expect(await page.locator('.factor-sweep .mig-chart svg[aria-label^="MIG against β"]').getAttribute("aria-label")).toMatch(/Live run: β = 16: [\d.]+$/);
      await clean(visit);
    } finally {
      await page.close();
    }
  }, 420_000);

  it("chapter 13: a few VQ-VAE steps update the usage histogram, and re-seeding revives the dead codes", async () => {
    const visit = await site().visit(`/chapters/13-vaes-today?backend=${backend}`, {width: 1280});
    const {page} = visit;
    try {
      const histogram = page.locator(".vqvae-usage");
      await page.getByRole("button", {name: "Train", exact: true}).click();
      // Past the dead-code window (10 batches), so codes the encoder never chose are counted dead.
      await expect.poll(() => number(page, "vq-step"), {timeout: 240_000, interval: 1000}).toBeGreaterThanOrEqual(12);
      await page.getByRole("button", {name: "Pause", exact: true}).click();
      await expect.poll(() => page.getByRole("button", {name: "Train", exact: true}).count(), {timeout: 60_000}).toBe(1);
      await waitForCells(page);
      expect(Number(await histogram.getAttribute("data-updates"))).toBeGreaterThan(0);
      expect(Number.isFinite(await number(page, "vq-reconstruction"))).toBe(true);
      const dead = await number(page, "vq-dead");
      if (dead > 0) {
        await page.getByRole("button", {name: "Re-seed dead codes now"}).click();
        await expect.poll(() => number(page, "vq-dead")).toBe(0);
      }
      await clean(visit);
    } finally {
      await page.close();
    }
  }, 420_000);
});
