import type {BackendChoice} from "../lib/index.js";

/** A one-line status: which tfjs backend this page runs on and why. Pass an Error to show a failure. */
export function BackendStatus(choice: BackendChoice | Error): HTMLElement {
  const node = document.createElement("p");
  node.className = "backend-status";
  node.setAttribute("role", "status");
  if (choice instanceof Error) {
    node.classList.add("is-error");
    node.textContent = `No tfjs backend could start: ${choice.message}`;
    return node;
  }
  node.dataset.backend = choice.backend;
  const name = document.createElement("strong");
  name.textContent = `tfjs backend: ${choice.backend}. `;
  node.append(name, choice.reason, " Force one with ?backend=webgl, wasm or cpu in the address.");
  return node;
}
