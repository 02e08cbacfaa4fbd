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
  }
  return choice;
}
