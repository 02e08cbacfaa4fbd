import {describe, expect, it} from "vitest";
import {
  BatchSampler,
  CheckpointError,
  chooseBackend,
  createModel,
  createVqVae,
  evaluateVqVae,
  checkpointKind,
  modelConfig,
  modelFromArtifacts,
  modelToArtifacts,
  mulberry32,
  tf,
  uniformCodePriorKl,
  validateVqVaeConfig,
  vqvaeConfig,
  vqvaeFromArtifacts,
  vqvaeToArtifacts,
  VqVaeTrainer,
  loadVqVaeWeightsInto,
  type VqVaeProgress
} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {leakedBy, useBackend, values} from "./helpers.ts";

useBackend("cpu");

// 8×8 images: a 2×2 grid of codes.
const tiny = vqvaeConfig({imageShape: [8, 8, 1], hiddenSizes: [4, 6], codeDim: 3, codebookSize: 5, seed: 2});
const data = prototypeData({count: 64, side: 8, classes: 4, seed: 3});
/** 8×8 images, each with one of its four 4×4 quadrants on (pixel probability 0.97) and the rest off (0.03): easy to learn. */
function quadrants(count: number, seed: number) {
  const draw = mulberry32(seed);
  const images = new Float32Array(count * 64);
  for (let i = 0; i < count; i++) {
    const q = Math.floor(draw() * 4);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) images[i * 64 + r * 8 + c] = Math.floor(r / 4) * 2 + Math.floor(c / 4) === q ? 0.97 : 0.03;
  }
  return {images, count, pixels: 64};
}
const binaryBatch = (n: number, seed: number) => tf.tidy(() => tf.randomUniform([n, 64], 0, 1, "float32", seed).greater(0.5).toFloat());

/** Nearest code and squared distance per vector, by brute force in float64. */
function nearest(vectors: number[], codebook: number[], dim: number) {
  return Array.from({length: vectors.length / dim}, (_, i) => {
    let best = {index: -1, distance: Infinity};
    for (let k = 0; k < codebook.length / dim; k++) {
      let d = 0;
      for (let j = 0; j < dim; j++) d += (vectors[i * dim + j] - codebook[k * dim + j]) ** 2;
      if (d < best.distance) best = {index: k, distance: d};
    }
    return best;
  });
}

