// Chapter 11's ways in for the reader's images: a drop zone, a file picker and a folder picker. A view:
// it hands the files it is given to a callback and keeps nothing. Folders dropped on it are walked
// (every file in them and in their subfolders); which files are images is decided later, by their
// contents (lib/imagePrep.ts), not here by their names.
import {summarizeRefusals, type Refusal} from "../lib/imagePrep.js";

export interface ImageSourcesOptions {
  /** Called with every file dropped or chosen, in one list. */
  onFiles: (files: File[]) => void;
  /** Greys the pickers out (while files are being read). */
  disabled?: boolean;
}

/** Every file under a dropped entry (a file, or a folder and its subfolders). */
async function filesUnder(entry: FileSystemEntry): Promise<File[]> {
  if (entry.isFile) return [await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject))];
  if (!entry.isDirectory) return [];
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  const entries: FileSystemEntry[] = [];
  // readEntries answers in batches (Chromium: 100 at a time) until it answers with none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    entries.push(...batch);
  }
  return (await Promise.all(entries.map(filesUnder))).flat();
}

/** The files of a drop: folders walked where the browser offers entries, else the plain file list. */
async function droppedFiles(transfer: DataTransfer): Promise<File[]> {
  const entries = Array.from(transfer.items ?? [])
    .map((item) => (item.kind === "file" && typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null))
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length > 0 && entries.some((e) => e.isDirectory)) return (await Promise.all(entries.map(filesUnder))).flat();
  return Array.from(transfer.files ?? []);
}

function picker(label: string, folder: boolean, onFiles: (files: File[]) => void): HTMLLabelElement {
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  if (folder) input.webkitdirectory = true;
  else input.accept = "image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp";
  input.addEventListener("change", () => {
    const files = Array.from(input.files ?? []);
    input.value = "";
    if (files.length) onFiles(files);
  });
  const wrap = document.createElement("label");
  wrap.className = "image-picker";
  wrap.append(`${label} `, input);
  return wrap;
}

/**
 * A drop zone for image files or folders, with "Choose images" and "Choose a folder" pickers (the
 * keyboard's way in). Nothing leaves the browser: the files are read by the page itself.
 */
export function ImageSources({onFiles, disabled = false}: ImageSourcesOptions): HTMLElement {
  const root = document.createElement("div");
  root.className = "image-sources";
  const zone = document.createElement("div");
  zone.className = "image-drop";
  zone.textContent = "Drop image files or a folder of them here (PNG, JPEG or WebP, any size, colour or grey).";
  zone.setAttribute("aria-label", "Drop image files or folders here");
  const over = (event: DragEvent) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
    zone.classList.add("image-drop-over");
  };
  zone.addEventListener("dragenter", over);
  zone.addEventListener("dragover", over);
  zone.addEventListener("dragleave", () => zone.classList.remove("image-drop-over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("image-drop-over");
    if (disabled || !event.dataTransfer) return;
    void droppedFiles(event.dataTransfer).then((files) => files.length && onFiles(files));
  });
  const pickers = document.createElement("div");
  pickers.className = "lab-buttons image-pickers";
  const images = picker("Choose images", false, onFiles);
  const folder = picker("Choose a folder", true, onFiles);
  for (const p of [images, folder]) (p.querySelector("input") as HTMLInputElement).disabled = disabled;
  pickers.append(images, folder);
  root.append(zone, pickers);
  return root;
}

export interface ReadReportData {
  /** Files read in this go, and how many images were taken from them. */
  files: number;
  taken: number;
  refusals: Refusal[];
  /** The sizes of the images taken, to say when they differ. */
  sizes: {width: number; height: number}[];
  /** How each image is made square and how large the model's input is. */
  fit: "crop" | "pad";
  side: number;
  /** The set's size after this go. */
  total: number;
}

/**
 * What happened to the files of one drop or pick, in sentences: how many were taken, each refusal
 * and why (the first few in full), and what the page does about images of different sizes.
 */
export function ReadReport(report: ReadReportData | null, {shown = 5}: {shown?: number} = {}): HTMLElement {
  const root = document.createElement("div");
  root.className = "read-report";
  root.setAttribute("role", "status");
  if (!report) return root;
  const {files, taken, refusals, sizes, fit, side, total} = report;
  const head = document.createElement("p");
  head.dataset.value = "read-summary";
  head.textContent =
    `Read ${files.toLocaleString("en")} ${files === 1 ? "file" : "files"}: ${taken.toLocaleString("en")} ${taken === 1 ? "image" : "images"} taken, ` +
    `${refusals.length === 0 ? "none refused" : summarizeRefusals(refusals)}. The set now has ${total.toLocaleString("en")} ${total === 1 ? "image" : "images"}` +
    (refusals.length && taken === 0 ? "; nothing in it changed." : ".");
  root.append(head);
  const areas = sizes.map((s) => s.width * s.height);
  if (sizes.length > 1 && new Set(sizes.map((s) => `${s.width}×${s.height}`)).size > 1) {
    const smallest = sizes[areas.indexOf(Math.min(...areas))];
    const largest = sizes[areas.indexOf(Math.max(...areas))];
    const note = document.createElement("p");
    note.dataset.value = "read-sizes";
    note.textContent =
      `Their sizes differ, from ${smallest.width}×${smallest.height} to ${largest.width}×${largest.height} pixels: ` +
      `each is ${fit === "crop" ? "cropped to its centred square" : "padded to a square with its border's colour"} and resized to ${side}×${side}, as the grid shows.`;
    root.append(note);
  }
  if (refusals.length) {
    const list = document.createElement("ul");
    list.className = "refusals";
    for (const r of refusals.slice(0, shown)) {
      const item = document.createElement("li");
      item.textContent = r.message;
      list.append(item);
    }
    if (refusals.length > shown) {
      const more = document.createElement("li");
      more.textContent = `… and ${(refusals.length - shown).toLocaleString("en")} more.`;
      list.append(more);
    }
    root.append(list);
  }
  return root;
}
