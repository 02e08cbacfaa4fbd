// The page's end of the training protocol: starts the training worker, or, where a worker cannot
// run the page's backend, a TrainingSession on the page's own thread, and says which and why.
// Either way the caller sends TrainingCommands and receives TrainingEvents (lib/trainingSession.ts).
import {TrainingSession, type BackendChoice, type TrainingCommand, type TrainingEvent} from "../lib/index.js";
import {WASM_FILES} from "../components/tfBackend.js";

export interface TrainingConnection {
  /** Where training runs: a dedicated Web Worker, or the page's thread (the fallback). */
  thread: "worker" | "page";
  backend: string;
  /** A sentence for the reader: where training runs, on which backend, and why. */
  reason: string;
  send(command: TrainingCommand, transfer?: Transferable[]): void;
  /** Adds a listener; returns a function that removes it. */
  listen(listener: (event: TrainingEvent) => void): () => void;
  close(): void;
}

/** How long a worker may take to load tfjs and start its backend before the page gives up on it. */
const WORKER_START_MS = 60_000;

function pageConnection(backend: string, reason: string): TrainingConnection {
  const listeners = new Set<(event: TrainingEvent) => void>();
  const session = new TrainingSession((event) => listeners.forEach((l) => l(event)));
  return {
    thread: "page",
    backend,
    reason,
    send: (command) => void session.handle(command),
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => void session.handle({type: "dispose"})
  };
}

function startWorker(backend: string): Promise<{worker: Worker; ready: Extract<TrainingEvent, {type: "ready"}>}> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(import.meta.resolve("./trainingWorker.js"), {type: "module"});
    } catch (error) {
      reject(new Error(`this browser could not start a module Web Worker (${(error as Error).message})`));
      return;
    }
    const timer = setTimeout(() => fail(new Error(`the worker did not start within ${WORKER_START_MS / 1000} s`)), WORKER_START_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      worker.terminate();
      reject(error);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(new Error(event.message || "the worker's script failed to load"));
    };
    worker.onmessage = ({data}: MessageEvent<TrainingEvent>) => {
      if (data.type === "ready") {
        clearTimeout(timer);
        resolve({worker, ready: data});
      } else if (data.type === "failed") {
        fail(new Error(data.message));
      }
    };
    worker.postMessage({type: "init", backend, wasmPaths: WASM_FILES});
  });
}

/**
 * Connects to a training session on the page's backend: in a Web Worker when the worker can run that
 * backend, else on the page's thread. `?lab-thread=page` in the address forces the page's thread (to
 * compare the two).
 */
export async function connectTraining(choice: BackendChoice): Promise<TrainingConnection> {
  const backend = choice.backend;
  if (new URLSearchParams(location.search).get("lab-thread") === "page") {
    return pageConnection(backend, `Training runs on this page's thread on ${backend}, as the address asked (?lab-thread=page).`);
  }
  if (typeof Worker === "undefined") return pageConnection(backend, `Training runs on this page's thread on ${backend}: this browser has no Web Workers, so the page may pause while it trains.`);
  let started: Awaited<ReturnType<typeof startWorker>>;
  try {
    started = await startWorker(backend);
  } catch (error) {
    return pageConnection(backend, `Training runs on this page's thread on ${backend}: ${(error as Error).message}, so the page may pause while it trains.`);
  }
  const {worker, ready} = started;
  if (ready.backend !== backend) {
    worker.terminate();
    return pageConnection(backend, `Training runs on this page's thread on ${backend}. ${ready.reason} The page may pause while it trains.`);
  }
  const listeners = new Set<(event: TrainingEvent) => void>();
  worker.onmessage = ({data}: MessageEvent<TrainingEvent>) => listeners.forEach((l) => l(data));
  worker.onerror = (event) => {
    event.preventDefault();
    listeners.forEach((l) => l({type: "failed", command: "play", message: `The training worker stopped: ${event.message}`}));
  };
  return {
    thread: "worker",
    backend,
    reason: ready.reason,
    send: (command, transfer = []) => worker.postMessage(command, transfer),
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => worker.terminate()
  };
}

/**
 * Waiting for the session's replies one at a time (the sweeps' "send a command, await its answer"):
 * `dispatch` is what a connection's listener calls with each event; `next(match)` resolves with the
 * next event `match` accepts, and rejects with the message of a "failed" event that comes first.
 */
export function eventWaiter() {
  const listeners = new Set<(event: TrainingEvent) => void>();
  const dispatch = (event: TrainingEvent) => listeners.forEach((l) => l(event));
  const next = <T extends TrainingEvent>(match: (event: TrainingEvent) => event is T): Promise<T> =>
    new Promise((resolve, reject) => {
      const listener = (event: TrainingEvent) => {
        if (event.type === "failed") {
          listeners.delete(listener);
          reject(new Error(event.message));
        } else if (match(event)) {
          listeners.delete(listener);
          resolve(event);
        }
      };
      listeners.add(listener);
    });
  return {dispatch, next};
}
