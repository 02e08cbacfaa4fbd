import {describe, expect, it} from "vitest";
import {normalSampler, umapProject} from "../../lib/index.ts";

/** Three tight clusters of 50 points in 20 dimensions, their centres 10 apart. */
function clusters(seed = 1) {
  const normal = normalSampler(seed);
  const rows: number[][] = [];
  const labels: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < 50; i++) {
      rows.push(Array.from({length: 20}, (_, d) => (d === c ? 10 : 0) + 0.5 * normal()));
      labels.push(c);
    }
  }
  return {rows, labels};
}

describe("umapProject", () => {
  it("keeps neighbourhoods: each point's nearest neighbour in 2-D is from its own cluster", async () => {
    const {rows, labels} = clusters();
    const embedding = await umapProject(rows, {seed: 3, nEpochs: 200});
    expect(embedding).toHaveLength(rows.length);
    expect(embedding.every((p) => p.length === 2 && p.every(Number.isFinite))).toBe(true);
    let same = 0;
    embedding.forEach((p, i) => {
      let best = -1;
      let bestDistance = Infinity;
      embedding.forEach((q, j) => {
        const d = (p[0] - q[0]) ** 2 + (p[1] - q[1]) ** 2;
        if (j !== i && d < bestDistance) [best, bestDistance] = [j, d];
      });
      if (labels[best] === labels[i]) same++;
    });
    expect(same / rows.length).toBeGreaterThanOrEqual(0.98);
  });

  it("is reproducible with a seed, and another seed gives another layout; reports progress up to 1", async () => {
    const {rows} = clusters(2);
    const progress: number[] = [];
    const a = await umapProject(rows, {seed: 5, nEpochs: 50, onProgress: (f) => progress.push(f)});
    const b = await umapProject(rows, {seed: 5, nEpochs: 50});
    const c = await umapProject(rows, {seed: 6, nEpochs: 50});
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((f, i) => i === 0 || f >= progress[i - 1])).toBe(true);
    await expect(umapProject(rows.slice(0, 10))).rejects.toThrow(/more points/);
  });
});
