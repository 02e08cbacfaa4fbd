// The training session's commands for data the page supplies (chapter 11): a training set handed over
// as it is, held-out and training images scored alike every N steps, early stopping that restores the
// best weights, samples and means in the snapshots, and decoding codes on request.
import {describe, expect, it} from "vitest";
import {
  createModel,
  latentGrid,
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

const train = prototypeData({count: 96, classes: 4, seed: 3});
const heldOut = prototypeData({count: 24, classes: 4, seed: 4});
const plain = {...train, count: 24, images: train.images.slice(0, 24 * 16), labels: undefined, numClasses: undefined};
const config: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [4, 4, 1], hiddenSizes: [16], latentDim: 2, likelihood: {kind: "bernoulli"}, seed: 5};
const setup: TrainingSetup = {config, batchSize: 32, learningRate: 1e-2, beta: 1, seed: 1, epochs: 20, readEvery: 3};

type Of<K extends TrainingEvent["type"]> = Extract<TrainingEvent, {type: K}>;

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
  const until = <K extends TrainingEvent["type"]>(type: K, match: (e: Of<K>) => boolean = () => true) =>
    new Promise<Of<K>>((resolve) => waiting.push({match: (e) => e.type === type && match(e as Of<K>), resolve: resolve as (e: TrainingEvent) => void}));
  const send = (command: TrainingCommand) => s.handle(command);
  const of = <K extends TrainingEvent["type"]>(type: K) => events.filter((e): e is Of<K> => e.type === type);
  return {s, events, until, send, of};
}

const ended = (e: Of<"progress">) => ["done", "paused"].includes(e.progress.state);

async function supplied(options: Partial<TrainingSetup> = {}, data: Dataset = train) {
  const t = session();
  await t.send({type: "test", test: heldOut, heldOut: heldOut.count, compare: plain, pictures: {reconstruct: 4, reconstructCompare: 3, samples: 5, means: true, manifold: {n: 3, extent: 2}, everyMs: 1e9}});
  await t.send({type: "dataset", train: data});
  await t.send({type: "configure", setup: {...setup, ...options}});
  return t;
}

