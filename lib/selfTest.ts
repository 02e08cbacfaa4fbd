import {mulberry32} from "./random.js";
import {tf} from "./tf.js";

export interface SelfTestResult {
  backend: string;
  /** Largest |tfjs - plain JavaScript| over a [32, 48] × [48, 16] product through a tf.Variable. */
  maxAbsError: number;
  /** Tensors alive after the test minus before: 0 when nothing leaked. */
  leakedTensors: number;
  millis: number;
}

/**
 * Checks the active backend computes: x · W with W held in a tf.Variable, against the same product
 * in plain JavaScript. WebGL computes in float32 (or float16 on some phones), so expect ~1e-6 (~1e-3).
 */
export async function backendSelfTest(seed = 1): Promise<SelfTestResult> {
  const [rows, inner, cols] = [32, 48, 16];
  const uniform = mulberry32(seed);
  const x = Float32Array.from({length: rows * inner}, () => uniform() * 2 - 1);
  const w = Float32Array.from({length: inner * cols}, () => uniform() * 2 - 1);
  const before = tf.memory().numTensors;
  const start = performance.now();
  const weights = tf.tidy(() => tf.variable(tf.tensor2d(w, [inner, cols]), false));
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(x, [rows, inner]), weights));
  const values = await product.data();
  product.dispose();
  weights.dispose();
  const millis = performance.now() - start;
  let maxAbsError = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += x[i * inner + k] * w[k * cols + j];
      maxAbsError = Math.max(maxAbsError, Math.abs(sum - values[i * cols + j]));
    }
  }
  return {backend: tf.getBackend(), maxAbsError, leakedTensors: tf.memory().numTensors - before, millis};
}

/**
 * Creates a small named variable with lib's tfjs. The diagnostics page and its browser test look for
 * it through the page's own `tf`: if they see it, the page and lib share one tfjs instance.
 * The caller owns (and disposes) the variable.
 */
export function probeVariable(name: string): import("./tf.js").Variable {
  return tf.tidy(() => tf.variable(tf.zeros([2, 2]), false, name));
}