describe("VQ-VAE model", () => {
  it("createVqVae(vqvaeConfig()) is the 28×28 → 7×7 × 8 conv VQ-VAE with K = 64, with the parameter count worked out by hand", () => {
    const model = createVqVae(vqvaeConfig());
    expect(model.grid).toEqual([7, 7]);
    expect(model.config.latentDim).toBe(49);
    // encoder 3·3·1·16+16, 3·3·16·32+32, 1·1·32·8+8; codebook 64·8; decoder 3·3·8·32+32, 3·3·32·16+16, 3·3·16·1+1
    expect(model.params.size()).toBe(160 + 4640 + 264 + 512 + 2336 + 4624 + 145);
    model.dispose();
  });

  it("validateVqVaeConfig refuses a wrong grid size, codebook or kind with a sentence", () => {
    expect(() => validateVqVaeConfig({...tiny, latentDim: 5})).toThrow(/latentDim must be the grid's 4 positions/);
    expect(() => validateVqVaeConfig({...tiny, codebookSize: 0})).toThrow(/codebookSize/);
    expect(() => validateVqVaeConfig({...tiny, kind: "vae"})).toThrow(/kind must be vqvae/);
    expect(() => validateVqVaeConfig({...tiny, imageShape: [10, 8, 1]})).toThrow(/divisible by 4/);
  });

  it("model.terms(x) is −log p(x|z_q) of the brute-force nearest codes, the summed squared distances, and their weighted sum", async () => {
    const model = createVqVae(tiny);
    expect(
      await leakedBy(() => {
        const x = binaryBatch(6, 1);
        const t = model.terms(x, {commitment: 0.4});
        const zE = tf.tidy(() => values(model.encode(x)));
        const codebook = values(model.codebook());
        const want = nearest(zE, codebook, 3);
        expect(values(t.indices)).toEqual(want.map((w) => w.index));
        const perImage = (i: number) => want.slice(i * 4, i * 4 + 4).reduce((s, w) => s + w.distance, 0);
        expect(values(t.codebookLoss)).toEqual([0, 1, 2, 3, 4, 5].map((i) => expect.closeTo(perImage(i), 4)));
        expect(values(t.commitmentLoss)).toEqual(values(t.codebookLoss));
        // −log Bernoulli(x | σ(l)) summed over pixels, with the logits of the chosen codes, in float64.
        const logits = tf.tidy(() => values(model.decodeCodes(t.indices)));
        const pixels = values(x);
        const nll = [0, 1, 2, 3, 4, 5].map((i) => {
          let s = 0;
          for (let p = 0; p < 64; p++) {
            const l = logits[i * 64 + p];
            const logSigmoid = -Math.log1p(Math.exp(-l));
            s -= pixels[i * 64 + p] * logSigmoid + (1 - pixels[i * 64 + p]) * (logSigmoid - l);
          }
          return s;
        });
        expect(values(t.reconstructionLoss)).toEqual(nll.map((v) => expect.closeTo(v, 3)));
        const r = values(t.reconstructionLoss);
        const c = values(t.codebookLoss);
        expect(values(t.loss)).toEqual(r.map((v, i) => expect.closeTo(v + c[i] * 1.4, 3)));
        tf.dispose([x, t.reconstructionLoss, t.codebookLoss, t.commitmentLoss, t.loss, t.indices]);
      })
    ).toBe(0);
    model.dispose();
  });

  it("model.loss(x): the codebook's gradient comes from the codebook loss alone, and the encoder's reaches it through the straight-through path", () => {
    const model = createVqVae(tiny);
    const x = binaryBatch(8, 2);
    const codebook = model.codebook();
    const encoderFilter = model.params.get("encoder/conv0/filter");
    const {grads} = tf.variableGrads(() => {
      const l = model.loss(x, {commitment: 0.25});
      l.indices.dispose();
      return l.loss;
    }, [codebook, encoderFilter]);
    const {grads: codebookOnly} = tf.variableGrads(() => {
      const l = model.loss(x);
      l.indices.dispose();
      return l.codebookLoss;
    }, [codebook]);
    expect(values(grads[codebook.name])).toEqual(values(codebookOnly[codebook.name]).map((v) => expect.closeTo(v, 5)));
    // With β = 0 and the codebook loss out of the picture, the encoder still learns: from the decoder, straight through.
    const {grads: reconstructionOnly} = tf.variableGrads(() => {
      const l = model.loss(x);
      l.indices.dispose();
      return l.reconstructionLoss;
    }, [encoderFilter]);
    expect(Math.max(...values(reconstructionOnly[encoderFilter.name]).map(Math.abs))).toBeGreaterThan(1e-4);
    tf.dispose([x, ...Object.values(grads), ...Object.values(codebookOnly), ...Object.values(reconstructionOnly)]);
    model.dispose();
  });

  for (const name of ["decoder/conv2/filter", "decoder/conv1/filter", "decoder/conv0/filter"]) it(`model.loss(x)'s gradient for ${name} matches central finite differences (the codes do not move with the decoder)`, () => {
    const model = createVqVae({...tiny, seed: 5});
    const x = binaryBatch(4, 3);
    const filter = model.params.get(name);
    const lossValue = () => tf.tidy(() => {
      const l = model.loss(x);
      return values(l.loss)[0];
    });
    const {grads} = tf.variableGrads(() => {
      const l = model.loss(x);
      l.indices.dispose();
      return l.loss;
    }, [filter]);
    const analytic = values(grads[filter.name]);
    const scale = Math.max(...analytic.map(Math.abs));
    const original = values(filter);
    const h = 3e-3;
    for (const i of [0, 5, 11, 20, 35]) {
      const at = (delta: number) => {
        const shifted = original.map((v, j) => (j === i ? v + delta : v));
        filter.assign(tf.tensor(shifted, filter.shape));
        return lossValue();
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      // Relative to the gradient's scale: these gradients are small (about 0.01–0.1).
      expect(Math.abs(numeric - analytic[i])).toBeLessThan(0.05 * scale + 1e-3);
    }
    tf.dispose([x, ...Object.values(grads)]);
    model.dispose();
  });

  it("model.codes, decodeCodesMean and reconstruct return [batch, h, w] int32 codes and pixel probabilities", () => {
    const model = createVqVae(tiny);
    tf.tidy(() => {
      const x = binaryBatch(3, 4);
      const codes = model.codes(x);
      expect(codes.shape).toEqual([3, 2, 2]);
      expect(codes.dtype).toBe("int32");
      const mean = values(model.decodeCodesMean(codes));
      expect(mean.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(values(model.reconstruct(x))).toEqual(mean.map((v) => expect.closeTo(v, 6)));
      // decodeCodes also takes flat grids [batch, h·w].
      expect(values(model.decodeCodes(codes.reshape([3, 4])))).toEqual(values(model.decodeCodes(codes)));
    });
    model.dispose();
  });

  it("uniformCodePriorKl(config) is positions · log K: 49 · log 64 for the MNIST default", () => {
    expect(uniformCodePriorKl(vqvaeConfig())).toBeCloseTo(49 * Math.log(64), 10);
    expect(uniformCodePriorKl(tiny)).toBeCloseTo(4 * Math.log(5), 10);
  });
});

describe("VqVaeTrainer", () => {
  it("VqVaeTrainer.run() lowers the loss on a small dataset, reports code usage over its window, and leaks no tensors", async () => {
    const model = createVqVae(tiny);
    const before = tf.memory().numTensors;
    const reports: VqVaeProgress[] = [];
    const trainer = new VqVaeTrainer({model, data: quadrants(64, 3), batchSize: 16, epochs: 30, learningRate: 1e-2, seed: 1, readEvery: 4, deadWindow: 8, onProgress: (p) => reports.push(p)});
    expect(await trainer.run()).toBe("done");
    const h = trainer.history;
    // 120 steps: this tiny model sits on a plateau near 43 nats for about 60 steps (with the corrected
    // upsampling gradient) before the codes start to name the quadrants.
    expect(h).toHaveLength(120);
    const first = h.slice(0, 4).reduce((s, r) => s + r.loss, 0) / 4;
    const last = h.slice(-4).reduce((s, r) => s + r.loss, 0) / 4;
    // From about 64·log 2 nats (every pixel a coin flip) towards the quadrant the codes name.
    expect(first).toBeGreaterThan(42);
    expect(last).toBeLessThan(first * 0.85);
    const r = h[h.length - 1];
    expect(r.loss).toBeCloseTo(r.reconstructionLoss + r.codebookLoss + 0.25 * r.commitmentLoss, 3);
    // The histogram counts 8 batches × 16 images × 4 positions.
    const usage = reports.at(-1)?.usage ?? [];
    expect(usage.reduce((a, b) => a + b, 0)).toBe(8 * 16 * 4);
    expect(reports.at(-1)?.dead).toEqual(usage.flatMap((c, k) => (c === 0 ? [k] : [])));
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it("VqVaeTrainer: a code forced dead is detected after `deadWindow` batches and reseedDeadCodes() moves it onto an encoder output of the latest batch", async () => {
    const model = createVqVae(tiny);
    const codebook = model.codebook();
    // Code 4 far from every encoder output: nothing will choose it.
    const table = values(codebook);
    table.splice(12, 3, 100, 100, 100);
    codebook.assign(tf.tensor2d(table, [5, 3]));
    const trainer = new VqVaeTrainer({model, data, batchSize: 16, epochs: 1, seed: 7, deadWindow: 2, learningRate: 1e-3});
    await trainer.singleStep();
    expect(trainer.deadCodes()).toEqual([]);
    await trainer.singleStep();
    expect(trainer.deadCodes()).toContain(4);
    const moved = trainer.reseedDeadCodes();
    expect(moved).toContain(4);
    // The second batch, drawn again by a sampler with the trainer's seed, encoded by the model as it is now.
    const sampler = new BatchSampler(data, {batchSize: 16, seed: 7, binarize: "dynamic"});
    sampler.next();
    const batch = sampler.next();
    const outputs = tf.tidy(() => values(model.encode(tf.tensor2d(batch.x, [16, 64]))));
    const row = values(codebook).slice(12, 15);
    const closest = nearest(row, outputs, 3)[0];
    expect(closest.distance).toBeLessThan(1e-10);
    // A re-seeded code is not dead again at once.
    expect(trainer.deadCodes()).not.toContain(4);
    trainer.dispose();
    model.dispose();
  });

  it("VqVaeTrainer({reseed: true}) re-seeds dead codes by itself at readbacks and reports them", async () => {
    const model = createVqVae(tiny);
    const codebook = model.codebook();
    const table = values(codebook);
    table.splice(0, 3, -100, -100, -100);
    codebook.assign(tf.tensor2d(table, [5, 3]));
    const reports: VqVaeProgress[] = [];
    const trainer = new VqVaeTrainer({model, data, batchSize: 16, epochs: 2, seed: 3, deadWindow: 2, readEvery: 2, reseed: true, onProgress: (p) => reports.push(p)});
    await trainer.run();
    const events = reports.flatMap((p) => p.reseeded);
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toEqual({step: 2, codes: expect.arrayContaining([0])});
    expect(Math.max(...values(codebook).slice(0, 3).map(Math.abs))).toBeLessThan(50);
    trainer.dispose();
    model.dispose();
  });

  it("VqVaeTrainer trains on the WASM backend (whose conv2d has no filter gradient of its own)", async () => {
    await chooseBackend({prefer: "wasm"});
    expect(tf.getBackend()).toBe("wasm");
    const model = createVqVae(tiny);
    const trainer = new VqVaeTrainer({model, data, batchSize: 16, epochs: 1, seed: 1});
    const record = await trainer.singleStep();
    expect(Number.isFinite(record?.loss)).toBe(true);
    trainer.dispose();
    model.dispose();
    await chooseBackend({prefer: "cpu"});
  });

  it("VqVaeTrainer refuses a negative commitment weight and data of the wrong size", () => {
    const model = createVqVae(tiny);
    expect(() => new VqVaeTrainer({model, data, commitment: -1})).toThrow(/commitment weight β must be a number ≥ 0/);
    expect(() => new VqVaeTrainer({model, data: prototypeData({side: 4})})).toThrow(/16 pixels per image, the model expects 8×8×1/);
    model.dispose();
  });
});

describe("VQ-VAE checkpoints and evaluation", () => {
  it("vqvaeToArtifacts → vqvaeFromArtifacts gives the same codes and reconstructions; the VAE loader refuses it with a sentence", async () => {
    const model = createVqVae(tiny);
    const artifacts = await vqvaeToArtifacts(model, {metadata: {epochsCompleted: 3}});
    expect(checkpointKind(artifacts)).toBe("vqvae");
    const loaded = vqvaeFromArtifacts(artifacts);
    tf.tidy(() => {
      const x = binaryBatch(5, 9);
      expect(values(loaded.codes(x))).toEqual(values(model.codes(x)));
      expect(values(loaded.reconstruct(x))).toEqual(values(model.reconstruct(x)));
    });
    expect(() => modelFromArtifacts(artifacts)).toThrow(CheckpointError);
    const half = vqvaeFromArtifacts(await vqvaeToArtifacts(model, {float16: true}));
    expect(values(half.codebook())).toEqual(values(model.codebook()).map((v) => expect.closeTo(v, 3)));
    const other = createVqVae({...tiny, codebookSize: 6});
    expect(() => loadVqVaeWeightsInto(other, artifacts)).toThrow(/different VQ-VAE/);
    [loaded, half, other, model].forEach((m) => m.dispose());
  });

  it("vqvaeFromArtifacts refuses a VAE checkpoint, saying what it holds", async () => {
    const vae = createModel(modelConfig({imageShape: [8, 8, 1], hiddenSizes: [4], latentDim: 2}));
    const artifacts = await modelToArtifacts(vae);
    expect(checkpointKind(artifacts)).toBe("vae");
    expect(() => vqvaeFromArtifacts(artifacts)).toThrow(/holds a "vae" model, not a VQ-VAE/);
    vae.dispose();
  });

  it("evaluateVqVae(model, data) averages model.terms over the binarized images and counts the codes; −ELBO with a uniform prior adds positions · log K", async () => {
    const model = createVqVae(tiny);
    const metrics = await evaluateVqVae(model, data, {limit: 30, batchSize: 7, seed: 4});
    expect(metrics.examples).toBe(30);
    expect(metrics.codes).toHaveLength(30 * 4);
    expect(metrics.counts.reduce((a, b) => a + b, 0)).toBe(120);
    expect(metrics.codesUsed + metrics.deadCodes).toBe(5);
    expect(metrics.negElboUniformPrior).toBeCloseTo(metrics.reconstructionLoss + 4 * Math.log(5), 6);
    // The codes are the model's codes of the same binarized images, and each position's entropy is ≥ 0.
    expect(metrics.activePositions.entropies.every((e) => e >= 0 && e <= Math.log(5) + 1e-9)).toBe(true);
    // Recompute the mean reconstruction in one batch: the batching must not change it.
    const {binarizedTestImages} = await import("../../lib/evaluateVqvae.ts");
    const images = binarizedTestImages(data, {seed: 4, limit: 30});
    const whole = tf.tidy(() => {
      const t = model.terms(tf.tensor2d(images, [30, 64]));
      return {r: values(t.reconstructionLoss.mean())[0], codes: values(t.indices)};
    });
    expect(metrics.reconstructionLoss).toBeCloseTo(whole.r, 3);
    expect(Array.from(metrics.codes)).toEqual(whole.codes);
    model.dispose();
  });
});
