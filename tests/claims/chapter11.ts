import {readFile} from "node:fs/promises";
import {expect} from "vitest";
import {
  chooseBackend,
  earlyStopping,
  exampleSketches,
  imagesToDataset,
  parameterCount,
  prepareImage,
  resizeArea,
  splitForTraining,
  tf,
  TrainingSession,
  type TrainingEvent
} from "../../lib/index.ts";
import {encodeOwnData, decodeOwnData} from "../../lib/ownDataFile.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {claim} from "./claim.ts";

const page = "/chapters/11-your-own-data";
const source = () => readFile("src/chapters/11-your-own-data.md", "utf-8");

/** A w×h RGB image of one colour with another colour at its centre pixel. */
function rgbImage(w: number, h: number, fill: [number, number, number], centre: [number, number, number]) {
  const data = new Uint8ClampedArray(w * h * 3);
  for (let p = 0; p < w * h; p++) data.set(fill, p * 3);
  data.set(centre, (Math.floor(h / 2) * w + Math.floor(w / 2)) * 3);
  return {width: w, height: h, channels: 3 as const, data};
}

/** The example sketches prepared at 28 pixels, split as the page splits them (one fifth held out). */
function exampleSplit(count: number, copies = 0) {
  const {images} = exampleSketches({count, seed: 1});
  const set = imagesToDataset(images.map((image) => prepareImage(image, {side: 28})));
  return splitForTraining(set, {side: 28, fraction: 0.2, seed: 7, copies});
}

interface Run {
  evaluations: {step: number; heldOut: number; train: number}[];
  stoppedAt: number | null;
  restoredStep: number | null;
  /** For each held-out image: squared distance of its reconstruction to itself, and to the nearest training image. */
  redrawn: {own: number; nearestTraining: number}[];
}

/**
 * The page's lab as the page sets it up at seed 1 (its default): the example sketches prepared at 28
 * grey pixels, a fifth held out with seeded(1, 11) = 11, shifted copies of the training images only,
 * the small MLP (784-128-2), Bernoulli, batches of 32, Adam at 1e-3, scored every 50 steps at an
 * epoch's end, early stopping after 5 scores; run in the training session (the worker's code) in Node.
 */
const runs = new Map<string, Promise<Run>>();
function pageRun(count: number, {copies = 4, maxSteps = 20_000, patience = 5}: {copies?: number; maxSteps?: number; patience?: number | null} = {}): Promise<Run> {
  const key = `${count}/${copies}/${maxSteps}/${patience}`;
  if (!runs.has(key)) {
    runs.set(
      key,
      (async () => {
        const choice = await chooseBackend({prefer: "wasm"});
        if (choice.backend !== "wasm") throw new Error(`could not start the wasm backend: ${choice.reason}`);
        const {images} = exampleSketches({count, seed: 1});
        const set = imagesToDataset(images.map((image) => prepareImage(image, {side: 28})));
        const split = splitForTraining(set, {side: 28, fraction: 0.2, seed: 11, copies, maxShift: 2});
        const run: Run = {evaluations: [], stoppedAt: null, restoredStep: null, redrawn: []};
        let finish = () => {};
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const session: TrainingSession = new TrainingSession((event: TrainingEvent) => {
          if (event.type === "evaluation") {
            run.evaluations.push({step: event.step, heldOut: event.heldOut, train: event.compare ?? NaN});
            if (event.stopped) [run.stoppedAt, run.restoredStep] = [event.step, event.stopped.restoredStep];
          }
          if (event.type === "progress") {
            if (["paused", "done"].includes(event.progress.state)) finish();
            else if (event.progress.step >= maxSteps && event.progress.state === "running") void session.handle({type: "pause"});
          }
        });
        await session.handle({type: "test", test: split.heldOut, heldOut: split.heldOut.count, compare: split.trainPlain, pictures: {reconstruct: 1, everyMs: 1e9}});
        await session.handle({type: "dataset", train: split.train});
        await session.handle({
          type: "configure",
          setup: {
            config: {kind: "vae", arch: "mlp", imageShape: [28, 28, 1], hiddenSizes: [128], latentDim: 2, likelihood: {kind: "bernoulli"}, seed: 1},
            batchSize: 32,
            learningRate: 1e-3,
            beta: 1,
            seed: 1,
            epochs: 1_000_000,
            evaluateEvery: 50,
            earlyStopping: patience ? {patience} : null
          }
        });
        await session.handle({type: "play"});
        await finished;
        // Each held-out image's reconstruction (decoder mean at the encoder mean), compared by hand with
        // the image itself and with every training image.
        const model = (session as unknown as {model: {encode(x: tf.Tensor): {mean: tf.Tensor2D}; decodeMean(z: tf.Tensor2D): tf.Tensor2D}}).model;
        const rec = tf.tidy(() => model.decodeMean(model.encode(tf.tensor2d(split.heldOut.images, [split.heldOut.count, 784])).mean)).dataSync();
        const distance = (a: ArrayLike<number>, at: number, b: ArrayLike<number>, bt: number) => {
          let d = 0;
          for (let p = 0; p < 784; p++) d += (a[at + p] - b[bt + p]) ** 2;
          return d;
        };
        for (let h = 0; h < split.heldOut.count; h++) {
          let nearestTraining = Infinity;
          for (let t = 0; t < split.trainPlain.count; t++) nearestTraining = Math.min(nearestTraining, distance(rec, h * 784, split.trainPlain.images, t * 784));
          run.redrawn.push({own: distance(rec, h * 784, split.heldOut.images, h * 784), nearestTraining});
        }
        await session.handle({type: "dispose"} as never);
        return run;
      })()
    );
  }
  return runs.get(key)!;
}

