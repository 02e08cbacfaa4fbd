import {describe, expect, it} from "vitest";
import {createModel, decodeOwnData, encodeOwnData, modelFromArtifacts, modelToArtifacts, tf, type ImageSet} from "../../lib/index.ts";
import {useBackend} from "./helpers.ts";

useBackend("cpu");

// Reference: the bytes a model and a set went in as, compared with what comes out (pixels to 1/255,
// the set's own quantization; the model by its decoder's outputs on fixed codes).
const set: ImageSet = {
  images: Float32Array.from({length: 3 * 4 * 4 * 3}, (_, i) => (i % 7) / 6),
  count: 3,
  pixels: 48,
  side: 4,
  channels: 3
};
const config = {kind: "vae" as const, arch: "mlp" as const, imageShape: [4, 4, 3] as [number, number, number], hiddenSizes: [8], latentDim: 2, likelihood: {kind: "bernoulli" as const}, seed: 3};
const meta = {names: ["a.png", "b.jpg", "c.webp"], ink: true, prepare: {side: 4, colour: "colour"}};

describe("ownDataFile", () => {
  it("decodeOwnData(encodeOwnData({set, artifacts, meta})) gives back the set, the same model and the meta", async () => {
    const model = createModel(config);
    const bytes = encodeOwnData({set, artifacts: await modelToArtifacts(model), meta});
    expect(String.fromCharCode(...bytes.subarray(0, 4))).toBe("VAEO");
    const back = decodeOwnData(bytes, "mine.vae");
    expect(back.meta).toEqual(meta);
    expect([back.set.count, back.set.side, back.set.channels]).toEqual([3, 4, 3]);
    back.set.images.forEach((v, i) => expect(Math.abs(v - set.images[i])).toBeLessThanOrEqual(0.5 / 255 + 1e-7));
    const loaded = modelFromArtifacts(back.artifacts as tf.io.ModelArtifacts);
    const codes = tf.tensor2d([[0.5, -1], [2, 0.3]]);
    const [a, b] = [model.decodeMean(codes), loaded.decodeMean(codes)];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([codes, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it("encodeOwnData without a model keeps the set alone", () => {
    const back = decodeOwnData(encodeOwnData({set, meta: {}}));
    expect(back.artifacts).toBeUndefined();
    expect(back.set.count).toBe(3);
  });

  it("decodeOwnData refuses an image, another file, a file cut short and a damaged description, each with a sentence", () => {
    const good = encodeOwnData({set, meta});
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    expect(() => decodeOwnData(png, "cat.png")).toThrow('cat.png is a PNG image, not a file saved by this chapter: to add images to the set, choose them under "Bring your images".');
    expect(() => decodeOwnData(new TextEncoder().encode("hello there"), "notes.vae")).toThrow("notes.vae is not a file saved by this chapter (it does not start with VAEO).");
    expect(() => decodeOwnData(good.subarray(0, 20), "cut.vae")).toThrow("cut.vae is cut short: it ends inside its description (20 bytes). Save it again.");
    expect(() => decodeOwnData(good.subarray(0, good.length - 5), "cut.vae")).toThrow(`cut.vae is ${(good.length - 5).toLocaleString("en")} bytes; its description promises ${good.length.toLocaleString("en")}: cut short or damaged. Save it again.`);
    const broken = good.slice();
    broken[9] = 0x7b; // a second "{" inside the JSON
    expect(() => decodeOwnData(broken, "broken.vae")).toThrow(/^broken.vae has a damaged description: /);
  });
});
