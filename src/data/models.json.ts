// Data loader: the shipped checkpoints' measured numbers, read from the files the train and evaluate
// commands wrote beside each checkpoint (never typed by hand), plus the references in data/references:
// the PyTorch example re-run here, the published figures with their citation, and what 8-bit weights cost.
// Every folder in data/checkpoints with a model.json is a row, so a new checkpoint appears once committed.
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";
import {gzipSync} from "node:zlib";
import {encodeCheckpointBundle} from "../../lib/checkpoint.ts";
import {siteWeights} from "../../lib/quantize.ts";

const root = join(import.meta.dirname, "../../data");
const read = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf-8")) : null);
const checkpoints = join(root, "checkpoints");
// metrics.json files written before lib's one vocabulary call the reconstruction loss
// (−E_q[log p(x|z)], ≥ 0) "reconstruction"; newer ones "reconstructionLoss". Read both.
const withCurrentNames = (metrics: Record<string, unknown> | null) => {
  if (!metrics) return null;
  const {reconstruction, ...rest} = metrics;
  return {...rest, reconstructionLoss: rest.reconstructionLoss ?? reconstruction};
};
const all = (existsSync(checkpoints) ? readdirSync(checkpoints) : [])
  .filter((name) => existsSync(join(checkpoints, name, "model.json")))
  .sort()
  .map((name) => {
    const dir = join(checkpoints, name);
    const modelJson = read(join(dir, "model.json"));
    const metrics = withCurrentNames(read(join(dir, "metrics.json")));
    const log = read(join(dir, "train-log.json"));
    const files = ["model.json", ...modelJson.weightsManifest.flatMap((g: {paths: string[]}) => g.paths)];
    const bytes = files.reduce((sum: number, file: string) => sum + statSync(join(dir, file)).size, 0);
    const specs: {shape: number[]}[] = modelJson.weightsManifest.flatMap((g: {weights: unknown[]}) => g.weights);
    const parameters = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1), 0);
    // The site's copy, data/model-NAME.bin, made exactly as src/data/model-[name].bin.ts makes it.
    const weights = Buffer.concat(files.slice(1).map((file) => readFileSync(join(dir, file))));
    const site = siteWeights(modelJson, weights, "uint8");
    const bundle = encodeCheckpointBundle(site.modelJson, site.weights);
    const command = existsSync(join(dir, "command.txt")) ? readFileSync(join(dir, "command.txt"), "utf-8").trim() : null;
    // the data set it was trained on: MNIST, or chapter 12's shapes (saved in its metadata by npm run train)
    const data: string = modelJson?.userDefinedMetadata?.metadata?.data?.name ?? "mnist";
    return {
      name,
      data,
      parameters,
      bytes,
      siteBytes: bundle.byteLength,
      siteGzipBytes: gzipSync(bundle).byteLength,
      command,
      config: modelJson.modelTopology.config,
      metrics,
      curveFields: log?.fields ?? null,
      curve: log?.epochs ?? []
    };
  });
// `models` are the MNIST checkpoints (the Numbers page's table and protocol are MNIST's); `shapesModels` chapter 12's
const models = all.filter((m) => m.data === "mnist");
const shapesModels = all.filter((m) => m.data === "shapes");
process.stdout.write(
  JSON.stringify({
    models,
    shapesModels,
    pytorchExample: read(join(root, "references/pytorch-example.json")),
    published: read(join(root, "references/published.json")),
    quantization: read(join(root, "references/quantization.json"))
  })
);