export const claims = [
  // ---- Preparation
  claim(page, "pixels of four numbers from 0 to 255: red, green, blue and opacity (alpha)", async () => {
    // The page reads a decoded file with a canvas's getImageData (imageFiles.ts): RGBA, one byte each.
    const reader = await readFile("src/components/imageFiles.ts", "utf-8");
    expect(reader).toContain("context.getImageData(");
    expect(reader).toContain("channels: 4, data}");
    expect(Array.from(new Uint8ClampedArray([-4, 300]))).toEqual([0, 255]);
  }),
  claim(page, "area averaging alone turns a line one pixel wide in an image 280 pixels across into a grey of 0.1 at 28 pixels", () => {
    const n = 280;
    const image = new Float32Array(n * n);
    for (let y = 0; y < n; y++) image[y * n + 137] = 1; // a vertical line, column 137
    const small = resizeArea(image, n, n, 1, 28, 28);
    // Column 137 falls in output column 13 (covering 130…140): one tenth of that pixel's area.
    for (let y = 0; y < 28; y++) expect(small[y * 28 + 13]).toBeCloseTo(1 / 10, 6);
    expect(Math.max(...small)).toBeCloseTo(0.1, 6);
  }),
  claim(page, "MNIST's digits are ink 1 on a background 0", async () => {
    const test = await loadMnist("test");
    let corner = 0;
    let max = 0;
    for (let i = 0; i < test.count; i++) {
      corner = Math.max(corner, test.images[i * 784]);
      for (let p = 0; p < 784; p++) max = Math.max(max, test.images[i * 784 + p]);
    }
    expect(corner).toBe(0);
    expect(max).toBe(1);
  }),
  claim(page, "when the border's mean grey is above 0.5 the page inverts the image", () => {
    const grey = (g: number) => ({width: 10, height: 10, channels: 1 as const, data: new Uint8ClampedArray(100).fill(g)});
    expect(prepareImage(grey(130), {invert: "auto"}).inverted).toBe(true); // 130/255 ≈ 0.51
    expect(prepareImage(grey(125), {invert: "auto"}).inverted).toBe(false); // ≈ 0.49
    expect(prepareImage(grey(130), {invert: "auto"}).pixels[0]).toBeCloseTo(1 - 130 / 255, 5);
  }),
  claim(page, "\"At 0.5\" makes every pixel 0 or 1", () => {
    const ramp = {width: 28, height: 28, channels: 1 as const, data: Uint8ClampedArray.from({length: 784}, (_, i) => i % 256)};
    const plain = prepareImage(ramp, {invert: false}).pixels;
    const binary = prepareImage(ramp, {invert: false, binarize: "threshold"}).pixels;
    expect(new Set(binary)).toEqual(new Set([0, 1]));
    plain.forEach((v, i) => expect(binary[i]).toBe(v > 0.5 ? 1 : 0));
  }),
  claim(page, "Chapter 7's MNIST lab had 60,000 images", async () => {
    expect((await loadMnist("train")).count).toBe(60_000);
  }),
  // ---- Few images
  claim(page, "may be 16. To see which happened", () => {
    expect(exampleSplit(20).trainPlain.count).toBe(16);
  }),
  claim(page, "With 20 sketches, one fifth held out leaves 16 to train on and 4 to score", () => {
    const split = exampleSplit(20);
    expect([split.trainPlain.count, split.heldOut.count]).toEqual([16, 4]);
  }),
  claim(page, "can make those 16 likely one by one", async () => {
    // The page computes the weights per image from parameterCount of the lab's small model; by hand,
    // 784-128-(2 means, 2 log-variances) and 2-128-784 (Bernoulli logits) is 202,516 weights.
    const weights = 784 * 128 + 128 + 128 * 4 + 4 + 2 * 128 + 128 + 128 * 784 + 784;
    expect(parameterCount({kind: "vae", arch: "mlp", imageShape: [28, 28, 1], hiddenSizes: [128], latentDim: 2, likelihood: {kind: "bernoulli"}, seed: 1})).toBe(weights);
    expect(await readFile("src/training/trainingLab.ts", "utf-8")).toContain("mlp: {small: [128],");
    expect(exampleSplit(20).trainPlain.count).toBe(16);
  }),
  claim(page, "the training images' −ELBO goes on falling while the held-out one stops falling and then wobbles or rises", async () => {
    const source = await readFile("src/chapters/11-your-own-data.md", "utf-8");
    expect(source).toContain('Inputs.select([0, 4, 8], {value: 4, label: "Shifted copies');
    expect(source).toContain("seed: seeded(pageSeed, 11), copies, maxShift: 2");
    const run = await pageRun(20);
    expect(run.stoppedAt).not.toBeNull();
    const best = run.evaluations.find((e) => e.step === run.restoredStep)!;
    const last = run.evaluations.at(-1)!;
    // After the held-out −ELBO's lowest score, five more scores came without a lower one ...
    expect(run.evaluations.filter((e) => e.step > best.step).every((e) => e.heldOut >= best.heldOut)).toBe(true);
    // ... while the training images' −ELBO went on down, and stands well below the held-out one.
    expect(last.train).toBeLessThan(best.train - 2);
    expect(last.heldOut - last.train).toBeGreaterThan(20);
  }),
  claim(page, "each held-out image's reconstruction ends up nearer, pixel by pixel, to some training image than to the image itself", async () => {
    const run = await pageRun(20);
    expect(run.redrawn).toHaveLength(4);
    for (const {own, nearestTraining} of run.redrawn) expect(nearestTraining).toBeLessThan(own);
  }),
  claim(page, "far too few to learn each one, and the two scores stay close for much longer", async () => {
    const small = await pageRun(20);
    const steps = small.stoppedAt!;
    const large = await pageRun(2000, {maxSteps: steps, patience: null});
    const gap = (run: Run, step: number) => {
      const e = [...run.evaluations].reverse().find((v) => v.step <= step)!;
      return e.heldOut - e.train;
    };
    // At the step where the 20-sketch run stopped, the 2,000-sketch run's gap is a small fraction of it.
    expect(large.evaluations.at(-1)!.step).toBeGreaterThanOrEqual(steps - 250);
    expect(gap(large, steps)).toBeLessThan(gap(small, steps) / 4);
    expect(Math.abs(gap(large, steps))).toBeLessThan(10);
  }),
  claim(page, "With 2,000 sketches (1,600 trained on, 400 held out)", () => {
    const split = exampleSplit(2000);
    expect([split.trainPlain.count, split.heldOut.count]).toEqual([1600, 400]);
  }),
  claim(page, "Choose 20 example sketches, train until early stopping stops it", async () => {
    expect(await source()).toContain("Inputs.select([20, 60, 200, 2000]");
  }),
  claim(page, "then choose 2,000.", async () => {
    expect(await source()).toContain("Inputs.select([20, 60, 200, 2000]");
  }),
  // ---- The lab's settings, read from the page's own source
  claim(page, "batches of 32", async () => {
    expect(await source()).toMatch(/defaults: \{size: "small", latent: 2, batch: 32/);
  }),
  claim(page, "that comes at least 50 steps after the last score", async () => {
    expect(await source()).toContain("evaluateEvery: 50,");
    expect(await readFile("lib/trainingSession.ts", "utf-8")).toContain("trainer.step - this.evaluations.lastStep >= every");
  }),
  claim(page, "the model's weights as 32-bit numbers", () => {
    // The file carries the weights' bytes as they are: a Float32Array's bytes come back bit for bit.
    const set = imagesToDataset([prepareImage({width: 8, height: 8, channels: 1, data: new Uint8ClampedArray(64)}, {side: 8})]);
    const weights = Float32Array.from([Math.PI, -1e-7, 123456.789]);
    const artifacts = {modelTopology: {}, weightSpecs: [{name: "w", shape: [3], dtype: "float32" as const}], weightData: weights.buffer.slice(0)};
    const back = decodeOwnData(encodeOwnData({set, artifacts, meta: {}}));
    expect(Array.from(new Float32Array(back.artifacts!.weightData as ArrayBuffer))).toEqual(Array.from(weights));
    expect((back.artifacts!.weightData as ArrayBuffer).byteLength).toBe(3 * 4);
  }),
  // ---- Try this
  claim(page, "Choose 20 example sketches, press play", async () => {
    expect(await source()).toContain("Inputs.select([20, 60, 200, 2000]");
  }),
  claim(page, "Then choose 2,000 and train for as many steps", async () => {
    expect(await source()).toContain("Inputs.select([20, 60, 200, 2000]");
  }),
  claim(page, "At 20 sketches, set the shifted copies to 0", async () => {
    expect(await source()).toContain("Inputs.select([0, 4, 8]");
  }),
  claim(page, "Try colour at 32 pixels with a Gaussian likelihood (σ = 0.1)", async () => {
    expect(await source()).toContain("Inputs.radio([28, 32]");
    expect(await readFile("src/training/trainingLab.ts", "utf-8")).toContain("{kind: \"gaussian\", sigma: 0.1}");
  }),
  // ---- Summary
  claim(page, "area averaging down to 28 or 32 pixels", async () => {
    expect(await source()).toContain("Inputs.radio([28, 32]");
  }),
  // ---- Exercises
  claim(page, "The mean is 0.5 before,", () => {
    const row = [0, 0, 1, 1, 0.5, 0.5];
    const out = Array.from(resizeArea(row, 6, 1, 1, 4, 1));
    // By hand: each output pixel covers 1.5 inputs.
    const hand = [(1 * 0 + 0.5 * 0) / 1.5, (0.5 * 0 + 1 * 1) / 1.5, (1 * 1 + 0.5 * 0.5) / 1.5, (0.5 * 0.5 + 1 * 0.5) / 1.5];
    out.forEach((v, i) => expect(v).toBeCloseTo(hand[i], 6));
    expect(hand.map((v) => Number(v.toFixed(3)))).toEqual([0, 0.667, 0.833, 0.5]);
    expect(row.reduce((s, v) => s + v) / 6).toBe(0.5);
    expect(hand.reduce((s, v) => s + v) / 4).toBeCloseTo(0.5, 12);
  }),
  claim(page, "(Take the image to be 28 × 28 already, so resizing leaves it alone.)", () => {
    const image = rgbImage(28, 28, [255, 255, 255], [255, 165, 0]);
    const plain = prepareImage(image, {side: 28, invert: false}).pixels;
    expect(plain[14 * 28 + 14]).toBeCloseTo(0.299 + (0.587 * 165) / 255, 5);
    expect(plain[0]).toBeCloseTo(1, 5);
  }),
  claim(page, "An orange pixel, (255, 165, 0), on an image whose border is white", () => {
    const g = 0.299 + (0.587 * 165) / 255;
    expect(g).toBeCloseTo(0.679, 3);
    const prepared = prepareImage(rgbImage(28, 28, [255, 255, 255], [255, 165, 0]), {side: 28, invert: "auto"});
    expect(prepared.inverted).toBe(true);
    expect(prepared.pixels[14 * 28 + 14]).toBeCloseTo(1 - g, 5);
    expect(1 - g).toBeCloseTo(0.321, 3);
  }),
  claim(page, "A set of 60 images, one fifth held out, four shifted copies of each training image", () => {
    const split = exampleSplit(60, 4);
    expect([split.heldOut.count, split.trainPlain.count, split.train.count]).toEqual([12, 48, 240]);
    expect(48 * 5).toBe(240);
  }),
  claim(page, "12 are held out and 48 are training images", () => {
    const split = exampleSplit(60, 4);
    expect([split.heldOut.count, split.trainPlain.count]).toEqual([12, 48]);
  }),
  claim(page, "score by score, are 230, 221, 218, 219, 217.5, 220, 222, 223. With patience 3", () => {
    const h = [230, 221, 218, 219, 217.5, 220, 222, 223];
    // By hand: stop at the first t with t − argmin_{s≤t} h_s ≥ 3.
    let stopAt = -1;
    for (let t = 0; t < h.length && stopAt < 0; t++) {
      const best = h.slice(0, t + 1).indexOf(Math.min(...h.slice(0, t + 1)));
      if (t - best >= 3) stopAt = t;
    }
    expect(stopAt).toBe(7); // the eighth score
    const rule = earlyStopping(h, {patience: 3});
    expect([rule.stop, rule.bestIndex, rule.best]).toEqual([true, 4, 217.5]);
    expect(earlyStopping(h.slice(0, 7), {patience: 3}).stop).toBe(false);
  }),
  claim(page, "The lowest value is 217.5, the fifth score. The sixth, seventh and eighth (220, 222, 223) do not go below it", () => {
    const h = [230, 221, 218, 219, 217.5, 220, 222, 223];
    expect(Math.min(...h)).toBe(217.5);
    expect(h.indexOf(217.5)).toBe(4);
    expect(h.slice(5)).toEqual([220, 222, 223]);
  }),
  claim(page, "The fourth score (219) did not stop anything: it was only one score after the lowest value so far (218, the third)", () => {
    const h = [230, 221, 218, 219];
    expect(h[3]).toBe(219);
    expect(Math.min(...h.slice(0, 3))).toBe(218);
    expect(earlyStopping(h, {patience: 3})).toMatchObject({stop: false, bestIndex: 2, sinceBest: 1});
  }),
  claim(page, "Four held-out images have −ELBOs of 190, 250, 205 and 267 nats", () => {
    const v = [190, 250, 205, 267];
    const mean = v.reduce((s, x) => s + x) / 4;
    expect(mean).toBe(228);
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / 3);
    expect(sd).toBeGreaterThan(35);
    expect(sd).toBeLessThan(37);
    expect(sd / 2).toBeCloseTo(18, 0);
  }),
  claim(page, "the average over new images of this kind could as well be 200 or 250", () => {
    // Both within two standard errors (2 × 18.2) of the four images' average, 228.
    const v = [190, 250, 205, 267];
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - 228) ** 2, 0) / 3);
    for (const guess of [200, 250]) expect(Math.abs(guess - 228)).toBeLessThan((2 * sd) / Math.sqrt(4));
  }),
  claim(page, "Four hundred held-out images with the same spread would bring the standard error ten times lower, to about 2", () => {
    const v = [190, 250, 205, 267];
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - 228) ** 2, 0) / 3);
    expect(sd / Math.sqrt(4) / (sd / Math.sqrt(400))).toBe(10);
    expect(Math.round(sd / Math.sqrt(400))).toBe(2);
  }),
  claim(page, "standard deviation of about 36 nats", () => {
    const v = [190, 250, 205, 267];
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - 228) ** 2, 0) / 3);
    expect(Math.round(sd)).toBe(36);
  })
];
