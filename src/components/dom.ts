/** A plain button (type="button", so it never submits a form), with an optional click handler. */
export function button(text: string, onClick?: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  if (onClick) b.addEventListener("click", onClick);
  return b;
}
