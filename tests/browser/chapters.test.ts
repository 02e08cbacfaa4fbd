import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {waitForCells} from "./site.ts";
import {useSite} from "./useSite.ts";

// Each chapter's main control, driven as a reader would (by its label), and what it must change.

/** Sets an Observable Inputs range or select found by its label, as a reader would, and waits for the page to settle. */
async function setInput(page: Page, label: string, value: string | number) {
  const control = page.getByLabel(label, {exact: true});
  const tag = await control.first().evaluate((el) => el.tagName);
  if (tag === "SELECT") await control.first().selectOption(String(value));
  else {
    await control.first().fill(String(value));
    await control.first().press("Enter");
  }
  await waitForCells(page);
}

/** A canvas figure's pixels, found by its accessible name, to tell whether it was redrawn. */
function picture(page: Page, name: RegExp): Promise<string> {
  return page.getByRole("img", {name}).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
}

async function number(page: Page, name: string): Promise<number> {
  return Number(await page.locator(`[data-value="${name}"]`).textContent());
}

describe("chapters in a real browser", () => {
  const site = useSite();

  it("chapter 1: 'Draw new samples' redraws the pixel model's samples", async () => {
    const {page} = await site().visit("/chapters/01-generative-models");
    const before = await picture(page, /samples from the independent-pixel model/);
    await page.getByRole("button", {name: "Draw new samples"}).click();
    await waitForCells(page);
    await expect.poll(() => page.locator("#pixel-samples-caption").textContent()).toContain("draw 2");
    const after = await picture(page, /samples from the independent-pixel model/);
    expect(after).not.toBe(before);
    await page.close();
  });

  it("chapter 2: the shipped autoencoder reconstructs, and 'Decode new random points' decodes new codes", async () => {
    const {page} = await site().visit("/chapters/02-autoencoders");
    const grid = () => picture(page, /The autoencoder decoding 20 random points/);
    const before = await grid();
    await page.getByRole("button", {name: "Decode new random points"}).click();
    await waitForCells(page);
    await expect.poll(() => page.locator("#ae-random-caption").textContent()).toContain("draw 2");
    expect(await grid()).not.toBe(before);
    await page.close();
  });

  it("chapter 3: naive Monte Carlo falls further short of log p(x) in 784 dimensions than in 2", async () => {
    const {page} = await site().visit("/chapters/03-latent-variable-models");
    await setInput(page, "dimension of x", 2);
    const small = await number(page, "shortfall");
    await setInput(page, "dimension of x", 784);
    const large = await number(page, "shortfall");
    expect(Math.abs(small)).toBeLessThan(0.5);
    expect(large).toBeGreaterThan(10 * Math.max(Math.abs(small), 0.1));
    await page.close();
  });

  it("chapter 4: log p(x) = ELBO + KL(q ‖ p(z|x)) in the numbers shown, and the gap closes at the exact posterior", async () => {
    const {page} = await site().visit("/chapters/04-elbo");
    const check = async () => {
      const [elbo, gap, logPx] = [await number(page, "elbo"), await number(page, "gap"), await number(page, "log-px")];
      expect(Math.abs(elbo + gap - logPx)).toBeLessThanOrEqual(1e-4 + 1e-9);
      return {elbo, gap, logPx};
    };
    const first = await check();
    expect(first.gap).toBeGreaterThan(1);
    await setInput(page, "q's mean m", 1.5);
    const moved = await check();
    expect(moved.elbo).not.toBe(first.elbo);
    expect(moved.logPx).toBe(first.logPx);
    await page.getByRole("button", {name: "Set q to the exact posterior"}).click();
    await expect.poll(() => number(page, "gap")).toBeLessThanOrEqual(1e-4);
    const exact = await check();
    expect(exact.gap).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(exact.elbo - exact.logPx)).toBeLessThanOrEqual(1e-4);
    await page.close();
  });

  it("chapter 5: the KL shown follows ½(σ² + μ² − 1 − log σ²) as the sliders move, and Monte Carlo agrees", async () => {
    const {page} = await site().visit("/chapters/05-kl-closed-form");
    for (const [mu, sigma] of [[1, 0.5], [-2, 1.7], [0, 1]]) {
      await setInput(page, "μ of q", mu);
      await setInput(page, "σ of q", sigma);
      const want = 0.5 * (sigma ** 2 + mu ** 2 - 1 - Math.log(sigma ** 2));
      expect(await number(page, "kl-closed")).toBeCloseTo(want, 3);
      const spread = await number(page, "kl-spread");
      expect(Math.abs((await number(page, "kl-mc")) - want)).toBeLessThanOrEqual(4 * (spread / Math.sqrt(200)) + 1e-3);
    }
    await page.close();
  });

  it("chapter 6: new draws move both estimators' means; the reparameterized one is less spread", async () => {
    const {page} = await site().visit("/chapters/06-reparameterization");
    const before = await number(page, "score-mean");
    await page.getByRole("button", {name: "New random draws"}).click();
    await expect.poll(() => number(page, "score-mean")).not.toBe(before);
    expect(await number(page, "exact")).toBeCloseTo(2 * 0.8 + Math.cos(0.8) * Math.exp(-(1.3 ** 2) / 2), 3);
    expect(await number(page, "reparam-std")).toBeLessThan(await number(page, "score-std"));
    await page.close();
  });
});

