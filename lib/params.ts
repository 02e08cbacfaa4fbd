import {tf, type Tensor, type Variable} from "./tf.js";

/**
 * A model's trainable tensors, by name ("encoder/dense0/kernel"), with seeded initialization.
 * tfjs variable names must be unique per page, so the names live here, not in tf.variable.
 */
export class ParamStore {
  readonly variables = new Map<string, Variable>();
  private readonly seed: number;
  private drawn = 0;

  constructor(seed: number) {
    this.seed = seed;
  }

  /** Glorot-uniform: U(−l, l), l = √(6 / (fanIn + fanOut)), the tf.layers default for kernels. */
  glorotUniform(name: string, shape: number[], fanIn: number, fanOut: number): Variable {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    // Each draw gets its own seed derived from the model's, so initialization is reproducible.
    const seed = this.seed * 7919 + ++this.drawn;
    return this.add(name, tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, "float32", seed))));
  }

  /** U(−limit, limit), seeded like glorotUniform (e.g. a VQ-VAE's codebook, U(−1/K, 1/K)). */
  uniform(name: string, shape: number[], limit: number): Variable {
    if (!(limit > 0) || !Number.isFinite(limit)) throw new Error(`uniform: the limit must be a positive number, got ${limit}`);
    const seed = this.seed * 7919 + ++this.drawn;
    return this.add(name, tf.tidy(() => tf.variable(tf.randomUniform(shape, -limit, limit, "float32", seed))));
  }

  zeros(name: string, shape: number[]): Variable {
    return this.add(name, tf.tidy(() => tf.variable(tf.zeros(shape))));
  }

  get(name: string): Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`no parameter named ${name}`);
    return variable;
  }

  list(): Variable[] {
    return [...this.variables.values()];
  }

  /** Number of trainable scalars. */
  size(): number {
    return this.list().reduce((sum, v) => sum + v.size, 0);
  }

  /** Copies of every value; the caller owns them (dispose with disposeSnapshot). */
  snapshot(): Map<string, Tensor> {
    return new Map([...this.variables].map(([name, v]) => [name, tf.clone(v)]));
  }

  /** Writes a snapshot (or decoded checkpoint weights) back; shapes must match exactly. */
  assign(values: Map<string, Tensor>): void {
    for (const [name, variable] of this.variables) {
      const value = values.get(name);
      if (!value) throw new Error(`missing parameter ${name}`);
      if (value.shape.join("x") !== variable.shape.join("x")) {
        throw new Error(`parameter ${name} has shape [${value.shape}], expected [${variable.shape}]`);
      }
      variable.assign(value);
    }
  }

  dispose(): void {
    for (const v of this.variables.values()) v.dispose();
    this.variables.clear();
  }

  private add(name: string, variable: Variable): Variable {
    if (this.variables.has(name)) throw new Error(`parameter ${name} defined twice`);
    this.variables.set(name, variable);
    return variable;
  }
}

export function disposeSnapshot(snapshot: Map<string, Tensor>): void {
  for (const t of snapshot.values()) t.dispose();
}
