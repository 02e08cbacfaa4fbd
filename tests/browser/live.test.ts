import {mkdtempSync, rmSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Download, Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {picture, setInput} from "./controls.ts";
import {useSite} from "./useSite.ts";

// Chapters 7–10, the ones that train and generate live, on each backend a reader may end up on:
// WebGL (here through SwiftShader), WASM and the plain CPU backend, chosen with ?backend=.
// LIVE_BACKENDS=webgl,wasm narrows the list when iterating locally; CI runs all three.
const BACKENDS = (process.env.LIVE_BACKENDS ?? "webgl,wasm,cpu").split(",").map((b) => b.trim()).filter(Boolean);

async function stepOf(page: Page) {
  return Number(await page.locator(".training-lab").getAttribute("data-step"));
}

/** Picks the smallest model in a training lab, so that SwiftShader and the CPU backend train it quickly. */
async function tinyModel(page: Page) {
  await setInput(page, "Size", "0");
  await setInput(page, "Latent size", "0");
  await setInput(page, "Batch size", "0");
}

describe.each(BACKENDS)("live chapters on the %s backend", (backend) => {
  const site = useSite();
  const visit = (path: string) => site().visit(`${path}?backend=${backend}`);

  it("chapter 7: trains, pauses, steps, saves and loads (browser storage, and files), and catches a diverging run", async () => {
    const {page, consoleErrors} = await visit("/chapters/07-training");
    await tinyModel(page);
    const reconstructions = () => picture(page, /reconstructions at step/);
    const untrained = await reconstructions();
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 150_000}).toBeGreaterThanOrEqual(40);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.locator(".training-lab").getAttribute("data-state")).toBe("paused");
    expect(await page.locator(".lab-status").first().textContent()).toContain(`backend ${backend}`);
    const paused = await stepOf(page);
    await page.getByRole("button", {name: "Step"}).click();
    await expect.poll(() => stepOf(page)).toBe(paused + 1);
    // The pictures are read back asynchronously; wait until they show this step.
    await expect.poll(() => page.locator(".training-lab").getAttribute("data-pictures-step"), {timeout: 30_000}).toBe(String(paused + 1));
    expect(await page.locator(".lab-chart svg g path").count()).toBeGreaterThan(0);
    const trained = await reconstructions();
    expect(trained).not.toBe(untrained);
    await page.getByRole("button", {name: "Save in this browser"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 30_000}).toContain("Saved in this browser");
    await page.getByRole("button", {name: "Reset"}).click();
    expect(await stepOf(page)).toBe(0);
    await page.getByRole("button", {name: "Load from this browser"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 30_000}).toContain("Loaded the checkpoint saved in this browser");
    // The pictures are read back asynchronously, after the message (slow on SwiftShader under load).
    await expect.poll(() => reconstructions(), {timeout: 30_000}).toBe(trained);
    // Save to files (the browser downloads model.json and its weights), reset, upload them back.
    const downloads: Download[] = [];
    page.on("download", (d) => downloads.push(d));
    await page.getByRole("button", {name: "Save to a file"}).click();
    await expect.poll(() => downloads.length).toBe(2);
    const folder = mkdtempSync(join(tmpdir(), "vae-lab-download-"));
    const files = await Promise.all(downloads.map(async (d) => {
      const file = join(folder, d.suggestedFilename());
      await d.saveAs(file);
      return file;
    }));
    await page.getByRole("button", {name: "Reset"}).click();
    await expect.poll(() => reconstructions(), {timeout: 30_000}).not.toBe(trained);
    await page.getByLabel("Upload a checkpoint: its .json and .weights.bin files").setInputFiles(files);
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 30_000}).toContain("Loaded the uploaded checkpoint");
    // The pictures are read back asynchronously, after the message (slow on SwiftShader under load).
    await expect.poll(() => reconstructions(), {timeout: 30_000}).toBe(trained);
    rmSync(folder, {recursive: true, force: true});
    await setInput(page, "Learning rate", "6");
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 150_000}).toMatch(/Training diverged: the loss .* The learning rate \(1\)/);
    expect(await page.locator(".training-lab").getAttribute("data-state")).toBe("paused");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("chapter 8: temperature, interpolation, the latent plane and the drawing pad each redraw", async () => {
    const {page, consoleErrors} = await visit("/chapters/08-generating");
    const samples = await picture(page, /sampled from the 20-dimensional VAE/);
    await setInput(page, "temperature T", 0.3);
    await expect.poll(() => page.locator("#samples-caption").textContent()).toContain("T = 0.3");
    expect(await picture(page, /sampled from the 20-dimensional VAE/)).not.toBe(samples);
    // Spherical interpolation keeps the norm of the codes nearly constant; the straight line dips.
    const norms = async (selector: string) => ((await page.locator(selector).textContent()) ?? "").match(/-?\d+\.\d/g)!.map(Number);
    const slerp = await norms("#slerp-caption");
    expect(Math.max(...slerp) - Math.min(...slerp)).toBeLessThan(1);
    const decoded = await picture(page, /decoding of z =/);
    await setInput(page, "z₁", 2.5);
    await expect.poll(() => page.locator("#picked-caption").textContent()).toContain("2.50");
    expect(await picture(page, /decoding of z =/)).not.toBe(decoded);
    // Hovering the plane's upper-left corner decodes a point there.
    const plane = page.getByRole("img", {name: /hover to decode a point/});
    await plane.scrollIntoViewIfNeeded();
    const box = (await plane.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
    await expect.poll(() => page.locator("#picked-caption").textContent()).not.toBe("Decoded at z = (2.50, 0.00).");
    // Draw a vertical stroke, a "1", on the cleared pad: the encoder's posterior moves.
    const meanOf = async () => [await page.locator('[data-value="pad-mean-1"]').textContent(), await page.locator('[data-value="pad-mean-2"]').textContent()].join();
    const first = await meanOf();
    await page.getByRole("button", {name: "Clear"}).click();
    await expect.poll(() => page.locator("#pad-caption").textContent()).toContain("empty");
    await page.getByRole("img", {name: /Drawing pad/}).scrollIntoViewIfNeeded();
    const pad = (await page.getByRole("img", {name: /Drawing pad/}).boundingBox())!;
    await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * 0.2);
    await page.mouse.down();
    for (let i = 1; i <= 10; i++) await page.mouse.move(pad.x + pad.width * 0.5, pad.y + pad.height * (0.2 + 0.06 * i));
    await page.mouse.up();
    await expect.poll(() => page.locator("#pad-caption").textContent()).toContain("mean");
    expect(await meanOf()).not.toBe(first);
    const drawnOne = await picture(page, /the drawn digit, scaled and centred/);
    await page.getByRole("button", {name: "Load a test digit"}).click();
    await expect.poll(() => picture(page, /the drawn digit, scaled and centred/)).not.toBe(drawnOne);
    if (backend === "webgl") {
      // UMAP runs in plain JavaScript whatever the backend, so once is enough.
      await page.getByRole("button", {name: "Compute a UMAP layout"}).click();
      await expect.poll(() => page.locator("#umap-caption").textContent(), {timeout: 60_000}).toContain("UMAP layout of the same 20-D codes");
      expect(await page.getByRole("img", {name: /A UMAP layout of the 20-D VAE's codes/}).count()).toBe(1);
      expect(page.url()).toContain("umap=1");
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("chapter 9: samples a chosen digit, sweeps the label, and trains a CVAE live", async () => {
    const {page, consoleErrors} = await visit("/chapters/09-conditional-vae");
    const threes = await picture(page, /samples of the digit 3/);
    await setInput(page, "digit to draw", 7);
    await expect.poll(() => page.locator("#cvae-caption").textContent()).toContain("c = 7");
    expect(await picture(page, /samples of the digit 7/)).not.toBe(threes);
    const sweep = await picture(page, /decoded as each of the ten digits/);
    await setInput(page, "style z₁", 2);
    await expect.poll(() => page.locator("#sweep-caption").textContent()).toContain("(2.00, 0.00)");
    expect(await picture(page, /decoded as each of the ten digits/)).not.toBe(sweep);
    await tinyModel(page);
    const untrained = await picture(page, /Samples of each digit 0 to 9 from the conditional VAE at step 0/);
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 150_000}).toBeGreaterThanOrEqual(20);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.locator(".training-lab").getAttribute("data-state")).toBe("paused");
    await page.getByRole("button", {name: "Step"}).click();
    await expect.poll(() => page.getByRole("img", {name: /Samples of each digit 0 to 9 from the conditional VAE at step [1-9]/}).count()).toBe(1);
    expect(await picture(page, /Samples of each digit 0 to 9 from the conditional VAE at step [1-9]/)).not.toBe(untrained);
    // The shipped CVAE is a conditional model, so the lab takes it.
    await page.getByRole("button", {name: "Start from the shipped model"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 30_000}).toContain("Loaded the shipped model");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("chapter 10: the IWAE curve comes from the build at once and is recomputed live, anomalies score worse, and q fitted per digit closes an amortization gap", async () => {
    const {page, consoleErrors} = await visit("/chapters/10-beyond");
    const summary = async () => (await page.locator("#iwae-summary").textContent()) ?? "";
    // −𝓛̂ at the smallest and the largest k, averaged over the repeats.
    const bounds = async () => [...(await summary()).matchAll(/−𝓛̂[₀-₉]+ = (\d+\.\d+)/g)].map((m) => Number(m[1]));
    const [k1, k300] = await bounds();
    expect(k300).toBeLessThan(k1);
    expect(await summary()).toContain("computed when the site was built");
    const medians = Object.fromEntries(
      [...((await page.locator("#anomaly-summary").textContent()) ?? "").matchAll(/(test digits|rotated 90°|inverted|random pixels) (\d+)/g)].map((m) => [m[1], Number(m[2])])
    );
    expect(medians["inverted"]).toBeGreaterThan(medians["test digits"]);
    expect(medians["random pixels"]).toBeGreaterThan(medians["test digits"]);
    // Per-digit optimization on one digit for 20 steps (the CPU backend is slow): the ELBO rises above the encoder's.
    await setInput(page, "Digits", 1);
    await setInput(page, "Steps", 20);
    await page.getByRole("button", {name: "Optimize q for each digit"}).click();
    await expect.poll(() => page.locator("#gap-summary").getAttribute("data-state"), {timeout: 300_000, interval: 1000}).toBe("done");
    const gap = ((await page.locator("#gap-summary").textContent()) ?? "").match(/closes (-?\d+\.\d+) nats of it, the amortization gap, and leaves (-?\d+\.\d+) nats/);
    expect(Number(gap![1])).toBeGreaterThan(0);
    expect(await page.getByRole("img", {name: /The gaps per digit: #1/}).count()).toBe(1);
    if (backend !== "cpu") {
      // New samples are drawn live, small k first (4 repeats of 300 draws of 20 digits: slow on the CPU backend).
      await page.getByRole("button", {name: "Recompute with new samples"}).click();
      await expect.poll(summary, {timeout: 300_000, interval: 1000}).toContain(`computed on your ${backend} backend`);
      expect(await page.locator("#iwae-summary").getAttribute("data-state")).toBe("done");
      const [live1, live300] = await bounds();
      expect(live1).not.toBe(k1);
      expect(live300).toBeLessThan(live1);
    }
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 900_000);

  it("chapter 10: the β sweep collapses units as β grows", async () => {
    const {page, consoleErrors} = await visit("/chapters/10-beyond");
    await setInput(page, "Training steps per β", "50");
    await page.getByRole("button", {name: "Run the β sweep"}).click();
    await expect.poll(() => page.locator(".beta-sweep").getAttribute("data-state"), {timeout: 400_000, interval: 2000}).toBe("done");
    const rows = [...((await page.locator("#beta-summary").textContent()) ?? "").matchAll(/β = ([\d.]+): (\d+) of 16 active, KL ([\d.]+)/g)].map((m) => ({
      beta: Number(m[1]),
      active: Number(m[2]),
      kl: Number(m[3])
    }));
    expect(rows.map((r) => r.beta)).toEqual([0, 0.5, 2, 8, 32]);
    expect(rows[0].active).toBeGreaterThan(rows[4].active);
    expect(rows[0].kl).toBeGreaterThan(rows[4].kl);
    expect(await page.getByRole("img", {name: /Reconstructions with β = 32/}).count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 600_000);
});
