import {tf, type Scalar, type Tensor, type Variable} from "./tf.js";

export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** One optimizer step: minimize `loss` over `variables`, returning the loss (the caller owns it). */
export interface Optimizer {
  readonly learningRate: number;
  minimize(loss: () => Scalar, variables: Variable[]): Scalar;
  /** Changes the step size for the steps to come and keeps the moments (for a learning-rate schedule). */
  setLearningRate(learningRate: number): void;
  dispose(): void;
}

/**
 * Adam (Kingma & Ba 2015) in PyTorch's form, as one fused loop over the host's memory:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,
 *   w ← w − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
 * On the CPU and WASM backends tensors already live in main memory, and tfjs's own Adam spends about
 * a third of a training step in a dozen separate elementwise kernels; one JavaScript loop is several
 * times faster. On GPU backends reading gradients back every step would stall the GPU, so
 * createAdam() picks tfjs's optimizer there.
 */
export class HostAdam implements Optimizer {
  learningRate: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private t = 0;
  private readonly moments = new Map<Variable, {m: Float32Array; v: Float32Array; w: Float32Array; dataId: object}>();

  constructor({learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8}: AdamOptions) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
  }

  minimize(loss: () => Scalar, variables: Variable[]): Scalar {
    const {value, grads} = tf.variableGrads(loss, variables);
    this.t++;
    const {beta1, beta2, epsilon} = this;
    const stepSize = this.learningRate / (1 - beta1 ** this.t);
    const correction2 = Math.sqrt(1 - beta2 ** this.t);
    for (const variable of variables) {
      const gradient = grads[variable.name];
      if (!gradient) continue;
      const g = gradient.dataSync() as Float32Array;
      let state = this.moments.get(variable);
      if (!state) {
        state = {m: new Float32Array(variable.size), v: new Float32Array(variable.size), w: new Float32Array(0), dataId: {}};
        this.moments.set(variable, state);
      }
      // Keep a host copy of the weights; read it back only if something else assigned the variable
      // since our last update (a restored snapshot, a loaded checkpoint).
      if (variable.dataId !== state.dataId) state.w = Float32Array.from(variable.dataSync() as Float32Array);
      const {m, v, w} = state;
      for (let i = 0; i < w.length; i++) {
        const gi = g[i];
        const mi = (m[i] = beta1 * m[i] + (1 - beta1) * gi);
        const vi = (v[i] = beta2 * v[i] + (1 - beta2) * gi * gi);
        w[i] -= (stepSize * mi) / (Math.sqrt(vi) / correction2 + epsilon);
      }
      // A copy: the CPU backend would keep `w` itself as the tensor's storage, and the next update
      // would then change the weights under any snapshot that shares them.
      const updated = tf.tensor(w.slice(), variable.shape, "float32");
      variable.assign(updated);
      updated.dispose();
      state.dataId = variable.dataId;
    }
    tf.dispose(grads as unknown as Tensor[]);
    return value;
  }

  setLearningRate(learningRate: number): void {
    checkLearningRate(learningRate);
    this.learningRate = learningRate;
  }

  dispose(): void {
    this.moments.clear();
  }
}

/** tfjs's Adam, for GPU backends: the update stays on the device. */
export class DeviceAdam implements Optimizer {
  learningRate: number;
  private readonly optimizer: tf.AdamOptimizer;

  constructor({learningRate, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8}: AdamOptions) {
    this.learningRate = learningRate;
    this.optimizer = tf.train.adam(learningRate, beta1, beta2, epsilon);
  }

  minimize(loss: () => Scalar, variables: Variable[]): Scalar {
    return this.optimizer.minimize(loss, true, variables) as Scalar;
  }

  setLearningRate(learningRate: number): void {
    checkLearningRate(learningRate);
    this.learningRate = learningRate;
    // tfjs's AdamOptimizer reads its (protected) learningRate field at every step.
    (this.optimizer as unknown as {learningRate: number}).learningRate = learningRate;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** A learning rate must be a finite number > 0; throws a sentence saying so. The one place this is checked. */
export function checkLearningRate(learningRate: number): void {
  if (!(learningRate > 0) || !Number.isFinite(learningRate)) throw new Error(`learning rate must be a positive number, got ${learningRate}`);
}

/** Adam for the active backend: HostAdam where tensors live in main memory (cpu, wasm), else DeviceAdam. */
export function createAdam(options: AdamOptions): Optimizer {
  checkLearningRate(options.learningRate);
  return ["cpu", "wasm"].includes(tf.getBackend()) ? new HostAdam(options) : new DeviceAdam(options);
}
