// Data loader: the measured numbers chapter 13 cites, read from the files the scripts wrote (never typed
// by hand): the VQ-VAE's metrics (npm run evaluate), the priors over its codes (scripts/codePrior.ts)
// and the β = 1e-6 against β = 1 spatial VAEs (scripts/latentAutoencoder.ts).
import {readFileSync} from "node:fs";
import {join} from "node:path";

const root = join(import.meta.dirname, "../../data");
const read = (path: string) => JSON.parse(readFileSync(join(root, path), "utf-8"));
const metrics = read("checkpoints/vqvae/metrics.json");
process.stdout.write(
  JSON.stringify({
    vqvae: {...metrics, trainLog: read("checkpoints/vqvae/train-log.json")},
    priors: read("references/vqvae-priors.json"),
    latent: read("references/latent-autoencoder.json")
  })
);
