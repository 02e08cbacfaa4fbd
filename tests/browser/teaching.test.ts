import type {Page} from "playwright-core";
import {describe, expect, it} from "vitest";
import {number, setInput} from "./controls.ts";
import {waitForCells} from "./site.ts";
import {useSite} from "./useSite.ts";

// What a course needs: checked code exercises, permalinks and the seed, print, dark mode.

/** Replaces the code in the page's (only, or first) exercise editor, as a paste would. */
async function typeCode(page: Page, code: string) {
  const editor = page.locator(".code-exercise .cm-content").first();
  await editor.click();
  await page.keyboard.press("ControlOrMeta+A");
  await page.keyboard.insertText(code);
}

async function check(page: Page) {
  await page.getByRole("button", {name: "Check my function"}).click();
  await expect.poll(() => page.locator(".code-exercise").getAttribute("data-state"), {timeout: 10_000}).not.toMatch(/running|unchecked/);
  return {state: await page.locator(".code-exercise").getAttribute("data-state"), report: (await page.locator(".exercise-report").textContent()) ?? ""};
}

describe("code exercises", () => {
  const site = useSite();

  it("chapter 5: a correct KL is accepted, a wrong one rejected with the failing case, an infinite loop stopped, and the page stays live", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/05-kl-closed-form");
    await page.evaluate("localStorage.clear()");
    await typeCode(page, "function klStandardNormal(mu, logVar) {\n  let s = 0;\n  for (let j = 0; j < mu.length; j++) s += 0.5 * (Math.exp(logVar[j]) + mu[j] ** 2 - 1 - logVar[j]);\n  return s;\n}");
    let result = await check(page);
    expect(result.state).toBe("passed");
    expect(result.report).toMatch(/All \d+ cases pass/);

    // σ where log σ² belongs: rejected, naming a case, the call and how far off it is.
    await typeCode(page, "function klStandardNormal(mu, logVar) {\n  let s = 0;\n  for (let j = 0; j < mu.length; j++) s += 0.5 * (logVar[j] ** 2 + mu[j] ** 2 - 1 - Math.log(logVar[j] ** 2));\n  return s;\n}");
    result = await check(page);
    expect(result.state).toBe("failed");
    expect(result.report).toMatch(/First: case \d+ \(.+\), klStandardNormal\(\[.*\]\): .*(off by|returned)/);

    await typeCode(page, "function klStandardNormal(mu, logVar) {\n  throw new Error('not yet');\n}");
    result = await check(page);
    expect(result.report).toContain("it threw an error: not yet");

    await typeCode(page, "function klStandardNormal(mu, logVar) {\n  while (true) {}\n}");
    result = await check(page);
    expect(result.state).toBe("timeout");
    expect(result.report).toMatch(/Stopped: case 1 of \d+ .* did not finish within 2 s/);
    // The page was never blocked: its sliders still drive the figure.
    await setInput(page, "μ of q", 2);
    expect(await number(page, "kl-closed")).toBeCloseTo(0.5 * (0.25 + 4 - 1 - Math.log(0.25)), 3);

    await typeCode(page, "function klStandardNormal(mu, logVar) {\n  return 0\n");
    result = await check(page);
    expect(result.state).toBe("error");
    expect(result.report).toContain("Your code could not run");

    // The code survives a reload.
    await page.reload({waitUntil: "networkidle"});
    await waitForCells(page);
    expect(await page.locator(".code-exercise .cm-content").textContent()).toContain("return 0");
    expect(consoleErrors).toEqual([]);
    await page.close();
  });

  it("chapters 4 and 6: the naive log-mean-exp fails on overflow; exp(logVar) in place of its square root fails on a large variance", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/04-elbo");
    await page.evaluate("localStorage.clear()");
    await page.reload({waitUntil: "networkidle"});
    await waitForCells(page);
    let result = await check(page);
    expect(result.state).toBe("failed");
    expect(result.report).toMatch(/✗ large values \(exp overflows\): logMeanExp\(\[1000, 1001, 999\]\): it returned Infinity/);
    await page.close();

    const ch6 = await site().visit("/chapters/06-reparameterization");
    await typeCode(ch6.page, "function reparameterize(mu, logVar, eps) {\n  return mu.map((m, j) => m + Math.exp(logVar[j]) * eps[j]);\n}");
    result = await check(ch6.page);
    expect(result.state).toBe("failed");
    expect(result.report).toMatch(/✗ large variance \(logVar = 6\)/);
    expect(result.report).toMatch(/✓ ε = 0 gives the mean/);
    expect([...consoleErrors, ...ch6.consoleErrors]).toEqual([]);
    await ch6.page.close();
  });
});

