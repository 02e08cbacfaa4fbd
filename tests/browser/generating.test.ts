import {describe, expect, it} from "vitest";
import {number, setInput} from "./controls.ts";
import {waitForCells} from "./site.ts";
import {useSite} from "./useSite.ts";

// Chapter 8's figures that chapter tests elsewhere do not drive: the shell of codes (the first figure,
// drawn before any model is fetched), the temperature, the interpolation's angle and the holes.

describe("chapter 8 in a real browser", () => {
  const site = useSite();

  it("chapter 8: the first figure, the norms of codes, is drawn before any model file is fetched, and the test digits' codes join it later", async () => {
    const page = await site().browser.newPage({viewport: {width: 1280, height: 900}});
    // Record, in order, each fetch of a data file and the moment the first figure enters the page.
    await page.addInitScript(`
      window.__events = [];
      const fetchFirst = window.fetch;
      window.fetch = (input, init) => {
        const url = String(input && input.url ? input.url : input);
        if (/\\.bin$/.test(url)) window.__events.push("fetch " + url.split("/").pop());
        return fetchFirst(input, init);
      };
      new MutationObserver(() => {
        const chart = document.querySelector('svg[aria-label^="Norms of latent codes"]');
        if (chart && !window.__events.includes("figure")) window.__events.push("figure");
      }).observe(document, {subtree: true, childList: true});
    `);
    await page.goto(site().origin + "/chapters/08-generating", {waitUntil: "load"});
    await waitForCells(page);
    const events = (await page.evaluate("window.__events")) as string[];
    expect(events[0]).toBe("figure");
    expect(events.some((e) => /model-vae-20d/.test(e))).toBe(true);
    // Once the model has encoded the test digits, the chart shows their codes.
    expect(await page.getByRole("img", {name: /Norms of latent codes in 20 dimensions: the prior's, the test digits' posterior codes', and those/}).count()).toBe(1);
    expect(await number(page, "shell-min")).toBeGreaterThan(2);
    await page.close();
  });

  it("chapter 8: a lower temperature moves the codes inside the shell and blurs the digits; the default endpoints point far apart", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/08-generating");
    expect(await number(page, "shorter")).toBe(0);
    const sharp = await number(page, "entropy");
    await setInput(page, "temperature T", 0.5);
    await expect.poll(() => page.locator("#samples-caption").textContent()).toContain("T = 0.5");
    expect(await number(page, "shorter")).toBeGreaterThan(30);
    expect(await number(page, "entropy")).toBeGreaterThan(sharp);
    expect(await number(page, "theta")).toBeGreaterThan(120);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("chapter 8: the KL split adds up, I stays below log N, and the training digits leave fewer holes than the test digits", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/08-generating");
    const split = async () => ({
      average: await number(page, "average-kl"),
      information: await number(page, "mutual-information"),
      marginal: await number(page, "marginal-kl")
    });
    const test = await split();
    expect(test.information).toBeLessThanOrEqual(Math.log(1000));
    expect(Math.abs(test.information + test.marginal - test.average)).toBeLessThan(0.2);
    const testHoles = await number(page, "hole-fraction");
    // Pointing at the map decodes there.
    const before = await page.locator("#hole-caption").textContent();
    const map = page.getByRole("img", {name: /aggregate posterior of .* point at the map/});
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.25);
    await expect.poll(() => page.locator("#hole-caption").textContent()).not.toBe(before);
    await page.getByLabel("the first 10,000 training digits (a larger download)").check();
    await expect.poll(() => page.locator("#kl-split").textContent(), {timeout: 150_000}).toContain("10,000 digits");
    await waitForCells(page);
    expect(await number(page, "hole-fraction")).toBeLessThan(testHoles);
    expect((await split()).information).toBeGreaterThan(test.information);
    expect(page.url()).toContain("holes-of=train");
    expect(consoleErrors).toEqual([]);
    await page.close();
  }, 300_000);
});
