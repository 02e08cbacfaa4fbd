// npm run bench:browser [-- --seconds 20 --backends webgl,wasm]
// Opens chapter 7's training lab in headless Chromium (built site, SwiftShader for WebGL) on each
// backend, presses play with the lab's default model (784-256-8 MLP VAE, batch 128), and measures
// over a fixed window, after warm-up, twice: training in the lab's Web Worker (the default) and on
// the page's own thread (?lab-thread=page, the fallback):
//   - training examples/second (steps counted by the page × batch size / seconds);
//   - main-thread blocking: the longest gap between animation frames and the longest task reported
//     by the Long Tasks API, against the same page idle over the same window (the reference);
//   - from a Chromium trace of the same window, the most CPU time the page's main thread spent in any
//     one task: where the worker and the emulated GPU take every core, a task can last far longer than
//     the work in it (it waits for a core), and this separates the page's own work from the waiting;
// then the same model's examples/second with lib's Trainer on WASM in this Node process.
// Then, unless --pages none, every page's weight and first figure (as `npm run bench:pages`): seconds
// from navigation to the first live figure, and bytes fetched before it, gzip-compressed and raw.
// Run `npm run build` first. The last line is the summary the README quotes.
import {parseArgs} from "node:util";
import {chooseBackend, createModel, modelConfig, mulberry32, tf, Trainer} from "../lib/index.ts";
import {DIST, openSite, sitePages} from "../tests/browser/site.ts";
import {formatWeights, measurePages, weightSummary} from "./pageWeight.ts";

const {values: flags} = parseArgs({options: {seconds: {type: "string", default: "20"}, backends: {type: "string", default: "webgl,wasm"}, pages: {type: "string", default: "all"}}});
const seconds = Number(flags.seconds);
if (!(seconds >= 2)) {
  console.error(`bench:browser: --seconds must be a number ≥ 2, not "${flags.seconds}"`);
  process.exit(2);
}
const backends = flags.backends!.split(",").map((b) => b.trim()).filter(Boolean);
if (flags.pages !== "all" && flags.pages !== "none") {
  console.error(`bench:browser: --pages must be "all" or "none", not "${flags.pages}"`);
  process.exit(2);
}
let pageWeights = "";
const BATCH = 128;

// Strings, not functions: tsx would inject helpers into a function's source that the page lacks.
const START_PROBE = `(() => {
  const probe = {frames: [], long: [], stop: false};
  window.__probe = probe;
  let last = performance.now();
  const loop = (t) => { probe.frames.push(t - last); last = t; if (!probe.stop) requestAnimationFrame(loop); };
  requestAnimationFrame(loop);
  try { new PerformanceObserver((list) => list.getEntries().forEach((e) => probe.long.push(e.duration))).observe({type: "longtask"}); } catch {}
})()`;
const READ_PROBE = `(() => {
  const p = window.__probe; p.stop = true;
  const frames = p.frames.slice(1).sort((a, b) => a - b);
  return {frames: frames.length, longestFrame: frames.at(-1) ?? 0, p95Frame: frames[Math.floor(frames.length * 0.95)] ?? 0, longestTask: Math.max(0, ...p.long), longTasks: p.long.length};
})()`;

interface Probe {
  frames: number;
  longestFrame: number;
  p95Frame: number;
  longestTask: number;
  longTasks: number;
}

const site = await openSite();
interface TaskCpu {
  /** The most CPU time (ms) the renderer's main thread spent in any one task. */
  maxCpuMs: number;
}
type Run = {examplesPerSecond: number; steps: number; training: Probe; status: string; cpu: TaskCpu};

