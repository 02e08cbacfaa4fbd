import * as Plot from "@observablehq/plot";
import {ROLE_COLORS, type Role} from "./roles.js";

/** The terms of log p(x) = E_q[log p(x|z)] − KL(q ‖ p(z)) + KL(q ‖ p(z|x)), in nats. */
export interface ElboIdentityTerms {
  reconstruction: number;
  /** KL(q ‖ p(z)), the KL to the prior (≥ 0). */
  klPrior: number;
  /** KL(q ‖ p(z|x)), the KL to the posterior: the gap (≥ 0). */
  gap: number;
  logPx: number;
}

/**
 * The reconstruction term's own colour: it is not log p(x), so it must not share data's green. Purple,
 * from the same Observable categorical scheme as the roles and used by none of them.
 */
export const RECONSTRUCTION_COLOR = "#a463f2";

interface Bar {
  name: string;
  role: Role;
  /** The bar's fill: its role's colour, except the reconstruction term's. */
  color: string;
  from: number;
  to: number;
  /** The quantity the row names (the KLs as the positive numbers they are; the row's name carries the sign). */
  value: number;
}

/** The identity as a waterfall: each term's bar starts where the running total stood, so reading down follows the sum. */
export function identityBars({reconstruction, klPrior, gap, logPx}: ElboIdentityTerms): Bar[] {
  const elbo = reconstruction - klPrior;
  const bars: Omit<Bar, "color">[] = [
    {name: "reconstruction term", role: "data", from: 0, to: reconstruction, value: reconstruction},
    {name: "− KL to the prior", role: "prior", from: reconstruction, to: elbo, value: klPrior},
    {name: "= ELBO", role: "q", from: 0, to: elbo, value: elbo},
    {name: "+ KL to the posterior (the gap)", role: "posterior", from: elbo, to: elbo + gap, value: gap},
    {name: "= log p(x)", role: "data", from: 0, to: logPx, value: logPx}
  ];
  return bars.map((b, i) => ({...b, color: i === 0 ? RECONSTRUCTION_COLOR : ROLE_COLORS[b.role]}));
}

/**
 * Every term of the ELBO identity as a horizontal bar, coloured by role (log p(x) data green, prior
 * grey, q and its ELBO blue, posterior yellow; the reconstruction term purple), each bar starting where
 * the sum so far stood.
 */
export function ElboIdentityBars(terms: ElboIdentityTerms, {width = 640} = {}): SVGSVGElement | HTMLElement {
  const bars = identityBars(terms);
  const ends = bars.flatMap((d) => [d.from, d.to]);
  const lo = Math.min(...ends);
  const hi = Math.max(...ends);
  const pad = 0.04 * Math.max(1, hi - lo);
  const label = (d: Bar) => `${d.name}: ${d.value.toFixed(3).replace("-", "−")}`;
  // Each row's name and value are written above its bar, so the chart keeps its width on a phone.
  return Plot.plot({
    ariaLabel: `The ELBO identity as bars: reconstruction ${terms.reconstruction.toFixed(3)}, minus the KL to the prior ${terms.klPrior.toFixed(3)}, gives the ELBO ${(terms.reconstruction - terms.klPrior).toFixed(3)}; plus the KL to the posterior ${terms.gap.toFixed(3)} gives log p(x) ${terms.logPx.toFixed(3)} nats`,
    width,
    height: 5 * 46 + 40,
    marginLeft: 12,
    marginRight: 12,
    x: {label: "nats", grid: true, domain: [lo - pad, hi + pad]},
    y: {axis: null, domain: bars.map((d) => d.name), padding: 0.05},
    marks: [
      Plot.barX(bars, {y: "name", x1: "from", x2: "to", fill: (d: Bar) => d.color, insetTop: 20, insetBottom: 3}),
      Plot.ruleX([0], {stroke: "currentColor"}),
      Plot.text(bars, {y: "name", frameAnchor: "left", text: label, textAnchor: "start", dy: -11, fill: "currentColor", fontSize: 12})
    ]
  });
}
