import {beforeAll} from "vitest";
import {chooseBackend, tf, type Tensor} from "../../lib/index.ts";

/** Runs the file's tests on a given backend, chosen explicitly (the default would be wasm). */
export function useBackend(name: "cpu" | "wasm"): void {
  beforeAll(async () => {
    const choice = await chooseBackend({prefer: name});
    if (choice.backend !== name) throw new Error(`could not start the ${name} backend: ${choice.reason}`);
  });
}

export function values(t: Tensor): number[] {
  const result = Array.from(t.dataSync());
  return result;
}

/** Tensors alive after `run` minus before; `run` must dispose what it makes. */
export async function leakedBy(run: () => void | Promise<void>): Promise<number> {
  const before = tf.memory().numTensors;
  await run();
  return tf.memory().numTensors - before;
}

export function meanAndStd(xs: ArrayLike<number>): {mean: number; std: number} {
  let sum = 0;
  for (let i = 0; i < xs.length; i++) sum += xs[i];
  const mean = sum / xs.length;
  let sq = 0;
  for (let i = 0; i < xs.length; i++) sq += (xs[i] - mean) ** 2;
  return {mean, std: Math.sqrt(sq / (xs.length - 1))};
}
