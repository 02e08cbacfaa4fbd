// Bundled by scripts/vendor.mjs with esbuild into dist/tf.browser.js: one ES module with no imports left,
// holding tfjs (CPU, WebGL), the WASM backend and the WebGPU backend around a single tfjs-core.
export * from "@tensorflow/tfjs";
export {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-webgpu";
