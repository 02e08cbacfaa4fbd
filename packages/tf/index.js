// Node (vitest, the CLI, the benchmark): tfjs from npm with the CPU and WASM backends.
// The browser never loads this file; it gets dist/tf.browser.js through the "browser" export condition.
export * from "@tensorflow/tfjs";
export {setWasmPaths} from "@tensorflow/tfjs-backend-wasm";
import "@tensorflow/tfjs-backend-wasm";

// tfjs's CPU backend prints a banner asking Node users to install @tensorflow/tfjs-node, on its first
// use in every process (ten times a test run). That package downloads a native library at install
// time, which these machines cannot do, and the project runs on WASM on purpose; drop that one message
// and pass every other warning through.
const warn = console.warn;
console.warn = (...args) => {
  if (typeof args[0] === "string" && args[0].includes("looks like you are running TensorFlow.js in Node.js")) return;
  warn.apply(console, args);
};