describe("permalinks and the seed", () => {
  const site = useSite();

  it("a copied link restores the sliders and the numbers; a bad value in the URL is ignored", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/05-kl-closed-form");
    await setInput(page, "μ of q", -1.5);
    await setInput(page, "σ of q", 0.8);
    await setInput(page, "Monte Carlo samples", "1,000");
    expect(page.url()).toMatch(/mu=-1\.5.*n=1000/);
    const closed = await number(page, "kl-closed");
    const mc = await number(page, "kl-mc");
    await page.getByRole("button", {name: "Copy link"}).click();
    await expect.poll(() => page.locator(".chapter-tools").getAttribute("data-link")).toBeTruthy();
    const link = (await page.locator(".chapter-tools").getAttribute("data-link"))!;
    await page.close();

    const again = await site().visit(link.slice(new URL(link).origin.length));
    expect(await again.page.getByLabel("μ of q", {exact: true}).first().inputValue()).toBe("-1.5");
    expect(await number(again.page, "kl-closed")).toBe(closed);
    expect(await number(again.page, "kl-mc")).toBe(mc);
    await again.page.close();

    const bad = await site().visit("/chapters/05-kl-closed-form?mu=NaN&sigma=abc&n=7");
    expect(await bad.page.getByLabel("μ of q", {exact: true}).first().inputValue()).toBe("1");
    expect(await bad.page.getByLabel("Monte Carlo samples", {exact: true}).first().inputValue()).toBe("1");
    expect(await number(bad.page, "kl-closed")).toBeCloseTo(0.5 * (0.25 + 1 - 1 - Math.log(0.25)), 3);
    expect([...consoleErrors, ...again.consoleErrors, ...bad.consoleErrors, ...bad.pageErrors]).toEqual([]);
    await bad.page.close();
  });

  it("the global seed changes the random numbers, and the same seed in a link gives the same numbers", async () => {
    const {page} = await site().visit("/chapters/06-reparameterization");
    const seed1 = await number(page, "score-mean");
    await page.getByLabel("Seed", {exact: true}).fill("7");
    await page.getByLabel("Seed", {exact: true}).press("Enter");
    await expect.poll(() => number(page, "score-mean")).not.toBe(seed1);
    const seed7 = await number(page, "score-mean");
    expect(page.url()).toContain("seed=7");
    await page.close();
    const again = await site().visit("/chapters/06-reparameterization?seed=7");
    expect(await number(again.page, "score-mean")).toBe(seed7);
    await again.page.close();
    // In one browser, the seed set on one chapter carries over to the next one opened.
    const {page: reader} = await site().visit("/chapters/06-reparameterization");
    await reader.getByLabel("Seed", {exact: true}).fill("3");
    await reader.getByLabel("Seed", {exact: true}).press("Enter");
    await reader.goto(new URL("/chapters/05-kl-closed-form", reader.url()).href, {waitUntil: "networkidle"});
    expect(await reader.getByLabel("Seed", {exact: true}).inputValue()).toBe("3");
    expect(reader.url()).not.toContain("seed=");
    await reader.close();
  });
});