/** Traces the renderer's main thread over `window` (its toplevel and devtools.timeline categories). */
async function traceTasks(page: import("playwright-core").Page, window: () => Promise<void>): Promise<TaskCpu> {
  const cdp = await page.context().newCDPSession(page);
  const events: {name: string; ph: string; pid: number; tid: number; dur?: number; tdur?: number; args?: {name?: string}}[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as typeof events)));
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {traceConfig: {includedCategories: ["toplevel", "disabled-by-default-devtools.timeline"]}, transferMode: "ReportEvents"});
  await window();
  await cdp.send("Tracing.end");
  await complete;
  await cdp.detach();
  const mains = new Set(events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain").map((e) => `${e.pid}:${e.tid}`));
  // The page's main thread is the renderer main thread that ran the most.
  const byThread = new Map<string, {busy: number; tasks: typeof events}>();
  for (const e of events) {
    const thread = `${e.pid}:${e.tid}`;
    if (e.name !== "RunTask" || e.ph !== "X" || !mains.has(thread)) continue;
    const entry = byThread.get(thread) ?? {busy: 0, tasks: []};
    entry.busy += e.dur ?? 0;
    entry.tasks.push(e);
    byThread.set(thread, entry);
  }
  const tasks = [...byThread.values()].sort((a, b) => b.busy - a.busy)[0]?.tasks ?? [];
  return {maxCpuMs: tasks.reduce((most, e) => Math.max(most, (e.tdur ?? 0) / 1000), 0)};
}
const results: Record<string, {idle: Probe; page: Run; worker: Run}> = {};

/** Presses play on a freshly opened lab, warms up for 20 steps, and measures over the window. */
async function measure(path: string, backend: string): Promise<Run> {
  const {page, consoleErrors} = await site.visit(path);
  const lab = page.locator(".training-lab");
  await page.waitForFunction(`document.querySelector(".training-lab")?.dataset.ready === "true"`, null, {timeout: 300_000});
  await page.getByRole("button", {name: "▶ Play"}).click();
  // Warm-up: data streamed in, kernels compiled, 20 steps taken.
  const stepOf = async () => Number(await lab.getAttribute("data-step"));
  const warm = Date.now();
  while ((await stepOf()) < 20) {
    if (Date.now() - warm > 300_000) throw new Error(`${backend}: training did not reach step 20 in 5 minutes`);
    await page.waitForTimeout(250);
  }
  await page.evaluate(START_PROBE);
  let step0 = 0;
  let t0 = 0;
  let step1 = 0;
  let t1 = 0;
  const cpu = await traceTasks(page, async () => {
    [step0, t0] = [await stepOf(), Date.now()];
    await page.waitForTimeout(seconds * 1000);
    [step1, t1] = [await stepOf(), Date.now()];
  });
  const training = (await page.evaluate(READ_PROBE)) as Probe;
  await page.getByRole("button", {name: "Pause", exact: true}).click();
  const status = `${await page.locator(".lab-status").first().textContent()} | ${await page.locator(".lab-thread").textContent()}`;
  if (consoleErrors.length) throw new Error(`${backend}: console errors: ${consoleErrors.join("; ")}`);
  await page.close();
  return {examplesPerSecond: ((step1 - step0) * BATCH * 1000) / (t1 - t0), steps: step1 - step0, training, status, cpu};
}

const line = (r: Run) =>
  `${r.examplesPerSecond.toFixed(0)} examples/s over ${r.steps} steps; longest frame ${r.training.longestFrame.toFixed(0)} ms ` +
  `(p95 ${r.training.p95Frame.toFixed(0)} ms, ${r.training.frames} frames), longest task ${r.training.longestTask.toFixed(0)} ms, ${r.training.longTasks} tasks > 50 ms; ` +
  `the most CPU time in one task (traced) ${r.cpu.maxCpuMs.toFixed(0)} ms`;

