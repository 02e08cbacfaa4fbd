// Number labels for marks on a chart, where marks that sit close together would print their numbers on
// top of each other: such marks share one label ("2, 4, 15") at the first of them, so every number stays
// readable. Labels are placed as the charts place them: starting just right of the mark (dx) and just
// above it (dy), `charWidth` pixels a character; a chart's data are mapped to pixels over its plotting
// area, taken as the chart's size less generous margins, so that labels are judged closer than they are,
// never farther.

export interface NumberedPoint {
  x: number;
  y: number;
  n: number;
}

export interface MergedLabel {
  x: number;
  y: number;
  text: string;
}

export interface LabelLayout {
  /** The chart's x and y domains. */
  range: {x: [number, number]; y: [number, number]};
  /** The chart's width and height in pixels. */
  size: {width: number; height: number};
  /** Pixels a character of the label takes (bold digits at font size 10: about 6). */
  charWidth?: number;
  /** A label's height in pixels. */
  lineHeight?: number;
}

/**
 * Merges the labels of `points` whose boxes would overlap, until none do; a merged label sits at the
 * mark with the smallest number and lists the numbers in order.
 */
export function mergedLabels(points: readonly NumberedPoint[], {range, size, charWidth = 7, lineHeight = 13}: LabelLayout): MergedLabel[] {
  const inner = {width: Math.max(1, size.width - 70), height: Math.max(1, size.height - 50)};
  const px = (p: NumberedPoint) => ({
    X: ((p.x - range.x[0]) / Math.max(range.x[1] - range.x[0], 1e-12)) * inner.width,
    Y: ((range.y[1] - p.y) / Math.max(range.y[1] - range.y[0], 1e-12)) * inner.height
  });
  let groups = [...points].sort((a, b) => a.n - b.n).map((p) => ({anchor: p, ...px(p), numbers: [p.n]}));
  const width = (g: {numbers: number[]}) => g.numbers.join(", ").length * charWidth + 2;
  const overlap = (a: (typeof groups)[number], b: (typeof groups)[number]) =>
    a.X < b.X + width(b) && b.X < a.X + width(a) && Math.abs(a.Y - b.Y) < lineHeight;
  for (;;) {
    let pair: [number, number] | null = null;
    for (let i = 0; i < groups.length && !pair; i++) for (let j = i + 1; j < groups.length && !pair; j++) if (overlap(groups[i], groups[j])) pair = [i, j];
    if (!pair) break;
    const [i, j] = pair;
    const numbers = [...groups[i].numbers, ...groups[j].numbers].sort((a, b) => a - b);
    const keep = groups[i].numbers[0] < groups[j].numbers[0] ? groups[i] : groups[j];
    groups = groups.filter((_, k) => k !== i && k !== j).concat([{...keep, numbers}]);
  }
  return groups.sort((a, b) => a.numbers[0] - b.numbers[0]).map((g) => ({x: g.anchor.x, y: g.anchor.y, text: g.numbers.join(", ")}));
}
