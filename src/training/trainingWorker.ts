// The training worker: a dedicated module Web Worker that runs lib's TrainingSession (and so lib's
// Trainer, unchanged) with its own tfjs, loaded from the same self-contained bundle the pages use.
// Protocol (src/training/trainingClient.ts is the other end):
//   page → worker: {type: "init", backend, wasmPaths}, then TrainingCommands (lib/trainingSession.ts)
//   worker → page: {type: "ready", thread: "worker", backend, reason} once, then TrainingEvents
// The worker picks its backend itself, starting from the one the page runs on; the page falls back to
// its own thread when the worker ends up on a different one.
import {BROWSER_CHAIN, chooseBackend, isBackendName} from "../lib/backend.js";
import {tf} from "../lib/tf.js";
import {TrainingSession, type TrainingCommand, type TrainingEvent} from "../lib/trainingSession.js";

export interface InitMessage {
  type: "init";
  /** The backend the page runs on: the worker tries it first. */
  backend: string;
  /** Absolute URLs of the WASM backend's .wasm files (a worker has no page to resolve them against). */
  wasmPaths: Record<string, string>;
}

const scope = globalThis as unknown as {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
};
const post = (event: TrainingEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);
let session: TrainingSession | null = null;

async function init({backend, wasmPaths}: InitMessage) {
  tf.setWasmPaths(wasmPaths);
  const choice = await chooseBackend({prefer: isBackendName(backend) ? backend : null, chain: BROWSER_CHAIN});
  const failed = choice.attempts.filter((a) => a.error).map((a) => `${a.name}: ${a.error}`);
  const reason =
    choice.backend === backend
      ? `Training runs in a Web Worker on ${choice.backend}, the backend this page uses, so the page stays responsive.`
      : `A Web Worker could not run ${backend} here (${failed.join("; ")}); it would run on ${choice.backend}.`;
  session = new TrainingSession(post);
  post({type: "ready", thread: "worker", backend: choice.backend, reason});
}

scope.onmessage = ({data}: MessageEvent) => {
  if (data?.type === "init") {
    init(data as InitMessage).catch((error: Error) => post({type: "failed", command: "configure", message: `The training worker could not start: ${error.message}`}));
    return;
  }
  void session?.handle(data as TrainingCommand);
};
