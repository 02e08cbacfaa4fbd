// The sandbox the checked code exercises run in: a Web Worker with no network, a time limit, and a
// private channel back to the page.
//
// - No network, twice over. (1) A Content-Security-Policy: a static host cannot send headers, so the
//   worker is created inside a hidden same-origin iframe (srcdoc) whose <meta http-equiv> policy is
//   `default-src 'none'`; Chromium gives a worker made from a blob: URL the policy of the document that
//   created it, so every fetch, XMLHttpRequest, WebSocket, EventSource, importScripts, dynamic import(),
//   nested worker and font load from the learner's code is refused before it leaves the page.
//   (2) The worker program (lib/exerciseWorker.ts) deletes those globals before the learner's code runs.
// - Small answers: the worker summarises whatever the function returns, so the page never receives
//   more than a few kilobytes.
// - Unforgeable: the worker answers on a MessagePort the learner's code never sees; messages on the
//   worker itself (self.postMessage from the learner) are ignored, and malformed ones are dropped.
// - Python: Pyodide's files are copied into the site by the build (import.meta.resolve below), fetched
//   by the page when the reader first picks Python, and handed to each worker in memory, so the
//   Python worker makes no request at all and its policy allows no address.
import {readOutcome, readOutput, WORKER_SOURCE, type CaseOutcome, type ExerciseCase, type ExerciseLanguage} from "../lib/index.js";

// import.meta.resolve makes Framework copy each file into dist/_node/pyodide@VERSION/ and return its
// URL: the site serves Pyodide itself and never reaches for a CDN.
const PYODIDE = {
  loader: import.meta.resolve("pyodide/pyodide.mjs"),
  asm: import.meta.resolve("pyodide/pyodide.asm.mjs"),
  wasm: import.meta.resolve("pyodide/pyodide.asm.wasm"),
  stdlib: import.meta.resolve("pyodide/python_stdlib.zip"),
  lock: import.meta.resolve("pyodide/pyodide-lock.json")
};

/** What the reader is told while a run gets ready. */
export type SandboxStatus = {phase: "download"; loaded: number; total: number | null} | {phase: "starting"; first: boolean} | {phase: "running"};

/** What running the learner's code gave: one outcome per case, or why it stopped. */
export type SandboxRun =
  | {kind: "finished"; outcomes: CaseOutcome[]; output: string}
  | {kind: "compile"; message: string; output: string}
  | {kind: "timeout"; index: number}
  | {kind: "failed"; message: string};

export interface SandboxOptions {
  /** The learner's function gets this long for all the cases together. */
  timeoutMs?: number;
  /**
   * The code's top level (imports, helpers: everything outside the function) gets this long; a
   * time-out there is reported with index −1.
   */
  setupMs?: number;
  onStatus?: (status: SandboxStatus) => void;
}

function policy(language: ExerciseLanguage): string {
  // The worker's own script is a blob: (worker-src). JavaScript needs eval for new Function; Python
  // needs to compile WebAssembly and to import Pyodide's two modules, which the worker gets as text
  // from the page and imports from blob: URLs it makes itself. No address is allowed in either.
  const script = language === "python" ? "'wasm-unsafe-eval' blob:" : "'unsafe-eval'";
  return `default-src 'none'; script-src ${script}; worker-src blob:`;
}

interface Frame {
  window: Window & typeof globalThis;
  workerUrl: string;
}

const frames = new Map<ExerciseLanguage, Promise<Frame>>();

