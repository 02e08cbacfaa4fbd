import {afterEach, describe, expect, it, vi} from "vitest";
import {chooseBackend, createModel, modelConfig, readbackInterval, tf, Trainer, type Progress, type StepRecord} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("cpu");

const config = modelConfig({imageShape: [4, 4, 1], hiddenSizes: [16], latentDim: 2, seed: 5});
const data = prototypeData();

function make(options: Partial<ConstructorParameters<typeof Trainer>[0]> = {}) {
  const model = createModel(config);
  const trainer = new Trainer({model, data, batchSize: 32, learningRate: 1e-2, epochs: 3, seed: 1, readEvery: 4, ...options});
  return {model, trainer, done: () => (trainer.dispose(), model.dispose())};
}

const curve = (history: readonly StepRecord[]) => history.map((r) => [r.loss, r.negElbo, r.reconstructionLoss, r.kl]);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

afterEach(() => vi.restoreAllMocks());

describe("Trainer", () => {
  it("run() with the same seed reproduces the same loss curve exactly (CPU backend)", async () => {
    const curves = [];
    for (let run = 0; run < 2; run++) {
      const {trainer, done} = make();
      await trainer.run();
      curves.push(curve(trainer.history));
      done();
    }
    expect(curves[0]).toHaveLength(24); // 3 epochs × 256/32 batches
    expect(curves[1]).toEqual(curves[0]);
  });

  it("run() lowers the −ELBO: the last epoch's mean is well below the first's", async () => {
    const {trainer, done} = make({epochs: 20});
    await trainer.run();
    const first = mean(trainer.history.slice(0, 8).map((r) => r.negElbo));
    const last = mean(trainer.history.slice(-8).map((r) => r.negElbo));
    expect(trainer.state).toBe("done");
    expect(last).toBeLessThan(first * 0.8);
    done();
  });

  it("onProgress receives the steps read back since the last report, readEvery at a time", async () => {
    const reports: Progress[] = [];
    const {trainer, done} = make({onProgress: (p) => reports.push(p)});
    await trainer.run();
    expect(reports.slice(0, -1).map((r) => r.records.length)).toEqual(Array(6).fill(4));
    expect(reports.at(-1)?.state).toBe("done");
    done();
  });

  it("StepRecord at β = 1: the training loss is the −ELBO, and reconstructionLoss is ≥ 0 (Bernoulli)", async () => {
    const {trainer, done} = make({epochs: 1});
    await trainer.run();
    for (const r of trainer.history) {
      expect(r.beta).toBe(1);
      expect(r.loss).toBeCloseTo(r.negElbo, 4);
      expect(r.reconstructionLoss).toBeGreaterThan(0);
    }
    done();
  });

  it("StepRecord at β = 4: loss and −ELBO are two numbers, loss − negElbo = (β − 1)·KL", async () => {
    const {trainer, done} = make({epochs: 1, beta: 4});
    await trainer.run();
    for (const r of trainer.history) {
      expect(r.beta).toBe(4);
      expect(r.loss - r.negElbo).toBeCloseTo(3 * r.kl, 3);
    }
    done();
  });

  it("Trainer({warmupSteps: 4}) trains with β = 0, ¼, ½, ¾ of β, then β", async () => {
    const {trainer, done} = make({epochs: 1, beta: 2, warmupSteps: 4, readEvery: 1});
    await trainer.run();
    expect(trainer.history.map((r) => r.beta)).toEqual([0, 0.5, 1, 1.5, 2, 2, 2, 2]);
    expect(trainer.history[0].loss).toBeCloseTo(trainer.history[0].reconstructionLoss, 4);
    done();
  });

  it("Trainer({freeBits}) minimizes a loss of at least reconstructionLoss + β·λ·latentDim", async () => {
    const {trainer, done} = make({epochs: 1, freeBits: 2});
    await trainer.run();
    for (const r of trainer.history) expect(r.loss).toBeGreaterThanOrEqual(r.reconstructionLoss + 2 * 2 - 1e-4);
    done();
  });

  it("Progress.examplesPerSecond counts the wait for the losses to arrive (a clock that only readbacks advance)", async () => {
    // Freeze the clock and let every readback take 50 ms of it, as a busy GPU would: 4 steps of 32
    // examples per readback then run at exactly 128 / 0.05 s = 2,560 examples/s.
    let now = 0;
    vi.spyOn(performance, "now").mockImplementation(() => now);
    const original = tf.Tensor.prototype.data;
    vi.spyOn(tf.Tensor.prototype, "data").mockImplementation(async function (this: tf.Tensor) {
      now += 50;
      return original.call(this);
    } as typeof original);
    const reports: Progress[] = [];
    const {trainer, done} = make({epochs: 1, onProgress: (p) => reports.push(p)});
    await trainer.run();
    const full = reports.filter((r) => r.records.length === 4);
    expect(full.length).toBe(2);
    for (const r of full) expect(r.examplesPerSecond).toBeCloseTo(2560, 6);
    done();
  });

  it("setReadEvery(n) changes how many steps each later readback carries", async () => {
    const reports: Progress[] = [];
    const {trainer, done} = make({epochs: 2});
    trainer.onProgress = (p) => {
      reports.push(p);
      if (reports.length === 1) trainer.setReadEvery(2);
    };
    await trainer.run();
    expect(reports[0].records).toHaveLength(4);
    expect(reports.slice(1, -1).every((r) => r.records.length === 2)).toBe(true);
    expect(trainer.options.readEvery).toBe(2);
    done();
  });

  it("setReadEvery, setLearningRate, setBeta, setWarmupSteps and setFreeBits refuse nonsense with a sentence", () => {
    const {trainer, done} = make();
    expect(() => trainer.setReadEvery(0)).toThrow(/readEvery must be a positive whole number/);
    expect(() => trainer.setLearningRate(-1)).toThrow(/learning rate must be a positive number/);
    expect(() => trainer.setBeta(Number.NaN)).toThrow(/β must be a number ≥ 0/);
    expect(() => trainer.setWarmupSteps(1.5)).toThrow(/warm-up steps must be a whole number/);
    expect(() => trainer.setFreeBits(-0.1)).toThrow(/free bits λ must be a number ≥ 0/);
    done();
  });

  it("setBeta(b) changes β for the steps that follow, and options shows it", async () => {
    const {trainer, done} = make({epochs: 1, readEvery: 1});
    trainer.onProgress = (p) => {
      if (p.step === 3) trainer.setBeta(0);
    };
    await trainer.run();
    expect(trainer.history.map((r) => r.beta)).toEqual([1, 1, 1, 0, 0, 0, 0, 0]);
    expect(trainer.options.beta).toBe(0);
    done();
  });

  it("options is a read-only copy: changing it changes nothing", () => {
    const {trainer, done} = make();
    const copy = trainer.options as {beta: number};
    copy.beta = 7;
    expect(trainer.options.beta).toBe(1);
    done();
  });

  it("history keeps at most historyLimit records, the latest", async () => {
    const {trainer, done} = make({historyLimit: 5});
    await trainer.run();
    expect(trainer.history.map((r) => r.step)).toEqual([20, 21, 22, 23, 24]);
    done();
  });

  it("pause() stops a run after the current step; run() resolves with 'paused'", async () => {
    const {trainer, done} = make();
    trainer.onProgress = (p) => {
      if (p.step >= 8) trainer.pause();
    };
    expect(await trainer.run()).toBe("paused");
    expect(trainer.step).toBe(8);
    done();
  });

  it("singleStep() takes one step and returns its record", async () => {
    const {trainer, done} = make();
    const record = await trainer.singleStep();
    expect(record?.step).toBe(1);
    expect(trainer.state).toBe("paused");
    done();
  });

  it("run({signal}) ends with 'stopped' when the signal aborts", async () => {
    const {trainer, done} = make();
    const controller = new AbortController();
    const running = trainer.run({signal: controller.signal});
    controller.abort();
    expect(await running).toBe("stopped");
    done();
  });

  it("reset() restores the initial weights, step 0 and an empty history", async () => {
    const {model, trainer, done} = make();
    const initial = values(model.params.get("encoder/dense0/kernel"));
    await trainer.run();
    trainer.reset();
    expect(trainer.step).toBe(0);
    expect(trainer.history).toEqual([]);
    expect(values(model.params.get("encoder/dense0/kernel"))).toEqual(initial);
    expect(await trainer.run()).toBe("done");
    done();
  });

  it("run() after a diverging step (learning rate 1e4) ends 'diverged' with a message, and the last good weights are back", async () => {
    const {model, trainer, done} = make({learningRate: 1e4, epochs: 5, maxLoss: 1e4});
    const state = await trainer.run();
    expect(state).toBe("diverged");
    expect(trainer.divergence?.message).toMatch(/Training diverged: the loss .* at step \d+\. The learning rate \(10000\)/);
    const loss = tf.tidy(() => values(model.loss(tf.tensor2d(data.images.slice(0, 32 * 16), [32, 16]), {seed: 1}).loss)[0]);
    expect(Number.isFinite(loss)).toBe(true);
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).toBe(true);
    trainer.acknowledgeDivergence();
    trainer.setLearningRate(1e-3);
    expect(await trainer.singleStep()).toBeDefined();
    done();
  });

  it("new Trainer() refuses bad settings with a clear message", () => {
    const model = createModel(config);
    expect(() => new Trainer({model, data, learningRate: Number.NaN})).toThrow(/learning rate must be a positive number/);
    expect(() => new Trainer({model, data, beta: -1})).toThrow(/β must be a number ≥ 0/);
    expect(() => new Trainer({model, data, batchSize: 0})).toThrow(/batch size/);
    expect(() => new Trainer({model, data, historyLimit: 0})).toThrow(/historyLimit/);
    expect(() => new Trainer({model, data: {...data, pixels: 15, images: data.images.slice(0, 15 * 256)}})).toThrow(/pixels per image/);
    const cvae = createModel(modelConfig({...config, kind: "cvae", numClasses: 4}));
    expect(() => new Trainer({model: cvae, data: {...data, labels: undefined}})).toThrow(/labelled data/);
    model.dispose();
    cvae.dispose();
  });

  it("run() trains a cvae on labelled data", async () => {
    const model = createModel(modelConfig({...config, kind: "cvae", numClasses: 4, prior: "learned"}));
    const trainer = new Trainer({model, data, batchSize: 32, learningRate: 1e-2, epochs: 2, seed: 1});
    expect(await trainer.run()).toBe("done");
    expect(trainer.history.every((r) => Number.isFinite(r.loss))).toBe(true);
    trainer.dispose();
    model.dispose();
  });

  it("run() leaks no tensor: the count after 2,000 steps equals the count after 40 (WASM)", async () => {
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

describe("readbackInterval", () => {
  it("readbackInterval(examplesPerSecond, batchSize) keeps about 0.2 s of steps between readbacks, from 1 to 10", () => {
    expect(readbackInterval(200, 128)).toBe(1); // a slow GPU: 0.2 s is a third of a step
    expect(readbackInterval(3200, 128)).toBe(5); // 0.2 × 3200 / 128 = 5
    expect(readbackInterval(1e6, 128)).toBe(10);
    expect(readbackInterval(0, 128)).toBe(10); // nothing measured yet
    expect(readbackInterval(Number.NaN, 128)).toBe(10);
    expect(readbackInterval(3200, 128, {seconds: 0.4, max: 8})).toBe(8);
  });
});
