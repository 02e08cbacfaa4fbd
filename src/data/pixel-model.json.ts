// Data loader: chapter 1's independent-pixel model, fitted by maximum likelihood to the 60,000 MNIST
// TRAINING digits (μ_i = the mean grey level of pixel i, the expected fraction of coin flips that come
// up ink), so that the page can score held-out test digits with a model that never saw them.
// About 9 KB: the page does not download the training digits to fit it.
import {fitIndependentBernoulli} from "../../lib/pixelModel.ts";
import {loadMnist} from "../../lib/node/mnistFiles.ts";

const train = await loadMnist("train");
const means = fitIndependentBernoulli(train);
// toPrecision(9) round-trips a float32 exactly.
process.stdout.write(JSON.stringify({split: "train", count: train.count, means: Array.from(means, (m) => Number(m.toPrecision(9)))}));
