import {describe, expect, it} from "vitest";
import {concatBytes} from "../../lib/index.ts";

describe("concatBytes", () => {
  it("concatBytes(parts) puts the parts back to back, views into larger buffers included", () => {
    const big = new Uint8Array([9, 9, 1, 2, 9]);
    const out = concatBytes([big.subarray(2, 4), new Uint8Array([3]), new Float32Array([0]), new Uint8Array(0)]);
    expect(Array.from(out)).toEqual([1, 2, 3, 0, 0, 0, 0]);
    expect(out.byteOffset).toBe(0);
    expect(out.buffer.byteLength).toBe(7);
  });
});
