import {describe, expect, it} from "vitest";
import type {Site} from "./site.ts";
import {useSite} from "./useSite.ts";

interface Report {
  backend: string;
  requested: string | null;
  attempts: string[];
  selfTestMaxAbsError: number;
  selfTestLeakedTensors: number;
  sharedInstance: boolean;
  tfModules: number;
}

async function diagnostics(site: Site, query = ""): Promise<{report: Report; status: string}> {
  const visit = await site.visit(`/diagnostics${query}`);
  try {
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
    await visit.page.waitForFunction(() => (document.querySelector("#diagnostics-json")?.textContent ?? "").startsWith("{"));
    const report = JSON.parse((await visit.page.locator("#diagnostics-json").textContent()) ?? "") as Report;
    const status = (await visit.page.locator(".backend-status").textContent()) ?? "";
    return {report, status};
  } finally {
    await visit.page.close();
  }
}

describe("the tfjs backend in a real browser", () => {
  const site = useSite();

  it("chooseBackend() picks webgl by default and lib computes a matrix product on it", async () => {
    const {report, status} = await diagnostics(site());
    expect(report.backend).toBe("webgl");
    expect(report.attempts[0]).toMatch(/^webgpu: /); // tried first, unavailable without --enable-unsafe-webgpu
    expect(report.selfTestMaxAbsError).toBeLessThan(1e-4);
    expect(report.selfTestLeakedTensors).toBe(0);
    expect(status).toContain("tfjs backend: webgl");
  });

  it("?backend=cpu runs the same computation on the CPU backend", async () => {
    const {report, status} = await diagnostics(site(), "?backend=cpu");
    expect(report.backend).toBe("cpu");
    expect(report.requested).toBe("cpu");
    expect(report.selfTestMaxAbsError).toBeLessThan(1e-5);
    expect(status).toContain("as the address asked");
  });

  it("?backend=wasm loads the WASM backend's files from the site itself", async () => {
    const {report} = await diagnostics(site(), "?backend=wasm");
    expect(report.backend).toBe("wasm");
    expect(report.selfTestMaxAbsError).toBeLessThan(1e-5);
  });

  it("an unknown ?backend= value is reported and the default chain is used", async () => {
    const {report, status} = await diagnostics(site(), "?backend=tpu");
    expect(report.backend).toBe("webgl");
    expect(report.attempts[0]).toContain('unknown backend "tpu"');
    expect(status).toContain("tpu");
  });

  it("the page and lib share one tfjs instance: a variable made by lib is seen by the page's tf", async () => {
    const {report} = await diagnostics(site());
    expect(report.sharedInstance).toBe(true);
    expect(report.tfModules).toBe(1);
  });
});

describe("a live chapter says what its figures run on, and why after a fallback", () => {
  const site = useSite();

  async function note(path: string, setup: (page: import("playwright-core").Page) => Promise<void>): Promise<{backend: string | undefined; text: string}> {
    const page = await site().browser.newPage();
    try {
      await setup(page);
      await page.goto(site().origin + path);
      const locator = page.locator(".backend-note");
      await expect.poll(() => locator.count()).toBe(1);
      return {backend: await locator.getAttribute("data-backend") ?? undefined, text: (await locator.textContent()) ?? ""};
    } finally {
      await page.close();
    }
  }

  it("with WebGL unavailable, chapter 2 runs on WASM and says why", async () => {
    const {backend, text} = await note("/chapters/02-autoencoders", (page) =>
      page.addInitScript(() => {
        const getContext = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
          return /webgl/.test(kind) ? null : (getContext as (...a: unknown[]) => RenderingContext | null).call(this, kind, ...rest);
        } as typeof getContext;
      })
    );
    expect(backend).toBe("wasm");
    expect(text).toContain("run on WebAssembly (WASM)");
    expect(text).toContain("WebGL: this browser could not create a WebGL context");
  });

  it("with the .wasm files blocked as well, it runs on the CPU and says the WebAssembly file could not be downloaded", async () => {
    const {backend, text} = await note("/chapters/02-autoencoders?backend=wasm", (page) => page.route(/\.wasm$/, (route) => route.abort()));
    expect(backend).toBe("cpu");
    expect(text).toContain("run on the CPU");
    expect(text).toMatch(/WebAssembly \(WASM\): its WebAssembly file could not be downloaded or started \(.*fetch.*\)/i);
  });
});

describe("chapters whose first figures do not wait for the backend", () => {
  const site = useSite();

  // Chapters 2, 5, 6, 7 and 9 draw figures that need no tfjs before the backend is chosen; a cell that
  // reached a tfjs operation early would start tfjs's default backend (WebGL) beside the one asked for.
  for (const chapter of ["02-autoencoders", "05-kl-closed-form", "06-reparameterization", "07-training", "09-conditional-vae"]) {
    it(`/chapters/${chapter}?backend=wasm starts no tfjs backend but WASM`, async () => {
      const visit = await site().visit(`/chapters/${chapter}?backend=wasm`);
      try {
        expect(visit.consoleErrors).toEqual([]);
        expect(visit.pageErrors).toEqual([]);
        const started = await visit.page.evaluate(`(async () => {
          const url = performance.getEntriesByType("resource").map((e) => e.name).find((n) => n.includes("/_node/@vae/tf@"));
          const module = await import(url);
          const tf = module.getBackend ? module : module.default;
          return {backend: tf.getBackend(), started: Object.keys(tf.engine().registry)};
        })()`);
        expect(started).toEqual({backend: "wasm", started: ["wasm"]});
      } finally {
        await visit.page.close();
      }
    });
  }
});
