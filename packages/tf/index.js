// Node (vitest, the CLI, the benchmark): tfjs from npm with the CPU and WASM backends.
// The browser never loads this file; it gets dist/tf.browser.js through the "browser" export condition.
export * from "@tensorflow/tfjs";
export {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-wasm";
