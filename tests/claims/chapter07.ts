import {readFile} from "node:fs/promises";
import {expect} from "vitest";
import {
  binarize,
  chooseBackend,
  createModel,
  elbo,
  encodeDigits,
  evaluateHeldOut,
  freeBitsKl,
  klWarmupBeta,
  modelConfig,
  mulberry32,
  naiveBernoulliLogProbabilities,
  naiveFloat32LogProbability,
  softplus,
  stableBernoulliLogProbabilities,
  tf,
  Trainer,
  type Tensor2D
} from "../../lib/index.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {claim} from "./claim.ts";

const page = "/chapters/07-training";

// ---- Exercises 2 and 3: the first steps of training a VAE like the lab's default (784-256-8 MLP,
// Bernoulli decoder, batch 128, learning rate 0.001, seed 1), re-run here on the WASM backend.

interface Split {
  /** E_x KL(q(z|x) ‖ p(z)) over the held-out digits. */
  kl: number;
  /** ½‖mean_x μ(x)‖²: the shift every code shares. */
  shared: number;
  /** ½ Σ_j Var_x μ_j(x): the spread of the codes between digits. */
  spread: number;
  /** The average log σ² over digits and units. */
  logVar: number;
  /** Var_x μ_j(x) for each unit j: Burda et al.'s activity statistic. */
  variances: number[];
}

interface FirstSteps {
  /** The batch KL of steps 1, 2, …, as the trainer recorded it. */
  kl: number[];
  /** After each listed step, measured on 500 binarized test digits. */
  after: Map<number, Split>;
}

/** KL(q ‖ N(0, I)) and its parts, written out in plain arrays from the encoder's outputs. */
function splitKl(mean: Float32Array, logVar: Float32Array, n: number, units: number): Split {
  let kl = 0;
  let lv = 0;
  const average = new Float64Array(units);
  const square = new Float64Array(units);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < units; j++) {
      const m = mean[i * units + j];
      const v = logVar[i * units + j];
      kl += 0.5 * (Math.exp(v) + m * m - 1 - v);
      lv += v;
      average[j] += m / n;
      square[j] += (m * m) / n;
    }
  }
  let shared = 0;
  let spread = 0;
  const variances: number[] = [];
  for (let j = 0; j < units; j++) {
    shared += 0.5 * average[j] ** 2;
    spread += 0.5 * (square[j] - average[j] ** 2);
    variances.push(square[j] - average[j] ** 2);
  }
  return {kl: kl / n, shared, spread, logVar: lv / (n * units), variances};
}

const runs = new Map<number, Promise<FirstSteps>>();

/** Trains the model for `steps` steps with KL weight `beta`, measuring after the steps in `measure`. Runs once per β. */
function firstSteps(beta: number, steps: number, measure: number[]): Promise<FirstSteps> {
  const key = beta;
  if (!runs.has(key)) {
    runs.set(
      key,
      (async () => {
        const choice = await chooseBackend({prefer: "wasm"});
        if (choice.backend !== "wasm") throw new Error(`could not start the wasm backend: ${choice.reason}`);
        const [train, test] = await Promise.all([loadMnist("train"), loadMnist("test")]);
        const model = createModel(modelConfig({hiddenSizes: [256], latentDim: 8, seed: 1}));
        const trainer = new Trainer({model, data: train, batchSize: 128, learningRate: 1e-3, beta, epochs: 1, seed: 1, readEvery: 10});
        const x = tf.tensor2d(binarize(test.images.slice(0, 500 * 784), mulberry32(3)), [500, 784]);
        const after = new Map<number, Split>();
        try {
          for (let step = 1; step <= steps; step++) {
            await trainer.singleStep();
            if (!measure.includes(step)) continue;
            const {mean, logVar} = model.encode(x);
            after.set(step, splitKl(mean.dataSync() as Float32Array, logVar.dataSync() as Float32Array, 500, 8));
            mean.dispose();
            logVar.dispose();
          }
          return {kl: trainer.history.map((r) => r.kl), after};
        } finally {
          x.dispose();
          trainer.dispose();
          model.dispose();
        }
      })()
    );
  }
  return runs.get(key) as Promise<FirstSteps>;
}

