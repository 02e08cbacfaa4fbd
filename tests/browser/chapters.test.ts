import {describe, expect, it} from "vitest";
import {number, picture, setInput} from "./controls.ts";
import {waitForCells} from "./site.ts";
import {useSite} from "./useSite.ts";

// Each chapter's main control, driven as a reader would (by its label), and what it must change.

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

  it("chapter 1: held-out digits score within a sample's spread of the samples' expected score, and the most probable image scores far above both", async () => {
    const {page} = await site().visit("/chapters/01-generative-models");
    const read = async (name: string) => Number((await page.locator(`[data-value="${name}"]`).textContent())?.replace("−", "-"));
    await expect.poll(() => read("held-out-mean")).toBeLessThan(0);
    const [heldOut, sample, sampleStd, mode] = [await read("held-out-mean"), await read("sample-expected"), await read("sample-std"), await read("mode-score")];
    expect(Math.abs(heldOut - sample)).toBeLessThan(sampleStd);
    expect(mode).toBeGreaterThan(Math.max(heldOut, sample) + 5 * sampleStd);
    expect(await read("entropy")).toBeCloseTo(-sample, -1);
    await page.close();
  });

  it("chapter 2: the shipped autoencoder reconstructs, and 'Decode new random points' decodes new codes", async () => {
    const {page} = await site().visit("/chapters/02-autoencoders");
    const grid = () => picture(page, /The autoencoder decoding 20 codes drawn from N\(0, I\)/);
    const before = await grid();
    await page.getByRole("button", {name: "Decode new random points"}).click();
    await waitForCells(page);
    await expect.poll(() => page.locator("#ae-random-caption").textContent()).toContain("draw 2");
    expect(await grid()).not.toBe(before);
    await page.close();
  });

  it("chapter 2: for each draw, decodes of codes far from the autoencoder's codes are farther from every real digit than decodes of N(0, I) codes", async () => {
    const {page} = await site().visit("/chapters/02-autoencoders");
    for (let draw = 1; draw <= 3; draw++) {
      if (draw > 1) {
        await page.getByRole("button", {name: "Decode new random points"}).click();
        await waitForCells(page);
        await expect.poll(() => page.locator("#ae-random-caption").textContent()).toContain(`draw ${draw}`);
      }
      await expect.poll(() => number(page, "ae-empty")).toBeGreaterThan(0);
      expect(await number(page, "ae-empty")).toBeGreaterThan(1.5 * (await number(page, "ae-prior")));
    }
    await page.close();
  });

  it("chapter 2: the × decodes are numbered, and both scatters number their × marks 1 to 20 to match", async () => {
    const {page} = await site().visit("/chapters/02-autoencoders");
    await expect.poll(() => page.getByRole("img", {name: /codes far from every test digit's code, draw 1, numbered 1 to 20/}).count()).toBe(1);
    // The labels of the × marks (the text mark, not the axes' ticks): every number once, marks that sit
    // close together sharing one label ("2, 4, 15"), and no label drawn over another.
    const labels = (label: RegExp) =>
      page.getByRole("img", {name: label}).first().evaluate((svg) => {
        const texts = [...svg.querySelectorAll('g[aria-label="text"] text')] as SVGTextElement[];
        const boxes = texts.map((t) => t.getBoundingClientRect());
        const overlaps: string[] = [];
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const [a, b] = [boxes[i], boxes[j]];
            if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) overlaps.push(`${texts[i].textContent} / ${texts[j].textContent}`);
          }
        return {numbers: texts.flatMap((t) => (t.textContent ?? "").split(", ")), overlaps};
      });
    const wanted = Array.from({length: 20}, (_, i) => String(i + 1));
    // The first draw and four more, as a reader pressing the button would see them.
    for (let draw = 1; draw <= 5; draw++) {
      if (draw > 1) {
        await page.getByRole("button", {name: "Decode new random points"}).click();
        await expect.poll(() => page.getByRole("img", {name: new RegExp(`codes far from every test digit's code, draw ${draw}, numbered 1 to 20`)}).count()).toBe(1);
        await waitForCells(page);
      }
      for (const name of [/The autoencoder's 2-D codes/, /For each decoded code of the autoencoder/]) {
        const {numbers, overlaps} = await labels(name);
        expect([...numbers].sort((a, b) => Number(a) - Number(b)), `draw ${draw}: ${name}`).toEqual(wanted);
        expect(overlaps, `draw ${draw}: ${name}`).toEqual([]);
      }
    }
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

  it("chapter 3: with many samples single runs overshoot often at D = 2 and never at D = 784; the 1-D KL follows its closed form; Jensen's gap vanishes at zero spread", async () => {
    const {page} = await site().visit("/chapters/03-latent-variable-models");
    const percent = async (name: string) => Number((await page.locator(`[data-value="${name}"]`).textContent())?.replace("%", ""));
    // The table fills in row by row; its cells name the dimension they were computed for.
    await setInput(page, "dimension of x", 2);
    await expect.poll(() => page.locator('[data-value="too-high-2-10000"]').count(), {timeout: 30_000}).toBe(1);
    const small = await percent("too-high-2-10000");
    expect(small).toBeGreaterThan(25);
    expect(small).toBeLessThan(75);
    await setInput(page, "dimension of x", 784);
    await expect.poll(() => page.locator('[data-value="too-high-784-10000"]').count(), {timeout: 30_000}).toBe(1);
    expect(await percent("too-high-784-10000")).toBeLessThanOrEqual(2);
    for (const [x, sigma] of [[1.5, 0.5], [-2, 0.1], [0.3, 1.8]]) {
      await setInput(page, "observed x", x);
      await setInput(page, "noise σ", sigma);
      const [m, s2] = [x / (1 + sigma ** 2), sigma ** 2 / (1 + sigma ** 2)];
      expect(await number(page, "kl-1d")).toBeCloseTo(0.5 * (s2 + m * m - 1 - Math.log(s2)), 2);
    }
    await setInput(page, "spread s of the values", 0);
    expect(await number(page, "jensen-gap")).toBeCloseTo(0, 6);
    await setInput(page, "spread s of the values", 1.5);
    expect(await number(page, "jensen-gap")).toBeGreaterThan(0);
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
    expect(first.gap).toBeGreaterThan(0.5);
    // The bars show every term: reconstruction − KL to the prior = ELBO.
    const [reconstruction, klPrior] = [await number(page, "reconstruction"), await number(page, "kl-prior")];
    expect(Math.abs(reconstruction - klPrior - first.elbo)).toBeLessThanOrEqual(2e-4);
    await expect.poll(() => page.getByRole("img", {name: /The ELBO identity as bars/}).count()).toBe(1);
    await setInput(page, "q's mean m", 1.5);
    const moved = await check();
    expect(moved.elbo).not.toBe(first.elbo);
    expect(moved.logPx).toBe(first.logPx);
    await page.getByRole("button", {name: "Set q to the exact posterior"}).click();
    await expect.poll(() => number(page, "gap")).toBeLessThanOrEqual(1e-4);
    const exact = await check();
    // Exactly the posterior, not the slider's nearest step: the gap reads 0.0000 and the 16 w's are equal.
    expect(await page.locator('[data-value="gap"]').textContent()).toMatch(/^-?0\.0000$/);
    expect(exact.elbo).toBe(exact.logPx);
    expect(await number(page, "jensen-mean-of-logs")).toBe(await number(page, "jensen-log-of-mean"));
    expect(await page.locator("figcaption", {hasText: "Sixteen draws"}).textContent()).toContain("Right now every w is the same");
    // Exercise 1's solution quotes the reconstruction term at the posterior as the green bar shows it.
    const rec = await number(page, "reconstruction");
    expect(await number(page, "ex1-rec-post")).toBe(Number(rec.toFixed(3)));
    // The box under the slider shows the exact posterior's mean and log-variance, to three decimals.
    expect(await page.getByLabel("q's mean m", {exact: true}).last().inputValue()).toBe("0.644");
    expect(await page.getByLabel("q's log-variance", {exact: true}).last().inputValue()).toBe("-2.104");
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
      // At q = the prior every estimate is exactly 0 and the histogram is one bar: the caption says why.
      const caption = await page.locator("figcaption", {hasText: "independent Monte Carlo estimates"}).textContent();
      if (mu === 0 && sigma === 1) {
        expect(spread).toBe(0);
        expect(caption).toContain("Right now all 200 estimates are exactly 0.0000");
      } else expect(caption).not.toContain("Right now");
    }
    await page.close();
  });

  it("chapter 6: new draws move both estimators' means; the reparameterized one is less spread", async () => {
    const {page} = await site().visit("/chapters/06-reparameterization");
    const before = await number(page, "score-mean");
    await page.getByRole("button", {name: "New random draws"}).click();
    await expect.poll(() => number(page, "score-mean")).not.toBe(before);
    expect(await number(page, "exact")).toBeCloseTo(2 * 1.5 + Math.cos(1.5) * Math.exp(-(0.5 ** 2) / 2), 3);
    // At the defaults one score-function estimate is about 15 times as spread (exact: 8.53 against 0.562).
    expect(await number(page, "score-std")).toBeGreaterThan(8 * (await number(page, "reparam-std")));
    // Both running means and both spreads are drawn on shared axes.
    await expect.poll(() => page.getByRole("img", {name: /Running means of reparameterized and score function/}).count()).toBe(1);
    await expect.poll(() => page.getByRole("img", {name: /One dot per single-sample estimate/}).count()).toBe(1);
    await page.close();
  });

  it("chapter 6: a small σ makes the score function noisier and the reparameterized estimator less noisy", async () => {
    const {page} = await site().visit("/chapters/06-reparameterization");
    const [score, reparam] = [await number(page, "score-std"), await number(page, "reparam-std")];
    await setInput(page, "σ", 0.2);
    expect(await number(page, "score-std")).toBeGreaterThan(score);
    expect(await number(page, "reparam-std")).toBeLessThan(reparam);
    // The race's figures are redrawn for the new σ: estimates and exact gradient together (they are
    // drawn from the race as last computed, never the new exact value over the old estimates).
    const exact = (2 * 1.5 + Math.cos(1.5) * Math.exp(-(0.2 ** 2) / 2)).toFixed(3);
    await expect.poll(() => page.getByRole("img", {name: new RegExp(`^Running means of .* around the exact gradient ${exact}$`)}).count()).toBe(1);
    await expect.poll(() => page.getByRole("img", {name: new RegExp(`^One dot per single-sample estimate.* with the exact gradient ${exact}$`)}).count()).toBe(1);
    await page.close();
  });

  it("chapter 7: the sentence under the logit table names the table's first row more than a nat off, and a scan break no later than it", async () => {
    const {page} = await site().visit("/chapters/07-training");
    const table = page.locator("table:has(th:text('logit l'))");
    await expect.poll(() => table.locator("tbody tr").count()).toBeGreaterThan(5);
    const parse = (t: string) => (t === "−∞" ? -Infinity : Number(t.replace("−", "-")));
    const rows = (await table.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")))).map(
      (cells) => ({l: Number(cells[0]), exact: parse(cells[1]), naive: parse(cells[2])})
    );
    // The exact column is −softplus(l), recomputed here.
    for (const r of rows) expect(r.exact).toBeCloseTo(-(Math.max(r.l, 0) + Math.log1p(Math.exp(-Math.abs(r.l)))), 3);
    const first = rows.find((r) => !(Math.abs(r.naive - r.exact) <= 1));
    expect(first, "some row of the table is more than a nat off").toBeDefined();
    expect(await number(page, "naive-first-row")).toBe(first?.l);
    // The scan covers the table's rows from 0 to 40, so its first break is at or before the first row that
    // is off; a row past the break that is back within a nat must be named in the sentence.
    const scan = await number(page, "naive-first-scan");
    expect(scan).toBeLessThanOrEqual(first?.l ?? Infinity);
    const backIn = rows.filter((r) => r.l > scan && r.l <= 40 && Math.abs(r.naive - r.exact) <= 1);
    const text = (await page.locator("p:has([data-value='naive-first-scan'])").textContent()) ?? "";
    if (backIn.length) expect(text).toContain(`such as l = ${backIn[0].l} in the table`);
    await page.close();
  });

  for (const path of ["/chapters/04-elbo", "/chapters/05-kl-closed-form", "/chapters/06-reparameterization"]) {
    const chapter = Number(path.slice(10, 12));
    it(`chapter ${chapter}: no display equation is wider than the text column at 1280 or 390 px`, async () => {
      for (const width of [1280, 390]) {
        const {page} = await site().visit(path, {width});
        const displays = await page.locator("#observablehq-main .katex-display").count();
        expect(displays).toBeGreaterThan(0);
        const overflowing = await page.evaluate(`[...document.querySelectorAll("#observablehq-main .katex-display")]
          .filter((d) => d.scrollWidth > d.clientWidth).map((d) => d.textContent.slice(0, 50))`);
        expect(overflowing, `displays wider than the column at ${width} px`).toEqual([]);
        await page.close();
      }
    });
  }
});
