import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {number, setInput} from "./controls.ts";
import {cellErrors, waitForCells, type Visit} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapter 13 in Chromium, one page load shared by every test: the shipped models draw, and the VQ-VAE
// lab trains a few steps, updates its usage histogram and re-seeds dead codes. On the WASM backend:
// headless Chromium's WebGL is SwiftShader, on which the conv layers' first runs (shader compiles) and
// training steps took about ten times longer than WASM's on this machine; pages.test.ts loads the page on
// the default backend chain.
const path = "/chapters/13-vaes-today?backend=wasm";

describe("chapters/13-vaes-today: VQ-VAE lab and shipped figures", () => {
  const site = useSite();
  let visit: Visit;

  beforeAll(async () => {
    visit = await site().visit(path);
  }, 120_000);

  afterAll(async () => {
    await visit?.page.close();
  });

  it("loads with zero console errors, failed or foreign requests, and no cell errors", async () => {
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    expect(visit.failedRequests).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
    expect(await cellErrors(visit.page)).toEqual([]);
  });

  it("draws the shipped VQ-VAE's reconstructions, the priors' samples and the two spatial VAEs' panels", async () => {
    const {page} = visit;
    // Each canvas has ink: the share of pixels darker than mid-grey is above zero.
    const ink = (name: RegExp) =>
      page.getByRole("img", {name}).evaluate((c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext("2d")?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
        let dark = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i] < 128) dark++;
        return dark / (data.length / 4);
      });
    for (const name of [/shipped VQ-VAE's reconstructions/, /drawn independently per position/, /drawn from the autoregressive prior/, /Beta one in a million/, /Beta one: test digits/]) {
      expect(await ink(name)).toBeGreaterThan(0.02);
    }
    expect(await number(page, "vq-recon")).toBeGreaterThan(20);
    // The tiny-β model's KL of the shown digits is far above the β = 1 model's.
    // (kl-tiny is written with a thousands separator, as the prose's numbers are.)
    const klTiny = Number((await page.locator('[data-value="kl-tiny"]').textContent())?.replace(/,/g, ""));
    expect(klTiny).toBeGreaterThan(20 * (await number(page, "kl-one")));
    await expect.poll(() => page.getByRole("img", {name: /How often each code of the shipped VQ-VAE was chosen/}).count()).toBe(1);
  });

  it("a few training steps update the usage histogram; 'Re-seed dead codes now' revives the dead codes", async () => {
    const {page} = visit;
    const histogram = page.locator(".vqvae-usage");
    const updates = async () => Number(await histogram.getAttribute("data-updates"));
    expect(await updates()).toBe(0);
    const train = page.getByRole("button", {name: "Train", exact: true});
    await train.click();
    // Train until the dead-code window (10 batches) has passed and a few more readbacks came in.
    await expect.poll(() => number(page, "vq-step"), {timeout: 90_000, interval: 500}).toBeGreaterThanOrEqual(15);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.getByRole("button", {name: "Train", exact: true}).count(), {timeout: 30_000}).toBe(1);
    await waitForCells(page);
    expect(await updates()).toBeGreaterThan(0);
    expect(await number(page, "vq-codes-used")).toBeGreaterThan(0);
    expect(Number.isFinite(await number(page, "vq-reconstruction"))).toBe(true);
    const dead = await number(page, "vq-dead");
    // A fresh codebook of 64 tiny codes near zero: the encoder's outputs choose only some of them.
    expect(dead).toBeGreaterThan(0);
    await page.getByRole("button", {name: "Re-seed dead codes now"}).click();
    await expect.poll(() => number(page, "vq-dead")).toBe(0);
    expect(await number(page, "vq-reseeded")).toBe(dead);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  }, 150_000);

  it("changing K while training starts a new model with K codes, without errors", async () => {
    const {page} = visit;
    await page.getByRole("button", {name: "Train", exact: true}).click();
    await expect.poll(() => page.getByRole("button", {name: "Pause", exact: true}).count(), {timeout: 30_000}).toBe(1);
    await setInput(page, "codes K", 32);
    await expect.poll(() => number(page, "vq-step")).toBe(0);
    await expect.poll(() => page.locator(".vqvae-lab .lab-status").textContent()).toContain("of 32");
    expect(await cellErrors(page)).toEqual([]);
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  }, 60_000);
});

describe("chapters/13-vaes-today: the lab on the CPU backend", () => {
  const site = useSite();

  it("?backend=cpu&K=16: the shipped figures draw without errors and a few steps update the histogram", async () => {
    const visit = await site().visit("/chapters/13-vaes-today?backend=cpu&K=16");
    const {page} = visit;
    try {
      expect(await cellErrors(page)).toEqual([]);
      await page.getByRole("button", {name: "Train", exact: true}).click();
      await expect.poll(() => number(page, "vq-step"), {timeout: 60_000, interval: 500}).toBeGreaterThanOrEqual(5);
      await page.getByRole("button", {name: "Pause", exact: true}).click();
      await expect.poll(() => page.getByRole("button", {name: "Train", exact: true}).count(), {timeout: 30_000}).toBe(1);
      expect(Number(await page.locator(".vqvae-usage").getAttribute("data-updates"))).toBeGreaterThan(0);
      expect(await number(page, "vq-codes-used")).toBeGreaterThan(0);
      expect(await number(page, "vq-codes-used")).toBeLessThanOrEqual(16);
      expect(visit.consoleErrors).toEqual([]);
      expect(visit.pageErrors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);
});
