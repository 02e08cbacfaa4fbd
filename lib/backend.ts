import {tf} from "./tf.js";

/** The tfjs backends this project knows, in the order a browser tries them. */
export type BackendName = "webgpu" | "webgl" | "wasm" | "cpu";

export const BROWSER_CHAIN: readonly BackendName[] = ["webgpu", "webgl", "wasm", "cpu"];
export const NODE_CHAIN: readonly BackendName[] = ["wasm", "cpu"];

export interface BackendAttempt {
  /** A backend name, or the unrecognised name that was asked for. */
  name: string;
  /** Why this backend was not used; absent for the one that was picked. */
  error?: string;
}

export interface BackendChoice {
  /** The backend tfjs is now running on. */
  backend: BackendName;
  /** The backend asked for (e.g. from `?backend=`), or null when none was. */
  requested: BackendName | null;
  /** One sentence for a reader: what was picked and why. */
  reason: string;
  /** Every backend tried, in order, with the reason each one before the pick failed. */
  attempts: BackendAttempt[];
}

export interface ChooseBackendOptions {
  /** A backend to try first, e.g. from the URL; an unknown name is reported and ignored. */
  prefer?: string | null;
  /** The fallback order; defaults to BROWSER_CHAIN where `window` exists, else NODE_CHAIN. */
  chain?: readonly BackendName[];
}

export function isBackendName(name: unknown): name is BackendName {
  return typeof name === "string" && (BROWSER_CHAIN as readonly string[]).includes(name);
}

const LABELS: Record<BackendName, string> = {webgpu: "WebGPU", webgl: "WebGL", wasm: "WebAssembly", cpu: "plain JavaScript (CPU)"};

/** Why `name` cannot run here, checked before asking tfjs (which would log its own warnings). */
async function precheck(name: BackendName): Promise<string | null> {
  if (tf.findBackendFactory(name) == null) return "this build of tfjs has no such backend";
  if (name === "webgpu") {
    const gpu = (globalThis as {navigator?: {gpu?: {requestAdapter(): Promise<unknown>}}}).navigator?.gpu;
    if (!gpu) return "this browser has no WebGPU (navigator.gpu is missing)";
    const adapter = await gpu.requestAdapter().catch(() => null);
    if (!adapter) return "WebGPU found no GPU adapter";
  }
  if (name === "webgl") {
    type Canvas = {getContext(kind: string): unknown};
    const g = globalThis as {document?: {createElement(tag: string): Canvas}; OffscreenCanvas?: new (width: number, height: number) => Canvas};
    // A page draws on a <canvas>; a Web Worker has no document, and tfjs uses an OffscreenCanvas there.
    const canvas = g.document ? () => g.document!.createElement("canvas") : g.OffscreenCanvas ? () => new g.OffscreenCanvas!(1, 1) : null;
    if (!canvas) return g.document === undefined && typeof (globalThis as {importScripts?: unknown}).importScripts === "function" ? "this browser's workers have no OffscreenCanvas, which WebGL needs there" : "WebGL needs a browser";
    if (!canvas().getContext("webgl2") && !canvas().getContext("webgl")) {
      return "this browser could not create a WebGL context (GPU blocked or driver missing)";
    }
  }
  return null;
}

/** A tiny computation read back, so a backend that initializes but cannot compute is not picked. */
async function smokeTest(): Promise<void> {
  const result = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.scalar(1)));
  const values = await result.data();
  result.dispose();
  if (values[0] !== 2 || values[1] !== 3) throw new Error(`1 + [1, 2] gave [${Array.from(values)}]`);
}

/**
 * Picks the first backend of the chain that initializes and computes, starting from `prefer` when
 * given: `prefer: "wasm"` with the browser chain tries wasm, then cpu. Never throws: the CPU backend
 * is the last resort and always works.
 */
export async function chooseBackend({prefer = null, chain}: ChooseBackendOptions = {}): Promise<BackendChoice> {
  const order = chain ?? (typeof window === "undefined" ? NODE_CHAIN : BROWSER_CHAIN);
  const attempts: BackendAttempt[] = [];
  let requested: BackendName | null = null;
  let start = 0;
  if (prefer != null && prefer !== "") {
    if (isBackendName(prefer) && order.includes(prefer)) {
      requested = prefer;
      start = order.indexOf(prefer);
    } else {
      attempts.push({name: prefer, error: `unknown backend "${prefer}" (use ${order.join(", ")})`});
    }
  }
  const candidates = [...order.slice(start), ...(order.includes("cpu") ? [] : (["cpu"] as const))];
  for (const name of candidates) {
    const why = await precheck(name);
    if (why) {
      attempts.push({name, error: why});
      continue;
    }
    try {
      // When a backend fails to start, tfjs returns false and only logs the cause (for WASM, often
      // "Failed to fetch": its .wasm file could not be downloaded). Keep that cause for the reader.
      const {result: started, warnings} = await collectWarnings(() => tf.setBackend(name));
      if (!started) throw new Error(readableFailure(name, warnings));
      await tf.ready();
      await smokeTest();
      attempts.push({name});
      return {backend: name, requested, attempts, reason: describe(name, requested, attempts)};
    } catch (error) {
      attempts.push({name, error: error instanceof Error ? error.message : String(error)});
    }
  }
  throw new Error(`No tfjs backend works here: ${attempts.map((a) => `${a.name}: ${a.error}`).join("; ")}`);
}

/** Runs `fn`, keeping what it prints with console.warn (and still printing it). */
async function collectWarnings<T>(fn: () => Promise<T>): Promise<{result: T; warnings: string[]}> {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(" "));
    original.apply(console, args);
  };
  try {
    return {result: await fn(), warnings};
  } finally {
    console.warn = original;
  }
}

/**
 * The reason a backend did not start, in words a reader understands, from what tfjs logged. The WASM
 * backend's usual failure is a download: its .wasm files are fetched when it starts.
 */
export function readableFailure(name: BackendName, warnings: readonly string[]): string {
  const cause = warnings.filter((w) => !/^Initialization of backend \w+ failed$/.test(w.trim())).map((w) => w.split("\n")[0].trim()).find(Boolean);
  if (name === "wasm" && cause && /fetch|network|load|404|wasm.*(compile|instantiate)|MIME/i.test(cause)) {
    return `its WebAssembly file could not be downloaded or started (${cause})`;
  }
  return cause ? `tfjs could not start it (${cause})` : "tfjs could not start it";
}

function describe(name: BackendName, requested: BackendName | null, attempts: BackendAttempt[]): string {
  const failed = attempts.filter((a) => a.error);
  const because = failed.map((a) => `${a.name}: ${a.error}`).join("; ");
  if (requested === name) return `Running on ${LABELS[name]}, as the address asked (?backend=${name}).`;
  if (requested) return `Asked for ${requested}, but it is unavailable here, so running on ${LABELS[name]} (${because}).`;
  if (failed.length === 0) return `Running on ${LABELS[name]}, the fastest backend this browser offers.`;
  return `Running on ${LABELS[name]}, the first that works here (${because}).`;
}
