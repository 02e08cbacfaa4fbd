import {describe, expect, it} from "vitest";
import type {Site} from "./site.ts";
import {useSite} from "./useSite.ts";

// lib runs unchanged in the browser: import the very module a page imports and train a tiny VAE.
interface Result {
  backend: string;
  losses: number[];
  leaked: number;
  reloaded: boolean;
}

async function trainInPage(site: Site, query: string): Promise<Result> {
  const visit = await site.visit(`/diagnostics${query}`);
  try {
    // A string, so vitest does not rewrite the dynamic import() for Node.
    const result = (await visit.page.evaluate(`(async () => {
      const href = document.querySelector('link[rel=modulepreload][href*="/_import/lib/index."]')?.href;
      if (!href) throw new Error("the page does not preload lib/index");
      const lib = await import(href);
      const {tf} = lib;
      const before = tf.memory().numTensors;
      const model = lib.createModel(lib.modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 1}));
      const draw = lib.mulberry32(3);
      const data = {images: Float32Array.from({length: 64 * 16}, () => draw()), count: 64, pixels: 16};
      const trainer = new lib.Trainer({model, data, batchSize: 16, epochs: 3, seed: 1, readEvery: 4});
      await trainer.run();
      const losses = trainer.history.map((r) => r.loss);
      await lib.saveCheckpoint(model, "indexeddb://browser-test");
      const loaded = await lib.loadCheckpoint("indexeddb://browser-test");
      const x = tf.tensor2d(data.images.slice(0, 32), [2, 16]);
      const [a, b] = [model.reconstruct(x), loaded.reconstruct(x)];
      const reloaded = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]) < 1e-6;
      tf.dispose([a, b, x]);
      loaded.dispose();
      trainer.dispose();
      model.dispose();
      return {backend: tf.getBackend(), losses, leaked: tf.memory().numTensors - before, reloaded};
    })()`)) as Result;
    expect(visit.consoleErrors).toEqual([]);
    return result;
  } finally {
    await visit.page.close();
  }
}

describe("lib in the browser", () => {
  const site = useSite();

  for (const [query, backend] of [["", "webgl"], ["?backend=wasm", "wasm"], ["?backend=cpu", "cpu"]]) {
    it(`Trainer trains a tiny VAE on ${backend}, saves it to IndexedDB and loads it back, leaking nothing`, async () => {
      const result = await trainInPage(site(), query);
      expect(result.backend).toBe(backend);
      expect(result.losses).toHaveLength(12);
      expect(result.losses.every(Number.isFinite)).toBe(true);
      expect(result.reloaded).toBe(true);
      expect(result.leaked).toBe(0);
    });
  }
});

describe("checkpoints through the reader's files", () => {
  const site = useSite();

  it("saveCheckpoint(model, 'downloads://…') downloads model.json and weights; loadCheckpoint([files]) loads them back", async () => {
    const visit = await site().visit("/diagnostics?backend=cpu");
    const {page} = visit;
    try {
      const downloads: {name: string; bytes: number[]}[] = [];
      const done = new Promise<void>((resolve) => {
        page.on("download", async (download) => {
          const stream = await download.createReadStream();
          const chunks: Buffer[] = [];
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          downloads.push({name: download.suggestedFilename(), bytes: Array.from(Buffer.concat(chunks))});
          if (downloads.length === 2) resolve();
        });
      });
      await page.evaluate(`(async () => {
        const href = document.querySelector('link[rel=modulepreload][href*="/_import/lib/index."]').href;
        const lib = await import(href);
        window.__lib = lib;
        window.__model = lib.createModel(lib.modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 2, seed: 4}));
        await lib.saveCheckpoint(window.__model, "downloads://tiny");
      })()`);
      await done;
      expect(downloads.map((d) => d.name).sort()).toEqual(["tiny.json", "tiny.weights.bin"]);
      const same = await page.evaluate(`(async () => {
        const lib = window.__lib;
        const files = ${JSON.stringify(downloads)}.map((d) => new File([new Uint8Array(d.bytes)], d.name));
        const loaded = await lib.loadCheckpoint(files);
        const x = lib.tf.tensor2d(new Float32Array(32).fill(0.5), [2, 16]);
        const [a, b] = [window.__model.reconstruct(x), loaded.reconstruct(x)];
        const difference = lib.tf.max(lib.tf.abs(lib.tf.sub(a, b))).dataSync()[0];
        // A file that is not a checkpoint is refused with a sentence, and nothing else changes.
        let refused = "";
        try { await lib.loadCheckpoint([new File(["{}"], "other.json"), files[1]]); } catch (error) { refused = error.message; }
        return {difference, refused};
      })()`);
      expect(same).toMatchObject({difference: 0});
      expect((same as {refused: string}).refused).toMatch(/modelTopology field is missing|not a VAE Explorables checkpoint|could not be read|not a saved tfjs model/);
      expect(visit.consoleErrors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