describe("TrainingSession with data the page supplies", () => {
  it("handle({type: 'dataset'}) trains on the images handed over: the same loss curve as lib's Trainer on them", async () => {
    const t = await supplied();
    expect(t.of("dataReady")).toEqual([{type: "dataReady", count: 96}]);
    const done = t.until("progress", ended);
    await t.send({type: "play"});
    expect((await done).progress.state).toBe("done");
    const model = createModel(config);
    const direct = new Trainer({model, data: train, batchSize: 32, learningRate: 1e-2, beta: 1, seed: 1, epochs: 20, readEvery: 3});
    await direct.run();
    const steps = t.of("progress").flatMap((e) => e.progress.records);
    expect(steps.map((r) => [r.step, r.negElbo])).toEqual(direct.history.map((r) => [r.step, r.negElbo]));
    direct.dispose();
    model.dispose();
    await t.send({type: "dispose"});
  });

  it("a snapshot carries the compare images' score and reconstructions, prior samples and q's means", async () => {
    // A Gaussian decoder, so the held-out images are scored as they are (a Bernoulli one binarizes them first).
    const gaussian: ModelConfig = {...config, likelihood: {kind: "gaussian", sigma: 0.3}};
    const t = await supplied({config: gaussian});
    const shot = t.until("snapshot", (e) => e.id === 3);
    await t.send({type: "snapshot", id: 3});
    const {score, compareScore, pictures} = await shot;
    expect(score.count).toBe(24);
    expect(compareScore?.count).toBe(24);
    expect(compareScore?.negElbo).toBeCloseTo((compareScore?.reconstructionLoss ?? NaN) + (compareScore?.kl ?? NaN), 3);
    expect(pictures.compareReconstructions).toHaveLength(3 * 16);
    expect(pictures.samples).toHaveLength(5 * 16);
    expect(pictures.means?.latentDim).toBe(2);
    expect(pictures.means?.heldOut).toHaveLength(24 * 2);
    expect(pictures.means?.compare).toHaveLength(24 * 2);
    // q's means of the held-out images, recomputed from a model with the same seed (untrained, step 0)
    const model = createModel(gaussian);
    const means = tf.tidy(() => model.encode(tf.tensor2d(heldOut.images, [24, 16])).mean);
    const expected = Array.from(await means.data());
    means.dispose();
    model.dispose();
    Array.from(pictures.means?.heldOut ?? []).forEach((m, i) => expect(m).toBeCloseTo(expected[i], 5));
    await t.send({type: "dispose"});
  });

  it("with evaluateEvery, an evaluation comes at step 0 and at the first epoch end at least that many steps later, each time", async () => {
    // 96 images in batches of 32: an epoch is 3 steps, so with evaluateEvery 4 the scores come at 0, 6, 12, 18, …
    const t = await supplied({evaluateEvery: 4, epochs: 8});
    const done = t.until("progress", ended);
    await t.send({type: "play"});
    await done;
    const evaluations = t.of("evaluation");
    expect(evaluations.map((e) => e.step)).toEqual([0, 6, 12, 18, 24]);
    for (const e of evaluations) {
      expect(e.heldOut).toBeGreaterThan(0);
      expect(e.compare).toBeGreaterThan(0);
    }
    // The best is the lowest held-out −ELBO so far, and where it was.
    const last = evaluations.at(-1) as Of<"evaluation">;
    const lowest = evaluations.reduce((a, b) => (b.heldOut < a.heldOut ? b : a));
    expect([last.best, last.bestStep]).toEqual([lowest.heldOut, lowest.step]);
    await t.send({type: "dispose"});
  });

  it("early stopping pauses after `patience` evaluations without improvement and restores the best weights", async () => {
    // minDelta so large that nothing after the first evaluation (step 0) counts as an improvement:
    // the run must stop at the third evaluation after it and go back to the initial weights.
    const t = await supplied({evaluateEvery: 3, earlyStopping: {patience: 3, minDelta: 1e9}, epochs: 100});
    const first = t.of("snapshot")[0];
    const paused = t.until("progress", ended);
    await t.send({type: "play"});
    expect((await paused).progress.state).toBe("paused");
    const evaluations = t.of("evaluation");
    expect(evaluations.map((e) => e.step)).toEqual([0, 3, 6, 9]);
    expect(evaluations.at(-1)?.stopped).toEqual({restoredStep: 0, patience: 3});
    expect(evaluations.slice(0, -1).every((e) => e.stopped === undefined)).toBe(true);
    // the weights are the initial ones again: the same reconstructions and held-out score as at step 0
    const shot = t.until("snapshot", (e) => e.id === 8);
    await t.send({type: "snapshot", id: 8});
    const after = await shot;
    expect(after.step).toBe(9);
    expect(after.score.negElbo).toBeCloseTo(first.score.negElbo, 4);
    Array.from(after.pictures.reconstructions).forEach((v, i) => expect(v).toBeCloseTo(first.pictures.reconstructions[i], 5));
    // Play again: training goes on from there with a fresh count, so it runs past one more evaluation.
    const again = t.until("progress", ended);
    await t.send({type: "play"});
    await again;
    expect(t.of("evaluation").map((e) => e.step).slice(4)).toEqual([12, 15, 18, 21]);
    await t.send({type: "dispose"});
  });

  it("handle({type: 'set', earlyStopping}) changes the rule for the evaluations to come, and refuses a patience of 0", async () => {
    const t = await supplied({evaluateEvery: 3, epochs: 100});
    await t.send({type: "set", earlyStopping: {patience: 0}});
    expect(t.events.at(-1)).toMatchObject({type: "failed", command: "set", message: expect.stringMatching(/patience must be a whole number/)});
    await t.send({type: "set", earlyStopping: {patience: 2, minDelta: 1e9}});
    const paused = t.until("progress", ended);
    await t.send({type: "play"});
    await paused;
    expect(t.of("evaluation").at(-1)?.stopped).toEqual({restoredStep: 0, patience: 2});
    await t.send({type: "dispose"});
  });

  it("handle({type: 'decode'}) decodes the codes it is given: the manifold's codes give the manifold's pictures", async () => {
    const t = await supplied();
    const shot = t.until("snapshot", (e) => e.id === 1);
    await t.send({type: "snapshot", id: 1});
    const manifold = (await shot).pictures.manifold?.images as Float32Array;
    const decoded = t.until("decoded");
    await t.send({type: "decode", id: 2, codes: latentGrid(3, 2), count: 9});
    const {id, images} = await decoded;
    expect(id).toBe(2);
    expect(Array.from(images)).toEqual(Array.from(manifold));
    await t.send({type: "decode", id: 3, codes: new Float32Array(3), count: 2});
    expect(t.events.at(-1)).toMatchObject({type: "failed", id: 3, command: "decode", message: "decode: 3 numbers are not 2 codes of 2"});
    await t.send({type: "dispose"});
  });

  it("handle({type: 'dataset'}) with images of another size keeps the model until the next configure", async () => {
    const t = await supplied();
    const bigger = prototypeData({count: 40, side: 8, seed: 2});
    await t.send({type: "dataset", train: bigger});
    expect(t.of("dataReady").at(-1)).toEqual({type: "dataReady", count: 40});
    await t.send({type: "test", test: prototypeData({count: 8, side: 8, seed: 6}), heldOut: 8, pictures: {reconstruct: 2}});
    await t.send({type: "configure", setup: {...setup, config: {...config, imageShape: [8, 8, 1]}}});
    await t.send({type: "step"});
    expect(t.of("progress").flatMap((e) => e.progress.records)).toHaveLength(1);
    await t.send({type: "dataset", train: {images: new Float32Array(5), count: 2, pixels: 64}});
    expect(t.events.at(-1)).toMatchObject({type: "failed", command: "dataset", message: "dataset has 5 pixel values, expected 2 × 64"});
    await t.send({type: "dispose"});
  });

  it("load of a grey model where colour images are wanted says what it is not", async () => {
    const t = await supplied();
    const {modelToArtifacts} = await import("../../lib/index.ts");
    const grey = createModel(config);
    const artifacts = await modelToArtifacts(grey);
    grey.dispose();
    await t.send({type: "load", id: 4, artifacts, what: "that file", require: {kind: "vae", imageShape: [4, 4, 3], noun: "images"}});
    expect(t.events.at(-1)).toMatchObject({type: "failed", id: 4, message: "Could not load that file: it is not an unconditional VAE of 4×4 colour images. Your current model is unchanged."});
    await t.send({type: "dispose"});
  });

  it("dispose leaves no tensor behind after evaluations, early stopping, decoding and snapshots", async () => {
    const before = tf.memory().numTensors;
    const t = await supplied({evaluateEvery: 3, earlyStopping: {patience: 2, minDelta: 1e9}, epochs: 100});
    const paused = t.until("progress", ended);
    await t.send({type: "play"});
    await paused;
    await t.send({type: "decode", id: 1, codes: new Float32Array(4), count: 2});
    await t.send({type: "snapshot", id: 2});
    await t.send({type: "dispose"});
    expect(tf.memory().numTensors).toBe(before);
  });
});
