import {javascript} from "@codemirror/lang-javascript";
import {python} from "@codemirror/lang-python";
import {Compartment} from "@codemirror/state";
import {oneDark} from "@codemirror/theme-one-dark";
import {basicSetup, EditorView} from "codemirror";
import {
  checkCase,
  describeCall,
  EXERCISES,
  functionNameIn,
  localTimestamp,
  parseResults,
  resultKey,
  resultsRecordText,
  type CaseResult,
  type ExerciseLanguage,
  type ExerciseResult
} from "../lib/index.js";
import {button, select} from "./dom.js";
import {preparePython, runInSandbox, type SandboxStatus} from "./exerciseSandbox.js";
import {initBackend} from "./tfBackend.js";

export interface CodeExerciseOptions {
  /** A key of lib's EXERCISES. */
  exercise: keyof typeof EXERCISES;
  /** Seeds the random cases; each check after the first draws new ones. */
  seed?: number;
  timeoutMs?: number;
  /** The page's seed (the Seed box), written into the results record. */
  pageSeed?: number;
  /** Show the chapter's results record ("Copy my results") under this exercise; default true. */
  record?: boolean;
}

const LANGUAGES: {label: string; value: ExerciseLanguage}[] = [
  {label: "JavaScript", value: "javascript"},
  {label: "Python", value: "python"}
];
const RESULT_EVENT = "vae-exercise-result";
/** The code outside the function (imports, helpers) gets this long before the cases start. */
const SETUP_MS = 10_000;

function load(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    // Storage may be disabled: nothing is remembered, nothing breaks.
    return null;
  }
}

function store(key: string, value: string) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Not saved; nothing else depends on it.
  }
}

/** The chapter's address without .html, the key its results are kept under. */
function chapterPath(): string {
  return location.pathname.replace(/\.html$/, "");
}

const resultsKey = () => `vae-explorables-results-${chapterPath()}`;

function chapterTitle(): string {
  return document.querySelector("#observablehq-main h1")?.textContent?.trim() || document.title.split("|")[0].trim();
}

let styled = false;
function addStyles() {
  if (styled) return;
  styled = true;
  const style = document.createElement("style");
  style.textContent = `
.code-exercise .exercise-toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin-bottom: 0.5rem; }
.code-exercise .exercise-progress { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
.code-exercise .exercise-progress progress { width: min(240px, 100%); }
.code-exercise .exercise-cases { padding-left: 2.5em; }
.code-exercise .exercise-output { font: 13px/1.4 var(--monospace); white-space: pre-wrap; overflow-wrap: anywhere; max-height: 12em; overflow: auto; }
.code-exercise .exercise-record { border-top: solid 1px var(--theme-foreground-faint); margin-top: 1rem; padding-top: 0.5rem; }
.code-exercise .exercise-record pre { font: 12px/1.4 var(--monospace); white-space: pre-wrap; overflow-wrap: anywhere; }
`;
  document.head.append(style);
}

function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * An auto-checked exercise: a language choice (JavaScript or Python), a code editor, "Check my
 * function", and a report of which case failed and by how much. The learner's code runs in a
 * sandboxed worker (no network, a time limit); lib's float64 references give the answers, the same on every backend. Python is Pyodide, served by
 * this site and loaded only once the reader picks Python. Code, language and results are kept in the
 * browser's storage, so a reload loses nothing; the results record can be copied and handed in.
 */
