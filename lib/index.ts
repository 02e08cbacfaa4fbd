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
export {klStandardNormal, klStandardNormalPerUnit, klDiagonalGaussians, klDiagonalGaussiansPerUnit, klMonteCarlo} from "./kl.js";
export {reparameterize, repeatSamples} from "./reparameterize.js";
export {klWarmupBeta, freeBitsKl, checkBeta, checkWarmupSteps, checkFreeBits} from "./collapse.js";
export {concatBytes} from "./bytes.js";
export {scoreFunctionGradient, reparameterizedGradient} from "./gradientEstimators.js";
export type {Objective, GradientEstimate, EstimatorOptions} from "./gradientEstimators.js";
export {logSpacedCounts, runningMeans} from "./runningMean.js";
export {elbo, elboLoss} from "./elbo.js";
export type {ElboInputs, ElboTerms, Decoder} from "./elbo.js";
export {iwaeBound, logMeanExp} from "./iwae.js";
export type {IwaeInputs} from "./iwae.js";
export {LinearGaussianModel, logMeanExpNumbers} from "./linearGaussian.js";
export type {DiagonalGaussian, ExactElbo} from "./linearGaussian.js";

export {parameterCount} from "./model.js";
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
export {quantizeUint8, dequantizeUint8, quantizeWeightsUint8, siteWeights} from "./quantize.js";
export type {Uint8Quantized} from "./quantize.js";
export {parseIdx, mnistFromIdx, encodeIdx, IdxError} from "./idx.js";
export type {IdxArray} from "./idx.js";
export {encodeDigits, decodeDigits, concatDatasets, centerDigit} from "./digits.js";
export {evaluateModel, evaluateHeldOut, heldOutSet, readMeans, countActive, UnitMoments} from "./evaluate.js";
export type {EvaluationOptions, Metrics, HeldOut, HeldOutScore} from "./evaluate.js";
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
  float32ArithmeticSigmoid,
  float32ArithmeticSaturationLogit,
  naiveBernoulliLogProbabilities,
  stableBernoulliLogProbabilities,
  bernoulliLogProbabilityGradients
} from "./logits.js";
export {shiftImage, shiftedCopies, pixelMean, squaredErrors, gaussianLogLikelihoodFromSquaredError, optimalSigma, sigmaCurve} from "./gaussianDecoder.js";
export type {SigmaCurvePoint} from "./gaussianDecoder.js";
export {independentBernoulliExpectedLogLikelihood, independentBernoulliEntropy, independentBernoulliMode, independentBernoulliLogLikelihoodStd} from "./pixelModel.js";
export {nearestNeighbours, nearestSquaredDistances, codesAwayFrom, classFrequencies} from "./codeSpace.js";
export type {Nearest, AwayOptions} from "./codeSpace.js";
export {priorSampleLogLikelihoods, naiveRun, posteriorKlToPrior, klNumeric1d, normalLogDensity, jensenGap} from "./naiveMonteCarlo.js";
export type {NaiveRun, JensenGap} from "./naiveMonteCarlo.js";
export {mean, median, quantile, standardError, fractionAbove, bitsPerDim} from "./stats.js";
export {rotate90, invert} from "./imageTransforms.js";
export {negElboScores, anomalySets} from "./anomaly.js";
export type {InputSet} from "./anomaly.js";
export {importanceLogWeights, nestedIwaeEstimates, NestedIwaeCurve, iwaeCurveOfModel} from "./iwaeCurve.js";
export type {ImportanceInputs, IwaeCurvePoint} from "./iwaeCurve.js";
export {elboEstimate, PosteriorOptimizer, inferenceGaps, inferenceGapsProgress} from "./amortization.js";
export type {GaussianPosteriorInputs, PosteriorOptimizerOptions, InferenceGapOptions, InferenceGaps, InferenceGapProgress} from "./amortization.js";
export {SHAPE_NAMES, FACTOR_NAMES, FACTOR_VALUES, SHAPE_GEOMETRY, CORRELATED, renderShape, generateShapes, factorColumn, shapesSplit, shapeFactorsOf, factorSweep} from "./shapes.js";
export type {ShapeName, ShapeFactors, FactorName, RenderOptions, ShapesOptions, ShapesData, ShapesSource} from "./shapes.js";
export {discretize, entropy, mutualInformation, mutualInformationMatrix, mutualInformationGap, measureDisentanglement, traversalCodes, decodeTraversals, unitFactors} from "./disentanglement.js";
export type {MutualInformationMatrix, MutualInformationGap, Disentanglement, UnitFactor} from "./disentanglement.js";
export {IMAGE_LIMITS, sniffImageType, imageDimensions, checkFile, checkSize, unreadableFile, summarizeRefusals, resizeArea, prepareImage, imagesToDataset, encodeImageSet, decodeImageSet} from "./imagePrep.js";
export type {RawImage, ImageType, RefusalReason, Refusal, PrepareOptions, PreparedImage} from "./imagePrep.js";
export {holdOut, subset, shiftClamped, augmentWithShifts, earlyStopping, splitForTraining} from "./smallData.js";
export type {AugmentOptions, EarlyStopping, TrainingSplit} from "./smallData.js";
export {SKETCH_KINDS, exampleSketches} from "./sketches.js";
export type {SketchKind, SketchOptions} from "./sketches.js";
export {angleBetween} from "./interpolate.js";
export {logGamma, normDensity, meanNorm, sampleCodes, samplePosteriors, norms} from "./latentNorms.js";
export {encodePosteriors, encodeMeans, decodeCodes} from "./encode.js";
export type {Posteriors} from "./encode.js";
export {posteriorEllipse, ellipseMass} from "./ellipse.js";
export {standardNormalLogDensity, aggregateLogDensity, aggregatePosteriorGrid, findHoles, klSplit, priorInHoles} from "./aggregatePosterior.js";
export type {DensityGrid, Holes, KlSplit, PriorInHoles} from "./aggregatePosterior.js";
export {bernoulliEntropy} from "./pixelEntropy.js";
export {nearestNeighbourAgreement} from "./neighbours.js";
export {conv2dSame, upsampleNearest} from "./conv.js";
export {stopGradient, straightThrough, squaredDistances, nearestCodes, lookupCodes, vectorQuantize} from "./vectorQuantizer.js";
export type {Quantized} from "./vectorQuantizer.js";
export {codeCounts, codePerplexity, DeadCodeTracker, reseedCodes} from "./codebookUsage.js";
export {latentGrid as gridLatentSize, addGridEncoder, addGridDecoder, gridEncode, gridDecode} from "./gridNetworks.js";
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
export {encodeOwnData, decodeOwnData, OwnDataError, OWN_DATA_FORMAT, MAX_OWN_DATA_BYTES} from "./ownDataFile.js";
export type {OwnData, ImageSet} from "./ownDataFile.js";
