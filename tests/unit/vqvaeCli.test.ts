import {execFile} from "node:child_process";
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from "node:fs";
import {tmpdir} from "node:os";
import {join} from "node:path";
import {beforeAll, describe, expect, it} from "vitest";
import {encodeIdx, mulberry32} from "../../lib/index.ts";

// npm run train -- --model vqvae and npm run evaluate on a VQ-VAE checkpoint, run as a user runs
// them, on a small MNIST-shaped fixture.
const root = join(import.meta.dirname, "../..");
function node(script: string, args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", join(root, "scripts", script), ...args], {cwd: root, encoding: "utf-8"}, (error, stdout, stderr) => {
      resolve({status: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr});
    });
  });
}

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

const TINY = ["--model", "vqvae", "--codebook", "8", "--code-dim", "3", "--hidden", "4,6", "--batch", "32", "--dead-window", "2"];

describe("npm run train -- --model vqvae / npm run evaluate", () => {
  let data: string;
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "vqvae-cli-"));
    data = join(work, "mnist");
    writeMnist(data, 96, 30);
  });

  it("train --model vqvae saves a checkpoint, a log with its fields and the command every epoch; --resume continues; evaluate writes metrics.json", async () => {
    const out = join(work, "run");
    const first = await node("train.ts", ["--data", data, "--out", out, "--epochs", "1", "--reseed", ...TINY]);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("K = 8 codes of D = 3");
    for (const file of ["model.json", "weights.bin", "train-log.json", "command.txt"]) expect(existsSync(join(out, file))).toBe(true);
    const resumed = await node("train.ts", ["--data", data, "--out", out, "--epochs", "2", "--resume", "--reseed", ...TINY]);
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain("Resuming");
    const log = JSON.parse(readFileSync(join(out, "train-log.json"), "utf-8"));
    expect(log.epochs.map((e: {epoch: number}) => e.epoch)).toEqual([1, 2]);
    // −ELBO with a uniform prior: the reconstruction plus 49·log 8 nats.
    expect(log.epochs[1].testLoss).toBeCloseTo(log.epochs[1].testReconstruction + 49 * Math.log(8), 6);
    expect(Object.keys(log.fields)).toContain("testPerplexity");
    expect(readFileSync(join(out, "command.txt"), "utf-8").trim().split("\n")).toHaveLength(2);

    const evaluated = await node("evaluate.ts", [out, "--data", data]);
    expect(evaluated.stderr).not.toMatch(/error/);
    expect(evaluated.status).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, "metrics.json"), "utf-8"));
    expect(metrics).toMatchObject({examples: 30, epochs: 2, iwae: null, config: {kind: "vqvae", codebookSize: 8}});
    expect(metrics.negElbo).toBeCloseTo(metrics.reconstruction + 49 * Math.log(8), 6);
    expect(metrics.counts.reduce((a: number, b: number) => a + b, 0)).toBe(30 * 49);
    expect(metrics.codesUsed + metrics.deadCodes).toBe(8);
    expect(metrics.independentPrior.kl).toBeGreaterThan(0);
    expect(metrics.protocol).toContain("binarized once");
  });

  it("train --model vqvae: a bad value or a VAE-only flag gets one line on stderr and exit code 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--out", join(work, "x"), "--model", "vqvae", "--codebook", "1"], /--codebook must be a whole number from 2 to 65536, not "1"/],
      [["--out", join(work, "x"), "--model", "vqvae", "--latent", "20"], /Unknown option '--latent'/],
      [["--out", join(work, "x"), "--model", "vqvae", "--hidden", "4,6,8"], /--hidden takes two channel counts/],
      [["--model", "vqvae"], /--out DIR is required/]
    ];
    for (const [args, message] of cases) {
      const run = await node("train.ts", args);
      expect(run.status, args.join(" ")).toBe(2);
      expect(run.stderr.trim()).toMatch(message);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});
