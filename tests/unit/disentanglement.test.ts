import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {
  createModel,
  discretize,
  FACTOR_NAMES,
  factorColumn,
  entropy,
  measureDisentanglement,
  modelConfig,
  modelFromArtifacts,
  readArtifacts,
  shapesSplit,
  mulberry32,
  mutualInformation,
  mutualInformationGap,
  mutualInformationMatrix,
  normalSampler,
  tf,
  traversalCodes,
  decodeTraversals,
  unitFactors,
  type Model,
  type Tensor2D
} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {leakedBy, useBackend} from "./helpers.ts";

useBackend("cpu");

// References: contingency tables worked by hand; I(a; a) = H(a); for independent variables the
// plug-in estimate's mean over many draws against Miller's (A − 1)(B − 1)/(2N); codes built to copy
// factors (MIG near 1), to ignore them (near 0), or to copy one factor twice (near 0: no gap); the KL
// per unit against its closed form in float64 over the encoder's outputs read back whole.

const uniformLabels = (n: number, m: number, seed: number) => {
  const draw = mulberry32(seed);
  return Int32Array.from({length: n}, () => Math.floor(draw() * m));
};

/** [count, units] codes, row by row, from one function per unit. */
function codesFrom(count: number, units: ((n: number) => number)[]): Float32Array {
  const codes = new Float32Array(count * units.length);
  for (let n = 0; n < count; n++) units.forEach((f, j) => (codes[n * units.length + j] = f(n)));
  return codes;
}

