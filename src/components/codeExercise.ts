import {javascript} from "@codemirror/lang-javascript";
import {Compartment} from "@codemirror/state";
import {oneDark} from "@codemirror/theme-one-dark";
import {basicSetup, EditorView} from "codemirror";
import {checkCase, describeCall, EXERCISES, type CaseResult, type ExerciseCase} from "../lib/index.js";
import {button} from "./dom.js";

/** What running learner code in the worker gave: one outcome per case, or why it stopped. */
export type WorkerRun =
  | {kind: "finished"; outcomes: {value?: unknown; threw?: string}[]}
  | {kind: "compile"; message: string}
  | {kind: "timeout"; index: number};

// The worker's whole program. It sees only the learner's source and the inputs: no DOM, no page
// variables, no lib. It reports each case before running it, so a timeout can name the case.
const WORKER_SOURCE = `"use strict";
self.onmessage = (event) => {
  const {source, functionName, cases} = event.data;
  let fn;
  try {
    fn = new Function(source + "\\nreturn typeof " + functionName + " === 'function' ? " + functionName + " : undefined;")();
  } catch (error) {
    self.postMessage({type: "compile", message: String((error && error.message) || error)});
    return;
  }
  if (typeof fn !== "function") {
    self.postMessage({type: "compile", message: "no function named " + functionName + " is defined"});
    return;
  }
  const outcomes = [];
  for (let i = 0; i < cases.length; i++) {
    self.postMessage({type: "start", index: i});
    try {
      let value = fn(...cases[i].args);
      if (ArrayBuffer.isView(value)) value = Array.from(value);
      structuredClone(value);
      outcomes.push({value});
    } catch (error) {
      outcomes.push({threw: String((error && error.message) || error)});
    }
  }
  try {
    self.postMessage({type: "finished", outcomes});
  } catch (error) {
    self.postMessage({type: "finished", outcomes: outcomes.map(() => ({threw: "it returned something that is not a number or an array"}))});
  }
};`;

let workerUrl: string | null = null;

/**
 * Runs `source` (which must define `functionName`) on each case's arguments in a fresh Web Worker.
 * After `timeoutMs` the worker is terminated, so an infinite loop costs the page nothing.
 */
export function runInWorker(source: string, functionName: string, cases: ExerciseCase[], {timeoutMs = 2000} = {}): Promise<WorkerRun> {
  workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], {type: "text/javascript"}));
  const worker = new Worker(workerUrl);
  return new Promise((resolve) => {
    let current = 0;
    const finish = (run: WorkerRun) => {
      clearTimeout(timer);
      worker.terminate();
      resolve(run);
    };
    const timer = setTimeout(() => finish({kind: "timeout", index: current}), timeoutMs);
    worker.onmessage = ({data}) => {
      if (data.type === "start") current = data.index;
      else if (data.type === "compile") finish({kind: "compile", message: data.message});
      else if (data.type === "finished") finish({kind: "finished", outcomes: data.outcomes});
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({kind: "compile", message: event.message || "the code could not run"});
    };
    worker.postMessage({source, functionName, cases});
  });
}

export interface CodeExerciseOptions {
  /** A key of lib's EXERCISES. */
  exercise: keyof typeof EXERCISES;
  /** Seeds the random cases; each check after the first draws new ones. */
  seed?: number;
  timeoutMs?: number;
}

/**
 * An auto-checked exercise: a code editor, "Check my function", and a report of which case failed
 * and by how much. The learner's code runs in a worker with a time limit; lib gives the answers.
 * The code is kept in the browser's storage, so a reload loses nothing.
 */