const EXERCISE_2_STEPS = [10, 11, 12, 13, 14, 15, 16, 17, 18, 20, 40, 60];
const exercise2 = () => firstSteps(1, 60, EXERCISE_2_STEPS);
const exercise3 = () => firstSteps(0, 100, [20, 40, 60, 80, 100]);
const pixelAveraged = () => firstSteps(784, 150, [150]);

/** The step (1-based) at which the batch KL of the first 40 steps peaks. */
const peakStep = (kl: number[]) => kl.slice(0, 40).indexOf(Math.max(...kl.slice(0, 40))) + 1;

export const claims = [
  // The lab's three terms, defined before the lab (chapter 10 has them in full).
  claim(page, "rises in a straight line to the value you chose over that many training steps", () => {
    // The β the trainer uses at step t of a warm-up of N steps: 0 at the start, equal steps up, β from N on.
    for (const [beta, steps] of [[1, 200], [4, 1000]]) {
      const at = (t: number) => klWarmupBeta(t, beta, steps);
      expect(at(0)).toBe(0);
      for (let t = 1; t < steps; t++) expect(at(t + 1) - at(t)).toBeCloseTo(beta / steps, 12);
      expect(at(steps)).toBeCloseTo(beta, 12);
      expect(at(steps + 50)).toBe(beta);
    }
    // Off at zero steps: β from the first step.
    expect(klWarmupBeta(0, 1, 0)).toBe(1);
    // "While the rising β is below one, the training loss is below the −ELBO": loss − (−ELBO) = (β_t − 1)·KL < 0 for KL > 0.
    const [rec, kl] = [-120, 15];
    for (let t = 0; t < 200; t++) expect(-rec + klWarmupBeta(t, 1, 200) * kl).toBeLessThan(-rec + kl);
  }),
  claim(page, "counts as at least λ nats. A unit that carries less than λ costs λ whatever it does", async () => {
    await chooseBackend({prefer: "cpu"});
    const before = tf.memory().numTensors;
    // Two examples, three units; batch-mean KLs 0.1, 0.8 and 0.3; λ = 0.5: charged 0.5 + 0.8 + 0.5 = 1.8 by hand.
    const perUnit = [[0.05, 1.0, 0.2], [0.15, 0.6, 0.4]];
    const charged = tf.tidy(() => freeBitsKl(tf.tensor2d(perUnit), 0.5).dataSync()[0]);
    expect(charged).toBeCloseTo(1.8, 6);
    // The units below λ get no gradient; the one above gets 1/B per example.
    const grad = tf.tidy(() => Array.from(tf.grad((k) => freeBitsKl(k as Tensor2D, 0.5))(tf.tensor2d(perUnit)).dataSync()));
    expect(grad).toEqual([0, 0.5, 0, 0, 0.5, 0]);
    expect(tf.memory().numTensors).toBe(before);
  }),
  claim(page, "with a variance across the held-out digits above 0.01", async () => {
    // The lab's count (evaluateHeldOut, called without a threshold by lib/trainingSession.ts) against a
    // recount by hand: each unit's population variance of the encoder's mean over the digits, above 0.01.
    await chooseBackend({prefer: "cpu"});
    const session = await readFile(new URL("../../lib/trainingSession.ts", import.meta.url), "utf8");
    expect(session).toContain("evaluateHeldOut(model, held, {seed: SNAPSHOT_SEED})");
    const test = await loadMnist("test");
    const n = 200;
    const digits = tf.tensor2d(binarize(test.images.subarray(0, n * 784), mulberry32(3)), [n, 784]);
    let sawActive = false;
    let sawInactive = false;
    // Fainter inputs give smaller variances, so that units fall on both sides of the threshold.
    for (const [seed, scale] of [[1, 1], [2, 0.3], [3, 0.1], [4, 0.03]]) {
      const x = tf.mul(digits, scale) as Tensor2D;
      const model = createModel(modelConfig({hiddenSizes: [32], latentDim: 8, seed}));
      const score = await evaluateHeldOut(model, {x, count: n, binarize: "static", dispose: () => {}});
      const means = tf.tidy(() => model.encode(x).mean.arraySync() as number[][]);
      let active = 0;
      for (let u = 0; u < 8; u++) {
        const column = means.map((row) => row[u]);
        const mean = column.reduce((a, b) => a + b, 0) / n;
        const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
        if (Math.abs(variance - 0.01) > 1e-5) expect(score.variances[u] > 0.01, `unit ${u}`).toBe(variance > 0.01);
        if (variance > 0.01) sawActive = true;
        else sawInactive = true;
        if (variance > 0.01) active++;
      }
      expect(score.activeUnits).toBe(active);
      model.dispose();
      x.dispose();
    }
    digits.dispose();
    // The recount distinguished something: a unit on each side of the threshold at least once.
    expect(sawActive && sawInactive).toBe(true);
  }),
  claim(page, "Before training (step 0) the lab's default model counts every unit as active", async () => {
    // The lab's default untrained (784-256-8 MLP; 784-128-2 on a small screen), for the page's default
    // seed and four others: each unit's variance over 500 binarized test digits of its mean, recounted
    // by hand, is above 0.01.
    await chooseBackend({prefer: "cpu"});
    const before = tf.memory().numTensors;
    const test = await loadMnist("test");
    const n = 500;
    const x = tf.tensor2d(binarize(test.images.subarray(0, n * 784), mulberry32(3)), [n, 784]);
    for (const [hidden, units] of [[256, 8], [128, 2]]) for (let seed = 1; seed <= 5; seed++) {
      const model = createModel(modelConfig({hiddenSizes: [hidden], latentDim: units, seed}));
      const means = tf.tidy(() => model.encode(x).mean.arraySync() as number[][]);
      for (let u = 0; u < units; u++) {
        const column = means.map((row) => row[u]);
        const mean = column.reduce((a, b) => a + b, 0) / n;
        const variance = column.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
        expect(variance, `seed ${seed}, unit ${u}`).toBeGreaterThan(0.01);
      }
      model.dispose();
    }
    x.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }),
  // The idea: the unit. The page writes 1/ln 2 ≈ 1.44 in math right after this phrase.
  claim(page, "every log-probability is in nats", () => {
    expect(1 / Math.LN2).toBeCloseTo(1.44, 2);
  }),

  // The blur figure: for every digit its slider offers (test digits 0–99) and every radius (1–3), the
  // best σ of the pixel-wise mean of the shifted copies grows with the radius. Recomputed here with
  // plain arrays (a shift loop of its own, not lib's shiftedCopies).
  claim(page, "Widen the uncertainty and watch the mean blur further and its best σ grow", async () => {
    const test = await loadMnist("test");
    const shifted = (image: Float32Array, dx: number, dy: number) => {
      const out = new Float64Array(784);
      for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) if (y - dy >= 0 && y - dy < 28 && x - dx >= 0 && x - dx < 28) out[y * 28 + x] = image[(y - dy) * 28 + x - dx];
      return out;
    };
    for (let digit = 0; digit < 100; digit++) {
      const image = test.images.slice(digit * 784, (digit + 1) * 784);
      const bestSigma = [1, 2, 3].map((r) => {
        const copies: Float64Array[] = [];
        for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) copies.push(shifted(image, dx, dy));
        const average = new Float64Array(784);
        for (const c of copies) for (let p = 0; p < 784; p++) average[p] += c[p] / copies.length;
        let error = 0;
        for (const c of copies) for (let p = 0; p < 784; p++) error += (c[p] - average[p]) ** 2 / copies.length;
        return Math.sqrt(error / 784);
      });
      expect(bestSigma[1]).toBeGreaterThan(bestSigma[0]);
      expect(bestSigma[2]).toBeGreaterThan(bestSigma[1]);
    }
  }),

  // The lab: the training set it streams in (the site's mnist-train-*.bin files: 785 bytes per digit).
  claim(page, "all 60,000 training digits, about 47 MB", async () => {
    const train = await loadMnist("train");
    expect(train.count).toBe(60_000);
    const bytes = [0, 1, 2, 3, 4, 5].reduce((total, part) => {
      const images = new Uint8Array(10_000 * 784);
      const labels = new Uint8Array(10_000);
      return total + encodeDigits(images, labels, 28, 28, part * 10_000).byteLength;
    }, 0);
    expect(Math.abs(bytes / 1e6 - 47) / 47).toBeLessThan(0.02);
  }),

  // Try this: the shipped model the lab continues from (model-vae-20d.bin is built from this folder).
  claim(page, "Continue training from the shipped 20-dimensional VAE", async () => {
    const json = JSON.parse(await readFile(new URL("../../data/checkpoints/vae-20d/model.json", import.meta.url), "utf8"));
    expect(json.modelTopology.config.latentDim).toBe(20);
    expect(json.modelTopology.config.kind).toBe("vae");
  }),

  // Common mistake: averaging the reconstruction over the pixels is β = 784 on the summed form.
  claim(
    page,
    "Averaging the reconstruction log-likelihood over the 784 pixels while summing the KL over the latent units. It looks like a harmless normalization, but it weighs the KL 784 times more than the ELBO does, the same as β = 784",
    async () => {
      await chooseBackend({prefer: "cpu"});
      const model = createModel(modelConfig({hiddenSizes: [16], latentDim: 3, seed: 4}));
      expect(model.config.imageShape[0] * model.config.imageShape[1]).toBe(784);
      const x = tf.tensor2d(binarize(Float32Array.from({length: 4 * 784}, (_, i) => (i % 7) / 7), mulberry32(2)), [4, 784]);
      const {mean, logVar} = model.encode(x);
      const epsilon = tf.randomNormal([1, 4, 3], 0, 1, "float32", 9);
      const decode = (z: Tensor2D) => model.decode(z);
      const sumOfBoth = elbo({x, mean, logVar, decode, likelihood: {kind: "bernoulli"}, beta: 784, epsilon});
      // The averaged loss, by hand: log p(x|z) per pixel (x·l − softplus(l)) averaged over pixels, minus the summed KL.
      const logits = model.decode(tf.add(mean, tf.mul(tf.exp(logVar.mul(0.5)), epsilon.reshape([4, 3]))) as Tensor2D);
      const l = logits.dataSync();
      const xs = x.dataSync();
      const m = mean.dataSync();
      const v = logVar.dataSync();
      const summed = sumOfBoth.elbo.dataSync();
      for (let n = 0; n < 4; n++) {
        let perPixel = 0;
        for (let i = 0; i < 784; i++) perPixel += (xs[n * 784 + i] * l[n * 784 + i] - softplus(l[n * 784 + i])) / 784;
        let kl = 0;
        for (let j = 0; j < 3; j++) kl += 0.5 * (Math.exp(v[n * 3 + j]) + m[n * 3 + j] ** 2 - 1 - v[n * 3 + j]);
        const averaged = perPixel - kl;
        expect(784 * averaged).toBeCloseTo(summed[n], 1);
      }
      tf.dispose([x, mean, logVar, epsilon, logits, sumOfBoth.logLikelihood, sumOfBoth.kl, sumOfBoth.elbo]);
      model.dispose();
    }
  ),

  // The same mistake, trained: β = 784 on exercise 2's model and seed.
  claim(
    page,
    "after 150 steps no unit's encoder mean varies across held-out digits with a variance above 0.01 (none of the 8 units is active, in chapter 10's terms) and their KL is below 0.01 nats",
    async () => {
      const at = (await pixelAveraged()).after.get(150) as Split;
      expect(at.variances).toHaveLength(8);
      expect(Math.max(...at.variances)).toBeLessThan(0.01);
      expect(at.kl).toBeLessThan(0.01);
    }
  ),

  // Exercise 1 and its solution (the solution's 0.184 is in math, so only the question is scanned).
  claim(page, "A model reports −ELBO 100 nats per image. How many bits per pixel is that?", () => {
    expect(100 / (784 * Math.LN2)).toBeCloseTo(0.184, 3);
  }),

  // Exercise 2: the KL's early peak, re-run.
  claim(
    page,
    "Train a VAE like the lab's default on a wide screen (one hidden layer of 256 units, 8 latent dimensions, β = 1, batch 128, learning rate 0.001, seed 1) and watch the KL of the first 60 steps. It starts near 1 nat, climbs to a peak near 60 nats around step 14, and is back near 13 nats by step 40.",
    async () => {
      const {kl} = await exercise2();
      expect(kl).toHaveLength(60);
      expect(Math.abs(kl[0] - 1)).toBeLessThan(0.5);
      const peak = peakStep(kl);
      expect(Math.abs(kl[peak - 1] - 60)).toBeLessThan(5);
      expect(Math.abs(peak - 14)).toBeLessThanOrEqual(2);
      expect(Math.abs(kl[39] - 13)).toBeLessThan(2);
    }
  ),
  claim(page, "On 500 binarized test digits, right after the step where the batch KL peaks, the shared shift", async () => {
    const {kl, after} = await exercise2();
    const at = after.get(peakStep(kl)) as Split;
    expect(at).toBeDefined();
    // the split is exact: KL = shared + spread + the variance part, which is ≥ 0
    expect(at.shared + at.spread).toBeLessThanOrEqual(at.kl + 1e-3);
  }),
  claim(page, "makes up nearly nine tenths of the KL, and the spread between digits, the part that could tell them apart, is about 4 nats.", async () => {
    const {kl, after} = await exercise2();
    const at = after.get(peakStep(kl)) as Split;
    expect(at.shared / at.kl).toBeGreaterThan(0.84);
    expect(at.shared / at.kl).toBeLessThan(0.92);
    expect(Math.abs(at.spread - 4)).toBeLessThan(0.75);
  }),
  claim(page, "By step 60 the shared part is still falling while the spread between digits has grown", async () => {
    const {after} = await exercise2();
    const [s40, s60] = [after.get(40) as Split, after.get(60) as Split];
    expect(s60.shared).toBeLessThan(s40.shared);
    expect(s60.spread).toBeGreaterThan(s40.spread);
  }),

  // Exercise 3: with β = 0 the log-variances keep falling.
  claim(
    page,
    "the average log σ² over 500 binarized test digits falls from each of steps 20, 40, 60 and 80 to the next, and at step 60 it is below the value the same model reaches with",
    async () => {
      const free = (await exercise3()).after;
      const values = [20, 40, 60, 80, 100].map((s) => (free.get(s) as Split).logVar);
      for (let i = 1; i < values.length; i++) expect(values[i]).toBeLessThan(values[i - 1]);
      const withKl = (await exercise2()).after.get(60) as Split;
      expect(values[2]).toBeLessThan(withKl.logVar);
    }
  ),
  claim(
    page,
    "averaged over the same 500 digits, it is above 100 nats at each of steps 20, 40, 60, 80 and 100, and rises from each of steps 40, 60 and 80 to the next",
    async () => {
      const free = (await exercise3()).after;
      const kl = [20, 40, 60, 80, 100].map((s) => (free.get(s) as Split).kl);
      for (const v of kl) expect(v).toBeGreaterThan(100);
      for (let i = 2; i < kl.length; i++) expect(kl[i]).toBeGreaterThan(kl[i - 1]);
    }
  ),

  // Exercise 4 (its numbers are in the solution's math): against the sum of 784 normal log-densities.
  claim(page, "A Gaussian decoder with σ = 0.1 reconstructs a digit with a squared error of 15, summed over the 784 pixels.", () => {
    const normalLogPdf = (e: number, s: number) => -0.5 * Math.log(2 * Math.PI * s * s) - (e * e) / (2 * s * s);
    const e = Math.sqrt(15 / 784); // any split of the error gives the same sum; spread it evenly
    const logLik = (s: number) => Array.from({length: 784}, () => normalLogPdf(e, s)).reduce((a, b) => a + b, 0);
    expect(-392 * Math.log(2 * Math.PI * 0.01)).toBeCloseTo(1084.8, 1);
    expect(15 / 0.02).toBe(750);
    expect(logLik(0.1)).toBeCloseTo(334.8, 1);
    expect(15 / 784).toBeCloseTo(0.0191, 4);
    const best = Math.sqrt(15 / 784);
    expect(best).toBeCloseTo(0.138, 3);
    expect(logLik(best)).toBeCloseTo(438.4, 1);
    for (const other of [0.9, 0.99, 1.01, 1.1]) expect(logLik(best * other)).toBeLessThan(logLik(best));
  }),

  // Exercise 5: the per-pixel mean squared error plus the KL is a Gaussian with σ² = D/2.
  claim(page, "averaged over the 784 pixels, plus the KL", () => {
    const sigma2 = 784 / 2;
    expect(sigma2).toBe(392);
    expect(Math.sqrt(sigma2)).toBeCloseTo(19.8, 1);
    // The two losses differ by a constant: S/D + KL against S/(2σ²) + KL + (D/2) log(2πσ²).
    const draw = mulberry32(5);
    for (let trial = 0; trial < 5; trial++) {
      const [S, kl] = [draw() * 100, draw() * 30];
      const gaussian = S / (2 * sigma2) + kl + 392 * Math.log(2 * Math.PI * sigma2);
      expect(gaussian - (S / 784 + kl)).toBeCloseTo(392 * Math.log(2 * Math.PI * sigma2), 8);
    }
    expect((2 * sigma2) / (2 * 0.01)).toBeCloseTo(39_200, 6);
  }),
  claim(page, "How does its weight on the KL compare with σ = 0.1?", () => {
    expect(392 / 0.1 ** 2).toBeCloseTo(39_200, 6);
  }),

  // Exercise 6's solution: pixels that never change, counted over the training set.
  claim(page, "67 of MNIST's pixels, mostly at its borders, are 0 in all 60,000 training images", async () => {
    const train = await loadMnist("train");
    expect(train.count).toBe(60_000);
    const never: number[] = [];
    for (let p = 0; p < 784; p++) {
      let zero = true;
      for (let i = 0; i < train.count && zero; i++) zero = train.images[i * 784 + p] === 0;
      if (zero) never.push(p);
    }
    expect(never).toHaveLength(67);
    const onBorder = never.filter((p) => [p % 28, Math.floor(p / 28)].some((c) => c < 3 || c > 24));
    expect(onBorder.length / never.length).toBeGreaterThan(0.5);
  }),

  // Exercise 7: a confident wrong logit, in float32 (emulated, and on the CPU backend) and stably.
  claim(page, "A decoder outputs the logit l = 20 for a pixel with no ink (x = 0).", async () => {
    const choice = await chooseBackend({prefer: "cpu"});
    expect(choice.backend).toBe("cpu");
    expect(1 / (1 + Math.exp(20))).toBeCloseTo(2.1e-9, 10);
    expect(2 ** -25).toBeCloseTo(3.0e-8, 9);
    expect(naiveFloat32LogProbability(0, 20)).toBe(-Infinity);
    const l = tf.tensor1d([20]);
    const x = tf.tensor1d([0]);
    const naive = naiveBernoulliLogProbabilities(x, l);
    const stable = stableBernoulliLogProbabilities(x, l);
    expect(naive.dataSync()[0]).toBe(-Infinity);
    expect(stable.dataSync()[0]).toBeCloseTo(-20, 5);
    expect(-softplus(20)).toBeCloseTo(-20.000000002, 9);
    tf.dispose([l, x, naive, stable]);
  })
];
