// The public API of the VAE Explorables library. Only re-exports, by name.
export {tf} from "./tf.js";
export type {Tensor, Tensor1D, Tensor2D, Scalar} from "./tf.js";
export {chooseBackend, isBackendName, BROWSER_CHAIN, NODE_CHAIN} from "./backend.js";
export type {BackendName, BackendChoice, BackendAttempt, ChooseBackendOptions} from "./backend.js";
export {backendSelfTest, probeVariable} from "./selfTest.js";
export type {SelfTestResult} from "./selfTest.js";
export {mulberry32, normalSampler} from "./random.js";