try {
  for (const backend of backends) {
    // The same page idle over the same window: the reference for what the page does anyway.
    const {page} = await site.visit(`/chapters/07-training?backend=${backend}`);
    await page.evaluate(START_PROBE);
    await page.waitForTimeout(seconds * 1000);
    const idle = (await page.evaluate(READ_PROBE)) as Probe;
    await page.close();
    const worker = await measure(`/chapters/07-training?backend=${backend}`, backend);
    const inPage = await measure(`/chapters/07-training?backend=${backend}&lab-thread=page`, backend);
    results[backend] = {idle, worker, page: inPage};
    console.log(`${backend}: ${worker.status}`);
    console.log(`  in a worker      ${line(worker)}`);
    console.log(`  on the page      ${line(inPage)}`);
    console.log(`  idle             longest frame ${idle.longestFrame.toFixed(0)} ms (p95 ${idle.p95Frame.toFixed(0)} ms, ${idle.frames} frames), longest task ${idle.longestTask.toFixed(0)} ms`);
  }
  if (flags.pages === "all") {
    // Page weight and the first figure, on a page that is not training: what a first visit costs.
    const weights = await measurePages(site, sitePages(), {dist: DIST});
    for (const l of formatWeights(weights)) console.log(l);
    pageWeights = ` ${weightSummary(weights)}`;
  }
} finally {
  await site.close();
}

// The reference in this process: the same model and batch with lib's Trainer on WASM in Node.
await chooseBackend({prefer: "wasm"});
const model = createModel(modelConfig({hiddenSizes: [256], latentDim: 8, seed: 1}));
const draw = mulberry32(3);
const images = 60 * BATCH;
const trainer = new Trainer({model, data: {images: Float32Array.from({length: images * 784}, () => draw()), count: images, pixels: 784}, batchSize: BATCH, epochs: 1000, readEvery: 10, seed: 1});
let nodeSteps = 0;
let nodeStart = 0;
trainer.onProgress = (p) => {
  if (p.step === 20) nodeStart = performance.now();
  if (nodeStart && performance.now() - nodeStart >= seconds * 1000) {
    nodeSteps = p.step - 20;
    trainer.pause();
  }
};
await trainer.run();
const nodeRate = (nodeSteps * BATCH * 1000) / (performance.now() - nodeStart);
console.log(`node wasm (${tf.getBackend()}): ${nodeRate.toFixed(0)} examples/s`);
trainer.dispose();
model.dispose();

// <b>_* is training on the page's thread (as before the worker), <b>_worker_* in the Web Worker.
const summary = Object.entries(results)
  .map(([b, r]) =>
    [
      `${b}_examples_per_s=${r.page.examplesPerSecond.toFixed(0)}`,
      `${b}_longest_frame_ms=${r.page.training.longestFrame.toFixed(0)}`,
      `${b}_longest_task_ms=${r.page.training.longestTask.toFixed(0)}`,
      `${b}_max_task_cpu_ms=${r.page.cpu.maxCpuMs.toFixed(0)}`,
      `${b}_idle_longest_frame_ms=${r.idle.longestFrame.toFixed(0)}`,
      `${b}_idle_longest_task_ms=${r.idle.longestTask.toFixed(0)}`,
      `${b}_worker_examples_per_s=${r.worker.examplesPerSecond.toFixed(0)}`,
      `${b}_worker_longest_frame_ms=${r.worker.training.longestFrame.toFixed(0)}`,
      `${b}_worker_longest_task_ms=${r.worker.training.longestTask.toFixed(0)}`,
      `${b}_worker_max_task_cpu_ms=${r.worker.cpu.maxCpuMs.toFixed(0)}`,
      `${b}_worker_to_page_ratio=${(r.worker.examplesPerSecond / r.page.examplesPerSecond).toFixed(2)}`
    ].join(" ")
  )
  .join(" ");
const ratio = results.wasm ? ` ratio_browser_wasm_to_node_wasm=${(results.wasm.worker.examplesPerSecond / nodeRate).toFixed(2)}` : "";
console.log(`SUMMARY seconds=${seconds} ${summary} node_wasm_examples_per_s=${nodeRate.toFixed(0)}${ratio}${pageWeights}`);
