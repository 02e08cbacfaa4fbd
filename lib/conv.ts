import {tf, type Tensor, type Tensor1D, type Tensor4D} from "./tf.js";

/**
 * A 2-D convolution with "same" padding, y = conv(x, filter) + bias, with a hand-written gradient:
 *   ∂L/∂x = the adjoint convolution of dy: for stride 1, a "same" convolution with the filter turned
 *     180° and its in/out channels swapped; for larger strides, conv2dTranspose;
 *   ∂L/∂filter[a, b, c, o] = Σ_{n,i,j} xpad[n, s·i + a, s·j + b, c] · dy[n, i, j, o]: itself a
 *     convolution of the image with dy, over the batch (see filterGradient);
 *   ∂L/∂bias = Σ_{n,i,j} dy[n, i, j, :].
 * tfjs's own conv2d gradient needs the Conv2DBackpropFilter kernel, which the WASM backend does not
 * have (a conv model would throw as soon as it trains in Node or in a WASM page); every op used here
 * exists on every backend, and on WASM they are its fast (XNNPACK) convolutions. (Strided slices
 * or an im2col matrix were 2–3 times slower there.)
 * Padding follows TensorFlow's "same": out = ceil(in / stride), and of the total padding
 * max((out − 1)·stride + k − in, 0) the smaller half goes on top (left).
 * @param x [batch, height, width, inChannels]
 * @param filter [k, k, inChannels, outChannels], k odd
 * @param bias [outChannels]
 * @returns [batch, ceil(height / stride), ceil(width / stride), outChannels]
 */
export function conv2dSame(x: Tensor4D, filter: Tensor4D, bias: Tensor1D, {stride = 1, inputGrad = true}: {stride?: number; inputGrad?: boolean} = {}): Tensor4D {
  if (!Number.isInteger(stride) || stride < 1) throw new Error(`conv2dSame: stride must be a positive whole number, got ${stride}`);
  const [kh, kw] = filter.shape;
  if (kh % 2 !== 1 || kw % 2 !== 1) throw new Error(`conv2dSame: the filter must be odd-sized, got ${kh}×${kw}`);
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, w, b, save] = args as [Tensor4D, Tensor4D, Tensor1D, (tensors: Tensor[]) => void];
    save([input, w]);
    return {
      value: tf.add(tf.conv2d(input, w, stride, "same"), b) as Tensor4D,
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const grad = dy as Tensor4D;
        const [savedInput, savedFilter] = saved as [Tensor4D, Tensor4D];
        const dx = !inputGrad
          ? tf.zerosLike(savedInput)
          : stride === 1
            ? tf.conv2d(grad, tf.transpose(tf.reverse(savedFilter, [0, 1]), [0, 1, 3, 2]) as Tensor4D, 1, "same")
            : tf.conv2dTranspose(grad, savedFilter, savedInput.shape, stride, "same");
        return [dx, filterGradient(savedInput, grad, savedFilter.shape, stride), tf.sum(grad, [0, 1, 2])];
      }
    };
  });
  return op(x, filter, bias) as Tensor4D;
}

/**
 * ∂L/∂filter of a "same" convolution, as a convolution itself (as TensorFlow computes it): with the
 * batch as the channels, the padded image [inChannels, H, W, batch] is correlated with dy
 * [outHeight, outWidth, batch, outChannels] dilated by the stride, giving [inChannels, kh, kw, outChannels].
 */
function filterGradient(x: Tensor4D, dy: Tensor4D, filterShape: [number, number, number, number], stride: number): Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [, height, width] = x.shape;
    const [, outHeight, outWidth] = dy.shape;
    const padH = Math.max((outHeight - 1) * stride + kh - height, 0);
    const padW = Math.max((outWidth - 1) * stride + kw - width, 0);
    const top = Math.floor(padH / 2);
    const left = Math.floor(padW / 2);
    // The bottom/right padding is trimmed to what the last tap reads, so the output is exactly kh × kw.
    const bottom = Math.max(0, (outHeight - 1) * stride + kh - height - top);
    const right = Math.max(0, (outWidth - 1) * stride + kw - width - left);
    const padded = tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]).slice([0, 0, 0, 0], [-1, (outHeight - 1) * stride + kh, (outWidth - 1) * stride + kw, -1]);
    const image = tf.transpose(padded, [3, 1, 2, 0]) as Tensor4D;
    const kernel = tf.transpose(dy, [1, 2, 0, 3]) as Tensor4D;
    const product = tf.conv2d(image, kernel, 1, "valid", "NHWC", stride);
    return tf.transpose(product, [1, 2, 0, 3]) as Tensor4D;
  });
}

/**
 * Nearest-neighbour upsampling by a whole factor: each value becomes a factor × factor block.
 * [batch, h, w, c] → [batch, factor·h, factor·w, c]. Its gradient, written here, sums each block of
 * dy back onto its value: tfjs 4.22's CPU kernel for this gradient (ResizeNearestNeighborGrad) gets
 * every image after the first in a batch wrong (tests/unit/conv.test.ts shows it).
 */
export function upsampleNearest(x: Tensor4D, factor = 2): Tensor4D {
  if (!Number.isInteger(factor) || factor < 1) throw new Error(`upsampleNearest: the factor must be a positive whole number, got ${factor}`);
  const op = tf.customGrad((...args: unknown[]) => {
    const [input] = args as [Tensor4D];
    const [batch, h, w, c] = input.shape;
    return {
      value: tf.image.resizeNearestNeighbor(input, [h * factor, w * factor]),
      gradFunc: (dy: Tensor | Tensor[]) => {
        // [batch, h·f, w·f, c]: sum over the f rows of each block, then over its f columns.
        const rows = tf.sum((dy as Tensor4D).reshape([batch * h, factor, w * factor * c]), 1);
        return tf.sum(rows.reshape([batch * h * w, factor, c]), 1).reshape([batch, h, w, c]);
      }
    };
  });
  return op(x) as Tensor4D;
}
