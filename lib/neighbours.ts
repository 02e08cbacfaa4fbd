/**
 * How much a set of codes says about a label: the fraction of points whose nearest other point
 * (Euclidean, leave-one-out) has the same label. About 1/classes for codes that carry no label
 * information and balanced classes; 1 for codes that separate the classes.
 * @param codes [n][dim]
 * @param labels n labels
 */
export function nearestNeighbourAgreement(codes: ArrayLike<number>[], labels: ArrayLike<number>): number {
  const n = codes.length;
  if (n < 2 || labels.length !== n) throw new Error(`nearestNeighbourAgreement: needs at least two codes and one label each, got ${n} codes and ${labels.length} labels`);
  let agree = 0;
  for (let i = 0; i < n; i++) {
    let best = -1;
    let bestDistance = Infinity;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let d = 0;
      for (let k = 0; k < codes[i].length; k++) d += (codes[i][k] - codes[j][k]) ** 2;
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
    if (labels[best] === labels[i]) agree++;
  }
  return agree / n;
}
