import {beforeAll, describe, expect, it} from "vitest";
import {classFrequencies, codesAwayFrom, loadCheckpoint, nearestNeighbours, nearestSquaredDistances, normalSampler, tf, type Model} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {seeded} from "../../src/components/chapterTools.ts";
import {useBackend} from "./helpers.ts";

// Chapter 2's figure must teach its lesson for EVERY seed, not just the default: the shipped
// autoencoder, decoding codes from N(0, I), gives the digits in the wrong proportions, and codes far
// from its data decode to images far from every real digit. Recomputed here the way the page draws
// them (same seeds, same lib calls) on the shipped float32 checkpoints, for 100 page seeds.
describe("chapter 2's figure, for every seed", () => {
  useBackend("wasm");
  const median = (xs: ArrayLike<number>) => {
    const s = Array.from(xs).sort((a, b) => a - b);
    return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
  };
  let ae: Model, vae: Model, images: Float32Array, labels: Uint8Array, aeCodes: number[][], vaeCodes: number[][];

  beforeAll(async () => {
    ae = await loadCheckpoint(folderHandler("data/checkpoints/ae-2d"));
    vae = await loadCheckpoint(folderHandler("data/checkpoints/vae-2d"));
    const test = await loadMnist("test");
    images = test.images.subarray(0, 1000 * 784);
    labels = (test.labels as Uint8Array).subarray(0, 1000);
    aeCodes = tf.tidy(() => ae.encode(tf.tensor2d(images, [1000, 784])).mean.arraySync());
    vaeCodes = tf.tidy(() => vae.encode(tf.tensor2d(images, [1000, 784])).mean.arraySync());
  }, 60_000);

  it("decodes of codes far from the autoencoder's codes are at least 1.5× farther from every real digit (median) than decodes of N(0, I) codes", () => {
    const decode = (model: Model, codes: number[][]) => tf.tidy(() => model.decodeMean(tf.tensor2d(codes)).dataSync() as Float32Array);
    const ratios: number[] = [];
    for (let pageSeed = 1; pageSeed <= 100; pageSeed++) {
      const normal = normalSampler(seeded(pageSeed, 1));
      const priorCodes = Array.from({length: 20}, () => [normal(), normal()]);
      const emptyCodes = codesAwayFrom(aeCodes, 20, {minDistance: 2, margin: 0.25, seed: seeded(pageSeed, 1001)});
      const nearestCode = nearestNeighbours(emptyCodes.flat(), aeCodes.flat(), 2).squaredDistance;
      expect(Math.min(...nearestCode)).toBeGreaterThanOrEqual(4);
      const prior = median(nearestSquaredDistances(decode(ae, priorCodes), images, 784));
      const empty = median(nearestSquaredDistances(decode(ae, emptyCodes), images, 784));
      ratios.push(empty / prior);
    }
    expect(Math.min(...ratios)).toBeGreaterThan(1.5);
  }, 120_000);

  it("fed 2,000 codes from N(0, I), the autoencoder makes its rarest digit under 5% of the time and its commonest over 4× as often; the VAE stays within 3×", () => {
    for (let pageSeed = 1; pageSeed <= 20; pageSeed++) {
      const draw = normalSampler(seeded(pageSeed, 77));
      const many = Array.from({length: 2000}, () => [draw(), draw()]).flat();
      const shares = (codes: number[][]) => classFrequencies(Array.from(nearestNeighbours(many, codes.flat(), 2).index, (i) => labels[i]));
      const [aeShares, vaeShares] = [shares(aeCodes), shares(vaeCodes)];
      expect(Math.min(...aeShares)).toBeLessThan(0.05);
      expect(Math.max(...aeShares) / Math.min(...aeShares)).toBeGreaterThan(4);
      expect(Math.max(...vaeShares) / Math.min(...vaeShares)).toBeLessThan(3);
    }
  }, 60_000);
});
