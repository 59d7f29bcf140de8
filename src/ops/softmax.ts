/** softmax / logSoftmax over one axis; the kernels see [rows, cols] with the axis last. */
import { runKernel, runKernel1, tidy } from '../engine.js';
import { normalizeAxis, shapeToString, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asType, toIndexTensor, toTensor, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';

function normalize(kernel: 'Softmax' | 'LogSoftmax', opName: string) {
  return (logits: TensorLike, axis = -1): Tensor =>
    tidy(() => {
      const t = asType(toTensor(logits, 'logits', opName), 'float32');
      if (t.rank === 0) throw new RangeError(`${opName}: needs a tensor of rank >= 1, got a scalar`);
      const a = normalizeAxis(axis, t.rank, opName);
      const last = t.rank - 1;
      const perm = t.shape.map((_, i) => (i === a ? last : i === last ? a : i));
      const moved = a === last ? t : transpose(t, perm);
      const cols = moved.shape[last];
      const out = runKernel1(kernel, [reshape(moved, [sizeOf(moved.shape) / Math.max(cols, 1), cols])]);
      const back = reshape(out, moved.shape);
      return a === last ? back : transpose(back, perm);
    });
}

export const softmax = normalize('Softmax', 'softmax');
export const logSoftmax = normalize('LogSoftmax', 'logSoftmax');

/**
 * Per-row cross-entropy of logits [rows, classes] against int32 labels [rows]:
 * logSumExp(logits[r]) - logits[r, label], exact for logits of any finite magnitude; with
 * reduction 'mean', their mean (a scalar). One fused kernel computes the value and its
 * gradient (softmax - onehot); that gradient output is differentiable too (through the
 * softmax's Jacobian), so second-order gradients of the loss are exact.
 */
export function sparseSoftmaxCrossEntropy(logits: TensorLike, labels: TensorLike, reduction: 'none' | 'mean' = 'none'): Tensor {
  if (reduction !== 'none' && reduction !== 'mean') {
    throw new RangeError(`sparseSoftmaxCrossEntropy: reduction must be 'none' or 'mean', got ${JSON.stringify(reduction)}`);
  }
  return tidy(() => {
    const x = asType(toTensor(logits, 'logits', 'sparseSoftmaxCrossEntropy'), 'float32');
    const y = toIndexTensor(labels, 'labels', 'sparseSoftmaxCrossEntropy', x);
    if (x.rank !== 2 || y.rank !== 1 || y.shape[0] !== x.shape[0]) {
      throw new RangeError(`sparseSoftmaxCrossEntropy: needs logits [rows, classes] and labels [rows], got ${shapeToString(x.shape)} and ${shapeToString(y.shape)}`);
    }
    const [loss, grad] = runKernel('SparseSoftmaxCrossEntropy', [x, y], { reduction });
    grad.dispose();
    return loss;
  });
}
