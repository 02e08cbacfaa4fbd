import {describe, expect, it} from "vitest";
import {backendSelfTest, probeVariable} from "../../lib/selfTest.ts";
import {tf} from "../../lib/tf.ts";
import {useBackend} from "./helpers.ts";

describe("selfTest", () => {
  useBackend("cpu");

  it("backendSelfTest() compares tfjs's product with plain JavaScript's, and leaks nothing", async () => {
    const result = await backendSelfTest(4);
    expect(result.backend).toBe("cpu");
    expect(result.maxAbsError).toBeLessThan(1e-5);
    expect(result.maxAbsError).toBeGreaterThanOrEqual(0);
    expect(result.leakedTensors).toBe(0);
  });

  it("probeVariable(name) makes a variable the engine registers under that name", () => {
    const v = probeVariable("probe-test");
    expect(tf.engine().registeredVariables["probe-test"]).toBe(v);
    v.dispose();
    expect(tf.engine().registeredVariables["probe-test"]).toBeUndefined();
  });
});
