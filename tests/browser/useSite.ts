// For test files only (it registers vitest hooks); scripts use openSite() from site.ts directly.
import {afterAll, beforeAll} from "vitest";
import {openSite, type Site} from "./site.ts";

/** The built site and one Chromium for a test file: opened before its tests, closed after. */
export function useSite(): () => Site {
  let site: Site | undefined;
  beforeAll(async () => {
    site = await openSite();
  });
  afterAll(async () => {
    await site?.close();
  });
  return () => {
    if (!site) throw new Error("the site is not open yet");
    return site;
  };
}
