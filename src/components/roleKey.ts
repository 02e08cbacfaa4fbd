import {ROLE_COLORS, type Role} from "./roles.js";

const DESCRIPTIONS: Record<Role, string> = {
  prior: "the prior p(z), and KL(q ‖ p(z))",
  posterior: "the true posterior p(z|x), and the gap KL(q ‖ p(z|x))",
  q: "the encoder's q(z|x), and the ELBO",
  data: "data: x, log p(x), reconstructions",
  contrast: "a second method set against the first (e.g. the score-function estimator)"
};

/** A key of the colour each role has in every chart: a swatch and what it stands for, one per line. */
export function RoleKey(colors: Record<Role, string> = ROLE_COLORS): HTMLElement {
  const list = document.createElement("ul");
  list.className = "role-key";
  for (const role of Object.keys(colors) as Role[]) {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colors[role];
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, DESCRIPTIONS[role]);
    list.append(item);
  }
  return list;
}
