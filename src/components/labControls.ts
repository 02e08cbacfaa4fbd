import {select, type Choice, type Select} from "./dom.js";

/** One of a lab's settings: a labelled select of choices. */
export interface ControlSpec<T = unknown> {
  label: string;
  choices: readonly Choice<T>[];
  /** The value chosen at first. */
  value: T;
  /** A sentence shown as the control's tooltip. */
  title?: string;
}

export type LabControlsResult<S extends Record<string, ControlSpec>> = HTMLElement & {
  /** The selects by name, for reading values and linking them to the URL. */
  fields: {[K in keyof S]: Select<S[K] extends ControlSpec<infer T> ? T : never>};
  /** Greys out the named controls (e.g. the ones that rebuild the model, while it trains). */
  setDisabled(names: readonly (keyof S)[], disabled: boolean): void;
};

/** A grid of labelled selects, one per spec, in the order given. A view: it holds no state of its own. */
export function LabControls<S extends Record<string, ControlSpec>>(specs: S): LabControlsResult<S> {
  const root = document.createElement("div") as unknown as LabControlsResult<S>;
  root.className = "lab-controls";
  const fields = {} as Record<string, Select<unknown>>;
  for (const [name, spec] of Object.entries(specs)) {
    const s = select(spec.label, spec.choices, spec.value);
    if (spec.title) s.field.title = spec.title;
    s.input.name = name;
    fields[name] = s;
    root.append(s.field);
  }
  root.fields = fields as LabControlsResult<S>["fields"];
  root.setDisabled = (names, disabled) => {
    for (const name of names) fields[name as string].input.disabled = disabled;
  };
  return root;
}
