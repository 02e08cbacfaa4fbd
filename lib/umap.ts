import * as umapModule from "umap-js";
import {mulberry32} from "./random.js";
import {yieldToEventLoop} from "./trainer.js";

// umap-js is CommonJS whose exports are getters; Framework's bundler sees no named exports in it and
// offers the module object as the default export instead. Take UMAP from wherever it is.
const UMAP: typeof umapModule.UMAP = umapModule.UMAP ?? (umapModule as unknown as {default: typeof umapModule}).default.UMAP;

export interface UmapOptions {
  /** Seeds the nearest-neighbour search and the layout: the same seed, the same picture. */
  seed?: number;
  nNeighbors?: number;
  minDist?: number;
  /** Layout epochs; umap-js picks 500 for small data sets when left out. */
  nEpochs?: number;
  /** Called every few epochs with the fraction done. */
  onProgress?: (fraction: number) => void;
}

/**
 * A 2-D UMAP layout (McInnes, Healy & Melville, 2018) of `rows` ([n][dim]), computed by the umap-js
 * package with a seeded random source. Yields to the event loop every 10 epochs so a page stays live.
 * Unlike PCA, distances between far-apart clusters mean little; neighbourhoods are what it keeps.
 */
export async function umapProject(rows: number[][], {seed = 1, nNeighbors = 15, minDist = 0.1, nEpochs, onProgress}: UmapOptions = {}): Promise<number[][]> {
  if (rows.length <= nNeighbors) throw new Error(`UMAP needs more points (${rows.length}) than neighbours (${nNeighbors})`);
  const umap = new UMAP({nComponents: 2, nNeighbors, minDist, nEpochs, random: mulberry32(seed)});
  const epochs = umap.initializeFit(rows);
  for (let epoch = 0; epoch < epochs; epoch++) {
    umap.step();
    if (epoch % 10 === 9) {
      onProgress?.((epoch + 1) / epochs);
      await yieldToEventLoop();
    }
  }
  onProgress?.(1);
  return umap.getEmbedding();
}
