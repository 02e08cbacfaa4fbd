import {describe, expect, it} from "vitest";
import {
  createModel,
  decodeDigits,
  decodeTraversals,
  FACTOR_NAMES,
  factorColumn,
  measureDisentanglement,
  modelFromArtifacts,
  shapesSplit,
  encodeDigits,
  modelToArtifacts,
  tf,
  Trainer,
  TrainingSession,
  type Dataset,
  type ModelConfig,
  type TrainingCommand,
  type TrainingEvent,
  type TrainingSetup
} from "../../lib/index.ts";
import {prototypeData} from "./fixtures.ts";
import {useBackend} from "./helpers.ts";

useBackend("cpu");

// 4×4 "digits": the session fetches its training set, so it gets a data: URL of a digits file.
const source = prototypeData({count: 256, classes: 4});
const asDigits = (data: Dataset) => {
  const bytes = encodeDigits(Uint8Array.from(data.images, (v) => Math.round(v * 255)), data.labels as Uint8Array, 4, 4);
  return {url: `data:application/octet-stream;base64,${Buffer.from(bytes).toString("base64")}`, dataset: decodeDigits(bytes)};
};
const {url, dataset: train} = asDigits(source);
const test = asDigits(prototypeData({count: 64, classes: 4, seed: 9})).dataset;
const config: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [4, 4, 1], hiddenSizes: [16], latentDim: 2, likelihood: {kind: "bernoulli"}, seed: 5};
const setup: TrainingSetup = {config, batchSize: 32, learningRate: 1e-2, beta: 1, seed: 1, epochs: 2, readEvery: 4};

/** A session with every event it emitted, and a helper that waits for the next event of a kind. */
function session() {
  const events: TrainingEvent[] = [];
  const waiting: {match: (e: TrainingEvent) => boolean; resolve: (e: TrainingEvent) => void}[] = [];
  const s = new TrainingSession((event) => {
    events.push(event);
    for (const w of waiting.splice(0)) {
      if (w.match(event)) w.resolve(event);
      else waiting.push(w);
    }
  });
  const until = <T extends TrainingEvent>(match: (e: TrainingEvent) => e is T) => new Promise<T>((resolve) => waiting.push({match, resolve: resolve as (e: TrainingEvent) => void}));
  const send = (command: TrainingCommand) => s.handle(command);
  return {s, events, until, send};
}

const ended = (e: TrainingEvent): e is Extract<TrainingEvent, {type: "progress"}> => e.type === "progress" && ["done", "paused"].includes(e.progress.state);
const records = (events: TrainingEvent[]) => events.flatMap((e) => (e.type === "progress" ? e.progress.records : []));

async function started(options: Partial<TrainingSetup> = {}) {
  const t = session();
  await t.send({type: "test", test, heldOut: 32, pictures: {reconstruct: 4, manifold: {n: 3, extent: 2}, everyMs: 1e9}});
  await t.send({type: "data", urls: [url]});
  await t.send({type: "configure", setup: {...setup, ...options}});
  return t;
}

