// Data loader: the shipped checkpoints' measured numbers, read from the files the train and evaluate
// commands wrote beside each checkpoint (never typed by hand), plus the PyTorch example re-run here.
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";

const root = join(import.meta.dirname, "../../data");
const read = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, "utf-8")) : null);
const checkpoints = join(root, "checkpoints");
const all = (existsSync(checkpoints) ? readdirSync(checkpoints) : [])
  .filter((name) => existsSync(join(checkpoints, name, "model.json")))
  .sort()
  .map((name) => {
    const dir = join(checkpoints, name);
    const metrics = read(join(dir, "metrics.json"));
    const log = read(join(dir, "train-log.json"));
    const bytes = ["model.json", "weights.bin"].reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
    const command = existsSync(join(dir, "command.txt")) ? readFileSync(join(dir, "command.txt"), "utf-8").trim() : null;
    // the data set it was trained on: MNIST, or chapter 12's shapes (saved in its metadata by npm run train)
    const data: string = read(join(dir, "model.json"))?.userDefinedMetadata?.metadata?.data?.name ?? "mnist";
    return {name, bytes, command, metrics, curve: log?.epochs ?? [], data};
  });
// `models` are the MNIST checkpoints (the Numbers page's table and protocol are MNIST's); `shapesModels` chapter 12's
const models = all.filter((m) => m.data === "mnist");
const shapesModels = all.filter((m) => m.data === "shapes");
process.stdout.write(JSON.stringify({models, shapesModels, pytorchExample: read(join(root, "references/pytorch-example.json"))}));
