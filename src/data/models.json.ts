// Data loader: the shipped checkpoints' measured numbers, read from the files the train and evaluate
// commands wrote beside each checkpoint (never typed by hand), plus the PyTorch example re-run here.
import {existsSync, readdirSync, readFileSync, statSync} from "node:fs";
import {join} from "node:path";

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
const models = (existsSync(checkpoints) ? readdirSync(checkpoints) : [])
  .filter((name) => existsSync(join(checkpoints, name, "model.json")))
  .sort()
  .map((name) => {
    const dir = join(checkpoints, name);
    const metrics = withCurrentNames(read(join(dir, "metrics.json")));
    const log = read(join(dir, "train-log.json"));
    const bytes = ["model.json", "weights.bin"].reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
    const command = existsSync(join(dir, "command.txt")) ? readFileSync(join(dir, "command.txt"), "utf-8").trim() : null;
    return {name, bytes, command, metrics, curve: log?.epochs ?? []};
  });
process.stdout.write(JSON.stringify({models, pytorchExample: read(join(root, "references/pytorch-example.json"))}));