describe("chapter 8: generating", () => {
  const site = useSite();

  it("temperature, interpolation and the latent plane each redraw from the shipped models", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/08-generating");
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
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

describe("chapter 9: the conditional VAE", () => {
  const site = useSite();

  it("asking for another digit redraws the samples, and the style sliders redraw the label sweep", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/09-conditional-vae");
    const threes = await picture(page, /samples of the digit 3/);
    await setInput(page, "digit to draw", 7);
    await expect.poll(() => page.locator("#cvae-caption").textContent()).toContain("c = 7");
    expect(await picture(page, /samples of the digit 7/)).not.toBe(threes);
    const sweep = await picture(page, /decoded as each of the ten digits/);
    await setInput(page, "style z₁", 2);
    await expect.poll(() => page.locator("#sweep-caption").textContent()).toContain("(2.00, 0.00)");
    expect(await picture(page, /decoded as each of the ten digits/)).not.toBe(sweep);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

describe("chapter 10: beyond", () => {
  const site = useSite();

  it("the IWAE bound tightens with k, new samples recompute it, and anomalies score worse than test digits", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/10-beyond");
    const bounds = async () => ((await page.locator("#iwae-summary").textContent()) ?? "").match(/= (\d+\.\d+)/g)!.map((m) => Number(m.slice(2)));
    const [k1, k300] = await bounds();
    expect(k300).toBeLessThan(k1);
    await page.getByRole("button", {name: "Recompute with new samples"}).click();
    // The recomputation changes no DOM until it is done, so wait for the numbers themselves.
    await expect.poll(async () => (await bounds())[0], {timeout: 120_000}).not.toBe(k1);
    const medians = Object.fromEntries(
      [...((await page.locator("#anomaly-summary").textContent()) ?? "").matchAll(/(test digits|rotated 90°|inverted|random pixels) (\d+)/g)].map((m) => [m[1], Number(m[2])])
    );
    expect(medians["inverted"]).toBeGreaterThan(medians["test digits"]);
    expect(medians["random pixels"]).toBeGreaterThan(medians["test digits"]);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

describe("chapter 7: the training lab", () => {
  const site = useSite();

  async function stepOf(page: Page) {
    return Number(await page.locator(".training-lab").getAttribute("data-step"));
  }

  it("trains, pauses, steps, saves to and loads from the browser, and catches a diverging run", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/07-training");
    await setInput(page, "Size", "0");
    await setInput(page, "Latent size", "0");
    await setInput(page, "Batch size", "0");
    const reconstructions = () => picture(page, /reconstructions at step/);
    const untrained = await reconstructions();
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => stepOf(page), {timeout: 150_000}).toBeGreaterThanOrEqual(40);
    await page.getByRole("button", {name: "Pause", exact: true}).click();
    await expect.poll(() => page.locator(".training-lab").getAttribute("data-state")).toBe("paused");
    const paused = await stepOf(page);
    await page.getByRole("button", {name: "Step"}).click();
    await expect.poll(() => stepOf(page)).toBe(paused + 1);
    expect(await page.locator(".lab-chart svg [aria-label='line'] path, .lab-chart svg g path").count()).toBeGreaterThan(0);
    const trained = await reconstructions();
    expect(trained).not.toBe(untrained);
    await page.getByRole("button", {name: "Save in this browser"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent()).toContain("Saved in this browser");
    await page.getByRole("button", {name: "Reset"}).click();
    expect(await stepOf(page)).toBe(0);
    await page.getByRole("button", {name: "Load from this browser"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent()).toContain("Loaded the checkpoint saved in this browser");
    expect(await reconstructions()).toBe(trained);
    await setInput(page, "Learning rate", "6");
    await page.getByRole("button", {name: "▶ Play"}).click();
    await expect.poll(() => page.locator(".lab-message").textContent(), {timeout: 150_000}).toMatch(/Training diverged: the loss .* The learning rate \(1\)/);
    expect(await page.locator(".training-lab").getAttribute("data-state")).toBe("paused");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});
