// The public API of the VAE Explorables library. Only re-exports, by name.
export {tf} from "./tf.js";
export type {Tensor, Tensor1D, Tensor2D, Scalar} from "./tf.js";
export {chooseBackend, isBackendName, BROWSER_CHAIN, NODE_CHAIN} from "./backend.js";
export type {BackendName, BackendChoice, BackendAttempt, ChooseBackendOptions} from "./backend.js";
export {backendSelfTest, probeVariable} from "./selfTest.js";
export type {SelfTestResult} from "./selfTest.js";
export {mulberry32, normalSampler} from "./random.js";

export {gaussianLogDensity, bernoulliLogLikelihood, gaussianLogLikelihood, logLikelihood, logLikelihoodSamples} from "./logDensity.js";
export type {Likelihood} from "./logDensity.js";
export {klStandardNormal, klStandardNormalPerUnit, klDiagonalGaussians, klDiagonalGaussiansPerUnit, klMonteCarlo} from "./kl.js";
export {reparameterize, repeatSamples} from "./reparameterize.js";
export {klWarmupBeta, freeBitsKl, checkBeta, checkWarmupSteps, checkFreeBits} from "./collapse.js";
export {concatBytes} from "./bytes.js";
export {scoreFunctionGradient, reparameterizedGradient} from "./gradientEstimators.js";
export type {Objective, GradientEstimate, EstimatorOptions} from "./gradientEstimators.js";
export {elbo, elboLoss} from "./elbo.js";
export type {ElboInputs, ElboTerms, Decoder} from "./elbo.js";
export {iwaeBound, logMeanExp} from "./iwae.js";
export type {IwaeInputs} from "./iwae.js";
export {LinearGaussianModel, logMeanExpNumbers} from "./linearGaussian.js";
export type {DiagonalGaussian, ExactElbo} from "./linearGaussian.js";

export {createModel, modelConfig, validateConfig, klPerUnit, activeUnits} from "./model.js";
export type {Model, ModelConfig, Encoded, LossOptions, TrainingLoss} from "./model.js";
export {ParamStore} from "./params.js";
export {dense} from "./dense.js";
export {createAdam, checkLearningRate, HostAdam, DeviceAdam} from "./adam.js";
export type {Optimizer, AdamOptions} from "./adam.js";
export {BatchSampler, binarize, oneHotLabels, validateDataset} from "./batches.js";
export type {Dataset, Binarization, Batch} from "./batches.js";
export {Trainer, readbackInterval, yieldToEventLoop} from "./trainer.js";
export type {TrainerOptions, TrainerSettings, StepRecord, Progress, TrainerState, Divergence} from "./trainer.js";
export {
  CHECKPOINT_FORMAT,
  MAX_CHECKPOINT_BYTES,
  CheckpointError,
  artifactsFromFiles,
  checkpointConfig,
  checkpointFiles,
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
export type {CheckpointMetadata, NamedBytes} from "./checkpoint.js";
export {fetchWithProgress, loadTrainingSet} from "./trainingData.js";
export {TrainingSession} from "./trainingSession.js";
export type {TrainingSetup, PictureSpec, LoadRequirement, TrainingCommand, TrainingEvent, SnapshotScore, SnapshotPictures, Emit} from "./trainingSession.js";
export {latentGrid} from "./latentGrid.js";
export {ThinnedHistory} from "./history.js";
export {encodeFloat16, fromFloat16Bits, toFloat16Bits} from "./float16.js";
export {parseIdx, mnistFromIdx, encodeIdx, IdxError} from "./idx.js";
export type {IdxArray} from "./idx.js";
export {encodeDigits, decodeDigits, concatDatasets, centerDigit} from "./digits.js";
export {evaluateModel, evaluateHeldOut, heldOutSet, encodeMeans, countActive, UnitMoments} from "./evaluate.js";
export type {EvaluationOptions, Metrics, HeldOut, HeldOutScore} from "./evaluate.js";
export {fitIndependentBernoulli, sampleIndependentBernoulli, independentBernoulliLogLikelihood} from "./pixelModel.js";
export {interpolate} from "./interpolate.js";
export {pca, project} from "./pca.js";
export type {Pca} from "./pca.js";
export {EXERCISES, checkCase, describeCall} from "./exercises.js";
export type {Exercise, ExerciseCase, CaseResult} from "./exercises.js";
export {umapProject} from "./umap.js";
export type {UmapOptions} from "./umap.js";