describe("TrainingSession", () => {
  it("handle({type: 'play'}) trains to the end: the same loss curve as lib's Trainer run directly with the same seed", async () => {
    const t = await started();
    const done = t.until(ended);
    await t.send({type: "play"});
    expect((await done).progress.state).toBe("done");
    const model = createModel(config);
    const direct = new Trainer({model, data: train, batchSize: 32, learningRate: 1e-2, beta: 1, seed: 1, epochs: 2, readEvery: 4});
    await direct.run();
    expect(records(t.events).map((r) => [r.step, r.loss, r.negElbo, r.kl])).toEqual(direct.history.map((r) => [r.step, r.loss, r.negElbo, r.kl]));
    direct.dispose();
    model.dispose();
    await t.send({type: "dispose"});
  });

  it("handle({type: 'snapshot'}) sends the held-out score and the pictures' pixels for a 2-D VAE", async () => {
    const t = await started();
    const shot = t.until((e): e is Extract<TrainingEvent, {type: "snapshot"}> => e.type === "snapshot" && e.id === 7);
    await t.send({type: "snapshot", id: 7});
    const {score, pictures, step} = await shot;
    expect(step).toBe(0);
    expect(score.count).toBe(32);
    expect(score.negElbo).toBeCloseTo(score.reconstructionLoss + score.kl, 3);
    expect(score.variances).toHaveLength(2);
    expect(pictures.reconstructions).toHaveLength(4 * 16);
    expect(pictures.latent?.means).toHaveLength(32 * 2);
    expect(Array.from(pictures.latent?.labels ?? [])).toEqual(Array.from((test.labels as Uint8Array).slice(0, 32)));
    expect(pictures.manifold?.images).toHaveLength(9 * 16);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'pause'}) stops a run between steps; handle({type: 'step'}) then adds exactly one", async () => {
    const t = await started({epochs: 1000});
    const paused = t.until(ended);
    await t.send({type: "play"});
    await t.until((e): e is TrainingEvent => e.type === "progress" && e.progress.step >= 8);
    await t.send({type: "pause"});
    const at = (await paused).progress.step;
    await t.send({type: "step"});
    expect(records(t.events).at(-1)?.step).toBe(at + 1);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'set', beta}) changes β for the following steps, without a new model", async () => {
    const t = await started({readEvery: 1});
    await t.send({type: "step"});
    await t.send({type: "set", beta: 3});
    await t.send({type: "step"});
    expect(records(t.events).map((r) => r.beta)).toEqual([1, 3]);
    expect(t.events.filter((e) => e.type === "model")).toHaveLength(1);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'set', learningRate: NaN}) is refused with a sentence, and training goes on", async () => {
    const t = await started();
    await t.send({type: "set", learningRate: Number.NaN});
    expect(t.events.at(-1)).toMatchObject({type: "failed", command: "set", message: expect.stringMatching(/learning rate must be a positive number/)});
    await t.send({type: "step"});
    expect(records(t.events)).toHaveLength(1);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'save'}) then handle({type: 'load'}) restores the weights: the same reconstructions", async () => {
    const t = await started();
    for (let i = 0; i < 3; i++) await t.send({type: "step"});
    const saved = t.until((e): e is Extract<TrainingEvent, {type: "saved"}> => e.type === "saved");
    await t.send({type: "save", id: 1});
    const {artifacts} = await saved;
    const snapshotOf = async (id: number) => {
      const shot = t.until((e): e is Extract<TrainingEvent, {type: "snapshot"}> => e.type === "snapshot" && e.id === id);
      await t.send({type: "snapshot", id});
      return Array.from((await shot).pictures.reconstructions);
    };
    const trained = await snapshotOf(2);
    await t.send({type: "reset"});
    expect(await snapshotOf(3)).not.toEqual(trained);
    await t.send({type: "load", id: 4, artifacts, what: "the saved model"});
    expect(t.events.find((e) => e.type === "loaded")).toMatchObject({id: 4, what: "the saved model"});
    expect(await snapshotOf(5)).toEqual(trained);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'snapshot'}) for a CVAE: each row of samples uses one code in every column, and the rows use different codes", async () => {
    // A CVAE whose decoder ignores its label (the label's rows of its first kernel zeroed): then a row
    // that shares one code decodes to the same image in every column, and two rows differ.
    const classes = 4;
    const cvaeConfig: ModelConfig = {...config, kind: "cvae", numClasses: classes, prior: "standard"};
    const cvae = createModel(cvaeConfig);
    const kernel = cvae.params.get("decoder/dense0/kernel");
    const mask = tf.tidy(() => tf.concat([tf.ones([config.latentDim, 16]), tf.zeros([classes, 16])]));
    kernel.assign(tf.tidy(() => kernel.mul(mask)));
    mask.dispose();
    const artifacts = await modelToArtifacts(cvae);
    cvae.dispose();
    const t = session();
    await t.send({type: "test", test, heldOut: 32, pictures: {reconstruct: 4, samplesPerDigit: 2, everyMs: 1e9}});
    await t.send({type: "configure", setup: {...setup, config: cvaeConfig}});
    await t.send({type: "load", id: 1, artifacts, what: "the label-blind CVAE"});
    const shot = t.until((e): e is Extract<TrainingEvent, {type: "snapshot"}> => e.type === "snapshot" && e.id === 2);
    await t.send({type: "snapshot", id: 2});
    const samples = (await shot).pictures.samples as Float32Array;
    const pixels = 16;
    expect(samples).toHaveLength(2 * classes * pixels);
    const image = (row: number, column: number) => Array.from(samples.subarray((row * classes + column) * pixels, (row * classes + column + 1) * pixels));
    for (const row of [0, 1]) for (let column = 1; column < classes; column++) expect(image(row, column)).toEqual(image(row, 0));
    const difference = image(0, 0).reduce((s, v, i) => s + Math.abs(v - image(1, 0)[i]), 0);
    expect(difference).toBeGreaterThan(1e-3);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'load'}) of a checkpoint of another kind fails with a sentence and keeps the model", async () => {
    const t = await started();
    const cvae = createModel({...config, kind: "cvae", numClasses: 4, prior: "standard"});
    const artifacts = await modelToArtifacts(cvae);
    cvae.dispose();
    await t.send({type: "load", id: 9, artifacts, what: "that file", require: {kind: "vae", imageShape: [4, 4, 1]}});
    expect(t.events.at(-1)).toMatchObject({type: "failed", id: 9, message: "Could not load that file: it is not an unconditional VAE of 4×4 digits. Your current model is unchanged."});
    await t.send({type: "step"});
    expect(records(t.events)).toHaveLength(1);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'data'}) with a URL that fails says so, and a later data command can succeed", async () => {
    const t = session();
    await t.send({type: "data", urls: ["data:application/octet-stream;base64,AAAA"]});
    expect(t.events.at(-1)).toMatchObject({type: "failed", command: "data", message: expect.stringMatching(/^The training digits could not be loaded: .*not a VAE Explorables digits file/)});
    await t.send({type: "data", urls: [url]});
    expect(t.events.at(-1)).toEqual({type: "dataReady", count: 256});
  });

  it("dispose leaves no tensor behind after training, snapshots, saving and loading", async () => {
    const before = tf.memory().numTensors;
    const t = await started();
    await t.send({type: "play"});
    await t.until(ended);
    await t.send({type: "snapshot", id: 1});
    await t.send({type: "save", id: 2});
    await t.send({type: "dispose"});
    expect(tf.memory().numTensors).toBe(before);
  });
  describe("chapter 12's shapes", () => {
    const shapesConfig: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [32, 32, 1], hiddenSizes: [16], latentDim: 3, likelihood: {kind: "bernoulli"}, seed: 4};
    const shapesTest = shapesSplit("test", {seed: 0, testCount: 120});
    const factors = FACTOR_NAMES.map((f) => factorColumn(shapesTest, f));

    it("handle({type: 'shapes'}) generates the training set in the session: the same images as shapesSplit('train'), and training runs on them", async () => {
      const t = session();
      await t.send({type: "test", test: shapesTest, heldOut: 64, pictures: {reconstruct: 4, everyMs: 1e9}});
      await t.send({type: "configure", setup: {...setup, config: shapesConfig, epochs: 1}});
      await t.send({type: "shapes", count: 96, seed: 3, correlation: 0.9});
      expect(t.events.filter((e) => e.type === "dataReady").at(-1)).toEqual({type: "dataReady", count: 96});
      const done = t.until(ended);
      await t.send({type: "play"});
      expect((await done).progress.step).toBe(3);
      // The same steps as lib's Trainer on shapesSplit("train", {seed: 3, correlation: 0.9, trainCount: 96}).
      const model = createModel(shapesConfig);
      const direct = new Trainer({model, data: shapesSplit("train", {seed: 3, correlation: 0.9, trainCount: 96}), batchSize: 32, learningRate: 1e-2, beta: 1, seed: 1, epochs: 1, readEvery: 4});
      await direct.run();
      expect(records(t.events).map((r) => r.loss)).toEqual(direct.history.map((r) => r.loss));
      direct.dispose();
      model.dispose();
      // A second shapes command replaces the set (and the Trainer), keeping the model.
      await t.send({type: "shapes", count: 64});
      expect(t.events.filter((e) => e.type === "dataReady").at(-1)).toEqual({type: "dataReady", count: 64});
      expect(t.events.filter((e) => e.type === "model")).toHaveLength(1);
      await t.send({type: "step"});
      expect(records(t.events).at(-1)?.step).toBe(1);
      await t.send({type: "dispose"});
    });

    it("handle({type: 'measure'}) sends lib's mutual information matrix, MIG and KL per unit for the model, and a traversal around a test image's code", async () => {
      const before = tf.memory().numTensors;
      const t = session();
      await t.send({type: "test", test: shapesTest, heldOut: 64, pictures: {reconstruct: 4, everyMs: 1e9}});
      await t.send({type: "configure", setup: {...setup, config: shapesConfig}});
      await t.send({type: "shapes", count: 64});
      await t.send({type: "step"});
      const measured = t.until((e): e is Extract<TrainingEvent, {type: "measured"}> => e.type === "measured" && e.id === 3);
      await t.send({type: "measure", id: 3, factors, count: 100, traversal: {image: 5, from: -1.5, to: 1.5, steps: 4}});
      const m = await measured;
      expect(m.step).toBe(1);
      expect(m.matrix.count).toBe(100);
      // The same numbers from lib directly, on a model with the session's weights (saved and reloaded).
      const saved = t.until((e): e is Extract<TrainingEvent, {type: "saved"}> => e.type === "saved");
      await t.send({type: "save", id: 4});
      const copy = modelFromArtifacts((await saved).artifacts);
      const first = {images: shapesTest.images.subarray(0, 100 * 1024), count: 100, pixels: 1024};
      const direct = await measureDisentanglement(copy, first, factors.map((f) => f.subarray(0, 100)));
      expect(m.matrix.mi).toEqual(direct.matrix.mi);
      expect(m.gap.score).toBe(direct.gap.score);
      m.klPerUnit.forEach((v, j) => expect(v).toBeCloseTo(direct.klPerUnit[j], 6));
      const base = Array.from(direct.means.subarray(5 * 3, 6 * 3));
      expect(m.traversal?.base).toEqual(base);
      expect(m.traversal?.images.length).toBe(3 * 4 * 1024);
      expect(Array.from(m.traversal?.images ?? [])).toEqual(Array.from(await decodeTraversals(copy, base, {from: -1.5, to: 1.5, steps: 4})));
      copy.dispose();
      await t.send({type: "measure", id: 5, factors, traversal: {image: 500}});
      expect(t.events.at(-1)).toMatchObject({type: "failed", id: 5, message: expect.stringMatching(/one of the 120 measured test images, got 500/)});
      await t.send({type: "dispose"});
      expect(tf.memory().numTensors).toBe(before);
    });
  });
});