describe("permalinks by value", () => {
  const site = useSite();
  const lab = ".training-lab";
  const ready = (page: Page) => page.waitForFunction(`document.querySelector("${lab}")?.dataset.ready === "true"`, null, {timeout: 120_000});
  const chosen = (page: Page, label: string) => page.getByLabel(label, {exact: true}).inputValue();

  it("the lab's permalink holds values (train-lr=0.01), and a link made with option positions (lab-rate=6) opens as it did", async () => {
    const {page, consoleErrors} = await site().visit("/chapters/07-training?backend=cpu");
    await ready(page);
    await setInput(page, "Learning rate", "0.01");
    await setInput(page, "Latent size", "2");
    expect(page.url()).toMatch(/train-lr=0\.01/);
    expect(page.url()).toMatch(/train-latent=2/);
    await page.close();

    const byValue = await site().visit("/chapters/07-training?backend=cpu&train-lr=0.01&train-latent=2&train-likelihood=gaussian-0.3&train-freebits=0.5");
    await ready(byValue.page);
    expect(await chosen(byValue.page, "Learning rate")).toBe("0.01");
    expect(await chosen(byValue.page, "Latent size")).toBe("2");
    expect(await chosen(byValue.page, "Likelihood")).toBe("gaussian-0.3");
    expect(await chosen(byValue.page, "Free bits λ (nats per unit)")).toBe("0.5");
    await byValue.page.close();

    // Links from before this change stored each select's position: 6 was learning rate 1, latent 2 was 20, β 1 was 0.5.
    const old = await site().visit("/chapters/07-training?backend=cpu&lab-rate=6&lab-latent=2&lab-beta=1&lab-likelihood=1&lab-arch=1");
    await ready(old.page);
    expect(await chosen(old.page, "Learning rate")).toBe("1");
    expect(await chosen(old.page, "Latent size")).toBe("20");
    expect(await chosen(old.page, "β (KL weight)")).toBe("0.5");
    expect(await chosen(old.page, "Likelihood")).toBe("gaussian-0.1");
    expect(await chosen(old.page, "Architecture")).toBe("conv");
    // …and are rewritten the new way, so a copied link holds values from then on.
    expect(old.page.url()).not.toContain("lab-");
    expect(old.page.url()).toMatch(/train-lr=1(&|$)/);
    expect(old.page.url()).toMatch(/train-latent=20/);
    expect([...consoleErrors, ...byValue.consoleErrors, ...old.consoleErrors]).toEqual([]);
    await old.page.close();
  });

  it("empty, non-finite, out-of-range and absurd values in a lab link are ignored: each control keeps its default", async () => {
    const {page, consoleErrors, pageErrors} = await site().visit("/chapters/07-training?backend=cpu&train-lr=&train-latent=1e308&train-beta=-1&train-batch=NaN&lab-rate=&lab-size=99&train-warmup=Infinity");
    await ready(page);
    expect(await chosen(page, "Learning rate")).toBe("0.001");
    expect(await chosen(page, "Latent size")).toBe("8");
    expect(await chosen(page, "β (KL weight)")).toBe("1");
    expect(await chosen(page, "Batch size")).toBe("128");
    expect(await chosen(page, "Size")).toBe("medium");
    expect(await chosen(page, "KL warm-up (steps)")).toBe("0");
    expect([...consoleErrors, ...pageErrors]).toEqual([]);
    await page.close();
  });

  it("a range, a counter and the seed ignore absurd values: ?mu=1e308, ?draw=1e308 and ?seed=1e308 keep their defaults, and the draw button still draws", async () => {
    const kl = await site().visit("/chapters/05-kl-closed-form?mu=1e308&sigma=-1");
    expect(await kl.page.getByLabel("μ of q", {exact: true}).first().inputValue()).toBe("1");
    await kl.page.close();
    const {page, consoleErrors} = await site().visit("/chapters/01-generative-models?draw=1e308&seed=1e308");
    expect(await page.getByLabel("Seed", {exact: true}).inputValue()).toBe("1");
    await expect.poll(() => page.locator("#pixel-samples-caption").textContent()).toContain("draw 1.");
    const before = await page.getByRole("img", {name: /Twenty samples from the independent-pixel model/}).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.getByRole("button", {name: "Draw new samples"}).click();
    await expect.poll(() => page.locator("#pixel-samples-caption").textContent()).toContain("draw 2.");
    const after = await page.getByRole("img", {name: /Twenty samples from the independent-pixel model/}).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    expect(after).not.toBe(before);
    expect(consoleErrors).toEqual([]);
    await page.close();
  });
});

