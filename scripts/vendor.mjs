// Prebuild step for `npm run dev` and `npm run build`. It makes, from node_modules alone:
//  1. packages/tf/dist/tf.browser.js: tfjs + its WASM and WebGPU backends as one ES module with no
//     imports, so the browser gets exactly one tfjs instance (see packages/tf/README.md);
//  3. src/answers.md: the answer key, copied from the chapters' exercises (scripts/answers.mjs);
//  2. src/_generated/katex.css: KaTeX's stylesheet with its woff2 fonts inlined, because Framework
//     bundles stylesheets with esbuild, which has no loader for font files, and fonts from a CDN
//     would break an offline reader.
// Each output is rewritten only when its inputs are newer, so repeated runs cost nothing.
import {build} from "esbuild";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from "node:fs";
import {createRequire} from "node:module";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {writeAnswerKey} from "./answers.mjs";
import {katexFamiliesUsed} from "./katexFonts.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));

function isFresh(output, inputs) {
  if (!existsSync(output)) return false;
  const built = statSync(output).mtimeMs;
  return inputs.every((input) => statSync(input).mtimeMs <= built);
}

async function bundleTf() {
  const entry = join(root, "packages/tf/browser-entry.js");
  const output = join(root, "packages/tf/dist/tf.browser.js");
  const inputs = [entry, __filename, require.resolve("@tensorflow/tfjs/package.json")];
  if (isFresh(output, inputs)) return;
  await build({
    entryPoints: [entry],
    outfile: output,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    minify: true,
    legalComments: "none",
    logLevel: "warning"
  });
  // Framework caches node imports per name@version; drop its copy so the new bundle is served.
  rmSync(join(root, "src/.observablehq/cache/_node/@vae"), {recursive: true, force: true});
  console.log(`vendor: wrote ${output} (${(statSync(output).size / 1e6).toFixed(1)} MB)`);
}

function inlineKatexCss() {
  const cssPath = require.resolve("katex/dist/katex.min.css");
  const output = join(root, "src/_generated/katex.css");
  const pages = readdirSync(join(root, "src"), {recursive: true}).filter((f) => String(f).endsWith(".md")).map((f) => join(root, "src", String(f)));
  if (isFresh(output, [cssPath, __filename, join(root, "scripts/katexFonts.mjs"), ...pages])) return;
  const source = readFileSync(cssPath, "utf-8");
  const used = katexFamiliesUsed(require("katex"), source, join(root, "src"));
  const dropped = new Set();
  // Each @font-face of a family the pages use gets its woff2 inlined; the others are removed.
  const css = source.replace(/@font-face\{[^}]*font-family:"?(KaTeX_\w+)"?[^}]*\}/g, (face, family) => {
    if (!used.has(family)) {
      dropped.add(family);
      return "";
    }
    return face.replace(/src:url\(fonts\/([\w-]+)\.woff2\)[^;}]*/, (_, name) => {
      const font = readFileSync(join(dirname(cssPath), "fonts", `${name}.woff2`)).toString("base64");
      return `src:url(data:font/woff2;base64,${font}) format("woff2")`;
    });
  });
  if (/url\(fonts\//.test(css)) throw new Error("vendor: a KaTeX font was left as a relative URL");
  mkdirSync(dirname(output), {recursive: true});
  writeFileSync(output, css);
  console.log(`vendor: wrote ${output} (${(css.length / 1e6).toFixed(2)} MB; fonts for ${[...used].sort().join(", ")}; left out ${[...dropped].sort().join(", ") || "none"})`);
}

// Framework reuses a data loader's cached output until the loader itself changes. models.json and the
// model-*.bin bundles read data/checkpoints/, which changes without the loaders changing, so they are
// always rebuilt (milliseconds each).
function dropStaleLoaderOutputs() {
  const cache = join(root, "src/.observablehq/cache/data");
  if (!existsSync(cache)) return;
  for (const name of readdirSync(cache)) {
    if (name === "models.json" || /^model-[\w-]+\.bin$/.test(name)) rmSync(join(cache, name), {force: true});
  }
}

const __filename = fileURLToPath(import.meta.url);
await bundleTf();
inlineKatexCss();
dropStaleLoaderOutputs();
await writeAnswerKey();
