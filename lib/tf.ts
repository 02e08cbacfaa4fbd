/**
 * The one tfjs instance. Every lib file imports tfjs from here, and pages use the `tf` that
 * lib/index.ts re-exports, so cells and lib share one engine, one backend and one tf.memory().
 * `@vae/tf` is the npm tfjs in Node and a prebuilt single-module bundle in the browser
 * (packages/tf/README.md says why).
 */
import * as tf from "@vae/tf";

export {tf};
export type {Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar, Rank, Variable} from "@vae/tf";
