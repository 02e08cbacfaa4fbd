import {mkdtempSync, rmSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Download, Locator, Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {picture, setInput} from "./controls.ts";
import type {Visit} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapters 7–10, the ones that train and generate live, on each backend a reader may end up on:
// WebGL (here through SwiftShader), WASM and the plain CPU backend, chosen with ?backend=.
// LIVE_BACKENDS=webgl,wasm narrows the list when iterating locally; CI runs all three.
// The labs are opened 600 px wide, so they start small (one chunk of 10,000 training digits).
const BACKENDS = (process.env.LIVE_BACKENDS ?? "webgl,wasm,cpu").split(",").map((b) => b.trim()).filter(Boolean);
const LAB = ".training-lab";

const stepOf = async (page: Page) => Number(await page.locator(LAB).getAttribute("data-step"));
const message = (page: Page) => page.locator(".lab-message").textContent();

/** Waits for the signal the lab sets once it is connected to its session and has drawn its first pictures. */
async function labReady(page: Page, selector = LAB) {
  await page.waitForFunction(`document.querySelector(${JSON.stringify(selector)})?.dataset.ready === "true"`, null, {timeout: 120_000});
}

/** Picks the smallest model, so that SwiftShader and the CPU backend train it quickly; waits for its first pictures. */
async function tinyModel(page: Page) {
  await setInput(page, "Size", "small");
  await setInput(page, "Latent size", "2");
  await setInput(page, "Batch size", "32");
  // A string, not a function: vitest would inject helpers into a function's source that the page lacks.
  await page.waitForFunction(
    `document.querySelector("${LAB} .lab-status")?.textContent.includes("mlp [128], latent 2") && document.querySelector("${LAB}").dataset.picturesStep === "0"`,
    null,
    {timeout: 60_000}
  );
}

const reconstructions = (page: Page) => picture(page, /reconstructions at step/);

/** Waits until the reconstructions differ from `before` (the pictures arrive after the message). */
const redrawn = (page: Page, before: string) => expect.poll(() => reconstructions(page), {timeout: 60_000}).not.toBe(before);

describe.each(BACKENDS)("chapter 7's lab on the %s backend", (backend) => {
  const site = useSite();
  let visit: Visit;
  let page: Page;
  let lab: Locator;
  let trained = "";
  let files: string[] = [];
  const folder = mkdtempSync(join(tmpdir(), "vae-lab-"));

  beforeAll(async () => {
    visit = await site().visit(`/chapters/07-training?backend=${backend}`, {width: 600});
    page = visit.page;
    lab = page.locator(LAB);
    await labReady(page);
    await tinyModel(page);
  });
  afterAll(async () => {
    await page?.close();
    rmSync(folder, {recursive: true, force: true});
  });

  it(`TrainingLab trains in a Web Worker on ${backend} and says so`, async () => {
    expect(await lab.getAttribute("data-thread")).toBe("worker");
    expect(await page.locator(".lab-thread").textContent()).toContain(`Training runs in a Web Worker on ${backend}`);
    const untrained = await reconstructions(page);
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 150_000}).toBeGreaterThanOrEqual(40);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => lab.getAttribute("data-state")).toBe("paused");
    expect(await page.locator(".lab-status").first().textContent()).toContain(`backend ${backend}`);
    await redrawn(page, untrained);
  });

  it("Step adds exactly one step, and the pictures follow it", async () => {
    const paused = await stepOf(page);
    await page.getByRole("button", {name: "Step"}).click();
    await expect.poll(() => stepOf(page)).toBe(paused + 1);
    await expect.poll(() => lab.getAttribute("data-pictures-step"), {timeout: 30_000}).toBe(String(paused + 1));
    trained = await reconstructions(page);
  });

  it("LossChart draws the −ELBO and reconstruction loss, and the KL on its own axis", async () => {
    // Plot's charts carry an aria-label; the legend's swatches are small svgs without one.
    const charts = page.locator(".lab-chart svg[aria-label]");
    await expect.poll(() => charts.count()).toBe(2);
    expect(await charts.first().getAttribute("aria-label")).toMatch(/^Loss curves over \d+ steps: −ELBO [\d.]+, reconstruction loss [\d.]+ nats per image$/);
    expect(await charts.nth(1).getAttribute("aria-label")).toMatch(/^KL\(q ‖ p\(z\)\) over \d+ steps/);
    expect(await page.locator(".lab-chart svg g path").count()).toBeGreaterThan(0);
  });

  it("with latent size 2, the latent plane and the decoded manifold are drawn at the current step", async () => {
    const at = await lab.getAttribute("data-pictures-step");
    // Drawn as their own job after the reconstructions, so allow them a moment.
    await expect.poll(() => page.getByRole("img", {name: new RegExp(`latent plane at step ${at}[,;]`)}).count()).toBe(1);
    await expect.poll(() => page.getByRole("img", {name: new RegExp(`decoded manifold at step ${at}:`)}).count()).toBe(1);
    expect(await page.locator('[data-value="active-units"]').textContent()).toMatch(/^[012]$/);
  });

  it("Save in this browser, Reset, Load from this browser: the trained pictures come back", async () => {
    await page.getByRole("button", {name: "Save in this browser"}).click();
    await expect.poll(() => message(page), {timeout: 30_000}).toContain("Saved in this browser");
    await page.getByRole("button", {name: "Reset"}).click();
    await expect.poll(() => stepOf(page)).toBe(0);
    await redrawn(page, trained);
    await page.getByRole("button", {name: "Load from this browser"}).click();
    await expect.poll(() => message(page), {timeout: 30_000}).toContain("Loaded the checkpoint saved in this browser");
    await expect.poll(() => reconstructions(page), {timeout: 60_000}).toBe(trained);
  });

  it("Save to a file downloads two files; uploading them after Reset brings the model back", async () => {
    const downloads: Download[] = [];
    page.on("download", (d) => downloads.push(d));
    await page.getByRole("button", {name: "Save to a file"}).click();
    await expect.poll(() => downloads.length, {timeout: 30_000}).toBe(2);
    files = await Promise.all(
      downloads.map(async (d) => {
        const file = join(folder, d.suggestedFilename());
        await d.saveAs(file);
        return file;
      })
    );
    expect(files.map((f) => f.split("/").pop()).sort()).toEqual(["vae-explorables-vae.json", "vae-explorables-vae.weights.bin"]);
    await page.getByRole("button", {name: "Reset"}).click();
    await redrawn(page, trained);
    await page.getByLabel("Upload a checkpoint: its .json and .weights.bin files").setInputFiles(files);
    await expect.poll(() => message(page), {timeout: 30_000}).toContain("Loaded the uploaded checkpoint");
    await expect.poll(() => reconstructions(page), {timeout: 60_000}).toBe(trained);
  });

  it("a model.json that is not JSON (truncated, empty, a PNG renamed) is refused with what is wrong, and the model is kept", async () => {
    const weights = files.find((f) => f.endsWith(".weights.bin")) as string;
    const json = files.find((f) => f.endsWith(".json")) as string;
    const bad = {
      truncated: join(folder, "truncated", "model.json"),
      empty: join(folder, "empty", "model.json"),
      png: join(folder, "png", "model.json")
    };
    const {readFileSync, mkdirSync} = await import("node:fs");
    for (const path of Object.values(bad)) mkdirSync(join(path, ".."), {recursive: true});
    writeFileSync(bad.truncated, readFileSync(json).subarray(0, 200));
    writeFileSync(bad.empty, "");
    writeFileSync(bad.png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]));
    const expected = {
      truncated: "Could not load the uploaded checkpoint: model.json is cut off: it ends after 200 bytes, in the middle of its JSON. Save the checkpoint again. Your current model is unchanged.",
      empty: "Could not load the uploaded checkpoint: model.json is empty (0 bytes): choose the .json file the lab saved, together with its .weights.bin. Your current model is unchanged.",
      png: "Could not load the uploaded checkpoint: model.json is a PNG image, not a model description: choose the .json file the lab saved. Your current model is unchanged."
    };
    const upload = page.getByLabel("Upload a checkpoint: its .json and .weights.bin files");
    for (const kind of ["truncated", "empty", "png"] as const) {
      await upload.setInputFiles([bad[kind], weights]);
      await expect.poll(() => message(page), {timeout: 10_000}).toBe(expected[kind]);
      expect(await reconstructions(page)).toBe(trained);
    }
    expect(visit.pageErrors).toEqual([]);
  });

  it("learning rate 1 diverges: the lab says so, restores the last good weights and pauses", async () => {
    await setInput(page, "Learning rate", "1");
    expect(page.url()).toContain("train-lr=1");
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => message(page), {timeout: 150_000}).toMatch(/Training diverged: the loss .* The learning rate \(1\)/);
    await expect.poll(() => lab.getAttribute("data-state")).toBe("paused");
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  });
});

