import * as Plot from "@observablehq/plot";
import {ROLE_COLORS} from "./roles.js";

/** One trained model of the β sweep, scored on held-out digits (nats per image). */
export interface SweepRow {
  beta: number;
  /** −ELBO with β = 1: the bound itself, whatever β the model was trained with. */
  negElbo: number;
  /** −E_q[log p(x|z)]. */
  reconstructionLoss: number;
  /** KL(q(z|x) ‖ p(z)). */
  kl: number;
  /** Units with Cov_x(E_q[z_u]) > 0.01 (Burda et al. 2016). */
  active: number;
}

/** "β = 0: 16 of 16 active, KL 25.3, reconstruction loss 81.2; β = 0.5: …" */
export function sweepSummary(rows: readonly SweepRow[], latentDim: number): string {
  return rows.map((r) => `β = ${r.beta}: ${r.active} of ${latentDim} active, KL ${r.kl.toFixed(1)}, reconstruction loss ${r.reconstructionLoss.toFixed(1)}`).join("; ");
}

/**
 * The β sweep's results: the held-out reconstruction loss and KL against β (the KL on its own axis),
 * and the active units per β. `betas` fixes the x axis, so rows still to come keep their place.
 */
export function SweepChart(rows: readonly SweepRow[], {width = 640, betas, latentDim}: {width?: number; betas: readonly number[]; latentDim: number}): HTMLElement {
  const root = document.createElement("div");
  root.className = "sweep-chart";
  const domain = betas.map(String);
  const x = {label: "β", domain, type: "point" as const, inset: 20};
  const summary = sweepSummary(rows, latentDim);
  const line = (y: keyof SweepRow, label: string, color: string, height: number) =>
    Plot.plot({
      width,
      height,
      marginLeft: 48,
      ariaLabel: `Held-out ${label} against β: ${rows.map((r) => `β = ${r.beta}: ${(r[y] as number).toFixed(1)}`).join(", ")}`,
      x,
      y: {label: `${label} (nats)`, grid: true, zero: true},
      marks: [Plot.line(rows, {x: (r: SweepRow) => String(r.beta), y, stroke: color}), Plot.dot(rows, {x: (r: SweepRow) => String(r.beta), y, fill: color, r: 3})]
    });
  root.append(
    line("reconstructionLoss", "reconstruction loss", ROLE_COLORS.data, 170),
    line("kl", "KL(q ‖ p(z))", ROLE_COLORS.prior, 150),
    Plot.plot({
      width,
      height: 150,
      marginLeft: 48,
      ariaLabel: `Active latent units against β: ${rows.map((r) => `β = ${r.beta}: ${r.active}`).join(", ")}`,
      x: {label: "β", domain, type: "band", padding: 0.3},
      y: {label: `active units (of ${latentDim})`, domain: [0, latentDim], grid: true},
      marks: [Plot.barY(rows, {x: (r: SweepRow) => String(r.beta), y: "active", fill: ROLE_COLORS.q}), Plot.ruleY([0])]
    })
  );
  const table = document.createElement("p");
  table.id = "beta-summary";
  table.className = "lab-status";
  table.textContent = rows.length ? `${summary}.` : "";
  root.append(table);
  return root;
}
