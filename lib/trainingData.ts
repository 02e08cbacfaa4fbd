// Fetching the site's digit files with progress: fetch() only, no DOM, so the page, a worker and
// Node run the same code.
import type {Dataset} from "./batches.js";
import {concatBytes} from "./bytes.js";
import {concatDatasets, decodeDigits} from "./digits.js";

/** Bytes from a URL of the site, reporting progress as they arrive. */
export async function fetchWithProgress(url: string, onProgress: (loaded: number, total: number) => void): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok || !response.body) throw new Error(`could not load ${url} (HTTP ${response.status})`);
  const total = Number(response.headers.get("content-length")) || 0;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  return concatBytes(chunks);
}

/**
 * The training set, streamed chunk by chunk (10,000 digits each, one URL per chunk) with a progress
 * callback; resolves to one Dataset. Pass fewer URLs for fewer digits (phones start with one).
 */
export async function loadTrainingSet(urls: string[], onProgress: (fraction: number, message: string) => void = () => {}): Promise<Dataset> {
  const parts: Dataset[] = [];
  for (let i = 0; i < urls.length; i++) {
    const bytes = await fetchWithProgress(urls[i], (loaded, total) => {
      const within = total ? loaded / total : 0;
      onProgress((i + within) / urls.length, `loading training digits: part ${i + 1} of ${urls.length}, ${(loaded / 2 ** 20).toFixed(1)} MiB`);
    });
    parts.push(decodeDigits(bytes, `training part ${i + 1}`));
  }
  const all = concatDatasets(parts);
  onProgress(1, `${all.count.toLocaleString("en")} training digits loaded`);
  return all;
}
