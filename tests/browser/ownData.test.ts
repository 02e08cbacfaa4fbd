import {mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import type {Page} from "playwright-core";
import {afterAll, beforeAll, describe, expect, it} from "vitest";
import {cellErrors, waitForCells, type Visit} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapter 11 in one page load (a reload in the middle): the example set, a tiny model trained for a few
// dozen steps in the worker (on WASM unless OWN_DATA_BACKEND says otherwise), the files a reader may bring (good ones of mixed sizes and each kind
// of bad one, made here), the save file's round trip and the browser's storage across a reload.
// OWN_DATA_BACKEND=webgl or cpu runs it on another backend (WASM by default: the quickest here).
const PATH = `/chapters/11-your-own-data?backend=${process.env.OWN_DATA_BACKEND ?? "wasm"}`;
const LAB = ".training-lab";

const count = async (page: Page) => Number((await page.locator('[data-value="prepared-count"]').textContent())?.replace(/,/g, ""));
const stepOf = async (page: Page) => Number(await page.locator(LAB).getAttribute("data-step"));
const kept = (page: Page) => page.locator(".own-data-kept").textContent();
const summary = (page: Page) => page.locator('[data-value="read-summary"]').textContent();
const labReady = (page: Page) => page.waitForFunction(`document.querySelector("${LAB}")?.dataset.ready === "true"`, null, {timeout: 120_000});

/** Image files drawn on a canvas in the page: PNG and JPEG bytes of the given sizes. */
async function drawnFiles(page: Page, specs: {name: string; width: number; height: number; type: string}[]) {
  const encoded = (await page.evaluate(`Promise.all(${JSON.stringify(specs)}.map(async (s) => {
    const canvas = document.createElement("canvas");
    canvas.width = s.width;
    canvas.height = s.height;
    const c = canvas.getContext("2d");
    c.fillStyle = "white";
    c.fillRect(0, 0, s.width, s.height);
    c.strokeStyle = "black";
    c.lineWidth = Math.max(1, s.width / 10);
    c.beginPath();
    c.arc(s.width / 2, s.height / 2, Math.min(s.width, s.height) / 3, 0, 2 * Math.PI);
    c.stroke();
    return canvas.toDataURL(s.type, 0.9).split(",")[1];
  }))`)) as string[];
  return specs.map((s, i) => ({name: s.name, mimeType: s.type, buffer: Buffer.from(encoded[i], "base64")}));
}

describe("chapter 11: your own data", () => {
  const site = useSite();
  let visit: Visit;
  let page: Page;
  let saved = Buffer.alloc(0);
  let trainedStep = 0;
  // Every request that could carry data away: any method but GET or HEAD, or any with a body, to any address.
  const sending: string[] = [];
  const folder = mkdtempSync(join(tmpdir(), "vae-own-data-"));

  beforeAll(async () => {
    visit = await site().visit(PATH, {width: 1000});
    page = visit.page;
    page.on("request", (request) => {
      if (!["GET", "HEAD"].includes(request.method()) || request.postDataBuffer()) sending.push(`${request.method()} ${request.url()}`);
    });
  });
  afterAll(async () => {
    await page?.close();
    rmSync(folder, {recursive: true, force: true});
  });

  it("shows the example sketches prepared, with their count, and says nothing is uploaded", async () => {
    expect(await count(page)).toBe(60);
    expect(await page.locator("main").textContent()).toContain("Nothing is uploaded.");
    await page.getByLabel("Example sketches", {exact: true}).selectOption({label: "20 sketches"});
    await waitForCells(page);
    await expect.poll(() => count(page)).toBe(20);
    expect(await page.locator("#prepared-caption").textContent()).toMatch(/20 images from 20 example sketches, each 28 × 28 grey pixels/);
  });

  it("trains a tiny model in the worker, scoring held-out and training images alike, and draws the plane and the path", async () => {
    await labReady(page);
    expect(await page.locator(LAB).getAttribute("data-thread")).toBe("worker");
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 90_000}).toBeGreaterThanOrEqual(60);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.locator(LAB).getAttribute("data-state")).toBe("paused");
    trainedStep = await stepOf(page);
    const heldOut = Number(await page.locator('[data-value="test-neg-elbo"]').textContent());
    const training = Number(await page.locator('[data-value="train-neg-elbo"]').textContent());
    expect(heldOut).toBeGreaterThan(0);
    expect(training).toBeGreaterThan(0);
    expect(await page.locator(LAB).textContent()).toContain("On the 16 training images, scored the same way");
    await expect.poll(() => page.locator("#plane-caption").textContent(), {timeout: 30_000}).toMatch(/Where the encoder puts your 20 images at step \d+/);
    await expect.poll(() => page.locator("#path-caption").textContent(), {timeout: 30_000}).toMatch(/nine codes evenly spaced/);
    await expect.poll(() => kept(page), {timeout: 30_000}).toMatch(new RegExp(`Kept in this browser \\(training paused\\): 20 images and the model at step ${trainedStep}`));
  });

  it("a reload restores the set and its model from the browser's storage", async () => {
    await page.reload({waitUntil: "networkidle"});
    await expect.poll(() => kept(page), {timeout: 60_000}).toMatch(new RegExp(`Restored from this browser: 20 images and the model at step ${trainedStep}`));
    expect(await count(page)).toBe(20);
    await labReady(page);
    await expect.poll(() => page.locator("#plane-caption").textContent(), {timeout: 60_000}).toContain("Where the encoder puts your 20 images");
  });

  it("saves the images and the model to a file", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("button", {name: "Save images and model to a file"}).click();
    saved = readFileSync(await (await download).path());
    expect(saved.length).toBeGreaterThan(20 * 784);
    await expect.poll(() => kept(page)).toMatch(/Saved: your browser downloaded vae-explorables-own-data\.bin .* the 20 images and the model/);
  });

  it("takes good files of mixed sizes, refuses each bad one with its reason, and says what it did", async () => {
    const good = await drawnFiles(page, [
      {name: "wide.png", width: 60, height: 40, type: "image/png"},
      {name: "square.png", width: 64, height: 64, type: "image/png"},
      {name: "tall.jpg", width: 50, height: 80, type: "image/jpeg"}
    ]);
    const [tiny] = await drawnFiles(page, [{name: "dot.png", width: 1, height: 1, type: "image/png"}]);
    const jpeg = good[2].buffer;
    const bad = [
      {name: "notes.png", mimeType: "image/png", buffer: Buffer.from("these are my notes, not a picture\n")},
      tiny,
      {name: "broken.jpg", mimeType: "image/jpeg", buffer: Buffer.concat([jpeg.subarray(0, Math.floor(jpeg.length / 2)), Buffer.alloc(64, 0x55)])},
    ];
    // A 200 MB "photo", sparse on disk, handed over by path: a real PNG header followed by 200 MB.
    const huge = join(folder, "huge.png");
    writeFileSync(huge, good[0].buffer);
    truncateSync(huge, 200 * 1024 * 1024);
    const paths = [...good, ...bad].map((f) => {
      const path = join(folder, f.name);
      writeFileSync(path, f.buffer);
      return path;
    });
    await page.locator(".image-sources label", {hasText: "Choose images"}).locator("input").setInputFiles([...paths, huge]);
    await expect.poll(() => summary(page), {timeout: 60_000}).toMatch(/^Read 7 files: 3 images taken, 4 refused: /);
    const text = await summary(page);
    expect(text).toContain("not an image (notes.png)");
    expect(text).toContain("too small (dot.png)");
    expect(text).toContain("unreadable (broken.jpg)");
    expect(text).toContain("too large (huge.png)");
    expect(text).toContain("The set now has 3 images.");
    const refusals = await page.locator(".read-report .refusals li").allTextContents();
    expect(refusals).toHaveLength(4);
    expect(refusals.join("\n")).toContain("dot.png: too small: 1×1 pixels");
    expect(await page.locator('[data-value="read-sizes"]').textContent()).toMatch(/Their sizes differ, from 60×40 to 50×80 pixels|Their sizes differ, from 60×40 to 64×64 pixels/);
    await expect.poll(() => count(page)).toBe(3);
    expect(await page.locator(".own-data-status").textContent()).toContain("Your first images replace the set restored from this browser");
  });

  it("refuses two thousand files that are not images in one go, and keeps the set as it was", async () => {
    const many = Array.from({length: 2100}, (_, i) => ({name: `page-${i}.png`, mimeType: "image/png", buffer: Buffer.from(`text ${i}`)}));
    await page.locator(".image-sources label", {hasText: "Choose images"}).locator("input").setInputFiles(many);
    await expect.poll(() => summary(page), {timeout: 60_000}).toMatch(/^Read 2,100 files: 0 images taken, 2,100 refused: 2,100 not images \(page-0\.png, page-1\.png, page-2\.png, and 2,097 more\)\. The set now has 3 images; nothing in it changed\./);
    expect(await page.locator(".read-report .refusals li").last().textContent()).toBe("… and 2,095 more.");
    expect(await count(page)).toBe(3);
  });

  it("loads the saved file back, and refuses a file it did not save without losing anything", async () => {
    const input = page.locator("#load-own");
    await input.setInputFiles({name: "mine.bin", mimeType: "application/octet-stream", buffer: saved});
    await expect.poll(() => kept(page), {timeout: 30_000}).toMatch(new RegExp(`Loaded mine\\.bin: 20 images and the model trained on them \\(step ${trainedStep}\\)`));
    await expect.poll(() => count(page)).toBe(20);
    await expect.poll(() => page.locator("#plane-caption").textContent(), {timeout: 60_000}).toContain("Where the encoder puts your 20 images");
    await input.setInputFiles({name: "holiday.png", mimeType: "image/png", buffer: Buffer.from("not a saved set")});
    await expect.poll(() => kept(page)).toMatch(/^Could not load it: .*holiday\.png.* Your images and model are unchanged\.$/);
    expect(await count(page)).toBe(20);
  });

  it("ran with no console errors, no failed cells, no requests off the site, and sent nothing anywhere", async () => {
    // "Nothing is uploaded": after reading files, training, keeping, saving and loading, no request
    // with a body or another method than GET went out, to this site or any other.
    expect(sending).toEqual([]);
    expect(await cellErrors(page)).toEqual([]);
    expect([...visit.consoleErrors, ...visit.pageErrors]).toEqual([]);
    expect(visit.foreignRequests).toEqual([]);
  });
});
