import {conv2dSame, upsampleNearest} from "./conv.js";
import type {ParamStore} from "./params.js";
import {tf, type Tensor, type Tensor1D, type Tensor2D, type Tensor4D} from "./tf.js";

/**
 * The convolutional encoder and decoder of the models with a spatial latent (the VQ-VAE and the
 * spatial VAE of chapter 13): an image goes to a grid of vectors a quarter of its height and width
 * (28×28 → 7×7) and back. All convolutions are conv2dSame, so they train on every backend.
 *   encoder: 3×3 conv, stride 2 → c1 channels, ReLU; 3×3 conv, stride 2 → c2, ReLU; 1×1 conv → out.
 *   decoder: 3×3 conv → c2, ReLU; upsample ×2; 3×3 conv → c1, ReLU; upsample ×2; 3×3 conv → image channels.
 * The decoder's output is per-pixel logits (Bernoulli) [batch, pixels].
 */
export interface GridShape {
  /** [height, width, channels]; height and width divisible by 4. */
  imageShape: [number, number, number];
  /** [c1, c2]: channels of the two hidden convolutions. */
  hiddenSizes: number[];
}

/** The latent grid's [height, width]: a quarter of the image's. */
export function latentGrid({imageShape}: Pick<GridShape, "imageShape">): [number, number] {
  const [h, w] = imageShape;
  if (h % 4 !== 0 || w % 4 !== 0) throw new Error(`the image's height and width must be divisible by 4, got ${h}×${w}`);
  return [h / 4, w / 4];
}

function convParams(params: ParamStore, name: string, k: number, inC: number, outC: number): void {
  params.glorotUniform(`${name}/filter`, [k, k, inC, outC], k * k * inC, k * k * outC);
  params.zeros(`${name}/bias`, [outC]);
}

function conv(params: ParamStore, name: string, x: Tensor4D, {stride = 1, inputGrad = true} = {}): Tensor4D {
  return conv2dSame(x, params.get(`${name}/filter`) as unknown as Tensor4D, params.get(`${name}/bias`) as unknown as Tensor1D, {stride, inputGrad});
}

/** Adds encoder/conv0…conv2 to the store; the last has `outChannels` channels. */
export function addGridEncoder(params: ParamStore, {imageShape, hiddenSizes}: GridShape, outChannels: number): void {
  const [c1, c2] = hiddenSizes;
  convParams(params, "encoder/conv0", 3, imageShape[2], c1);
  convParams(params, "encoder/conv1", 3, c1, c2);
  convParams(params, "encoder/conv2", 1, c2, outChannels);
}

/** Adds decoder/conv0…conv2 to the store, reading `inChannels` per grid position. */
export function addGridDecoder(params: ParamStore, {imageShape, hiddenSizes}: GridShape, inChannels: number): void {
  const [c1, c2] = hiddenSizes;
  convParams(params, "decoder/conv0", 3, inChannels, c2);
  convParams(params, "decoder/conv1", 3, c2, c1);
  convParams(params, "decoder/conv2", 3, c1, imageShape[2]);
}

/** x [batch, pixels] or [batch, h, w, c] → [batch, h/4, w/4, outChannels]. */
export function gridEncode(params: ParamStore, shape: GridShape, x: Tensor): Tensor4D {
  return tf.tidy(() => {
    const [h, w, c] = shape.imageShape;
    const image = x.reshape([x.shape[0], h, w, c]) as Tensor4D;
    // The first layer's input is data: no gradient for it.
    const a = tf.relu(conv(params, "encoder/conv0", image, {stride: 2, inputGrad: false})) as Tensor4D;
    const b = tf.relu(conv(params, "encoder/conv1", a, {stride: 2})) as Tensor4D;
    return conv(params, "encoder/conv2", b);
  });
}

/** z [batch, h/4, w/4, inChannels] → logits [batch, pixels]. */
export function gridDecode(params: ParamStore, shape: GridShape, z: Tensor4D): Tensor2D {
  return tf.tidy(() => {
    const [h, w, c] = shape.imageShape;
    const a = tf.relu(conv(params, "decoder/conv0", z)) as Tensor4D;
    const b = tf.relu(conv(params, "decoder/conv1", upsampleNearest(a))) as Tensor4D;
    return conv(params, "decoder/conv2", upsampleNearest(b)).reshape([z.shape[0], h * w * c]) as Tensor2D;
  });
}
