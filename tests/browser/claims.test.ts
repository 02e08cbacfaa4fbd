import {describe, expect, it} from "vitest";
import {CLAIMS} from "../claims/index.ts";
import {PENDING_PAGES} from "../claims/pending.ts";
import {typedNumbersScript, type TypedNumbers} from "../typedNumbers.ts";
import {sitePages} from "./site.ts";
import {useSite} from "./useSite.ts";

// "Claims are computed or tested": each page is read with JavaScript off, so only what was typed into
// it is there; every number in that text must sit inside a claim (tests/claims/) that a unit test
// recomputes, and every claim must still be on its page.
const ANSWER_KEY = "/answers";

describe("every number typed into a page is a checked claim", () => {
  const site = useSite();
  const pages = sitePages();

  it("the claims and the pending list name only pages that exist", () => {
    expect(CLAIMS.map((c) => c.page).filter((p) => !pages.includes(p)), "claims on unknown pages").toEqual([]);
    expect(PENDING_PAGES.filter((p) => !pages.includes(p)), "pending pages that do not exist").toEqual([]);
  });

  for (const path of pages) {
    it(`${path}: ${PENDING_PAGES.includes(path) ? "(pending) its claims are on the page" : "every typed number is inside a claim, and every claim is on the page"}`, async () => {
      const context = await site().browser.newContext({javaScriptEnabled: false});
      try {
        const page = await context.newPage();
        await page.goto(site().origin + path, {waitUntil: "domcontentloaded"});
        // The answer key copies the chapters' exercises, so any chapter's claim may cover its numbers.
        const claims = path === ANSWER_KEY ? CLAIMS : CLAIMS.filter((c) => c.page === path);
        const {numbers, quotesFound, ranges} = (await page.evaluate(typedNumbersScript(claims.map((c) => c.quote)))) as TypedNumbers;
        if (path !== ANSWER_KEY) expect(claims.filter((_, i) => !quotesFound[i]).map((c) => c.quote), "claims whose quote is no longer on the page").toEqual([]);
        if (PENDING_PAGES.includes(path)) return;
        const uncovered = numbers.filter((n) => !ranges.some(([from, to]) => n.at >= from && n.at < to));
        expect(uncovered.map((n) => `${n.number}  …${n.context}…`), "typed numbers that no claim covers: compute them in the page or add a claim to tests/claims/").toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
