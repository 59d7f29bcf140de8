/** softmax / logSoftmax over one axis; the kernels see [rows, cols] with the axis last. */
import { runKernel1, tidy } from '../engine.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { asType, toTensor, type TensorLike } from './convert.js';
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
