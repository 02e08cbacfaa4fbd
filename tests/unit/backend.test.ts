import {describe, expect, it} from "vitest";
import {backendSelfTest, chooseBackend, tf} from "../../lib/index.ts";

describe("chooseBackend() in Node", () => {
  it("chooseBackend() picks wasm first in Node and the self-test computes on it", async () => {
    const choice = await chooseBackend();
    expect(choice.backend).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    const result = await backendSelfTest();
    expect(result.maxAbsError).toBeLessThan(1e-5);
    expect(result.leakedTensors).toBe(0);
  });

  it("chooseBackend({prefer: 'cpu'}) honours the request and says so", async () => {
    const choice = await chooseBackend({prefer: "cpu"});
    expect(choice).toMatchObject({backend: "cpu", requested: "cpu"});
    expect(choice.reason).toContain("as the address asked");
  });

  it("chooseBackend({prefer: 'webgl'}) in Node falls back down the browser chain and explains why", async () => {
    const choice = await chooseBackend({prefer: "webgl", chain: ["webgpu", "webgl", "wasm", "cpu"]});
    expect(choice.backend).toBe("wasm");
    expect(choice.attempts[0]).toMatchObject({name: "webgl"});
    expect(choice.attempts[0].error).toMatch(/needs a browser|no such backend/);
    expect(choice.reason).toContain("Asked for webgl");
  });

  it("chooseBackend({prefer: 'tpu'}) reports the unknown name and uses the default order", async () => {
    const choice = await chooseBackend({prefer: "tpu"});
    expect(choice.backend).toBe("wasm");
    expect(choice.requested).toBeNull();
    expect(choice.attempts[0]).toEqual({name: "tpu", error: 'unknown backend "tpu" (use wasm, cpu)'});
  });
});

describe("readableFailure()", () => {
  it("readableFailure('wasm', warnings) says the WebAssembly file could not be downloaded, with tfjs's cause", async () => {
    const {readableFailure} = await import("../../lib/backend.ts");
    expect(readableFailure("wasm", ["Initialization of backend wasm failed", "TypeError: Failed to fetch\n    at x"])).toBe(
      "its WebAssembly file could not be downloaded or started (TypeError: Failed to fetch)"
    );
    expect(readableFailure("webgl", [])).toBe("tfjs could not start it");
    expect(readableFailure("webgl", ["Initialization of backend webgl failed", "Error: context lost"])).toBe("tfjs could not start it (Error: context lost)");
  });
});
