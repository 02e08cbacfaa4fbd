import {execFile, spawn} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {encodeIdx, mulberry32} from "../../lib/index.ts";

// The command-line tools, run as a user runs them, on a small MNIST-shaped fixture.
const root = join(import.meta.dirname, "../..");
// Asynchronous on purpose: a synchronous spawn blocks vitest's worker, whose RPC times out under load.
function node(script: string, args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", join(root, "scripts", script), ...args], {cwd: root, encoding: "utf-8"}, (error, stdout, stderr) => {
      resolve({status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr});
    });
  });
}
const TINY = ["--hidden", "8", "--latent", "2", "--batch", "32", "--test-limit", "40"];

function writeMnist(dir: string, train: number, test: number) {
  mkdirSync(dir, {recursive: true});
  const draw = mulberry32(5);
  const images = (n: number) => encodeIdx([n, 28, 28], Uint8Array.from({length: n * 784}, () => (draw() < 0.2 ? 255 : 0)));
  const labels = (n: number) => encodeIdx([n], Uint8Array.from({length: n}, (_, i) => i % 10));
  writeFileSync(join(dir, "train-images-idx3-ubyte"), images(train));
  writeFileSync(join(dir, "train-labels-idx1-ubyte"), labels(train));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte"), images(test));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), labels(test));
}