export function CodeExercise({exercise: id, seed = 1, timeoutMs = 2000}: CodeExerciseOptions): HTMLElement {
  const exercise = EXERCISES[id];
  const storageKey = `vae-explorables-exercise-${exercise.id}`;
  const root = document.createElement("div");
  root.className = "code-exercise";
  root.dataset.state = "unchecked";
  let saved: string | null = null;
  try {
    saved = localStorage.getItem(storageKey);
  } catch {
    // Storage may be disabled; the editor then starts from the starter code.
  }
  const host = document.createElement("div");
  host.className = "code-editor";
  // The editor follows the page between light and dark, as the rest of the site does.
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const theme = new Compartment();
  const view = new EditorView({
    doc: saved ?? exercise.starter,
    parent: host,
    extensions: [
      basicSetup,
      javascript(),
      EditorView.lineWrapping,
      theme.of(dark.matches ? oneDark : []),
      EditorView.contentAttributes.of({"aria-label": `Code editor for the function ${exercise.functionName}. Tab moves focus out of the editor.`}),
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        try {
          localStorage.setItem(storageKey, update.state.doc.toString());
        } catch {
          // Not saved; nothing else depends on it.
        }
      })
    ]
  });
  // The editor is made before the page inserts it; measure its lines again once it has a size.
  new ResizeObserver(() => view.requestMeasure()).observe(host);
  dark.addEventListener("change", () => view.dispatch({effects: theme.reconfigure(dark.matches ? oneDark : [])}));
  const check = button("Check my function");
  const reset = button("Start over");
  const buttons = document.createElement("div");
  buttons.className = "lab-buttons";
  buttons.append(check, reset);
  const report = document.createElement("div");
  report.className = "exercise-report";
  report.setAttribute("role", "status");
  report.setAttribute("aria-live", "polite");
  const solution = document.createElement("details");
  const summary = document.createElement("summary");
  summary.textContent = "A solution";
  const code = document.createElement("pre");
  code.textContent = exercise.solution;
  solution.append(summary, code);
  root.append(host, buttons, report, solution);

  let checks = 0;

  function say(state: string, headline: string, rows: CaseResult[] = []) {
    root.dataset.state = state;
    const lead = document.createElement("p");
    lead.className = `exercise-verdict is-${state}`;
    lead.textContent = headline;
    report.replaceChildren(lead);
    if (rows.length === 0) return;
    const list = document.createElement("ol");
    list.className = "exercise-cases";
    for (const r of rows) {
      const item = document.createElement("li");
      item.textContent = `${r.passed ? "✓" : "✗"} ${r.case.name}${r.passed ? "" : `: ${describeCall(exercise, r.case)}: ${r.message}`}`;
      item.className = r.passed ? "passed" : "failed";
      list.append(item);
    }
    report.append(list);
  }

  async function run() {
    check.disabled = true;
    say("running", "Running your function in a worker…");
    const cases = exercise.cases(seed + checks++);
    try {
      const result = await runInWorker(view.state.doc.toString(), exercise.functionName, cases, {timeoutMs});
      if (result.kind === "compile") {
        say("error", `Your code could not run: ${result.message}.`);
      } else if (result.kind === "timeout") {
        const c = cases[result.index];
        say("timeout", `Stopped: case ${result.index + 1} of ${cases.length} (${c.name}), ${describeCall(exercise, c)}, did not finish within ${timeoutMs / 1000} s. Is there a loop that never ends?`);
      } else {
        const rows = cases.map((c, i) => checkCase(exercise, c, result.outcomes[i]));
        const failed = rows.filter((r) => !r.passed);
        if (failed.length === 0) {
          const worst = Math.max(...rows.map((r) => r.error ?? 0));
          say("passed", `All ${rows.length} cases pass: your function agrees with lib's ${exercise.functionName} (largest difference ${worst.toPrecision(2)}).`, rows);
        } else {
          const first = failed[0];
          const index = rows.indexOf(first) + 1;
          say("failed", `${failed.length} of ${rows.length} cases fail. First: case ${index} (${first.case.name}), ${describeCall(exercise, first.case)}: ${first.message}.`, rows);
        }
      }
    } finally {
      check.disabled = false;
    }
  }

  check.addEventListener("click", () => void run());
  reset.addEventListener("click", () => {
    view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: exercise.starter}});
    say("unchecked", "");
  });
  return root;
}