/** Elements whose box reaches past the page's right edge: what would be cut off on paper or a phone. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const width = document.documentElement.clientWidth;
    const out = [];
    for (const el of document.querySelectorAll("#observablehq-main figure, #observablehq-main canvas, #observablehq-main svg, #observablehq-main table, #observablehq-main .katex-display, #observablehq-main pre, #observablehq-main .training-lab, #observablehq-main .code-exercise")) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 1) out.push(el.tagName + "." + el.className + " right=" + Math.round(r.right) + " > " + width);
    }
    return out;
  })()`);
}

describe("print", () => {
  const site = useSite();

  for (const path of ["/chapters/05-kl-closed-form", "/chapters/08-generating"]) {
    it(`${path} prints with its figures, no overflow, and solutions only when asked`, async () => {
      const {page, consoleErrors} = await site().visit(path, {width: 794, height: 1123});
      await page.emulateMedia({media: "print"});
      expect(await page.locator("#observablehq-sidebar").isVisible()).toBe(false);
      expect(await page.locator(".chapter-tools").isVisible()).toBe(false);
      expect(await page.locator("figure canvas, figure svg").first().isVisible()).toBe(true);
      expect(await overflowing(page)).toEqual([]);
      const solutions = page.locator("details:has(> summary:text-is('Solution'))");
      expect(await solutions.first().isVisible()).toBe(false);
      // "Print with solutions" opens them for the print; stub the dialog itself.
      await page.emulateMedia({media: "screen"});
      await page.evaluate("window.print = () => { window.__printed = document.documentElement.dataset.print; }");
      await page.getByRole("button", {name: "Print with solutions"}).click();
      expect(await page.evaluate("window.__printed")).toBe("solutions");
      await page.emulateMedia({media: "print"});
      expect(await solutions.first().isVisible()).toBe(true);
      expect(await solutions.first().locator("p, .katex").first().isVisible()).toBe(true);
      expect(await overflowing(page)).toEqual([]);
      expect(consoleErrors).toEqual([]);
      await page.close();
    });
  }
});

/** Text whose contrast with what is behind it is below `minimum` (WCAG ratio). */
function lowContrast(page: Page, minimum: number): Promise<{bad: string[]; backgroundLuminance: number}> {
  return page.evaluate(`(() => {
    const parse = (c) => {
      const srgb = c.match(/color\\(srgb ([^)]+)\\)/);
      const m = srgb || c.match(/rgba?\\(([^)]+)\\)/);
      if (!m) return null;
      const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
      const k = srgb ? 255 : 1;
      return {r: p[0] * k, g: p[1] * k, b: p[2] * k, a: p.length > 3 ? p[3] : 1};
    };
    const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const background = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; } }
      let base = {r: 255, g: 255, b: 255};
      if (!layers.length || layers[layers.length - 1].a < 1) base = parse(getComputedStyle(document.documentElement).backgroundColor) || base;
      for (const c of layers.reverse()) base = {r: c.r * c.a + base.r * (1 - c.a), g: c.g * c.a + base.g * (1 - c.a), b: c.b * c.a + base.b * (1 - c.a)};
      return base;
    };
    const bad = [];
    const all = document.querySelectorAll("#observablehq-main *");
    for (const el of all) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      // Disabled controls are exempt from contrast rules (WCAG 1.4.3), and look disabled on purpose.
      if (!own || !el.getClientRects().length || el.closest(":disabled")) continue;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.opacity === "0") continue;
      const inSvg = el instanceof SVGElement;
      const fg = parse(inSvg ? style.fill : style.color);
      if (!fg || fg.a === 0) continue;
      const bg = background(inSvg ? el.ownerSVGElement || el : el);
      const f = {r: fg.r * fg.a + bg.r * (1 - fg.a), g: fg.g * fg.a + bg.g * (1 - fg.a), b: fg.b * fg.a + bg.b * (1 - fg.a)};
      const [hi, lo] = [lum(f), lum(bg)].sort((a, b) => b - a);
      const ratio = (hi + 0.05) / (lo + 0.05);
      if (ratio < ${minimum}) bad.push(el.tagName + " '" + el.textContent.trim().slice(0, 30) + "' " + ratio.toFixed(2));
    }
    return {bad, backgroundLuminance: lum(background(document.querySelector("#observablehq-main")))};
  })()`);
}

describe("dark mode, reduced motion", () => {
  const site = useSite();

  for (const path of ["/", "/chapters/05-kl-closed-form", "/chapters/07-training", "/chapters/08-generating"]) {
    it(`${path} is readable in dark mode and in light mode`, async () => {
      const {page, consoleErrors} = await site().visit(path);
      for (const colorScheme of ["dark", "light"] as const) {
        await page.emulateMedia({colorScheme});
        const {backgroundLuminance} = await lowContrast(page, 3);
        if (colorScheme === "dark") expect(backgroundLuminance).toBeLessThan(0.1);
        else expect(backgroundLuminance).toBeGreaterThan(0.8);
        // Polled: some views (the code editor) restyle on the change event that follows the switch.
        await expect.poll(async () => (await lowContrast(page, 3)).bad).toEqual([]);
      }
      expect(consoleErrors).toEqual([]);
      await page.close();
    });
  }

  it("with reduced motion asked for, nothing transitions", async () => {
    const {page} = await site().visit("/chapters/05-kl-closed-form");
    await page.emulateMedia({reducedMotion: "reduce"});
    const durations = await page.evaluate(`[...document.querySelectorAll("a, button, input, details")].map((el) => parseFloat(getComputedStyle(el).transitionDuration) || 0)`);
    expect(Math.max(...(durations as number[]))).toBeLessThanOrEqual(0.0001);
    await page.close();
  });
});
