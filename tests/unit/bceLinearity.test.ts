import {join} from "node:path";
import {describe, expect, it} from "vitest";
import {loadCheckpoint, mulberry32, tf} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";
import {closedFormBce, expectLinearity, monteCarloBce} from "../claims/bce.ts";
import {useBackend} from "./helpers.ts";

useBackend("wasm");

// BCE is linear in its target: BCE(x, π) = E_{b ~ Bernoulli(x)}[−log Bernoulli(b; π)]. The Numbers page
// rests its reading of the PyTorch example's test loss on this identity.
describe("binary cross-entropy against grey pixels", () => {
  it("closedFormBce(x, logits) equals the mean over binarizations b ~ Bernoulli(x) of −bernoulliLogLikelihood(b, logits)", () => {
    const draw = mulberry32(11);
    const pixels = 784;
    const x = Float32Array.from({length: pixels}, () => (draw() < 0.6 ? 0 : draw())); // grey, with many zeros as in MNIST
    const logits = Float32Array.from({length: pixels}, () => (draw() - 0.5) * 8);
    expectLinearity(x, logits, 4000, 12);
  });

  it("the identity fails where it should: BCE against a grey x is not −log Bernoulli(x; π) of x rounded", () => {
    // A control: the test above can tell two different numbers apart.
    const draw = mulberry32(13);
    const x = Float32Array.from({length: 784}, () => 0.2 + 0.6 * draw());
    const logits = Float32Array.from({length: 784}, () => (draw() - 0.5) * 4);
    const rounded = Float32Array.from(x, (v) => Math.round(v));
    const {mean, standardError} = monteCarloBce(x, logits, 2000, 14);
    expect(Math.abs(mean - closedFormBce(rounded, logits))).toBeGreaterThan(10 * standardError);
  });

  it("with vae-20d: the PyTorch-style test loss of a grey test digit (BCE + KL, q from the grey image) is the mean −ELBO of its binarizations under that q", async () => {
    const before = tf.memory().numTensors;
    const model = await loadCheckpoint(folderHandler(join(import.meta.dirname, "../../data/checkpoints/vae-20d")));
    const test = await loadMnist("test");
    for (let n = 0; n < 5; n++) {
      const x = test.images.subarray(n * 784, (n + 1) * 784);
      // q from the grey image; one z (fixed ε), as the example draws one z per image.
      const logits = tf.tidy(() => {
        const {mean, logVar} = model.encode(tf.tensor2d(x, [1, 784]));
        const z = mean.add(tf.exp(logVar.mul(0.5)).mul(tf.randomNormal(mean.shape, 0, 1, "float32", 100 + n)));
        return model.decode(z as tf.Tensor2D).dataSync() as Float32Array;
      });
      // The KL term does not depend on b, so the identity for the −ELBO is the identity for its BCE part.
      expectLinearity(x, logits, 3000, 200 + n);
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);
});
