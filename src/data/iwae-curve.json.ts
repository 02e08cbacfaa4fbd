// Data loader: chapter 10's first figure, the nested IWAE curve of the shipped 20-D VAE, computed once
// at build time (Node, tfjs's WASM backend) with the same lib function, data, settings and seed the
// page uses for seed 1, so the figure can be drawn before tfjs and the model have loaded in the
// browser. The page recomputes it live for any other seed, or when the reader asks for new samples.
import {binarize, chooseBackend, iwaeCurveOfModel, modelFromArtifacts, mulberry32, readArtifacts, type IwaeCurvePoint} from "../../lib/index.ts";
import {folderHandler} from "../../lib/node/checkpointFiles.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";

// The page's settings; its seed is seeded(1, 1) · 10,007 (chapterTools.seeded: seed 1, draw 1).
const settings = {model: "vae-20d", digits: 20, ks: [1, 3, 10, 30, 100, 300], repeats: 4, seed: 10_007, binarizeSeed: 11};

const {backend} = await chooseBackend({prefer: "wasm"});
const model = modelFromArtifacts(await readArtifacts(folderHandler(new URL(`../../data/checkpoints/${settings.model}`, import.meta.url).pathname)));
const test = await loadMnist("test");
const images = binarize(test.images.slice(0, 200 * 784), mulberry32(settings.binarizeSeed)).subarray(0, settings.digits * 784);
let points: IwaeCurvePoint[] = [];
for await (const progress of iwaeCurveOfModel(model, images, {ks: settings.ks, repeats: settings.repeats, seed: settings.seed})) points = progress.points;
process.stdout.write(JSON.stringify({settings, backend, points}));