describe.each(BACKENDS)("a seeded run on the %s backend, in the worker or not", (backend) => {
  const site = useSite();

  it("five steps in the Web Worker and five on the page's thread give the same −ELBO, to the last digit", async () => {
    const run = async (thread: string) => {
      const {page, consoleErrors} = await site().visit(`/chapters/07-training?backend=${backend}${thread}&train-batch=32&seed=3`, {width: 600});
      await labReady(page);
      for (let i = 0; i < 5; i++) await page.getByRole("button", {name: "Step"}).click();
      await expect.poll(() => stepOf(page), {timeout: 120_000}).toBe(5);
      const result = {thread: await page.locator(LAB).getAttribute("data-thread"), negElbo: await page.locator(LAB).getAttribute("data-neg-elbo"), consoleErrors};
      await page.close();
      return result;
    };
    const worker = await run("");
    const main = await run("&lab-thread=page");
    expect([worker.thread, main.thread]).toEqual(["worker", "page"]);
    expect(Number(worker.negElbo)).toBeGreaterThan(0);
    expect(main.negElbo).toBe(worker.negElbo);
    expect([...worker.consoleErrors, ...main.consoleErrors]).toEqual([]);
  });
});

describe("the lab on a phone", () => {
  const site = useSite();

  it("every control of the lab is at least 24 × 24 px on a 390 px touch screen", async () => {
    const page = await site().browser.newPage({viewport: {width: 390, height: 844}, hasTouch: true, isMobile: true});
    await page.goto(`${site().origin}/chapters/07-training?backend=cpu`, {waitUntil: "networkidle"});
    await labReady(page);
    const sizes = await page.locator(`${LAB} button, ${LAB} select, ${LAB} input`).evaluateAll((nodes) =>
      nodes.map((n) => {
        const box = n.getBoundingClientRect();
        return {control: n.getAttribute("aria-label") ?? n.textContent?.trim().slice(0, 30) ?? n.tagName, width: Math.round(box.width), height: Math.round(box.height)};
      })
    );
    expect(sizes.length).toBeGreaterThan(15);
    expect(sizes.filter((s) => s.width < 24 || s.height < 24)).toEqual([]);
    await page.close();
  });
});

