import {readFileSync} from "node:fs";
import {describe, expect, it} from "vitest";
import {useSite} from "./useSite.ts";

// Figures for slides: every chart saves as SVG and every canvas as PNG, as the reader has set them,
// with a caption that says the seed and the settings.
describe("saving a figure", () => {
  const site = useSite();

  it("a canvas's Save PNG downloads a PNG named by page and seed; a chart's Save SVG carries its caption, seed and settings", async () => {
    const visit = await site().visit("/chapters/02-autoencoders?seed=3&draw=2");
    const {page} = visit;
    try {
      const png = page.getByRole("button", {name: "Save PNG"}).first();
      await expect.poll(() => png.count()).toBe(1);
      const [pngDownload] = await Promise.all([page.waitForEvent("download"), png.click()]);
      expect(pngDownload.suggestedFilename()).toMatch(/^02-autoencoders-figure-\d+-seed3\.png$/);
      const pngBytes = readFileSync((await pngDownload.path())!);
      expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

      const svgButton = page.getByRole("button", {name: "Save SVG"}).first();
      const [svgDownload] = await Promise.all([page.waitForEvent("download"), svgButton.click()]);
      expect(svgDownload.suggestedFilename()).toMatch(/^02-autoencoders-chart-\d+-seed3\.svg$/);
      const svg = readFileSync((await svgDownload.path())!, "utf8");
      expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      expect(svg).toContain("Seed 3; settings: draw=2.");
      expect(svg).toContain("The autoencoder");
      expect(svg).not.toMatch(/var\(--/);
      // The legend's swatches keep the colours of the digit classes (the first is DIGIT_COLORS[0]).
      expect(svg).toMatch(/<rect[^>]*fill="#E69F00"/i);
      expect(visit.consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it("a cell that redraws its figure leaves one Save button under it, not one per redraw", async () => {
    const {page} = await site().visit("/chapters/01-generative-models");
    try {
      const count = () => page.getByRole("button", {name: "Save PNG"}).count();
      const before = await count();
      expect(before).toBeGreaterThan(0);
      for (let i = 0; i < 3; i++) await page.getByRole("button", {name: "Draw new samples"}).click();
      await expect.poll(() => page.locator("#pixel-samples-caption").textContent()).toContain("draw 4");
      await expect.poll(count).toBe(before);
    } finally {
      await page.close();
    }
  });
});
