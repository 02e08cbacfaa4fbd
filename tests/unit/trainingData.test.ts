import {describe, expect, it} from "vitest";
import {encodeDigits, loadTrainingSet} from "../../lib/index.ts";

const digitsUrl = (labels: number[], value: number) => {
  const bytes = encodeDigits(new Uint8Array(labels.length * 4).fill(value), Uint8Array.from(labels), 2, 2);
  return `data:application/octet-stream;base64,${Buffer.from(bytes).toString("base64")}`;
};

describe("loadTrainingSet", () => {
  it("loadTrainingSet(urls, onProgress) joins the chunks in order and reports progress up to 1", async () => {
    const reports: [number, string][] = [];
    const data = await loadTrainingSet([digitsUrl([1, 2], 255), digitsUrl([3], 0)], (fraction, message) => reports.push([fraction, message]));
    expect(data.count).toBe(3);
    expect(Array.from(data.labels as Uint8Array)).toEqual([1, 2, 3]);
    expect(Array.from(data.images)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(reports.at(-1)).toEqual([1, "3 training digits loaded"]);
    expect(reports.every(([f], i) => i === 0 || f >= reports[i - 1][0])).toBe(true);
  });

  it("loadTrainingSet rejects a chunk that is not a digits file, naming it", async () => {
    await expect(loadTrainingSet(["data:application/octet-stream;base64,AAAAAA=="])).rejects.toThrow(/training part 1 is not a VAE Explorables digits file/);
  });
});