describe.each(BACKENDS)("chapters 8–10 on the %s backend", (backend) => {
  const site = useSite();
  const visit = (path: string, width?: number) => site().visit(`${path}?backend=${backend}`, width ? {width} : undefined);

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

  it("chapter 9: samples a chosen digit, sweeps the label, and trains a CVAE live in the worker", async () => {
    const {page, consoleErrors} = await visit("/chapters/09-conditional-vae", 600);
    const threes = await picture(page, /samples of the digit 3/);
    await setInput(page, "digit to draw", 7);
    await expect.poll(() => page.locator("#cvae-caption").textContent()).toContain("c = 7");
    expect(await picture(page, /samples of the digit 7/)).not.toBe(threes);
    const sweep = await picture(page, /decoded as each of the ten digits/);
    await setInput(page, "style z₁", 2);
    await expect.poll(() => page.locator("#sweep-caption").textContent()).toContain("(2.00, 0.00)");
    expect(await picture(page, /decoded as each of the ten digits/)).not.toBe(sweep);
    await labReady(page);
    expect(await page.locator(LAB).getAttribute("data-thread")).toBe("worker");
    await tinyModel(page);
    const untrained = await picture(page, /Samples of each digit 0 to 9 from the conditional VAE at step 0/);
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 150_000}).toBeGreaterThanOrEqual(20);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.locator(LAB).getAttribute("data-state")).toBe("paused");
    await page.getByRole("button", {name: "Step"}).click();
    await expect.poll(() => page.getByRole("img", {name: /Samples of each digit 0 to 9 from the conditional VAE at step [1-9]/}).count(), {timeout: 30_000}).toBe(1);
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
    expect(await page.locator(".beta-sweep").getAttribute("data-thread")).toBe("worker");
    const rows = [...((await page.locator("#beta-summary").textContent()) ?? "").matchAll(/β = ([\d.]+): (\d+) of 16 active, KL ([\d.]+)/g)].map((m) => ({
      beta: Number(m[1]),
      active: Number(m[2]),
      kl: Number(m[3])
    }));
    expect(rows.map((r) => r.beta)).toEqual([0, 0.5, 2, 8, 32]);
    expect(rows[0].active).toBeGreaterThan(rows[4].active);
    expect(rows[0].kl).toBeGreaterThan(rows[4].kl);
    expect(await page.getByRole("img", {name: /Reconstructions with β = 32/}).count()).toBe(1);
    expect(page.url()).toContain("sweep-steps=50");
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 600_000);
});
