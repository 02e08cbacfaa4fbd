import type {CaseOutcome} from "./exercises.js";

/**
 * The program of the exercise sandbox's worker, as source text. The page runs it in a Web Worker
 * created inside an iframe whose Content-Security-Policy forbids every network request (see
 * src/components/exerciseSandbox.ts); the worker then removes the network globals itself before the
 * learner's code runs, runs the learner's function on each case, and reports over a MessagePort that
 * only this program holds. It is text, not a function, because it must run unchanged in a worker made
 * from a blob; the unit tests evaluate the same text in Node (`workerHelpers`).
 *
 * Protocol. The page posts one message `{language, source, functionName, cases, runtime?, mode?}` with
 * a MessagePort; the worker answers on that port only:
 *   {type: "prepared", snapshot}       (Python, mode "prepare": a memory snapshot of a fresh interpreter)
 *   {type: "ready"}                    the sandbox is locked; the learner's code runs next
 *   {type: "compile", message, output} the code did not compile or defines no such function
 *   {type: "defined"}                  the code's top level ran and defined the function
 *   {type: "start", index}             case `index` starts (so a time-out can name it)
 *   {type: "outcome", index, value | summary | threw}
 *   {type: "done", output}
 *   {type: "failed", message}          the sandbox or the Python runtime could not start
 * `value` is a number, boolean, null, undefined, a short string, or a Float64Array of at most
 * LIMITS.array numbers; anything else becomes a `summary` sentence, so no message is more than a few
 * kilobytes whatever the learner's function returns.
 */

/** Bounds on what the worker sends back. */
export const WORKER_LIMITS = {
  /** Arrays of numbers up to this length are sent in full (8 bytes each). */
  array: 256,
  /** Strings up to this length are sent in full. */
  string: 200,
  /** Error messages and printed output are cut to these lengths. */
  message: 500,
  output: 2000
} as const;

/**
 * Globals that reach the network, start other scripts, or touch the site's stored data. The worker
 * deletes each from itself and its prototypes (fetch lives on WorkerGlobalScope.prototype) and refuses
 * to run the learner's code if any is left.
 */
export const NETWORK_GLOBALS = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "EventSource",
  "WebTransport",
  "importScripts",
  "Worker",
  "SharedWorker",
  "caches",
  "indexedDB",
  "FontFace",
  "fonts",
  "BroadcastChannel"
] as const;

