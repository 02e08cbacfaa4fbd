/** A plain button (type="button", so it never submits a form), with an optional click handler. */
export function button(text: string, onClick?: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (onClick) b.addEventListener("click", onClick);
  return b;
}

export interface Choice<T> {
  label: string;
  value: T;
  /** How the value is written in a URL and in the option's value; String(value) when absent. */
  key?: string;
}

export interface Select<T> {
  field: HTMLElement;
  input: HTMLSelectElement;
  choices: readonly Choice<T>[];
  /** The chosen choice's value. */
  value(): T;
}

let fields = 0;

export const choiceKey = <T>(choice: Choice<T>): string => choice.key ?? String(choice.value);

/**
 * A labelled select of `choices`, the one whose value is `initial` chosen (the first if none is). Each
 * option's value is its choice's key, so a permalink (chapterTools' linked) stores the value itself,
 * never a position in the list: reordering the list changes no link.
 */
export function select<T>(label: string, choices: readonly Choice<T>[], initial: T): Select<T> {
  const keys = choices.map(choiceKey);
  if (new Set(keys).size !== keys.length) throw new Error(`select("${label}"): two choices share a key`);
  const field = document.createElement("div");
  field.className = "lab-field";
  const input = document.createElement("select");
  input.id = `lab-field-${++fields}`;
  const chosen = Math.max(0, choices.findIndex((c) => c.value === initial));
  choices.forEach((c, i) => input.append(new Option(c.label, keys[i], i === chosen, i === chosen)));
  // An explicit for/id pair: a label wrapped around a select would also be named by the select's options.
  const name = document.createElement("label");
  name.htmlFor = input.id;
  name.textContent = label;
  field.append(name, input);
  return {field, input, choices, value: () => choices[Math.max(0, keys.indexOf(input.value))].value};
}
