// Chapter 11: the reader's image files decoded in the browser, nothing uploaded. This file is only the
// part that needs a browser (reading a File, decoding it with createImageBitmap, reading its pixels
// from a canvas); which files to refuse and how pixels become a model's input is lib/imagePrep.ts.
import {checkFile, checkSize, IMAGE_LIMITS, unreadableFile, type RawImage, type Refusal} from "../lib/imagePrep.js";

/** Bytes read before decoding: enough for a JPEG's EXIF block to come before its frame header. */
const HEAD_BYTES = 512 * 1024;
/** Images with a longer side than this are scaled down by the browser while decoding (high quality); lib's area averaging does the rest. */
export const DECODE_SIDE = 1024;
/**
 * Chapter 11 keeps every image it takes, so it decodes them at most this many pixels across: three
 * times its largest input (32), and 2,000 of them are at most 72 MB as RGBA rather than gigabytes.
 */
export const KEEP_SIDE = 96;

export interface ReadImages {
  images: {name: string; image: RawImage}[];
  refusals: Refusal[];
}

/**
 * Reads, checks and decodes image files one at a time (so one bad file costs only itself), keeping the
 * set under IMAGE_LIMITS.maxImages counting the `alreadyTaken` images the reader has. `onProgress`
 * is called after each file.
 */
export async function readImageFiles(
  files: Iterable<File>,
  {alreadyTaken = 0, decodeSide = DECODE_SIDE, onProgress}: {alreadyTaken?: number; decodeSide?: number; onProgress?: (done: number, total: number) => void} = {}
): Promise<ReadImages & {sizes: {width: number; height: number}[]}> {
  const list = Array.from(files);
  const result: ReadImages & {sizes: {width: number; height: number}[]} = {images: [], refusals: [], sizes: []};
  for (const [index, file] of list.entries()) {
    const taken = alreadyTaken + result.images.length;
    const head = taken >= IMAGE_LIMITS.maxImages || file.size > IMAGE_LIMITS.maxFileBytes ? new Uint8Array(0) : new Uint8Array(await file.slice(0, HEAD_BYTES).arrayBuffer());
    const checked = checkFile({name: file.name, size: file.size, head}, taken);
    if ("reason" in checked) result.refusals.push(checked);
    else {
      try {
        result.images.push({name: file.name, image: await decode(file, checked.width, checked.height, decodeSide)});
        result.sizes.push({width: checked.width, height: checked.height});
      } catch (error) {
        result.refusals.push(error instanceof SizeError ? error.refusal : unreadableFile(file.name, error));
      }
    }
    onProgress?.(index + 1, list.length);
  }
  return result;
}

class SizeError extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}

async function decode(file: File, width: number, height: number, decodeSide: number): Promise<RawImage> {
  const longer = Math.max(width, height);
  const scale = longer > decodeSide ? decodeSide / longer : 1;
  const options: ImageBitmapOptions = scale < 1 ? {resizeWidth: Math.max(1, Math.round(width * scale)), resizeHeight: Math.max(1, Math.round(height * scale)), resizeQuality: "high"} : {};
  const bitmap = await createImageBitmap(file, options);
  try {
    // the header may not tell the truth: check what was decoded too
    const refusal = scale === 1 ? checkSize(file.name, bitmap) : null;
    if (refusal) throw new SizeError(refusal);
    const canvas = typeof OffscreenCanvas === "function" ? new OffscreenCanvas(bitmap.width, bitmap.height) : Object.assign(document.createElement("canvas"), {width: bitmap.width, height: bitmap.height});
    const context = canvas.getContext("2d", {willReadFrequently: true}) as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new Error("this browser gave no 2-D canvas to read the pixels from");
    context.drawImage(bitmap, 0, 0);
    const {data} = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return {width: bitmap.width, height: bitmap.height, channels: 4, data};
  } finally {
    bitmap.close();
  }
}