describe("disentanglement", () => {
  it("entropy(labels) and mutualInformation(a, b) match tables worked by hand", () => {
    // H of {0, 0, 1, 2}: −(½ log ½ + 2 · ¼ log ¼)
    expect(entropy([0, 0, 1, 2])).toBeCloseTo(-(0.5 * Math.log(0.5) + 2 * 0.25 * Math.log(0.25)), 12);
    expect(entropy([7, 7, 7])).toBe(0);
    // counts [[3, 1], [1, 3]] over 8 items: p(a, b) = 3/8 on the diagonal, 1/8 off it, marginals ½:
    // I = 2 · 3/8 · log((3/8)/(1/4)) + 2 · 1/8 · log((1/8)/(1/4)) = ¾ log 1.5 + ¼ log 0.5 ≈ 0.1308 nats
    const a = [0, 0, 0, 0, 1, 1, 1, 1];
    const b = [0, 0, 0, 1, 0, 1, 1, 1];
    expect(mutualInformation(a, b)).toBeCloseTo(0.75 * Math.log(1.5) + 0.25 * Math.log(0.5), 12);
    expect(mutualInformation(a, b)).toBeCloseTo(0.130812, 6);
    // a 2×3 table, b = [0, 1, 2, 2]: H(b) = ¼ log 4 + ¼ log 4 + ½ log 2 = 1.5 log 2; given a = 0, b is 0 or
    // 1 (log 2), given a = 1 it is 2 (0), so H(b | a) = ½ log 2 and I = H(b) − H(b | a) = log 2
    expect(mutualInformation([0, 0, 1, 1], [0, 1, 2, 2])).toBeCloseTo(Math.log(2), 12);
    // labels are names, not numbers: relabelling changes nothing
    expect(mutualInformation([5, 5, 9, 9], [30, 10, 2, 2])).toBeCloseTo(Math.log(2), 12);
    // I(a; a) = H(a)
    const labels = uniformLabels(500, 7, 1);
    expect(mutualInformation(labels, labels)).toBeCloseTo(entropy(labels), 10);
    expect(() => mutualInformation([0, 1], [0])).toThrow(/same items/);
  });

  it("discretize(values, bins) cuts [min, max] into equal-width bins, the maximum in the last", () => {
    expect(Array.from(discretize([0, 0.05, 0.5, 0.99, 1], 10))).toEqual([0, 0, 5, 9, 9]);
    expect(Array.from(discretize([-2, 2, 0], 2))).toEqual([0, 1, 1]);
    expect(Array.from(discretize([3, 3, 3], 20))).toEqual([0, 0, 0]);
    expect(() => discretize([0, Number.NaN], 5)).toThrow(/finite/);
  });

  it("mutualInformation(a, b) of independent labels averages Miller's (A − 1)(B − 1)/(2N) bias", () => {
    const n = 500;
    let sum = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) sum += mutualInformation(uniformLabels(n, 10, 2 * t + 1), uniformLabels(n, 6, 2 * t + 2));
    const expected = (9 * 5) / (2 * n);
    expect(Math.abs(sum / trials - expected) / expected).toBeLessThan(0.15);
  });

  it("mutualInformationMatrix(codes) of a unit that copies a factor is H(factor); MIG for it is near 1", () => {
    const count = 2000;
    const factor = uniformLabels(count, 16, 3);
    const noise = normalSampler(4);
    // unit 0: an affine copy of the factor; units 1–3: noise
    const codes = codesFrom(count, [(n) => 0.3 * factor[n] - 1.7, () => noise(), () => noise(), () => noise()]);
    const matrix = mutualInformationMatrix(codes, 4, [factor]);
    expect(matrix.mi[0][0]).toBeCloseTo(entropy(factor), 10);
    expect(matrix.entropies[0]).toBeCloseTo(Math.log(16), 2);
    expect(matrix.normalized[0][0]).toBeCloseTo(1, 10);
    // noise units: about their bias, 19·15/4000 ≈ 0.07 nats, never near H = log 16 ≈ 2.77
    for (const j of [1, 2, 3]) {
      expect(matrix.bias[j][0]).toBeCloseTo((19 * 15) / 4000, 1);
      expect(matrix.mi[j][0]).toBeLessThan(2 * matrix.bias[j][0]);
    }
    const gap = mutualInformationGap(matrix);
    expect(gap.topUnits[0][0]).toBe(0);
    expect(gap.score).toBeGreaterThan(0.95);
    expect(gap.score).toBeLessThanOrEqual(1);
  });

  it("mutualInformationMatrix(codes) of units independent of every factor is near 0, and so is the MIG", () => {
    const count = 2000;
    const factors = [uniformLabels(count, 3, 5), uniformLabels(count, 16, 6)];
    const noise = normalSampler(7);
    const codes = codesFrom(count, Array.from({length: 5}, () => () => noise()));
    const matrix = mutualInformationMatrix(codes, 5, factors);
    for (const row of matrix.normalized) for (const v of row) expect(v).toBeLessThan(0.05);
    expect(mutualInformationGap(matrix).score).toBeLessThan(0.03);
  });

  it("mutualInformationGap(matrix) of two factors copied into two units is near 1; of one factor copied twice, near 0", () => {
    const count = 2000;
    const shape = uniformLabels(count, 3, 8);
    const x = uniformLabels(count, 16, 9);
    const noise = normalSampler(10);
    const draw = mulberry32(11);
    // x copied with jitter smaller than half a step, so each of its 16 values still has bins of its own
    const two = mutualInformationMatrix(codesFrom(count, [() => noise(), (n) => x[n] + 0.2 * (draw() - 0.5), (n) => -shape[n]]), 3, [shape, x]);
    const gap = mutualInformationGap(two);
    expect(gap.topUnits.map((t) => t[0])).toEqual([2, 1]);
    expect(gap.perFactor[0]).toBeGreaterThan(0.95);
    expect(gap.perFactor[1]).toBeGreaterThan(0.95);
    expect(gap.score).toBeGreaterThan(0.95);
    // the same factor in two units: each unit knows all of it, the gap is 0
    const twice = mutualInformationMatrix(codesFrom(count, [(n) => x[n], (n) => 2 * x[n] + 1, () => noise()]), 3, [x]);
    expect(twice.normalized[0][0]).toBeCloseTo(1, 6);
    expect(twice.normalized[1][0]).toBeCloseTo(1, 6);
    expect(mutualInformationGap(twice).score).toBeLessThan(0.01);
  });

  it("mutualInformationGap(matrix) by hand: gaps over entropies, averaged; a constant factor is left out", () => {
    const gap = mutualInformationGap({mi: [[0.5, 0.1, 0], [0.2, 0.3, 0], [0.1, 0.3, 0]], entropies: [1, 0.6, 0]});
    expect(gap.perFactor[0]).toBeCloseTo(0.3, 12); // (0.5 − 0.2) / 1
    expect(gap.perFactor[1]).toBeCloseTo(0, 12); // a tie: (0.3 − 0.3) / 0.6
    expect(gap.perFactor[2]).toBeNull();
    expect(gap.score).toBeCloseTo(0.15, 12);
    expect(mutualInformationGap({mi: [[0.4]], entropies: [0.8]}).score).toBeCloseTo(0.5, 12); // one unit: the gap is I / H
  });

  it("measureDisentanglement(model, data, factors) of an encoder that copies a factor finds it (MIG near 1), disposing its tensors", async () => {
    const count = 1000;
    const factor = uniformLabels(count, 8, 12);
    const draw = mulberry32(13);
    // two "pixels" per image: the factor, and noise; the stub encoder's mean is the image itself
    const images = new Float32Array(count * 2);
    for (let n = 0; n < count; n++) [images[2 * n], images[2 * n + 1]] = [factor[n] / 7, draw()];
    const stub = {config: {latentDim: 2}, encode: (x: Tensor2D) => ({mean: x.clone(), logVar: tf.zerosLike(x)})} as unknown as Model;
    let result!: Awaited<ReturnType<typeof measureDisentanglement>>;
    expect(await leakedBy(async () => void (result = await measureDisentanglement(stub, {images, count, pixels: 2}, [factor], {batchSize: 128})))).toBe(0);
    expect(result.gap.score).toBeGreaterThan(0.95);
    expect(result.means.length).toBe(count * 2);
    // KL(N(μ, 1) ‖ N(0, 1)) = μ²/2 per unit, averaged
    let half = 0;
    for (let n = 0; n < count; n++) half += images[2 * n] ** 2 / 2 / count;
    expect(result.klPerUnit[0]).toBeCloseTo(half, 5);
  });

  it("measureDisentanglement(model, data, factors) on a real model: KL per unit matches the closed form on its outputs", async () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 3, seed: 2}));
    const count = 300;
    const draw = mulberry32(14);
    const images = Float32Array.from({length: count * 16}, () => (draw() < 0.4 ? 1 : 0));
    const factor = uniformLabels(count, 4, 15);
    let result!: Awaited<ReturnType<typeof measureDisentanglement>>;
    expect(await leakedBy(async () => void (result = await measureDisentanglement(model, {images, count, pixels: 16}, [factor], {batchSize: 64})))).toBe(0);
    const q = model.encode(tf.tensor2d(images, [count, 16]));
    const [mean, logVar] = [q.mean.dataSync(), q.logVar.dataSync()];
    tf.dispose([q.mean, q.logVar]);
    for (let j = 0; j < 3; j++) {
      let kl = 0;
      for (let n = 0; n < count; n++) {
        const [m, l] = [mean[n * 3 + j], logVar[n * 3 + j]];
        kl += 0.5 * (m * m + Math.exp(l) - 1 - l);
      }
      expect(result.klPerUnit[j]).toBeCloseTo(kl / count, 4);
    }
    expect(Array.from(result.means)).toEqual(Array.from(mean));
    model.dispose();
  });

  it("traversalCodes(base, unit, {from, to, steps}) sweeps one unit evenly and keeps the others", () => {
    const codes = traversalCodes([0.5, -1, 2], 1, {from: -2, to: 2, steps: 5});
    expect(Array.from(codes)).toEqual([0.5, -2, 2, 0.5, -1, 2, 0.5, 0, 2, 0.5, 1, 2, 0.5, 2, 2]);
    expect(() => traversalCodes([0, 0], 2)).toThrow(/unit must be from 0 to 1/);
  });

  it("decodeTraversals(model, base, {units, from, to, steps}) decodes each unit's sweep: the decoder's means at codes built by hand", async () => {
    const model = createModel(modelConfig({imageShape: [4, 4, 1], hiddenSizes: [8], latentDim: 3, seed: 3}));
    const base = [0.3, -0.7, 1.1];
    let images!: Float32Array;
    expect(await leakedBy(async () => void (images = await decodeTraversals(model, base, {units: [2, 0], from: -1, to: 1, steps: 3})))).toBe(0);
    expect(images.length).toBe(2 * 3 * 16);
    // Row r of unit u: base with z_u = −1, 0, 1, decoded one code at a time.
    const expected: number[] = [];
    for (const u of [2, 0]) {
      for (const v of [-1, 0, 1]) {
        const z = [...base];
        z[u] = v;
        const x = tf.tidy(() => model.decodeMean(tf.tensor2d([z]) as Tensor2D).dataSync());
        expected.push(...Array.from(x));
      }
    }
    images.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    expect((await decodeTraversals(model, base)).length).toBe(3 * 9 * 16);
    await expect(decodeTraversals(model, [0, 0])).rejects.toThrow(/base code has 2 numbers/);
    model.dispose();
  });

  it("unitFactors(matrix) names, for each unit, the factor it shares the most normalized information with", () => {
    const count = 4000;
    const a = uniformLabels(count, 8, 21);
    const b = uniformLabels(count, 4, 22);
    const draw = mulberry32(23);
    // unit 0 copies b, unit 1 copies a, unit 2 is noise
    const codes = codesFrom(count, [(n) => b[n] + 0.1 * draw(), (n) => a[n] + 0.1 * draw(), () => draw()]);
    const matrix = mutualInformationMatrix(codes, 3, [a, b]);
    const units = unitFactors(matrix);
    expect(units.map((u) => u.factor).slice(0, 2)).toEqual([1, 0]);
    expect(units[0].normalized).toBeGreaterThan(0.95);
    expect(units[1].normalized).toBeGreaterThan(0.95);
    expect(units[2].normalized).toBeLessThan(0.05);
  });

  it("measureDisentanglement(shipped shapes-beta1 and shapes-beta4) re-run on the shapes test set: the MIG their metrics.json report, higher for β = 4", async () => {
    const test = shapesSplit("test", {seed: 0});
    const factors = FACTOR_NAMES.map((f) => factorColumn(test, f));
    const gaps: number[] = [];
    for (const name of ["shapes-beta1", "shapes-beta4"]) {
      const dir = join(import.meta.dirname, "../../data/checkpoints", name);
      const model = modelFromArtifacts(await readArtifacts(folderHandler(dir)));
      const {gap} = await measureDisentanglement(model, test, factors);
      const reported = JSON.parse(readFileSync(join(dir, "metrics.json"), "utf-8")).disentanglement;
      expect(Math.abs(gap.score - reported.mig)).toBeLessThan(0.01);
      gaps.push(gap.score);
      model.dispose();
    }
    expect(gaps[1]).toBeGreaterThan(gaps[0] + 0.03);
  });
});
