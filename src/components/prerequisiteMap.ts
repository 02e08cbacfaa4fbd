import type {Chapter} from "../chapters.js";

/** Each chapter's depth: 0 for a chapter that needs none, else one more than its deepest prerequisite. */
export function chapterDepths(chapters: readonly Chapter[]): Map<number, number> {
  const byNumber = new Map(chapters.map((c) => [c.number, c]));
  const depth = new Map<number, number>();
  const visit = (n: number, seen: Set<number>): number => {
    if (depth.has(n)) return depth.get(n)!;
    if (seen.has(n)) throw new Error(`chapter ${n} needs itself through a cycle`);
    seen.add(n);
    const needs = (byNumber.get(n)?.needs ?? []).filter((m) => byNumber.has(m));
    const d = needs.length ? 1 + Math.max(...needs.map((m) => visit(m, seen))) : 0;
    depth.set(n, d);
    return d;
  };
  for (const c of chapters) visit(c.number, new Set());
  return depth;
}

const SVG = "http://www.w3.org/2000/svg";
const el = (name: string, attrs: Record<string, string | number>) => {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  return node;
};

/**
 * The chapters as a map of what builds on what: one column per depth, an arrow from each prerequisite
 * to the chapter that needs it. Chapters link to their pages.
 */
export function PrerequisiteMap(chapters: readonly Chapter[], {width = 640}: {width?: number} = {}): SVGSVGElement {
  const ready = chapters.filter((c) => c.ready);
  const depth = chapterDepths(ready);
  const columns = Math.max(...depth.values()) + 1;
  const rows = new Map<number, number>();
  const place = new Map<number, {x: number; y: number}>();
  const w = Math.max(300, Math.min(width, 760));
  const step = (w - 40) / Math.max(1, columns - 1);
  const r = 15;
  // Room above the first row for the arrows that bow over it.
  const top = 24 + 8 + 5 * columns;
  for (const c of ready) {
    const d = depth.get(c.number)!;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    place.set(c.number, {x: 20 + d * step, y: top + row * 44});
  }
  const height = top + 44 * Math.max(...rows.values()) + 30;
  const svg = el("svg", {width: w, height, viewBox: `0 0 ${w} ${height}`, role: "img", class: "prerequisite-map"}) as SVGSVGElement;
  svg.setAttribute(
    "aria-label",
    "Which chapters build on which: " + ready.map((c) => `${c.number} ${c.title}${c.needs?.length ? ` builds on ${c.needs.join(", ")}` : ""}`).join("; ")
  );
  const defs = el("defs", {});
  const marker = el("marker", {id: "prereq-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: "auto-start-reverse"});
  marker.append(el("path", {d: "M0,0L10,5L0,10z", fill: "currentColor"}));
  defs.append(marker);
  svg.append(defs);
  for (const c of ready) {
    const to = place.get(c.number)!;
    for (const m of c.needs ?? []) {
      const from = place.get(m);
      if (!from) continue;
      // Neighbouring columns get a straight arrow; an arrow that skips columns bows away from the
      // row (up from the first row, down from the others) so that it passes no node.
      const span = Math.round((to.x - from.x) / step);
      const bow = span > 1 ? (from.y === top && to.y === top ? -1 : 1) * (8 + 5 * span) : 0;
      const [cx, cy] = [(from.x + to.x) / 2, (from.y + to.y) / 2 + bow];
      const unit = (ax: number, ay: number, bx: number, by: number) => {
        const len = Math.hypot(bx - ax, by - ay);
        return [(bx - ax) / len, (by - ay) / len];
      };
      const [ux0, uy0] = unit(from.x, from.y, cx, cy);
      const [ux1, uy1] = unit(cx, cy, to.x, to.y);
      const d = `M${from.x + ux0 * r},${from.y + uy0 * r}Q${cx},${cy} ${to.x - ux1 * (r + 2)},${to.y - uy1 * (r + 2)}`;
      svg.append(el("path", {d, fill: "none", stroke: "currentColor", "stroke-opacity": 0.45, "marker-end": "url(#prereq-arrow)"}));
    }
  }
  for (const c of ready) {
    const {x, y} = place.get(c.number)!;
    const link = el("a", {href: `.${c.path}`});
    const title = el("title", {});
    title.textContent = `${c.number}. ${c.title}${c.needs?.length ? ` (builds on ${c.needs.join(", ")})` : ""}`;
    link.append(title, el("circle", {cx: x, cy: y, r, fill: "var(--theme-background-alt)", stroke: "currentColor"}));
    const label = el("text", {x, y: y + 5, "text-anchor": "middle", "font-size": 14, "font-weight": 600, fill: "currentColor"});
    label.textContent = String(c.number);
    link.append(label);
    svg.append(link);
  }
  return svg;
}
