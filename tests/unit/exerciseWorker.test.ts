import {describe, expect, it} from "vitest";
import {NETWORK_GLOBALS, readOutcome, readOutput, WORKER_LIMITS, WORKER_SOURCE} from "../../lib/index.ts";
import {workerHelpers} from "../../lib/exerciseWorker.ts";

// The worker program is text run in a browser worker; these tests evaluate the same text in Node.
// The browser tests (tests/browser/exercises.test.ts) run it for real in the sandbox.
const {summarize, pythonError, lockDown} = workerHelpers();

describe("exercise worker", () => {
  it("summarize(value) sends small numbers and arrays as they are, as a Float64Array", () => {
    expect(summarize(1.5)).toEqual({value: 1.5});
    expect(summarize(undefined)).toEqual({value: undefined});
    expect(summarize(-Infinity)).toEqual({value: -Infinity});
    const sent = summarize([1, -2.5, Infinity]).value;
    expect(sent).toBeInstanceOf(Float64Array);
    expect(Array.from(sent as Float64Array)).toEqual([1, -2.5, Infinity]);
    expect(Array.from(summarize(new Float32Array([0.5, 2])).value as Float64Array)).toEqual([0.5, 2]);
  });

  it('summarize("x".repeat(2e7)) and an array of 2e6 are one short sentence each', () => {
    const text = summarize("x".repeat(2e7));
    expect(text).toEqual({summary: `a string of 20000000 characters, starting "${"x".repeat(40)}"…`});
    const array = summarize(new Array(2e6).fill(0.5));
    expect(array).toEqual({summary: "an array of 2000000 values, starting [0.5, 0.5, 0.5, 0.5, 0.5, …]"});
    // An array just at the limit is still sent; one over is summarised.
    expect(summarize(new Array(WORKER_LIMITS.array).fill(1)).value).toBeInstanceOf(Float64Array);
    expect(summarize(new Array(WORKER_LIMITS.array + 1).fill(1)).summary).toMatch(/^an array of 257 values/);
    expect(JSON.stringify(summarize(new Array(1e6).fill("y".repeat(1000)))).length).toBeLessThan(300);
  });

  it("summarize describes what is not a number or a list of numbers", () => {
    expect(summarize([1, "a", null, [2], {}, 6]).summary).toBe('an array of 6 values: [1, "a", null, […], object, …]');
    expect(summarize({a: 1}).summary).toBe("an object ([object Object])");
    expect(summarize(Promise.resolve(1)).summary).toBe("an object ([object Promise])");
    expect(summarize(() => 1).summary).toBe("a function");
    expect(summarize(10n ** 30n).summary).toBe("the integer 1000000000000000000000000000000, too large for a float");
    // A Proxy that claims an absurd length is summarised without reading a billion elements.
    const liar = new Proxy([], {get: (target, key) => (key === "length" ? 1e9 : key === "0" ? 7 : Reflect.get(target, key))});
    expect(summarize(liar).summary).toMatch(/^an array of 1000000000 values, starting \[7, undefined/);
  });

  it("readOutcome(message) keeps only what the worker may send, and drops the rest", () => {
    expect(readOutcome({value: new Float64Array([1, 2])})).toEqual({value: [1, 2]});
    expect(readOutcome({value: 3})).toEqual({value: 3});
    expect(readOutcome({threw: "x".repeat(5000)})!.threw!.length).toBe(WORKER_LIMITS.message + 100);
    expect(readOutcome({value: new Float64Array(WORKER_LIMITS.array + 1)})).toBeNull();
    expect(readOutcome({value: "x".repeat(WORKER_LIMITS.string + 1)})).toBeNull();
    expect(readOutcome({value: {type: "finished"}})).toBeNull();
    expect(readOutcome({value: [1, 2]})).toBeNull();
    expect(readOutput({output: "y".repeat(1e6)}).length).toBe(WORKER_LIMITS.output + 1);
    expect(readOutput({output: 5})).toBe("");
  });

  it("lockDown(scope) deletes every network global from the scope and its prototypes, and reports one it cannot", () => {
    const proto = Object.fromEntries(NETWORK_GLOBALS.map((name) => [name, () => "reached"]));
    const scope: Record<string, unknown> = Object.create(Object.create(proto));
    scope.fetch = () => "own fetch";
    scope.navigator = Object.create({sendBeacon: () => true, serviceWorker: {}, userAgent: "test"});
    expect(lockDown(scope)).toEqual([]);
    for (const name of NETWORK_GLOBALS) expect(scope[name], name).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).sendBeacon).toBeUndefined();
    expect((scope.navigator as Record<string, unknown>).userAgent).toBe("test");

    const stubborn: Record<string, unknown> = {};
    Object.defineProperty(stubborn, "WebSocket", {value: () => "reached", configurable: false});
    expect(lockDown(stubborn)).toEqual(["WebSocket"]);
  });

  it("pythonError(traceback) is the exception's line and the line of the learner's code", () => {
    const traceback = 'Traceback (most recent call last):\n  File "/lib/python314.zip/_pyodide/_base.py", line 539, in eval_code\n  File "exercise.py", line 6, in log_mean_exp\n    return math.log(x)\nValueError: math domain error\n';
    expect(pythonError({message: traceback})).toBe("ValueError: math domain error (line 6)");
    expect(pythonError({message: "Traceback:\n  File \"exercise.py\", line 2\n    def f(:\n          ^\nSyntaxError: invalid syntax\n"})).toBe("SyntaxError: invalid syntax (line 2)");
  });

  it("the source names no address and no template placeholder survived", () => {
    expect(WORKER_SOURCE).not.toMatch(/https?:\/\//);
    expect(WORKER_SOURCE).not.toContain("${");
    for (const name of NETWORK_GLOBALS) expect(WORKER_SOURCE).toContain(JSON.stringify(name));
  });
});
