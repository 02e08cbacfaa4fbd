import * as Plot from "@observablehq/plot";
import {posteriorEllipse, type DensityGrid, type Holes} from "../lib/index.js";
import {LatentPlane} from "./latentPlane.js";
import {ROLE_COLORS} from "./roles.js";

export interface HoleMapOptions {
  width?: number;
  picked?: {x: number; y: number} | null;
  onPick?: (z: [number, number]) => void;
  ariaLabel?: string;
}

/**
 * The aggregate posterior q(z) against the prior on a 2-D latent plane: q's density in the encoder's
 * colour (six nats of log density, faint to full), the holes (q(z) < p(z)/10) in the contrasting
 * colour, stronger where the prior sends more codes, the prior's 1σ and 2σ circles, the densest point
 * of q and the hole the prior finds most probable. A LatentPlane underneath, so the pointer picks a code.
 */
export function HoleMap(grid: DensityGrid, holes: Holes, {width = 400, picked = null, onPick, ariaLabel = "The aggregate posterior against the prior"}: HoleMapOptions = {}): SVGSVGElement | HTMLElement {
  const {size, extent} = grid;
  const maxLogQ = Math.max(...grid.logQ);
  const logP0 = Math.max(...grid.logP);
  const cells = Array.from({length: size * size}, (_, i) => i);
  const bounds = {width: size, height: size, x1: -extent, x2: extent, y1: extent, y2: -extent};
  const qOpacity = (i: number) => Math.max(0, Math.min(1, (grid.logQ[i] - (maxLogQ - 6)) / 6));
  const holeOpacity = (i: number) => (holes.isHole[i] ? 0.25 + 0.75 * Math.exp(grid.logP[i] - logP0) : 0);
  const circles = [1, 2].flatMap((k) => posteriorEllipse([0, 0], [1, 1], k).map((p) => ({...p, k})));
  const markers = [
    {x: holes.densest[0], y: holes.densest[1], what: "densest q(z)", color: ROLE_COLORS.q, dy: 16},
    ...(holes.mostProbableHole ? [{x: holes.mostProbableHole[0], y: holes.mostProbableHole[1], what: "most probable hole", color: ROLE_COLORS.contrast, dy: -13}] : [])
  ];
  return LatentPlane([], {
    width,
    domain: extent,
    ariaLabel,
    picked,
    onPick,
    scales: {opacity: {domain: [0, 1], range: [0, 1]}},
    background: [
      Plot.raster(cells, {...bounds, fill: ROLE_COLORS.q, fillOpacity: qOpacity}),
      Plot.raster(cells, {...bounds, fill: ROLE_COLORS.contrast, fillOpacity: holeOpacity}),
      Plot.line(circles, {x: "x", y: "y", z: "k", stroke: ROLE_COLORS.prior, strokeWidth: 1.5, strokeDasharray: "4 3"})
    ],
    marks: [
      Plot.dot(markers, {x: "x", y: "y", r: 7, stroke: "color", strokeWidth: 2.5, fill: "none"}),
      ...markers.map((m) => Plot.text([m], {x: "x", y: "y", text: "what", dy: m.dy, fill: "currentColor", fontSize: 11, fontWeight: "bold"}))
    ]
  });
}
