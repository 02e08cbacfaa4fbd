import {readFileSync} from "node:fs";
import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {
  IMAGE_LIMITS,
  checkFile,
  checkSize,
  decodeImageSet,
  encodeImageSet,
  imageDimensions,
  imagesToDataset,
  mulberry32,
  prepareImage,
  resizeArea,
  sniffImageType,
  summarizeRefusals,
  unreadableFile,
  type RawImage,
  type Refusal
} from "../../lib/index.ts";

// References: image files written by Chromium's own encoders (tests/unit/fixtures/images, made with
// OffscreenCanvas.convertToBlob: a 30×20 red disc as PNG, JPEG and WebP, and a 1×1 PNG); WebP's VP8
// and VP8L headers built byte by byte from the WebP container specification; downscales worked by
// hand; the mean of an image, which area averaging must keep.
const fixture = (name: string) => new Uint8Array(readFileSync(join(import.meta.dirname, "fixtures/images", name)));
const isRefusal = (r: unknown): r is Refusal => typeof r === "object" && r !== null && "reason" in r;
const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;

describe("imagePrep", () => {
  it("sniffImageType(head) and imageDimensions(bytes) read Chromium's PNG, JPEG and WebP files", () => {
    for (const [name, type] of [["disc-30x20.png", "png"], ["disc-30x20.jpg", "jpeg"], ["disc-30x20-lossy.webp", "webp"], ["disc-30x20-alpha.webp", "webp"]] as const) {
      const bytes = fixture(name);
      expect(sniffImageType(bytes)).toBe(type);
      expect(imageDimensions(bytes)).toEqual({type, width: 30, height: 20});
    }
    expect(imageDimensions(fixture("dot-1x1.png"))).toEqual({type: "png", width: 1, height: 1});
  });

  it("imageDimensions(bytes) reads WebP's VP8 and VP8L headers as the container specification lays them out", () => {
    const riff = (chunk: string, body: number[]) => Uint8Array.from([...Buffer.from("RIFF"), 0, 0, 0, 0, ...Buffer.from("WEBP"), ...Buffer.from(chunk), 0, 0, 0, 0, ...body]);
    // VP8: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height, little-endian
    expect(imageDimensions(riff("VP8 ", [0, 0, 0, 0x9d, 0x01, 0x2a, 640 & 0xff, 640 >> 8, 480 & 0xff, 480 >> 8]))).toEqual({type: "webp", width: 640, height: 480});
    // VP8L: signature 0x2f, then (width − 1) in 14 bits and (height − 1) in the next 14
    const bits = (100 - 1) | ((37 - 1) << 14);
    expect(imageDimensions(riff("VP8L", [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]))).toEqual({type: "webp", width: 100, height: 37});
  });

  it("checkFile({name, size, head}) refuses a text file named .png, a cut-short header, a 200 MB file and the 2,001st image", () => {
    const png = fixture("disc-30x20.png");
    expect(checkFile({name: "disc.png", size: png.length, head: png})).toEqual({type: "png", width: 30, height: 20});
    const text = new TextEncoder().encode("just some notes, not a picture\n");
    const notImage = checkFile({name: "notes.png", size: text.length, head: text});
    expect(isRefusal(notImage) && notImage.reason).toBe("not-an-image");
    expect(isRefusal(notImage) && notImage.message).toBe("notes.png: not an image: its contents are not PNG, JPEG or WebP, whatever its name says.");
    const jpeg = fixture("disc-30x20.jpg");
    const cut = checkFile({name: "cut.jpg", size: 40, head: jpeg.subarray(0, 40)});
    expect(isRefusal(cut) && cut.reason).toBe("unreadable");
    const huge = checkFile({name: "huge.jpg", size: 200 * 1024 * 1024, head: jpeg});
    expect(isRefusal(huge) && huge.message).toMatch(/^huge\.jpg: 200 MB is more than the 25 MB/);
    const many = checkFile({name: "one-too-many.png", size: png.length, head: png}, IMAGE_LIMITS.maxImages);
    expect(isRefusal(many) && many.reason).toBe("too-many");
    const dot = fixture("dot-1x1.png");
    const small = checkFile({name: "dot.png", size: dot.length, head: dot});
    expect(isRefusal(small) && small.message).toBe("dot.png: too small: 1×1 pixels; an image needs at least 8×8.");
  });

  it("checkSize(name, {width, height}) and unreadableFile(name, cause) say what is wrong", () => {
    expect(checkSize("ok.png", {width: 8, height: 8})).toBeNull();
    expect(checkSize("wide.png", {width: 8000, height: 5000})).toBeNull(); // exactly 40 megapixels
    expect(checkSize("vast.png", {width: 10000, height: 8000})?.message).toBe("vast.png: too large: 10000×8000 is 80 megapixels, more than the 40 this page decodes.");
    expect(unreadableFile("bad.jpg", new Error("The source image could not be decoded.")).message).toBe("bad.jpg: unreadable: the browser could not decode it (The source image could not be decoded.); the file may be damaged or cut short.");
  });

  it("summarizeRefusals(refusals) groups by reason and names a few files", () => {
    const r = (name: string, reason: Refusal["reason"]): Refusal => ({name, reason, message: ""});
    expect(summarizeRefusals([])).toBe("none refused");
    expect(summarizeRefusals([r("a.txt", "not-an-image"), r("b.png", "not-an-image"), r("dot.png", "too-small")])).toBe("3 refused: 2 not images (a.txt, b.png), 1 too small (dot.png)");
    expect(summarizeRefusals(["1", "2", "3", "4", "5"].map((n) => r(`${n}.png`, "too-many")), 2)).toBe("5 refused: 5 over the limit (1.png, 2.png, and 3 more)");
    expect(summarizeRefusals(Array.from({length: 3000}, (_, i) => r(`${i}.png`, "too-many")), 1)).toBe("3,000 refused: 3,000 over the limit (0.png, and 2,999 more)");
  });

  it("resizeArea(pixels, 4, 4, 1, 2, 2) averages each 2×2 block; 3×3 → 2×2 weighs the shared pixels by area", () => {
    const four = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
    // blocks {1,2,5,6}, {3,4,7,8}, {9,10,13,14}, {11,12,15,16}
    expect(Array.from(resizeArea(four, 4, 4, 1, 2, 2))).toEqual([3.5, 5.5, 11.5, 13.5]);
    // 3 → 2: output pixel 0 covers [0, 1.5): input 0 whole, input 1 half; weights 2/3, 1/3 per axis.
    // top-left = (2/3)²·a + (2/3)(1/3)·(b + d) + (1/3)²·e for rows [a b c; d e f; g h i]
    const three = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const w = [2 / 3, 1 / 3];
    const topLeft = w[0] * w[0] * 1 + w[0] * w[1] * (2 + 4) + w[1] * w[1] * 5;
    const out = resizeArea(three, 3, 3, 1, 2, 2);
    expect(out[0]).toBeCloseTo(topLeft, 6);
    expect(out[3]).toBeCloseTo(w[0] * w[0] * 9 + w[0] * w[1] * (8 + 6) + w[1] * w[1] * 5, 6);
    // channels stay apart
    const rgb = resizeArea([1, 10, 100, 3, 30, 300], 2, 1, 3, 1, 1);
    expect(Array.from(rgb)).toEqual([2, 20, 200]);
  });

  it("resizeArea(pixels, w, h, c, W, H) keeps the image's mean, down or up, and a constant image constant", () => {
    const draw = mulberry32(2);
    for (const [w, h, W, H] of [[97, 61, 28, 28], [28, 28, 32, 32], [13, 40, 7, 5], [640, 480, 32, 32]]) {
      const pixels = Float32Array.from({length: w * h}, () => draw());
      const out = resizeArea(pixels, w, h, 1, W, H);
      expect(mean(out)).toBeCloseTo(mean(pixels), 5);
    }
    expect(resizeArea(new Float32Array(50 * 30).fill(0.25), 50, 30, 1, 28, 28).every((v) => Math.abs(v - 0.25) < 1e-6)).toBe(true);
  });

  it("prepareImage(image, {fit: 'crop'}) keeps the centred square; {fit: 'pad'} lays the whole image on its border's colour", () => {
    // 24×8 grey image, a dark band in columns 8–15 on white: crop keeps columns 8–15 (all dark), pad makes 24×24
    const data = Array.from({length: 24 * 8}, (_, p) => (p % 24 >= 8 && p % 24 < 16 ? 0 : 255));
    const image: RawImage = {width: 24, height: 8, channels: 1, data};
    const cropped = prepareImage(image, {side: 4, fit: "crop", invert: false});
    expect(Array.from(cropped.pixels)).toEqual(new Array(16).fill(0));
    const padded = prepareImage(image, {side: 3, fit: "pad", invert: false});
    // 24×24 → 3×3 in 8×8 blocks: rows 0–7 and 16–23 are padding in the border's mean grey, rows 8–15 the
    // image. The border has 24 + 24 + 6 + 6 = 60 pixels, 16 of them in the band: 44/60
    const border = 44 / 60;
    expect(padded.pixels[0]).toBeCloseTo(border, 6);
    expect(Array.from(padded.pixels.subarray(3, 6)).map((v) => +v.toFixed(6))).toEqual([1, 0, 1]);
    expect(padded.pixels[8]).toBeCloseTo(border, 6);
  });

  it("prepareImage(image) makes grey as 0.299 R + 0.587 G + 0.114 B, lays alpha over the background, and inverts light paper", () => {
    const red: RawImage = {width: 8, height: 8, channels: 4, data: Array.from({length: 64}, () => [255, 0, 0, 255]).flat()};
    expect(prepareImage(red, {side: 4, invert: false}).pixels[0]).toBeCloseTo(0.299, 6);
    const colour = prepareImage(red, {side: 4, colour: "colour", invert: false});
    expect(colour.channels).toBe(3);
    expect(Array.from(colour.pixels.subarray(0, 3))).toEqual([1, 0, 0]);
    // half-transparent black over white paper is mid-grey
    const ghost: RawImage = {width: 8, height: 8, channels: 4, data: Array.from({length: 64}, () => [0, 0, 0, 127.5]).flat()};
    expect(prepareImage(ghost, {side: 4, invert: false}).pixels[5]).toBeCloseTo(0.5, 6);
    // a dark dot on white paper: "auto" inverts (the border is light), so the dot is bright on black
    const paper = Array.from({length: 100}, (_, p) => (p === 55 ? 0 : 255));
    const dot = prepareImage({width: 10, height: 10, channels: 1, data: paper}, {side: 10});
    expect(dot.inverted).toBe(true);
    expect(dot.pixels[55]).toBeCloseTo(1, 6);
    expect(dot.pixels[0]).toBeCloseTo(0, 6);
    expect(prepareImage({width: 10, height: 10, channels: 1, data: paper.map((v) => 255 - v)}, {side: 10}).inverted).toBe(false);
  });

  it("prepareImage(image, {binarize}) thresholds at ½, or samples each pixel with P(1) = its grey level (seeded)", () => {
    const grey: RawImage = {width: 28, height: 28, channels: 1, data: Array.from({length: 784}, (_, p) => (p % 28 < 14 ? 0.3 : 0.7) * 255)};
    const t = prepareImage(grey, {binarize: "threshold", invert: false});
    expect(t.pixels[0]).toBe(0);
    expect(t.pixels[20]).toBe(1);
    const a = prepareImage(grey, {binarize: "sample", seed: 4, invert: false}).pixels;
    expect(Array.from(a)).toEqual(Array.from(prepareImage(grey, {binarize: "sample", seed: 4, invert: false}).pixels));
    expect(a.every((v) => v === 0 || v === 1)).toBe(true);
    const left = Array.from(a).filter((_, p) => p % 28 < 14);
    // 392 draws with p = 0.3: the fraction of ones within 4 standard deviations
    expect(Math.abs(mean(left) - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 392));
  });

  it("prepareImage() refuses malformed pixels with a sentence", () => {
    expect(() => prepareImage({width: 4, height: 4, channels: 1, data: [1, 2, 3]})).toThrow(/3 values are not a 4×4 image/);
    expect(() => prepareImage({width: 4, height: 4, channels: 2 as 1, data: new Array(32).fill(0)})).toThrow(/channels must be/);
  });

  it("imagesToDataset(images) and encodeImageSet/decodeImageSet round-trip a set to 1/255, and refuse other files", () => {
    const draw = mulberry32(9);
    const make = () => prepareImage({width: 40, height: 30, channels: 3, data: Array.from({length: 40 * 30 * 3}, () => draw() * 255)}, {side: 8, colour: "colour"});
    const set = imagesToDataset([make(), make(), make()], [0, 2, 1]);
    expect(set).toMatchObject({count: 3, pixels: 8 * 8 * 3, side: 8, channels: 3, numClasses: 3});
    const bytes = encodeImageSet(set);
    const back = decodeImageSet(bytes);
    expect(Array.from(back.labels as Uint8Array)).toEqual([0, 2, 1]);
    expect(Math.max(...back.images.map((v, i) => Math.abs(v - set.images[i])))).toBeLessThanOrEqual(0.5 / 255 + 1e-7);
    expect(() => decodeImageSet(bytes.subarray(0, bytes.length - 1), "set.bin")).toThrow(/set\.bin is \d+ bytes; its header promises/);
    expect(() => decodeImageSet(fixture("disc-30x20.png"), "disc.png")).toThrow(/not a saved image set/);
    expect(() => imagesToDataset([make(), prepareImage({width: 9, height: 9, channels: 1, data: new Array(81).fill(0)}, {side: 8})])).toThrow(/different sizes or channels/);
  });
});
