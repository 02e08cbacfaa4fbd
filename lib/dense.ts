import {tf, type Tensor, type Tensor1D, type Tensor2D} from "./tf.js";

/**
 * A fully connected layer y = x · kernel + bias, with a hand-written gradient:
 *   ∂L/∂x = dy · kernelᵀ,  ∂L/∂kernel = xᵀ · dy,  ∂L/∂bias = Σ_batch dy.
 * tfjs's own gradient of matMul uses its transposeA/transposeB forms, which the WASM backend runs
 * about 15 times slower than a plain product (docs/offline-build.md, 13). Transposing
 * explicitly first is far cheaper. With `inputGrad: false` (the first layer, whose input is data)
 * the product for ∂L/∂x is skipped altogether.
 * @param x [batch, in]
 * @param kernel [in, out]
 * @param bias [out]
 * @returns [batch, out]
 */
export function dense(x: Tensor2D, kernel: Tensor2D, bias: Tensor1D, {inputGrad = true} = {}): Tensor2D {
  const op = tf.customGrad((...args: unknown[]) => {
    const [input, w, b, save] = args as [Tensor2D, Tensor2D, Tensor1D, (tensors: Tensor[]) => void];
    save([input, w]);
    return {
      value: tf.add(tf.matMul(input, w), b),
      gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
        const grad = dy as Tensor2D;
        const [savedInput, savedKernel] = saved as [Tensor2D, Tensor2D];
        const dx = inputGrad ? tf.matMul(grad, tf.transpose(savedKernel)) : tf.zerosLike(savedInput);
        return [dx, tf.matMul(tf.transpose(savedInput), grad), tf.sum(grad, 0)];
      }
    };
  });
  return op(x, kernel, bias) as Tensor2D;
}