describe("npm run train / npm run evaluate", () => {
  let data: string;
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "cli-"));
    data = join(work, "mnist");
    writeMnist(data, 128, 40);
  });

  it("train saves a checkpoint, a log and the command every epoch, and --resume continues", async () => {
    const out = join(work, "run");
    const first = await node("train.ts", ["--data", data, "--out", out, "--epochs", "1", ...TINY]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.status).toBe(0);
    for (const file of ["model.json", "weights.bin", "train-log.json", "command.txt"]) expect(existsSync(join(out, file))).toBe(true);
    const resumed = await node("train.ts", ["--data", data, "--out", out, "--epochs", "2", "--resume", ...TINY]);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain("Resuming");
    const log = JSON.parse(readFileSync(join(out, "train-log.json"), "utf-8"));
    expect(log.epochs.map((e: {epoch: number}) => e.epoch)).toEqual([1, 2]);
    expect(log.epochs[1].testLoss).toBeGreaterThan(0);
    // One sign for one quantity: the reconstruction is a loss, −E_q[log p(x|z)], on train and test alike.
    for (const e of log.epochs) {
      expect(e.trainReconstructionLoss).toBeGreaterThan(0);
      expect(e.testReconstructionLoss).toBeGreaterThan(0);
      expect(e.trainNegElbo).toBeCloseTo(e.trainReconstructionLoss + e.trainKl, 3); // sums of float32 step values
    }
    expect(Object.keys(log.fields)).toContain("trainReconstructionLoss");
    expect(readFileSync(join(out, "command.txt"), "utf-8").trim().split("\n")).toHaveLength(2);

    const evaluated = await node("evaluate.ts", [out, "--data", data, "--k", "10"]);
    expect(evaluated.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf-8"));
    expect(metrics).toMatchObject({examples: 40, epochs: 2, iwae: {k: 10}});
    expect(metrics.protocol).toContain("binarized once");
  });

  it("train --lr-end --lr-decay-start --warmup records each epoch's learning rate and β", async () => {
    const out = join(work, "scheduled");
    const run = await node("train.ts", ["--data", data, "--out", out, "--epochs", "4", "--lr", "0.01", "--lr-end", "0.0001", "--lr-decay-start", "1", "--warmup", "2", ...TINY]);
    expect(run.status, run.stderr).toBe(0);
    const log = JSON.parse(readFileSync(join(out, "train-log.json"), "utf-8"));
    // Epoch 1 at 0.01, then exponentially down to 1e-4 at epoch 4: 0.01 · 0.01^(1/2) = 1e-3 at epoch 3.
    const rates = log.epochs.map((e: {learningRate: number}) => e.learningRate);
    [0.01, 0.01, 0.001, 0.0001].forEach((r, i) => expect(rates[i]).toBeCloseTo(r, 9));
    expect(log.epochs.map((e: {beta: number}) => e.beta)).toEqual([0.5, 1, 1, 1]);
    // With β < 1 the training loss is not the −ELBO, and the log keeps the two apart.
    const first = log.epochs[0];
    expect(first.trainLoss).toBeCloseTo(first.trainReconstructionLoss + 0.5 * first.trainKl, 4);
  });

  it("a bad flag, a bad value, missing or corrupt data: one line on stderr, exit code 2, no stack trace", async () => {
    const cases: [string[], RegExp][] = [
      [["--out", join(work, "x"), "--bogus"], /Unknown option '--bogus'/],
      [["--out", join(work, "x"), "--latent", "two"], /--latent must be a whole number from 1 to 1024, not "two"/],
      [["--out", join(work, "x"), "--model", "gan"], /--model must be one of vae, cvae, ae/],
      [["--epochs", "1"], /--out DIR is required/],
      [["--out", join(work, "x"), "--data", join(work, "nowhere")], /train-images-idx3-ubyte does not exist/]
    ];
    const corrupt = join(work, "corrupt");
    writeMnist(corrupt, 16, 8);
    writeFileSync(join(corrupt, "t10k-labels-idx1-ubyte"), encodeIdx([8], Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8])).subarray(0, 10));
    cases.push([["--out", join(work, "x"), "--data", corrupt, ...TINY], /t10k-labels-idx1-ubyte is truncated/]);
    for (const [args, message] of cases) {
      const run = await node("train.ts", args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
    const missing = await node("evaluate.ts", [join(work, "no-checkpoint")]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/model.json is missing/);
  });

  it("train --data shapes --correlated trains on the generated shapes; evaluate remakes its test set and adds the MIG", async () => {
    const out = join(work, "shapes");
    const trained = await node("train.ts", ["--data", "shapes", "--correlated", "--shapes-count", "64", "--out", out, "--epochs", "1", ...TINY]);
    expect(trained.stderr).not.toMatch(/error/);
    expect(trained.status).toBe(0);
    expect(trained.stdout).toContain("64 images of the shapes set (32×32, data seed 0, scale tied to x in 90%)");
    const model = JSON.parse(readFileSync(join(out, "model.json"), "utf-8"));
    expect(model.userDefinedMetadata.metadata.data).toMatchObject({name: "shapes", correlation: 0.9, trainCount: 64, testCount: 2000, side: 32});
    const evaluated = await node("evaluate.ts", [out, "--k", "0", "--limit", "300"]);
    expect(evaluated.stderr).not.toMatch(/error/);
    expect(evaluated.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf-8"));
    expect(metrics.config.imageShape).toEqual([32, 32, 1]);
    expect(metrics.examples).toBe(300);
    expect(metrics.disentanglement.factors).toEqual(["shape", "scale", "rotation", "x", "y"]);
    expect(metrics.disentanglement.normalizedMutualInformation).toHaveLength(2);
    expect(metrics.disentanglement.mig).toBeGreaterThanOrEqual(0);
    expect(metrics.disentanglement.mig).toBeLessThanOrEqual(1);
    const wrong = await node("train.ts", ["--data", data, "--correlated", "--out", join(work, "x")]);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim()).toBe("error: --correlated applies to --data shapes only");
  });

  it("Ctrl-C (SIGINT) saves the weights and exits cleanly", async () => {
    const out = join(work, "interrupted");
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "scripts/train.ts"), "--data", data, "--out", out, "--epochs", "500", ...TINY], {cwd: root});
    let stdout = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (/epoch 1\/500:/.test(stdout)) {
          clearInterval(check);
          resolve();
        }
      }, 100);
    });
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stdout).toMatch(/Interrupted: saved the weights after \d+ steps/);
    const meta = JSON.parse(readFileSync(join(out, "model.json"), "utf-8")).userDefinedMetadata.metadata;
    expect(meta.interruptedAtStep).toBeGreaterThan(0);
  });
});
