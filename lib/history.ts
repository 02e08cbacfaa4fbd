/**
 * A bounded record of a long run for a chart: at most `capacity` points, thinned evenly as the run
 * grows (every other point is dropped and the stride doubles when it is full), so the whole run stays
 * visible at a coarser resolution and a redraw costs the same at step 100 and at step 100,000.
 * `latest` is always the last item pushed, kept or not.
 */
export class ThinnedHistory<T> {
  private kept: T[] = [];
  private every = 1;
  private seen = 0;
  private last: T | undefined;

  constructor(readonly capacity = 600) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`ThinnedHistory: capacity must be a whole number ≥ 2, got ${capacity}`);
  }

  push(...items: T[]): void {
    for (const item of items) {
      if (this.seen % this.every === 0) this.kept.push(item);
      this.seen++;
      this.last = item;
      if (this.kept.length > this.capacity) {
        this.kept = this.kept.filter((_, i) => i % 2 === 0);
        this.every *= 2;
      }
    }
  }

  /** The kept items, oldest first: items 0, stride, 2·stride, … of everything pushed. */
  get points(): readonly T[] {
    return this.kept;
  }

  /** The kept items plus the latest one if it was not kept: what a chart should draw. */
  get pointsWithLatest(): readonly T[] {
    return this.last !== undefined && this.kept.at(-1) !== this.last ? [...this.kept, this.last] : this.kept;
  }

  get stride(): number {
    return this.every;
  }

  get latest(): T | undefined {
    return this.last;
  }

  /** How many items were pushed in all. */
  get count(): number {
    return this.seen;
  }

  clear(): void {
    this.kept = [];
    this.every = 1;
    this.seen = 0;
    this.last = undefined;
  }
}
