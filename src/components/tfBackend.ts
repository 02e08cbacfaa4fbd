// Page-side setup of the tfjs backend: reads `?backend=` from the address, tells the WASM backend
// where the site serves its .wasm files, and asks lib to choose. Every page awaits the same promise,
// so the choice is made once per page load.
import {chooseBackend, tf, type BackendChoice} from "../lib/index.js";

// import.meta.resolve makes Framework copy each file into the built site and return its URL,
// so the WASM backend never reaches for a CDN.
export const WASM_FILES = {
  "tfjs-backend-wasm.wasm": import.meta.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm"),
  "tfjs-backend-wasm-simd.wasm": import.meta.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm"),
  "tfjs-backend-wasm-threaded-simd.wasm": import.meta.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm")
};

let choice: Promise<BackendChoice> | undefined;

/** The backend the page runs on, chosen on first call (WebGPU → WebGL → WASM → CPU). */
export function initBackend(): Promise<BackendChoice> {
  if (!choice) {
    tf.setWasmPaths(WASM_FILES);
    const prefer = new URLSearchParams(location.search).get("backend");
    choice = chooseBackend({prefer});
    void choice.then(showBackendNote, () => {});
  }
  return choice;
}

const NAMES: Record<string, string> = {webgpu: "WebGPU", webgl: "WebGL", wasm: "WebAssembly (WASM)", cpu: "the CPU, in plain JavaScript"};

/**
 * The sentence a live chapter shows under its title: which backend its figures run on and, when that
 * is a slower fallback (WASM or the CPU) or not the backend the address asked for, why.
 */
export function backendNote(choice: BackendChoice): string {
  const on = `The live figures on this page run on ${NAMES[choice.backend] ?? choice.backend}.`;
  const failed = choice.attempts.filter((a) => a.error && a.name !== "webgpu");
  const slower = choice.backend === "wasm" || choice.backend === "cpu";
  const missed = choice.requested !== null && choice.requested !== choice.backend;
  if (choice.requested === choice.backend) return `${on} The address asked for it (?backend=${choice.backend}).`;
  if (!(slower || missed) || failed.length === 0) return on;
  const why = failed.map((a) => `${NAMES[a.name] ?? a.name}: ${a.error}`).join("; ");
  return `${on} That is slower than a GPU: ${why}. The Diagnostics page has the details.`;
}

/** Puts the backend sentence under a chapter's meta line (pages without one, such as the index, show their own status). */
function showBackendNote(choice: BackendChoice) {
  const meta = document.querySelector(".chapter-meta");
  if (!meta) return;
  let note = document.querySelector<HTMLElement>(".backend-note");
  if (!note) {
    note = document.createElement("p");
    note.className = "backend-note";
    note.setAttribute("role", "status");
    meta.after(note);
  }
  note.dataset.backend = choice.backend;
  note.textContent = backendNote(choice);
  note.title = choice.reason;
}
