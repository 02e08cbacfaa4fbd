// The β sweep's fixed settings, apart from its wiring so that Node (the claims of chapter 10) can read
// them without a DOM.
import type {ModelConfig} from "../lib/index.js";

export const SWEEP_BETAS = [0, 0.5, 2, 8, 32];
export const SWEEP_LATENT = 16;
/** Free bits' floor in the sweep, nats per latent unit. */
export const SWEEP_FREE_BITS = 0.5;
/** KL warm-up in the sweep lasts this fraction of each run's steps. */
export const SWEEP_WARMUP_FRACTION = 0.5;
export const SWEEP_BATCH = 100;
export const SWEEP_TRAIN_COUNT = 5000;
export const SWEEP_HELD_OUT = 500;
export const SWEEP_LEARNING_RATE = 3e-3;
export const SWEEP_CONFIG: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [28, 28, 1], hiddenSizes: [256], latentDim: SWEEP_LATENT, likelihood: {kind: "bernoulli"}, seed: 2};
