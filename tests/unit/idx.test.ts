import {describe, expect, it} from "vitest";
import {concatDatasets, decodeDigits, encodeDigits, encodeIdx, mnistFromIdx, parseIdx} from "../../lib/index.ts";

describe("idx", () => {
  const images = encodeIdx([2, 2, 3], Uint8Array.from([0, 255, 51, 102, 153, 204, 1, 2, 3, 4, 5, 6]));
  const labels = encodeIdx([2], Uint8Array.from([7, 3]));

  it("parseIdx(bytes) reads dimensions and data; mnistFromIdx scales pixels to [0, 1]", () => {
    expect(parseIdx(images).dims).toEqual([2, 2, 3]);
    const data = mnistFromIdx(parseIdx(images), parseIdx(labels));
    expect(data).toMatchObject({count: 2, pixels: 6, numClasses: 10});
    expect(Array.from(data.images.slice(0, 3))).toEqual([0, 1, 0.2].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(data.labels as Uint8Array)).toEqual([7, 3]);
  });

  it("parseIdx refuses a truncated file, trailing bytes, a wrong magic number, a gzipped file and another type", () => {
    expect(() => parseIdx(images.subarray(0, images.length - 1), "t10k")).toThrow(/t10k is truncated: its header promises 12 values \(2×2×3\) but it holds 11/);
    expect(() => parseIdx(Uint8Array.from([...images, 0]))).toThrow(/1 bytes after its 2×2×3 values/);
    expect(() => parseIdx(Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]))).toThrow(/does not start with an IDX magic number/);
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]))).toThrow(/gzipped/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]))).toThrow(/type 0xd/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).toThrow(/too short/);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 3, 0, 0]))).toThrow(/truncated inside its header/);
  });

  it("mnistFromIdx refuses mismatched counts and labels outside 0–9", () => {
    expect(() => mnistFromIdx(parseIdx(images), parseIdx(encodeIdx([3], Uint8Array.from([1, 2, 3]))))).toThrow(/2 images but 3 labels/);
    expect(() => mnistFromIdx(parseIdx(images), parseIdx(encodeIdx([2], Uint8Array.from([1, 12]))))).toThrow(/label 1 is 12/);
    expect(() => mnistFromIdx(parseIdx(labels), parseIdx(labels))).toThrow(/count×rows×cols/);
  });

  it("encodeDigits → decodeDigits round-trips, and a truncated digits file is refused", () => {
    const grey = Uint8Array.from({length: 3 * 4}, (_, i) => i * 20);
    const bytes = encodeDigits(grey, Uint8Array.from([1, 2, 3]), 2, 2, 500);
    const back = decodeDigits(bytes);
    expect(back).toMatchObject({count: 3, rows: 2, cols: 2, pixels: 4, firstIndex: 500});
    expect(Array.from(back.images).map((p) => Math.round(p * 255))).toEqual(Array.from(grey));
    expect(() => decodeDigits(bytes.subarray(0, bytes.length - 2), "mnist-test.bin")).toThrow(/mnist-test.bin is 29 bytes; its header promises 31/);
    expect(() => decodeDigits(Uint8Array.from([1, 2, 3]))).toThrow(/not a VAE Explorables digits file/);
    const joined = concatDatasets([back, back]);
    expect(joined.count).toBe(6);
    expect(Array.from(joined.labels as Uint8Array)).toEqual([1, 2, 3, 1, 2, 3]);
  });
});
