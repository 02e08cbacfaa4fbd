import {button} from "./dom.js";

export interface CheckpointActions {
  saveFile: () => void;
  saveBrowser: () => void;
  loadBrowser: () => void;
  loadShipped: () => void;
  /** The files the reader chose (a .json and its .weights.bin). */
  upload: (files: File[]) => void;
}

/**
 * Save and load buttons for a lab's checkpoint: to and from a file, this browser's storage, and the
 * shipped model. A view: it calls back and holds no state; `setDisabled` greys it out while training.
 */
export function CheckpointControls(actions: CheckpointActions): HTMLElement & {setDisabled(disabled: boolean): void} {
  const root = document.createElement("div") as unknown as HTMLElement & {setDisabled(disabled: boolean): void};
  root.className = "lab-buttons checkpoint-controls";
  const buttons = [
    button("Save to a file", actions.saveFile),
    button("Save in this browser", actions.saveBrowser),
    button("Load from this browser", actions.loadBrowser),
    button("Start from the shipped model", actions.loadShipped)
  ];
  const upload = document.createElement("input");
  upload.type = "file";
  upload.multiple = true;
  upload.accept = ".json,.bin";
  upload.setAttribute("aria-label", "Upload a checkpoint: its .json and .weights.bin files");
  upload.addEventListener("change", () => {
    const files = Array.from(upload.files ?? []);
    upload.value = "";
    if (files.length) actions.upload(files);
  });
  const label = document.createElement("label");
  label.className = "lab-upload";
  label.append("Load from files: ", upload);
  root.append(...buttons, label);
  root.setDisabled = (disabled) => {
    for (const b of buttons) b.disabled = disabled;
    upload.disabled = disabled;
  };
  return root;
}
