import {describe, expect, it} from "vitest";
import {sitePages} from "./site.ts";
import {useSite} from "./useSite.ts";

// WCAG 2.5.8: every control a finger can hit is at least 24 × 24 CSS pixels on a touch screen
// (a 390 px phone here). Controls inside the code editor are its text, not targets, and are skipped.
const SELECTOR = "button, select, input:not([type=hidden]), [role=button], [role=slider], summary";

describe("controls on a phone", () => {
  const site = useSite();
  for (const path of sitePages()) {
    it(`${path}: every visible control is at least 24 × 24 px on a 390 px touch screen`, async () => {
      const context = await site().browser.newContext({viewport: {width: 390, height: 844}, hasTouch: true, isMobile: true});
      try {
        const page = await context.newPage();
        await page.goto(site().origin + path, {waitUntil: "networkidle"});
        await page.waitForFunction(() => !document.querySelector(".observablehq--loading, observablehq-loading"), null, {timeout: 60_000}).catch(() => {});
        const small = (await page.evaluate(`[...document.querySelectorAll(${JSON.stringify(SELECTOR)})]
          .filter((e) => !e.closest(".cm-editor, #observablehq-sidebar, #observablehq-toc, nav, footer"))
          .map((e) => ({e, r: e.getBoundingClientRect(), s: getComputedStyle(e)}))
          .filter(({r, s}) => r.width > 0 && r.height > 0 && s.visibility !== "hidden")
          .filter(({r}) => r.width < 23.5 || r.height < 23.5)
          .map(({e, r}) => e.tagName.toLowerCase() + (e.type ? "[" + e.type + "]" : "") + " '" + (e.getAttribute("aria-label") || e.textContent || e.name || "").trim().slice(0, 40) + "' " + Math.round(r.width) + "×" + Math.round(r.height))`)) as string[];
        expect(small, "controls smaller than 24 × 24 px").toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
