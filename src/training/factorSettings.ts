// Chapter 12's live β sweep: its fixed settings, apart from its wiring so that Node (the chapter's
// claims and unit tests) can read them without a DOM.
import type {ModelConfig} from "../lib/index.js";

/** β from 1 (the VAE) up to large. */
export const FACTOR_BETAS = [1, 2, 4, 8, 16];
export const FACTOR_LATENT = 10;
/** Shapes generated for training, in the worker (lib's shapesSplit("train", …)). */
export const FACTOR_TRAIN_COUNT = 10_000;
/** Test shapes the mutual information is measured on (all of shapesSplit("test")). */
export const FACTOR_MEASURED = 2_000;
/** Test shapes the reconstruction loss and KL are scored on. */
export const FACTOR_HELD_OUT = 500;
/** 100 batches of FACTOR_BATCH make one pass over FACTOR_TRAIN_COUNT: every choice of steps is a whole number of epochs. */
export const FACTOR_BATCH = 100;
export const FACTOR_LEARNING_RATE = 1e-3;
export const FACTOR_STEPS = [100, 300, 1000, 3000];
/** A traversal sweeps each unit over [−TRAVERSAL, TRAVERSAL] in TRAVERSAL_STEPS images. */
export const TRAVERSAL = 2.5;
export const TRAVERSAL_STEPS = 9;
export const FACTOR_CONFIG: ModelConfig = {kind: "vae", arch: "mlp", imageShape: [32, 32, 1], hiddenSizes: [256], latentDim: FACTOR_LATENT, likelihood: {kind: "bernoulli"}, seed: 2};