export function CodeExercise({exercise: id, seed = 1, timeoutMs = 2000, pageSeed, record = true}: CodeExerciseOptions): HTMLElement {
  addStyles();
  const exercise = EXERCISES[id];
  const codeKey = (language: ExerciseLanguage) => (language === "javascript" ? `vae-explorables-exercise-${exercise.id}` : `vae-explorables-exercise-${exercise.id}-python`);
  const languageKey = `vae-explorables-exercise-language-${exercise.id}`;
  const starter = (language: ExerciseLanguage) => (language === "python" ? exercise.python.starter : exercise.starter);
  const solutionOf = (language: ExerciseLanguage) => (language === "python" ? exercise.python.solution : exercise.solution);
  const savedLanguage = load(languageKey);
  let language: ExerciseLanguage = savedLanguage === "python" ? "python" : "javascript";

  const root = document.createElement("div");
  root.className = "code-exercise";
  root.dataset.state = "unchecked";
  root.dataset.language = language;

  const choice = select("Language", LANGUAGES, language);
  const toolbar = document.createElement("div");
  toolbar.className = "exercise-toolbar lab-buttons";
  toolbar.append(choice.field);

  const host = document.createElement("div");
  host.className = "code-editor";
  const dark = matchMedia("(prefers-color-scheme: dark)");
  const theme = new Compartment();
  const syntax = new Compartment();
  const modeFor = (language: ExerciseLanguage) => (language === "python" ? python() : javascript());
  const label = () => `Code editor for the ${language === "python" ? "Python" : "JavaScript"} function ${functionNameIn(exercise, language)}. Tab moves focus out of the editor.`;
  const labels = new Compartment();
  const view = new EditorView({
    doc: load(codeKey(language)) ?? starter(language),
    parent: host,
    extensions: [
      basicSetup,
      syntax.of(modeFor(language)),
      EditorView.lineWrapping,
      theme.of(dark.matches ? oneDark : []),
      labels.of(EditorView.contentAttributes.of({"aria-label": label()})),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) store(codeKey(language), update.state.doc.toString());
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
  const code = document.createElement("pre");
  solution.append(summary, code);
  const showSolution = () => {
    summary.textContent = `A solution (${language === "python" ? "Python" : "JavaScript"})`;
    code.textContent = solutionOf(language);
  };
  showSolution();
  root.append(toolbar, host, buttons, report, solution);

  // --- the results record ---------------------------------------------------------------------
  const recordText = document.createElement("pre");
  const copied = document.createElement("span");
  copied.setAttribute("role", "status");
  const refreshRecord = () => {
    recordText.textContent = resultsRecordText({chapter: chapterTitle(), path: chapterPath(), results: Object.values(parseResults(load(resultsKey()))), madeAt: new Date()});
  };
  if (record) {
    const box = document.createElement("div");
    box.className = "exercise-record";
    const heading = document.createElement("p");
    const strong = document.createElement("strong");
    strong.textContent = "Your results in this chapter";
    heading.append(strong, ": the last check of each exercise, kept in this browser. Copy them into your course's system; nothing is sent anywhere.");
    const copy = button("Copy my results");
    const bar = document.createElement("div");
    bar.className = "lab-buttons";
    bar.append(copy, copied);
    box.append(heading, recordText, bar);
    root.append(box);
    refreshRecord();
    // A check in another exercise of the page updates this record too; a replaced exercise stops listening.
    const onResult = () => (root.isConnected ? refreshRecord() : removeEventListener(RESULT_EVENT, onResult));
    addEventListener(RESULT_EVENT, onResult);
    copy.addEventListener("click", async () => {
      refreshRecord();
      const text = recordText.textContent ?? "";
      try {
        await navigator.clipboard.writeText(text);
        copied.textContent = "Copied.";
      } catch {
        // No clipboard permission: select the text so Ctrl+C / ⌘C copies it.
        const range = document.createRange();
        range.selectNodeContents(recordText);
        getSelection()?.removeAllRanges();
        getSelection()?.addRange(range);
        copied.textContent = "The browser did not allow copying: the text is selected, press Ctrl+C (⌘C on a Mac).";
      }
    });
  }

  async function saveResult(result: Omit<ExerciseResult, "backend" | "checkedAt" | "exercise" | "functionName" | "language" | "pageSeed">) {
    const checkedAt = localTimestamp(new Date());
    let backend = "unknown";
    try {
      backend = (await initBackend()).backend;
    } catch {
      // Recorded as unknown.
    }
    const entry: ExerciseResult = {...result, exercise: exercise.id, functionName: functionNameIn(exercise, language), language, pageSeed: pageSeed ?? null, backend, checkedAt};
    const results = parseResults(load(resultsKey()));
    results[resultKey(entry)] = entry;
    store(resultsKey(), JSON.stringify(results));
    dispatchEvent(new CustomEvent(RESULT_EVENT));
  }

  // --- checking -------------------------------------------------------------------------------
  let checks = 0;

  function say(state: string, headline: string, rows: CaseResult[] = [], output = "") {
    root.dataset.state = state;
    const lead = document.createElement("p");
    lead.className = `exercise-verdict is-${state}`;
    lead.textContent = headline;
    report.replaceChildren(lead);
    if (rows.length > 0) {
      const list = document.createElement("ol");
      list.className = "exercise-cases";
      for (const r of rows) {
        const item = document.createElement("li");
        item.textContent = `${r.passed ? "✓" : "✗"} ${r.case.name}${r.passed ? "" : `: ${describeCall(exercise, r.case, language)}: ${r.message}`}`;
        item.className = r.passed ? "passed" : "failed";
        list.append(item);
      }
      report.append(list);
    }
    if (output) {
      const note = document.createElement("p");
      note.textContent = "What your code printed:";
      const pre = document.createElement("pre");
      pre.className = "exercise-output";
      pre.textContent = output;
      report.append(note, pre);
    }
  }

  function progress(status: SandboxStatus) {
    const line = document.createElement("div");
    line.className = "exercise-progress";
    const bar = document.createElement("progress");
    const text = document.createElement("span");
    if (status.phase === "download") {
      if (status.total) {
        bar.max = status.total;
        bar.value = status.loaded;
        text.textContent = `Downloading Python from this site (first time only): ${megabytes(status.loaded)} of ${megabytes(status.total)} MB`;
      } else {
        text.textContent = `Downloading Python from this site (first time only): ${megabytes(status.loaded)} MB`;
      }
    } else if (status.phase === "starting") {
      text.textContent = status.first ? "Starting Python in the sandbox (first time only; this can take several seconds)…" : "Starting Python…";
    } else {
      text.textContent = "Running your function in a worker…";
    }
    line.append(bar, text);
    report.replaceChildren(line);
  }

  let preparing = false;
  function prepare() {
    if (preparing) return;
    preparing = true;
    preparePython((status) => {
      if (root.dataset.state !== "running") progress(status);
    }).then(
      () => {
        if (root.dataset.state !== "running") report.replaceChildren();
      },
      (error) => {
        preparing = false;
        if (root.dataset.state !== "running") say("error", `Python could not be loaded: ${(error as Error).message}. JavaScript still works.`);
      }
    );
  }

  async function run() {
    check.disabled = true;
    choice.input.disabled = true;
    const runLanguage = language;
    say("running", "Running your function in a worker…");
    const caseSeed = seed + checks++;
    const cases = exercise.cases(caseSeed);
    try {
      const result = await runInSandbox(runLanguage, view.state.doc.toString(), functionNameIn(exercise, runLanguage), cases, {timeoutMs, setupMs: SETUP_MS, onStatus: progress});
      if (result.kind === "failed") {
        say("error", `The sandbox could not run your code: ${result.message}.`);
        return;
      }
      if (result.kind === "compile") {
        say("error", `Your code could not run: ${result.message}.`, [], result.output);
        await saveResult({outcome: "error", passedCases: 0, totalCases: cases.length, caseSeed});
      } else if (result.kind === "timeout" && result.index < 0) {
        say("timeout", `Stopped: the code outside your function (imports, helpers) did not finish within ${SETUP_MS / 1000} s. Is there a loop that never ends?`);
        await saveResult({outcome: "timeout", passedCases: 0, totalCases: cases.length, caseSeed});
      } else if (result.kind === "timeout") {
        const c = cases[result.index];
        say("timeout", `Stopped: case ${result.index + 1} of ${cases.length} (${c.name}), ${describeCall(exercise, c, runLanguage)}, did not finish within ${timeoutMs / 1000} s. Is there a loop that never ends?`);
        await saveResult({outcome: "timeout", passedCases: 0, totalCases: cases.length, caseSeed});
      } else {
        const rows = cases.map((c, i) => checkCase(exercise, c, result.outcomes[i], runLanguage));
        const failed = rows.filter((r) => !r.passed);
        if (failed.length === 0) {
          const worst = Math.max(...rows.map((r) => r.error ?? 0));
          say("passed", `All ${rows.length} cases pass: your function agrees with the exact answers (largest difference ${worst.toPrecision(2)}).`, rows, result.output);
        } else {
          const first = failed[0];
          const index = rows.indexOf(first) + 1;
          say("failed", `${failed.length} of ${rows.length} cases fail. First: case ${index} (${first.case.name}), ${describeCall(exercise, first.case, runLanguage)}: ${first.message}.`, rows, result.output);
        }
        await saveResult({outcome: failed.length === 0 ? "passed" : "failed", passedCases: rows.length - failed.length, totalCases: rows.length, caseSeed});
      }
    } finally {
      check.disabled = false;
      choice.input.disabled = false;
    }
  }

  function switchTo(next: ExerciseLanguage) {
    if (next === language) return;
    language = next;
    root.dataset.language = language;
    store(languageKey, language);
    view.dispatch({
      changes: {from: 0, to: view.state.doc.length, insert: load(codeKey(language)) ?? starter(language)},
      effects: [syntax.reconfigure(modeFor(language)), labels.reconfigure(EditorView.contentAttributes.of({"aria-label": label()}))]
    });
    showSolution();
    root.dataset.state = "unchecked";
    report.replaceChildren();
    if (language === "python") prepare();
  }

  choice.input.addEventListener("change", () => switchTo(choice.value()));
  check.addEventListener("click", () => void run());
  reset.addEventListener("click", () => {
    view.dispatch({changes: {from: 0, to: view.state.doc.length, insert: starter(language)}});
    root.dataset.state = "unchecked";
    report.replaceChildren();
  });
  // A reader who chose Python before gets it loaded once the exercise comes into view, not with the
  // page's first figures.
  if (language === "python") {
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        seen.disconnect();
        if (language === "python") prepare();
      }
    });
    seen.observe(root);
  }
  return root;
}