export const WORKER_SOURCE = String.raw`"use strict";
const LIMITS = ${JSON.stringify(WORKER_LIMITS)};
const NETWORK_GLOBALS = ${JSON.stringify(NETWORK_GLOBALS)};
// Intrinsics taken before the learner's code can replace them.
const getPrototypeOf = Object.getPrototypeOf;
const hasOwn = Object.prototype.hasOwnProperty.call.bind(Object.prototype.hasOwnProperty);
const defineProperty = Object.defineProperty;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const apply = Reflect.apply;
const F64 = Float64Array;
const toText = String;
const stringify = JSON.stringify;
const sliceText = Function.prototype.call.bind(String.prototype.slice);
const objectTag = Function.prototype.call.bind(Object.prototype.toString);
const isInteger = Number.isInteger;

function cut(text, n) {
  text = toText(text);
  return text.length > n ? sliceText(text, 0, n) + "…" : text;
}

function errorText(error) {
  try {
    if (error !== null && typeof error === "object" && "message" in error) return cut(error.message, LIMITS.message);
    return cut(error, LIMITS.message);
  } catch (e) {
    return "an error that cannot be shown";
  }
}

// One value in a preview: numbers as written, short strings quoted, anything else by its kind.
function previewItem(x) {
  if (typeof x === "number" || typeof x === "boolean" || typeof x === "bigint") return toText(x);
  if (x === undefined || x === null) return toText(x);
  if (typeof x === "string") return stringify(cut(x, 20));
  if (isArray(x)) return "[…]";
  return typeof x;
}

function previewList(get, n, format) {
  format = format || previewItem;
  const shown = n < 5 ? n : 5;
  let text = "";
  for (let i = 0; i < shown; i++) text += (i ? ", " : "") + format(get(i));
  return "[" + text + (n > shown ? ", …" : "") + "]";
}

/**
 * What is sent back for a returned value: {value} when it is small and plain, else {summary}.
 * kind names the container in the learner's language ("array" or "list").
 */
function summarize(v, kind) {
  kind = kind || "array";
  const t = typeof v;
  if (t === "number" || t === "boolean" || v === undefined || v === null) return {value: v};
  if (t === "string") {
    if (v.length <= LIMITS.string) return {value: v};
    return {summary: "a string of " + v.length + " characters, starting " + stringify(sliceText(v, 0, 40)) + "…"};
  }
  if (t === "bigint") return {summary: "the integer " + cut(toText(v), 40) + ", too large for a float"};
  if (t === "function") return {summary: "a function"};
  if (t === "symbol") return {summary: "a symbol"};
  const typed = isView(v) && !(v instanceof DataView);
  if (typed || isArray(v)) {
    const n = v.length;
    if (typeof n !== "number" || !isInteger(n) || n < 0) return {summary: "an " + kind + " with no proper length"};
    const preview = () => previewList((i) => v[i], n);
    if (n > LIMITS.array) return {summary: "an " + kind + " of " + n + " values, starting " + preview()};
    const numbers = new F64(n);
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (typeof x !== "number") return {summary: "an " + kind + " of " + n + " values: " + preview()};
      numbers[i] = x;
    }
    return {value: numbers};
  }
  return {summary: "an object (" + cut(objectTag(v), 60) + ")"};
}

/** A Python value, as pyodide hands it over, turned into what summarize takes. */
function fromPython(py, r) {
  if (!(r instanceof py.ffi.PyProxy)) return summarize(r, "list");
  try {
    const type = r.type;
    if (type === "list" || type === "tuple") {
      const n = r.length;
      const items = [];
      const count = n > LIMITS.array ? (n < 5 ? n : 5) : n;
      for (let i = 0; i < count; i++) {
        const x = r.get(i);
        if (x instanceof py.ffi.PyProxy) {
          items[items.length] = {pythonType: x.type};
          x.destroy();
        } else items[items.length] = x;
      }
      if (n > LIMITS.array) return {summary: "a " + type + " of " + n + " values, starting " + previewList((i) => items[i], n, pyItem)};
      for (let i = 0; i < n; i++) {
        if (typeof items[i] !== "number") return {summary: "a " + type + " of " + n + " values: " + previewList((i) => items[i], n, pyItem)};
      }
      const numbers = new F64(n);
      for (let i = 0; i < n; i++) numbers[i] = items[i];
      return {value: numbers};
    }
    return {summary: "a Python " + cut(type, 40)};
  } finally {
    r.destroy();
  }
}

function pyItem(x) {
  if (x !== null && typeof x === "object" && "pythonType" in x) return "<" + x.pythonType + ">";
  if (x === undefined) return "None";
  if (x === true) return "True";
  if (x === false) return "False";
  return previewItem(x);
}

/** The last line of a Python traceback, with the line of the learner's code it points at. */
function pythonError(error) {
  const text = toText((error && error.message) || error);
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const last = lines.length ? lines[lines.length - 1].trim() : text;
  let line = null;
  const re = /File "exercise\.py", line (\d+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) line = m[1];
  return cut(last, LIMITS.message) + (line ? " (line " + line + ")" : "");
}

/**
 * Deletes the network globals from scope and its prototype chain, and navigator.sendBeacon and
 * navigator.serviceWorker where they exist. Returns the names still reachable (none, or the sandbox
 * refuses to run).
 */
function lockDown(scope) {
  for (const name of NETWORK_GLOBALS) {
    for (let o = scope; o; o = getPrototypeOf(o)) {
      if (hasOwn(o, name)) {
        try {
          delete o[name];
        } catch (e) {
          // Non-configurable: shadowed below.
        }
      }
    }
    if (name in scope) {
      try {
        defineProperty(scope, name, {value: undefined, writable: false, configurable: false});
      } catch (e) {
        // Reported as left below.
      }
    }
  }
  const nav = scope.navigator;
  if (nav) {
    for (const name of ["sendBeacon", "serviceWorker"]) {
      for (let o = nav; o; o = getPrototypeOf(o)) {
        if (hasOwn(o, name)) {
          try {
            delete o[name];
          } catch (e) {
            // Reported as left below.
          }
        }
      }
    }
  }
  const left = NETWORK_GLOBALS.filter((name) => scope[name] !== undefined);
  if (nav && (nav.sendBeacon !== undefined || nav.serviceWorker !== undefined)) left.push("navigator.sendBeacon/serviceWorker");
  return left;
}

// Printed output (console.log in JavaScript, print in Python), kept up to LIMITS.output characters.
let printed = "";
function print(text) {
  if (printed.length >= LIMITS.output) return;
  printed += text + "\n";
  if (printed.length > LIMITS.output) printed = sliceText(printed, 0, LIMITS.output) + "…";
}

function captureConsole(scope) {
  const log = (...args) => {
    let line = "";
    for (let i = 0; i < args.length; i++) line += (i ? " " : "") + (typeof args[i] === "string" ? args[i] : previewValue(args[i]));
    print(line);
  };
  const quiet = {log, info: log, warn: log, error: log, debug: log};
  try {
    defineProperty(scope, "console", {value: quiet, writable: true, configurable: true});
  } catch (e) {
    // Printing then goes to the browser's console.
  }
}

function previewValue(x) {
  if (isArray(x) || (isView(x) && !(x instanceof DataView))) {
    const n = x.length;
    return typeof n === "number" ? previewList((i) => x[i], n) : "[…]";
  }
  if (x !== null && typeof x === "object") return objectTag(x);
  return previewItem(x);
}

// Only the outcome's own fields: a getter the learner put on Object.prototype is never read.
function outcomeMessage(index, outcome) {
  if (hasOwn(outcome, "threw")) return {type: "outcome", index, threw: toText(outcome.threw)};
  if (hasOwn(outcome, "summary")) return {type: "outcome", index, summary: toText(outcome.summary)};
  return {type: "outcome", index, value: outcome.value};
}

async function runJavaScript(init, send) {
  const left = lockDown(self);
  if (left.length) return send({type: "failed", message: "the sandbox could not remove " + left.join(", ")});
  captureConsole(self);
  send({type: "ready"});
  let fn;
  try {
    fn = new Function(init.source + "\n;return typeof " + init.functionName + " === 'function' ? " + init.functionName + " : undefined;")();
  } catch (error) {
    return send({type: "compile", message: errorText(error), output: printed});
  }
  if (typeof fn !== "function") return send({type: "compile", message: "no function named " + init.functionName + " is defined", output: printed});
  send({type: "defined"});
  for (let i = 0; i < init.cases.length; i++) {
    send({type: "start", index: i});
    let outcome;
    try {
      outcome = summarize(apply(fn, undefined, init.cases[i]), "array");
    } catch (error) {
      outcome = {threw: errorText(error)};
    }
    send(outcomeMessage(i, outcome));
  }
  send({type: "done", output: printed});
}

async function runPython(init, send) {
  const runtime = init.runtime;
  // The runtime's files come from the page, in memory: this worker may not make any request.
  self.fetch = async (url) => {
    const name = toText(url).split("?")[0].split("/").pop();
    if (name === "python_stdlib.zip") return new Response(runtime.stdlib);
    if (name === "pyodide.asm.wasm") return new Response(new Uint8Array(0));
    throw new TypeError("the exercise sandbox has no network");
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiateStreaming = async (_response, imports) => ({instance: await instantiate(runtime.module, imports), module: runtime.module});
  let py;
  try {
    // Pyodide's two modules arrive as text and are imported from blob: URLs made here, so the worker's
    // policy names no address of the site and the host's MIME type for .mjs does not matter.
    const moduleUrl = (text) => URL.createObjectURL(new Blob([text], {type: "text/javascript"}));
    const {loadPyodide} = await import(moduleUrl(runtime.loaderSource));
    const createPyodideModule = (await import(moduleUrl(runtime.asmSource))).default;
    py = await loadPyodide({
      createPyodideModule,
      indexURL: runtime.indexURL,
      packageBaseUrl: runtime.indexURL,
      lockFileContents: runtime.lock,
      _makeSnapshot: init.mode === "prepare",
      _loadSnapshot: runtime.snapshot || undefined,
      stdout: print,
      stderr: print
    });
  } catch (error) {
    return send({type: "failed", message: "Python could not start: " + errorText(error)});
  }
  if (init.mode === "prepare") {
    let snapshot = null;
    try {
      snapshot = py.makeMemorySnapshot();
    } catch (error) {
      // Each run then starts Python from scratch: slower, same result.
    }
    return send({type: "prepared", snapshot});
  }
  const left = lockDown(self);
  if (left.length) return send({type: "failed", message: "the sandbox could not remove " + left.join(", ")});
  send({type: "ready"});
  const namespace = py.globals.get("dict")();
  try {
    py.runPython(init.source, {globals: namespace, filename: "exercise.py"});
  } catch (error) {
    return send({type: "compile", message: pythonError(error), output: printed});
  }
  const fn = namespace.get(init.functionName);
  if (typeof fn !== "function") return send({type: "compile", message: "no function named " + init.functionName + " is defined", output: printed});
  send({type: "defined"});
  for (let i = 0; i < init.cases.length; i++) {
    send({type: "start", index: i});
    const args = init.cases[i].map((a) => (isArray(a) ? py.toPy(a) : a));
    let outcome;
    try {
      outcome = fromPython(py, apply(fn, undefined, args));
    } catch (error) {
      outcome = {threw: pythonError(error)};
    }
    for (const a of args) if (a instanceof py.ffi.PyProxy) a.destroy();
    send(outcomeMessage(i, outcome));
  }
  send({type: "done", output: printed});
}

if (typeof WorkerGlobalScope !== "undefined" && self instanceof WorkerGlobalScope) {
  self.onmessage = (event) => {
    self.onmessage = null;
    const port = event.ports[0];
    if (!port) return;
    // Bound now: the learner's code never sees the port, and replacing MessagePort.prototype.postMessage
    // later changes nothing here.
    const send = MessagePort.prototype.postMessage.bind(port);
    const init = event.data;
    const run = init.language === "python" ? runPython : runJavaScript;
    run(init, send).catch((error) => send({type: "failed", message: errorText(error)}));
  };
}
`;

