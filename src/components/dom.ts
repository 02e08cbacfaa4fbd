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
}

let fields = 0;

/** A labelled select of `choices`, the one at `index` chosen; value() is the chosen choice's value. */
export function select<T>(label: string, choices: Choice<T>[], index: number): {field: HTMLElement; input: HTMLSelectElement; value: () => T} {
  const field = document.createElement("div");
  field.className = "lab-field";
  const input = document.createElement("select");
  input.id = `lab-field-${++fields}`;
  choices.forEach((c, i) => input.append(new Option(c.label, String(i), i === index, i === index)));
  // An explicit for/id pair: a label wrapped around a select would also be named by the select's options.
  const name = document.createElement("label");
  name.htmlFor = input.id;
  name.textContent = label;
  field.append(name, input);
  return {field, input, value: () => choices[Number(input.value)].value};
}