/** The hidden iframe that carries the policy, one per language, made on first use. */
function sandboxFrame(language: ExerciseLanguage): Promise<Frame> {
  let frame = frames.get(language);
  if (!frame) {
    frame = new Promise<Frame>((resolve, reject) => {
      const iframe = document.createElement("iframe");
      iframe.hidden = true;
      iframe.tabIndex = -1;
      iframe.setAttribute("aria-hidden", "true");
      iframe.title = `code exercise sandbox (${language})`;
      iframe.className = "exercise-sandbox-frame";
      const content = policy(language).replace(/"/g, "&quot;");
      iframe.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${content}"><title>sandbox</title>`;
      iframe.addEventListener(
        "load",
        () => {
          const window = iframe.contentWindow as (Window & typeof globalThis) | null;
          if (!window) return reject(new Error("the sandbox frame did not open"));
          // The blob is made in the frame, so the worker made from it takes the frame's policy.
          const workerUrl = window.URL.createObjectURL(new window.Blob([WORKER_SOURCE], {type: "text/javascript"}));
          resolve({window, workerUrl});
        },
        {once: true}
      );
      document.body.append(iframe);
    });
    frames.set(language, frame);
    frame.catch(() => frames.delete(language));
  }
  return frame;
}

interface PythonRuntime {
  indexURL: string;
  /** pyodide.mjs and pyodide.asm.mjs, as text. */
  loaderSource: string;
  asmSource: string;
  module: WebAssembly.Module;
  stdlib: ArrayBuffer;
  lock: unknown;
  /** A memory snapshot of a freshly started interpreter: each run starts from it in well under a second. */
  snapshot: Uint8Array | null;
}

let pythonRuntime: Promise<PythonRuntime> | undefined;
const runtimeListeners = new Set<(status: SandboxStatus) => void>();

function tellRuntime(status: SandboxStatus) {
  for (const listener of runtimeListeners) listener(status);
}

/** Downloads the three large files with progress, sharing one running total. */
async function download(urls: string[]): Promise<ArrayBuffer[]> {
  const responses = await Promise.all(urls.map((url) => fetch(url)));
  for (const [i, r] of responses.entries()) if (!r.ok) throw new Error(`${urls[i].split("/").pop()} could not be loaded (HTTP ${r.status})`);
  const lengths = responses.map((r) => Number(r.headers.get("content-length")) || 0);
  const total = lengths.every((n) => n > 0) ? lengths.reduce((a, b) => a + b, 0) : null;
  let loaded = 0;
  tellRuntime({phase: "download", loaded, total});
  return Promise.all(
    responses.map(async (response) => {
      if (!response.body) return response.arrayBuffer();
      const reader = response.body.getReader();
      const chunks: Uint8Array[] = [];
      for (;;) {
        const {done, value} = await reader.read();
        if (done) break;
        chunks.push(value);
        loaded += value.byteLength;
        tellRuntime({phase: "download", loaded, total});
      }
      const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
      let offset = 0;
      for (const c of chunks) {
        bytes.set(c, offset);
        offset += c.byteLength;
      }
      return bytes.buffer;
    })
  );
}

async function loadPythonRuntime(): Promise<PythonRuntime> {
  // Where Pyodide's files are; the worker is handed every file it needs, so this is only its name for them.
  const indexURL = new URL(".", PYODIDE.loader).href;
  const [wasm, stdlib, lock, loader, asm] = await download([PYODIDE.wasm, PYODIDE.stdlib, PYODIDE.lock, PYODIDE.loader, PYODIDE.asm]);
  tellRuntime({phase: "starting", first: true});
  const module = await WebAssembly.compile(wasm);
  const text = (bytes: ArrayBuffer) => new TextDecoder().decode(bytes);
  const runtime: PythonRuntime = {indexURL, loaderSource: text(loader), asmSource: text(asm), module, stdlib, lock: JSON.parse(text(lock)), snapshot: null};
  // Start Python once, in the sandbox, and keep a snapshot of its memory for every later run.
  const prepared = await startWorker("python", {mode: "prepare", runtime}, 180_000);
  if (prepared.kind === "failed") throw new Error(prepared.message);
  runtime.snapshot = prepared.snapshot;
  return runtime;
}

/**
 * Starts loading Python (once per page), calling onStatus with the progress; resolves when Python is
 * ready to run code. A failed load is forgotten, so the next call tries again.
 */
export function preparePython(onStatus?: (status: SandboxStatus) => void): Promise<void> {
  if (onStatus) runtimeListeners.add(onStatus);
  if (!pythonRuntime) {
    pythonRuntime = loadPythonRuntime();
    pythonRuntime.catch(() => (pythonRuntime = undefined));
  }
  return pythonRuntime.then(
    () => {
      if (onStatus) runtimeListeners.delete(onStatus);
    },
    (error) => {
      if (onStatus) runtimeListeners.delete(onStatus);
      throw error;
    }
  );
}

/** Runs the prepare step: a worker that starts Python and answers with a snapshot, or why it failed. */
async function startWorker(language: "python", init: {mode: "prepare"; runtime: PythonRuntime}, limitMs: number): Promise<{kind: "prepared"; snapshot: Uint8Array | null} | {kind: "failed"; message: string}> {
  const frame = await sandboxFrame(language);
  const worker = new frame.window.Worker(frame.workerUrl, {type: "module"});
  const channel = new MessageChannel();
  return new Promise((resolve) => {
    const finish = (result: {kind: "prepared"; snapshot: Uint8Array | null} | {kind: "failed"; message: string}) => {
      clearTimeout(timer);
      channel.port1.close();
      worker.terminate();
      resolve(result);
    };
    const timer = setTimeout(() => finish({kind: "failed", message: `Python did not start within ${limitMs / 1000} s`}), limitMs);
    channel.port1.onmessage = ({data}) => {
      if (data?.type === "prepared") finish({kind: "prepared", snapshot: data.snapshot instanceof Uint8Array ? data.snapshot : null});
      else if (data?.type === "failed" && typeof data.message === "string") finish({kind: "failed", message: data.message.slice(0, 600)});
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({kind: "failed", message: event.message || "the Python worker could not start"});
    };
    worker.postMessage({language, ...init}, [channel.port2]);
  });
}

/**
 * Runs `source` (which must define `functionName`) on each case's arguments in a fresh sandboxed
 * worker. After `timeoutMs` the worker is terminated, so an infinite loop costs the page nothing.
 */
export async function runInSandbox(
  language: ExerciseLanguage,
  source: string,
  functionName: string,
  cases: ExerciseCase[],
  {timeoutMs = 2000, setupMs = 10_000, onStatus}: SandboxOptions = {}
): Promise<SandboxRun> {
  let runtime: PythonRuntime | undefined;
  if (language === "python") {
    try {
      await preparePython(onStatus);
      runtime = await pythonRuntime;
    } catch (error) {
      return {kind: "failed", message: `Python could not be loaded: ${(error as Error).message ?? error}`};
    }
  }
  let frame: Frame;
  try {
    frame = await sandboxFrame(language);
  } catch (error) {
    return {kind: "failed", message: (error as Error).message};
  }
  onStatus?.(language === "python" ? {phase: "starting", first: false} : {phase: "running"});
  const worker = new frame.window.Worker(frame.workerUrl, {type: "module"});
  // Messages the learner's code posts on the worker itself (self.postMessage) are never read.
  worker.onmessage = null;
  const channel = new MessageChannel();
  const outcomes: CaseOutcome[] = [];
  let ready = false;
  let defined = false;
  let current = -1;
  return new Promise((resolve) => {
    let runTimer: ReturnType<typeof setTimeout> | undefined;
    const finish = (run: SandboxRun) => {
      clearTimeout(loadTimer);
      clearTimeout(runTimer);
      channel.port1.onmessage = null;
      channel.port1.close();
      worker.terminate();
      resolve(run);
    };
    // Starting the worker (and Python from its snapshot) has its own, generous limit.
    const loadTimer = setTimeout(() => finish({kind: "failed", message: "the sandbox did not start in time"}), language === "python" ? 60_000 : 20_000);
    channel.port1.onmessage = ({data}: MessageEvent) => {
      if (data === null || typeof data !== "object") return;
      const m = data as Record<string, unknown>;
      if (!ready) {
        if (m.type === "ready") {
          ready = true;
          clearTimeout(loadTimer);
          onStatus?.({phase: "running"});
          runTimer = setTimeout(() => finish({kind: "timeout", index: -1}), setupMs);
        } else if (m.type === "failed" && typeof m.message === "string") {
          finish({kind: "failed", message: m.message.slice(0, 600)});
        }
        return;
      }
      if (m.type === "compile" && !defined && typeof m.message === "string") {
        finish({kind: "compile", message: m.message.slice(0, 600), output: readOutput(m)});
      } else if (m.type === "defined" && !defined) {
        defined = true;
        clearTimeout(runTimer);
        runTimer = setTimeout(() => finish({kind: "timeout", index: Math.max(current, 0)}), timeoutMs);
      } else if (m.type === "start" && defined && m.index === outcomes.length && outcomes.length < cases.length) {
        current = m.index;
      } else if (m.type === "outcome" && m.index === current && current === outcomes.length) {
        const outcome = readOutcome(m);
        outcomes.push(outcome ?? {summary: "something the checker could not read"});
      } else if (m.type === "done" && outcomes.length === cases.length) {
        finish({kind: "finished", outcomes, output: readOutput(m)});
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // Before the sandbox is ready this is the sandbox failing; after, it is the learner's code
      // throwing later (a timer, a promise), which the time limit and the outcomes already cover.
      if (!ready) finish({kind: "failed", message: event.message || "the sandbox could not start"});
    };
    const init = {language, source, functionName, cases: cases.map((c) => c.args), runtime, mode: "run"};
    worker.postMessage(init, [channel.port2]);
  });
}
