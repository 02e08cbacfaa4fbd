import {describe, expect, it} from "vitest";
import {cellErrors, sitePages} from "./site.ts";
import {useSite} from "./useSite.ts";

// Every page the config lists, discovered rather than hand-kept, so a new chapter is tested at once.
describe("every page of the built site", () => {
  const site = useSite();

  for (const path of sitePages()) {
    it(`${path} loads with no errors, no failed or foreign requests, and every cell rendered`, async () => {
      const visit = await site().visit(path);
      try {
        expect(visit.pageErrors, "uncaught page errors").toEqual([]);
        expect(visit.consoleErrors, "console errors").toEqual([]);
        expect(visit.failedRequests, "failed requests").toEqual([]);
        expect(visit.foreignRequests, "requests to hosts other than 127.0.0.1").toEqual([]);
        expect(await cellErrors(visit.page), "cells that rendered an error").toEqual([]);
        expect(await visit.page.locator("main h1").count(), "a page title").toBeGreaterThan(0);
      } finally {
        await visit.page.close();
      }
    });
  }
});
