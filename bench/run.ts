// npm run bench [-- --steps 2000 --peer-steps 60 --cpu-steps 8 --torch-steps 300]
// Trains the 784-512-20 MLP VAE (ReLU, Bernoulli decoder, Adam 1e-3, batch 128) with lib's trainer on
// the WASM and CPU backends in Node, and measures in the same run the tf.layers peer (WASM) and
// PyTorch on one CPU thread. The last line is the summary the README quotes.
import {spawnSync} from "node:child_process";
import {existsSync} from "node:fs";
import {parseArgs} from "node:util";
import {chooseBackend, createModel, modelConfig, mulberry32, tf, Trainer} from "../lib/index.ts";
import {createLayersVae} from "./layersPeer.ts";

const {values: flags} = parseArgs({
  options: {
    steps: {type: "string", default: "2000"},
    "peer-steps": {type: "string", default: "60"},
    "cpu-steps": {type: "string", default: "8"},
    "torch-steps": {type: "string", default: "300"}
  }
});
const count = (name: keyof typeof flags) => {
  const n = Number(flags[name]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`bench: --${name} must be a positive whole number, not "${flags[name]}"`);
    process.exit(2);
  }
  return n;
};
const [steps, peerSteps, cpuSteps, torchSteps] = [count("steps"), count("peer-steps"), count("cpu-steps"), count("torch-steps")];
const BATCH = 128;
const PIXELS = 784;

/** Random binary images: throughput does not depend on the pixel values. */
function syntheticData(images: number) {
  const draw = mulberry32(42);
  return {images: Float32Array.from({length: images * PIXELS}, () => draw()), count: images, pixels: PIXELS};
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** lib's Trainer on the active backend; examples/s is the median over readback intervals after warm-up. */
async function trainWithLib(totalSteps: number, readEvery: number): Promise<{examplesPerSecond: number; tensorsEarly: number; tensorsLate: number}> {
  const model = createModel(modelConfig({seed: 1}));
  const data = syntheticData(BATCH * totalSteps + BATCH);
  const trainer = new Trainer({model, data, batchSize: BATCH, learningRate: 1e-3, readEvery, seed: 1, binarize: "dynamic"});
  const rates: number[] = [];
  let tensorsEarly = -1;
  trainer.onProgress = (p) => {
    if (p.step <= readEvery) tensorsEarly = tf.memory().numTensors;
    else if (p.records.length === readEvery) rates.push(p.examplesPerSecond);
    if (p.step % Math.max(readEvery, Math.floor(totalSteps / 10 / readEvery) * readEvery) === 0) {
      process.stdout.write(`  ${tf.getBackend()} step ${p.step}/${totalSteps}  loss ${p.records.at(-1)?.loss.toFixed(1)}  ${p.examplesPerSecond.toFixed(0)} examples/s\n`);
    }
  };
  await trainer.run();
  const tensorsLate = tf.memory().numTensors;
  trainer.dispose();
  model.dispose();
  return {examplesPerSecond: median(rates.length ? rates : [0]), tensorsEarly, tensorsLate};
}

async function peer(totalSteps: number): Promise<number> {
  const vae = createLayersVae();
  const draw = mulberry32(7);
  const x = tf.tidy(() => tf.tensor2d(Float32Array.from({length: BATCH * PIXELS}, () => (draw() < 0.5 ? 1 : 0)), [BATCH, PIXELS]));
  for (let i = 0; i < 3; i++) vae.step(x).dispose();
  const start = performance.now();
  for (let i = 0; i < totalSteps; i++) {
    const loss = vae.step(x);
    if ((i + 1) % 10 === 0) await loss.data();
    loss.dispose();
  }
  const rate = (totalSteps * BATCH * 1000) / (performance.now() - start);
  x.dispose();
  vae.dispose();
  return rate;
}

function torch(): {examplesPerSecond: number; blas: string} | null {
  const python = "/usr/bin/python3";
  if (!existsSync(python)) return null;
  const run = spawnSync(python, ["bench/torch_vae.py", String(torchSteps)], {encoding: "utf-8"});
  if (run.status !== 0) {
    console.log(`  torch: not measured (${(run.stderr.trim().split("\n").at(-1) ?? "failed").slice(0, 200)}); apt-get install python3-torch libopenblas0-pthread`);
    return null;
  }
  const result = JSON.parse(run.stdout.trim().split("\n").at(-1) as string);
  return {examplesPerSecond: result.examples_per_second, blas: result.blas};
}

console.log(`VAE 784-512-20, ReLU, Bernoulli decoder, Adam 1e-3, batch ${BATCH}; ${steps} steps on WASM.`);
await chooseBackend({prefer: "wasm"});
const wasm = await trainWithLib(steps, 20);
console.log(`lib wasm: ${wasm.examplesPerSecond.toFixed(0)} examples/s; tensors after the first readback ${wasm.tensorsEarly}, after ${steps} steps ${wasm.tensorsLate}`);
const layers = await peer(peerSteps);
console.log(`tf.layers peer (wasm): ${layers.toFixed(0)} examples/s over ${peerSteps} steps`);
await chooseBackend({prefer: "cpu"});
const cpu = await trainWithLib(cpuSteps * 2, cpuSteps);
console.log(`lib cpu: ${cpu.examplesPerSecond.toFixed(0)} examples/s`);
const reference = torch();
if (reference) console.log(`torch (1 thread): ${reference.examplesPerSecond.toFixed(0)} examples/s, BLAS: ${reference.blas}`);
const fmt = (n: number | undefined) => (n === undefined ? "NA" : n.toFixed(0));
const ratioTorch = reference ? (wasm.examplesPerSecond / reference.examplesPerSecond).toFixed(2) : "NA";
console.log(
  `examples/s wasm=${fmt(wasm.examplesPerSecond)} cpu=${fmt(cpu.examplesPerSecond)} layers=${fmt(layers)} torch=${fmt(reference?.examplesPerSecond)} ` +
    `ratio_wasm_layers=${(wasm.examplesPerSecond / layers).toFixed(2)} ratio_wasm_torch=${ratioTorch}`
);
