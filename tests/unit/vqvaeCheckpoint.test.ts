import {describe, expect, it} from "vitest";
import {
  CheckpointError,
  codePriorFromArtifacts,
  codePriorToArtifacts,
  createAutoregressivePrior,
  createSpatialVae,
  createVqVae,
  spatialVaeConfig,
  spatialVaeFromArtifacts,
  spatialVaeToArtifacts,
  tf,
  vqvaeConfig,
  vqvaeToArtifacts
} from "../../lib/index.ts";
import {useBackend, values} from "./helpers.ts";

useBackend("cpu");

describe("spatial VAE and code prior checkpoints", () => {
  it("spatialVaeToArtifacts → spatialVaeFromArtifacts gives the same reconstructions; a VQ-VAE checkpoint is refused", async () => {
    const model = createSpatialVae(spatialVaeConfig({imageShape: [8, 8, 1], hiddenSizes: [4, 6], latentChannels: 2, seed: 3}));
    const loaded = spatialVaeFromArtifacts(await spatialVaeToArtifacts(model));
    tf.tidy(() => {
      const x = tf.randomUniform([3, 64], 0, 1, "float32", 1);
      expect(values(loaded.reconstruct(x))).toEqual(values(model.reconstruct(x)));
    });
    const vq = createVqVae(vqvaeConfig({imageShape: [8, 8, 1], hiddenSizes: [4, 6], codeDim: 2, codebookSize: 3}));
    const artifacts = await vqvaeToArtifacts(vq);
    expect(() => spatialVaeFromArtifacts(artifacts)).toThrow(CheckpointError);
    expect(() => spatialVaeFromArtifacts(artifacts)).toThrow(/holds a "vqvae" model, not a spatial VAE/);
    [model, loaded, vq].forEach((m) => m.dispose());
  });

  it("codePriorToArtifacts → codePriorFromArtifacts gives the same log-likelihoods and samples", async () => {
    const prior = createAutoregressivePrior({codebookSize: 5, grid: [2, 3], embeddingDim: 3, hidden: 7, seed: 2});
    const loaded = codePriorFromArtifacts(await codePriorToArtifacts(prior));
    expect(loaded.config).toEqual(prior.config);
    const codes = Int32Array.from([0, 1, 2, 3, 4, 0, 4, 3, 2, 1, 0, 1]);
    expect(tf.tidy(() => values(loaded.logLikelihood(codes, 2)))).toEqual(tf.tidy(() => values(prior.logLikelihood(codes, 2))));
    expect(loaded.sample(4, 9)).toEqual(prior.sample(4, 9));
    const spatial = createSpatialVae(spatialVaeConfig({imageShape: [8, 8, 1], hiddenSizes: [4, 6], latentChannels: 2}));
    await expect(spatialVaeToArtifacts(spatial).then(codePriorFromArtifacts)).rejects.toThrow(/not a code prior/);
    [prior, loaded, spatial].forEach((m) => m.dispose());
  });
});

