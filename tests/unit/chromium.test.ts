import {afterEach, describe, expect, it} from "vitest";
import {findChromium} from "../browser/chromium.ts";

describe("chromium", () => {
  const saved = process.env.CHROMIUM_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.CHROMIUM_PATH;
    else process.env.CHROMIUM_PATH = saved;
  });

  it("findChromium() fails loudly, naming the path, when CHROMIUM_PATH points nowhere (the browser tests never skip)", () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    expect(() => findChromium()).toThrow("CHROMIUM_PATH=/nonexistent/chromium does not exist.");
  });
});
