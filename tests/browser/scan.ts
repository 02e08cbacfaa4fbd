import {readdirSync, readFileSync, statSync} from "node:fs";
import {extname, join, relative} from "node:path";

// What a browser would load from elsewhere. Links in prose (<a href>) are allowed: they load nothing.
const LOADS: Record<string, RegExp[]> = {
  ".html": [
    /<script[^>]*\ssrc=["']?(?:https?:)?\/\//gi,
    /<link[^>]*\shref=["']?(?:https?:)?\/\//gi,
    /<(?:img|iframe|video|audio|source|embed)[^>]*\ssrc=["']?(?:https?:)?\/\//gi,
    /\bimport\s*\(?\s*["'`](?:https?:)?\/\//gi,
    /\bfrom\s*["'](?:https?:)?\/\//gi
  ],
  ".js": [/\bimport\s*\(\s*["'`](?:https?:)?\/\//gi, /\bfrom\s*["'](?:https?:)?\/\//gi, /\bimport\s*["'](?:https?:)?\/\//gi, /\bfetch\s*\(\s*["'`]https?:\/\//gi],
  ".css": [/url\(\s*["']?(?:https?:)?\/\//gi, /@import\s+(?:url\()?\s*["']?(?:https?:)?\/\//gi]
};
// ES modules shipped as .mjs (Pyodide's) are scanned as JavaScript.
LOADS[".mjs"] = LOADS[".js"];

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

/** Each reference in dist/ that would make a reader's browser load something from another site. */
export function foreignLoads(root: string): string[] {
  const found: string[] = [];
  for (const path of files(root)) {
    const patterns = LOADS[extname(path)];
    if (!patterns) continue;
    const text = readFileSync(path, "utf-8");
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) {
        found.push(`${relative(root, path)}: ${text.slice(match.index, match.index + 100)}`);
      }
    }
  }
  return found;
}