const MAX_TEXT = WORKER_LIMITS.message + 100;

/**
 * An outcome message as the worker must have sent it, turned into what checkCase takes (a
 * Float64Array becomes an array), or null when it is not one: the page drops it.
 */
export function readOutcome(data: Record<string, unknown>): CaseOutcome | null {
  if (typeof data.threw === "string") return {threw: data.threw.slice(0, MAX_TEXT)};
  if (typeof data.summary === "string") return {summary: data.summary.slice(0, MAX_TEXT)};
  const value = data.value;
  if (value instanceof Float64Array) return value.length <= WORKER_LIMITS.array ? {value: Array.from(value)} : null;
  if (typeof value === "string") return value.length <= WORKER_LIMITS.string ? {value} : null;
  if (value === undefined || value === null || typeof value === "number" || typeof value === "boolean") return {value};
  return null;
}

/** The printed output a message carries, cut to the limit. */
export function readOutput(data: Record<string, unknown>): string {
  return typeof data.output === "string" ? data.output.slice(0, WORKER_LIMITS.output + 1) : "";
}

/** The worker's helpers, evaluated from the same text, for tests in Node. */
export function workerHelpers(): {
  summarize(value: unknown, kind?: string): {value?: unknown; summary?: string};
  fromPython(py: unknown, value: unknown): {value?: unknown; summary?: string};
  pythonError(error: unknown): string;
  lockDown(scope: object): string[];
} {
  return new Function(`${WORKER_SOURCE}\nreturn {summarize, fromPython, pythonError, lockDown};`)();
}
