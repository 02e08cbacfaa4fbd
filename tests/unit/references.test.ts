import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {encodeCheckpointBundle, siteWeights} from "../../lib/index.ts";

// The files in data/references that the Numbers page renders: they must say what their sources say.
const root = join(import.meta.dirname, "../..");
const json = (path: string) => JSON.parse(readFileSync(join(root, path), "utf-8"));

describe("data/references", () => {
  it("published.json: 3,280 epochs is the IWAE schedule's 3^i epochs for i = 0, …, 7, and the rows are its Table 1's", () => {
    const published = json("data/references/published.json");
    const stages = Array.from({length: published.schedule.stages}, (_, i) => 3 ** i);
    expect(stages.reduce((a, b) => a + b, 0)).toBe(published.epochs);
    expect(published.epochs).toBe(3280);
    expect(published.evaluationK).toBe(5000);
    expect(published.hiddenSizes).toEqual([200, 200]);
    expect(published.latentDim).toBe(50);
    expect(published.rows.map((r: {nll: number}) => r.nll)).toEqual([86.76, 84.78]);
  });

  it("pytorch-example.json: its protocol is bench/pytorch_example.py's docstring, and it has the epochs the page compares", () => {
    const example = json("data/references/pytorch-example.json");
    const script = readFileSync(join(root, "bench/pytorch_example.py"), "utf-8");
    const docstring = script.slice(3, script.indexOf('"""', 3)).trim();
    expect(example.protocol).toBe(docstring);
    expect(example.epochs.map((e: {epoch: number}) => e.epoch)).toEqual(Array.from({length: example.epochs.length}, (_, i) => i + 1));
  });

  it("quantization.json is up to date: its bundle sizes are those src/data/model-[name].bin.ts makes from today's checkpoints", () => {
    const report = json("data/references/quantization.json");
    for (const row of report.models) {
      const dir = join(root, "data/checkpoints", row.name);
      const modelJson = json(`data/checkpoints/${row.name}/model.json`);
      const weights = readFileSync(join(dir, "weights.bin"));
      for (const precision of ["float16", "uint8"] as const) {
        const site = siteWeights(modelJson, weights, precision);
        expect(encodeCheckpointBundle(site.modelJson, site.weights).byteLength, `${row.name} ${precision}`).toBe(row[precision].bytes);
      }
    }
  });

  it("vae-20d/command.txt: its whole epochs and steps of the last one add up to the steps model.json records, at 60,000 / 128 steps an epoch", () => {
    const command = readFileSync(join(root, "data/checkpoints/vae-20d/command.txt"), "utf-8");
    const metadata = json("data/checkpoints/vae-20d/model.json").userDefinedMetadata.metadata;
    const [, epochs, steps, epoch, total] = command.match(/after (\d+) whole epochs and (\d+) steps of epoch (\d+) \(([\d,]+) steps/)!.map((v) => Number(v.replace(/,/g, "")));
    const perEpoch = Math.floor(60000 / 128);
    expect(command).toContain(`at ${perEpoch} steps an epoch`);
    expect(epochs).toBe(metadata.epochsCompleted);
    expect(epoch).toBe(epochs + 1);
    expect(total).toBe(metadata.steps);
    expect(epochs * perEpoch + steps).toBe(total);
  });
});
