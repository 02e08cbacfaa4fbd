import {describe, expect, it, vi} from "vitest";
import {chooseBackend, createModel, modelConfig, tf, Trainer, type Progress} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("cpu");

const config = modelConfig({imageShape: [4, 4, 1], hiddenSizes: [16], latentDim: 2, seed: 5});
const data = prototypeData();

function make(options: Partial<ConstructorParameters<typeof Trainer>[0]> = {}) {
  const model = createModel(config);
  const trainer = new Trainer({model, data, batchSize: 32, learningRate: 1e-2, epochs: 3, seed: 1, readEvery: 4, ...options});
  return {model, trainer};
}

describe("trainer", () => {
  it("a seeded run on the CPU backend reproduces the same loss curve exactly", async () => {
    const curves = [];
    for (let run = 0; run < 2; run++) {
      const {model, trainer} = make();
      await trainer.run();
      curves.push(trainer.history.map((r) => [r.loss, r.reconstruction, r.kl]));
      trainer.dispose();
      model.dispose();
    }
    expect(curves[0]).toHaveLength(24); // 3 epochs × 256/32 batches
    expect(curves[1]).toEqual(curves[0]);
  });

  it("run() learns: the loss of the last epoch is well below the first", async () => {
    const {model, trainer} = make({epochs: 20});
    await trainer.run();
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(trainer.history.slice(0, 8).map((r) => r.loss));
    const last = mean(trainer.history.slice(-8).map((r) => r.loss));
    expect(trainer.state).toBe("done");
    expect(last).toBeLessThan(first * 0.8);
    trainer.dispose();
    model.dispose();
  });

  it("reports progress with ELBO parts, asynchronously every readEvery steps", async () => {
    const reports: Progress[] = [];
    const {model, trainer} = make({onProgress: (p) => reports.push(p)});
    await trainer.run();
    expect(reports.slice(0, -1).every((r) => r.records.length === 4)).toBe(true);
    const record = trainer.history[5];
    expect(record.loss).toBeCloseTo(-(record.reconstruction - record.kl), 3);
    expect(reports.at(-1)?.state).toBe("done");
    expect(reports.every((r) => r.examplesPerSecond >= 0)).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it("examples/s counts the wait for the losses to arrive (on a GPU the steps only finish by then)", async () => {
    // Make every readback take 50 ms, as a busy GPU would: 4 steps × 32 examples per readback can then
    // be no faster than 128 / 0.05 s = 2,560 examples/s, however fast the steps were dispatched.
    const original = tf.Tensor.prototype.data;
    const spy = vi.spyOn(tf.Tensor.prototype, "data").mockImplementation(async function (this: tf.Tensor) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      return original.call(this);
    } as typeof original);
    try {
      const reports: Progress[] = [];
      const {model, trainer} = make({epochs: 1, onProgress: (p) => reports.push(p)});
      await trainer.run();
      const full = reports.filter((r) => r.records.length === 4);
      expect(full.length).toBeGreaterThan(0);
      for (const r of full) expect(r.examplesPerSecond).toBeLessThanOrEqual(2560);
      trainer.dispose();
      model.dispose();
    } finally {
      spy.mockRestore();
    }
  });

  it("setReadEvery(n) changes how many steps each later readback carries, and rejects nonsense", async () => {
    const reports: Progress[] = [];
    const {model, trainer} = make({epochs: 2});
    trainer.onProgress = (p) => {
      reports.push(p);
      if (reports.length === 1) trainer.setReadEvery(2);
    };
    await trainer.run();
    expect(reports[0].records).toHaveLength(4);
    expect(reports.slice(1, -1).every((r) => r.records.length === 2)).toBe(true);
    expect(() => trainer.setReadEvery(0)).toThrow(/positive whole number/);
    trainer.dispose();
    model.dispose();
  });

  it("pause() stops after the current step, run() resumes, singleStep() does one step, stop() ends, reset() starts over", async () => {
    const {model, trainer} = make();
    trainer.onProgress = (p) => {
      if (p.step >= 8) trainer.pause();
    };
    expect(await trainer.run()).toBe("paused");
    const pausedAt = trainer.step;
    expect(pausedAt).toBeGreaterThanOrEqual(8);
    const record = await trainer.singleStep();
    expect(record?.step).toBe(pausedAt + 1);
    trainer.onProgress = undefined;
    const controller = new AbortController();
    const running = trainer.run({signal: controller.signal});
    controller.abort();
    expect(await running).toBe("stopped");
    const weightsBefore = values(model.params.get("encoder/dense0/kernel"));
    trainer.reset();
    expect(trainer.step).toBe(0);
    expect(trainer.history).toEqual([]);
    expect(values(model.params.get("encoder/dense0/kernel"))).not.toEqual(weightsBefore);
    expect(await trainer.run()).toBe("done");
    trainer.dispose();
    model.dispose();
  });

  it("a diverging run (learning rate 1e4) is caught: state 'diverged', a message, and the last good weights restored", async () => {
    const {model, trainer} = make({learningRate: 1e4, epochs: 5, maxLoss: 1e4});
    const state = await trainer.run();
    expect(state).toBe("diverged");
    expect(trainer.divergence?.message).toMatch(/Training diverged: the loss .* at step \d+\. The learning rate \(10000\)/);
    const loss = values(model.loss(tf.tensor2d(data.images.slice(0, 32 * 16), [32, 16]), {seed: 1}).loss)[0];
    expect(Number.isFinite(loss)).toBe(true);
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).toBe(true);
    trainer.acknowledgeDivergence();
    trainer.setLearningRate(1e-3);
    expect(await trainer.singleStep()).toBeDefined();
    trainer.dispose();
    model.dispose();
  });

  it("bad settings are refused with a clear message", () => {
    const model = createModel(config);
    expect(() => new Trainer({model, data, learningRate: Number.NaN})).toThrow(/learning rate must be a positive number/);
    expect(() => new Trainer({model, data, beta: -1})).toThrow(/β must be a number ≥ 0/);
    expect(() => new Trainer({model, data, batchSize: 0})).toThrow(/batch size/);
    expect(() => new Trainer({model, data: {...data, pixels: 15, images: data.images.slice(0, 15 * 256)}})).toThrow(/pixels per image/);
    const cvae = createModel(modelConfig({...config, kind: "cvae", numClasses: 4}));
    expect(() => new Trainer({model: cvae, data: {...data, labels: undefined}})).toThrow(/labelled data/);
    model.dispose();
    cvae.dispose();
  });

  it("a cvae trains on labelled data", async () => {
    const model = createModel(modelConfig({...config, kind: "cvae", numClasses: 4, prior: "learned"}));
    const trainer = new Trainer({model, data, batchSize: 32, learningRate: 1e-2, epochs: 2, seed: 1});
    expect(await trainer.run()).toBe("done");
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it("no tensor leaks: the tensor count after 2,000 steps equals the count after the first few (WASM)", async () => {
    await chooseBackend({prefer: "wasm"});
    const model = createModel(modelConfig({...config, hiddenSizes: [8]}));
    const trainer = new Trainer({model, data, batchSize: 16, epochs: 125, seed: 2, readEvery: 20}); // 16 batches × 125 = 2,000 steps
    let early = -1;
    trainer.onProgress = (p) => {
      if (p.step === 40) early = tf.memory().numTensors;
    };
    await trainer.run();
    expect(trainer.step).toBe(2000);
    expect(tf.memory().numTensors).toBe(early);
    trainer.dispose();
    model.dispose();
    await chooseBackend({prefer: "cpu"});
  });
});
