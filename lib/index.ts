// The public API of the VAE Explorables library. Only re-exports, by name.
export {tf} from "./tf.js";
export type {Tensor, Tensor1D, Tensor2D, Tensor3D, Tensor4D, Scalar, Variable} from "./tf.js";
export {chooseBackend, isBackendName, BROWSER_CHAIN, NODE_CHAIN} from "./backend.js";
export type {BackendName, BackendChoice, BackendAttempt, ChooseBackendOptions} from "./backend.js";
export {backendSelfTest, probeVariable} from "./selfTest.js";
export type {SelfTestResult} from "./selfTest.js";
export {mulberry32, normalSampler} from "./random.js";

export {gaussianLogDensity, bernoulliLogLikelihood, gaussianLogLikelihood, logLikelihood, logLikelihoodSamples} from "./logDensity.js";
export type {Likelihood} from "./logDensity.js";
export {klStandardNormal, klDiagonalGaussians, klMonteCarlo} from "./kl.js";
export {reparameterize} from "./reparameterize.js";
export {scoreFunctionGradient, reparameterizedGradient} from "./gradientEstimators.js";
export type {Objective, GradientEstimate, EstimatorOptions} from "./gradientEstimators.js";
export {logSpacedCounts, runningMeans} from "./runningMean.js";
export {elbo, elboLoss} from "./elbo.js";
export type {ElboInputs, ElboTerms, Decoder} from "./elbo.js";
export {iwaeBound, logMeanExp} from "./iwae.js";
export type {IwaeInputs} from "./iwae.js";
export {LinearGaussianModel, logMeanExpNumbers} from "./linearGaussian.js";
export type {DiagonalGaussian, ExactElbo} from "./linearGaussian.js";

export {createModel, modelConfig, validateConfig, klPerUnit, activeUnits} from "./model.js";
export type {Model, ModelConfig, Encoded, LossOptions} from "./model.js";
export {ParamStore} from "./params.js";
export {dense} from "./dense.js";
export {createAdam, HostAdam, DeviceAdam} from "./adam.js";
export type {Optimizer, AdamOptions} from "./adam.js";
export {BatchSampler, binarize, validateDataset} from "./batches.js";
export type {Dataset, Binarization, Batch} from "./batches.js";
export {Trainer, yieldToEventLoop} from "./trainer.js";
export type {TrainerOptions, StepRecord, Progress, TrainerState, Divergence} from "./trainer.js";
export {
  CHECKPOINT_FORMAT,
  MAX_CHECKPOINT_BYTES,
  CheckpointError,
  checkpointConfig,
  checkpointMetadata,
  decodeCheckpointBundle,
  describe as describeConfig,
  encodeCheckpointBundle,
  loadCheckpoint,
  loadWeightsInto,
  modelFromArtifacts,
  modelFromBundle,
  modelToArtifacts,
  readArtifacts,
  saveCheckpoint
} from "./checkpoint.js";
export type {CheckpointMetadata} from "./checkpoint.js";
export {encodeFloat16, fromFloat16Bits, toFloat16Bits} from "./float16.js";
export {parseIdx, mnistFromIdx, encodeIdx, IdxError} from "./idx.js";
export type {IdxArray} from "./idx.js";
export {encodeDigits, decodeDigits, concatDatasets, centerDigit} from "./digits.js";
export {evaluateModel} from "./evaluate.js";
export type {EvaluationOptions, Metrics} from "./evaluate.js";
export {fitIndependentBernoulli, sampleIndependentBernoulli, independentBernoulliLogLikelihood} from "./pixelModel.js";
export {interpolate} from "./interpolate.js";
export {pca, project} from "./pca.js";
export type {Pca} from "./pca.js";
export {EXERCISES, checkCase, describeCall, functionNameIn} from "./exercises.js";
export type {Exercise, ExerciseCase, CaseResult, CaseOutcome, ExerciseLanguage, PythonVersion} from "./exercises.js";
export {WORKER_SOURCE, WORKER_LIMITS, NETWORK_GLOBALS, readOutcome, readOutput} from "./exerciseWorker.js";
export {resultsRecordText, parseResults, resultKey, localTimestamp} from "./exerciseRecord.js";
export type {ExerciseResult} from "./exerciseRecord.js";
export {umapProject} from "./umap.js";
export type {UmapOptions} from "./umap.js";
export {
  softplus,
  bernoulliLogProbability,
  float32Sigmoid,
  naiveFloat32LogProbability,
  float32SaturationLogit,
  naiveBernoulliLogProbabilities,
  stableBernoulliLogProbabilities,
  bernoulliLogProbabilityGradients
} from "./logits.js";
export {shiftImage, shiftedCopies, pixelMean, squaredErrors, gaussianLogLikelihoodFromSquaredError, optimalSigma, sigmaCurve} from "./gaussianDecoder.js";
export type {SigmaCurvePoint} from "./gaussianDecoder.js";
export {conv2dSame, upsampleNearest} from "./conv.js";
export {stopGradient, straightThrough, squaredDistances, nearestCodes, lookupCodes, vectorQuantize} from "./vectorQuantizer.js";
export type {Quantized} from "./vectorQuantizer.js";
export {codeCounts, codePerplexity, DeadCodeTracker, reseedCodes} from "./codebookUsage.js";
export {latentGrid, addGridEncoder, addGridDecoder, gridEncode, gridDecode} from "./gridNetworks.js";
export type {GridShape} from "./gridNetworks.js";
export {createVqVae, vqvaeConfig, validateVqVaeConfig, uniformCodePriorKl, checkCommitment} from "./vqvae.js";
export type {VqVae, VqVaeConfig, VqVaeTerms, VqVaeLoss} from "./vqvae.js";
export {VqVaeTrainer} from "./vqvaeTrainer.js";
export type {VqVaeTrainerOptions, VqVaeStepRecord, VqVaeProgress, VqVaeTrainerState, ReseedEvent} from "./vqvaeTrainer.js";
export {
  checkpointKind,
  vqvaeCheckpointConfig,
  vqvaeToArtifacts,
  vqvaeFromArtifacts,
  loadVqVaeWeightsInto,
  describeVqVae,
  saveVqVae,
  loadVqVae,
  vqvaeFromBundle,
  spatialVaeToArtifacts,
  spatialVaeFromArtifacts,
  codePriorToArtifacts,
  codePriorFromArtifacts
} from "./vqvaeCheckpoint.js";
export {evaluateVqVae, binarizedTestImages} from "./evaluateVqvae.js";
export type {VqVaeEvaluationOptions, VqVaeMetrics} from "./evaluateVqvae.js";
export {fitIndependentCodePrior, independentCodeLogLikelihood, sampleIndependentCodes, sampleFromIndependentPrior} from "./codePrior.js";
export type {IndependentCodePrior, IndependentPriorOptions} from "./codePrior.js";
export {createAutoregressivePrior, trainAutoregressivePrior, contextCodes, DEFAULT_CONTEXT} from "./autoregressivePrior.js";
export type {AutoregressiveCodePrior, AutoregressivePriorConfig} from "./autoregressivePrior.js";
export {createSpatialVae, spatialVaeConfig, trainSpatialVae} from "./spatialVae.js";
export type {SpatialVae, SpatialVaeConfig, SpatialVaeTerms} from "./spatialVae.js";
export {minSquaredDistances} from "./sampleQuality.js";
