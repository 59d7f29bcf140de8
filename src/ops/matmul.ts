/** matMul (2-D and batched with broadcast batch dims), dot and outerProduct. */
import { runKernel1, tidy } from '../engine.js';
import { broadcastShapes, shapeToString, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { asType, toTensor, type TensorLike } from './convert.js';
import { reshape } from './reshape.js';
import { tile } from './tile.js';

export function matMul(a: TensorLike, b: TensorLike, transposeA = false, transposeB = false): Tensor {
  // Two float32 matrices (every dense layer) go straight to the kernel: no views, no scope.
  if (a instanceof Tensor && b instanceof Tensor && a.rank === 2 && b.rank === 2 && a.dtype === 'float32' && b.dtype === 'float32') {
    const k = [transposeA ? a.shape[0] : a.shape[1], transposeB ? b.shape[1] : b.shape[0]];
    if (k[0] === k[1]) return runKernel1('MatMul', [toTensor(a, 'a', 'matMul'), toTensor(b, 'b', 'matMul', a)], { transposeA, transposeB });
  }
  return tidy(() => {
    const ta = asType(toTensor(a, 'a', 'matMul'), 'float32');
    const tb = asType(toTensor(b, 'b', 'matMul', ta), 'float32');
    if (ta.rank < 2 || tb.rank < 2) {
      throw new RangeError(`matMul: both inputs need rank >= 2, got a ${shapeToString(ta.shape)} and b ${shapeToString(tb.shape)} (use dot for vectors)`);
    }
    const [m, kA] = transposeA ? [ta.shape[ta.rank - 1], ta.shape[ta.rank - 2]] : [ta.shape[ta.rank - 2], ta.shape[ta.rank - 1]];
    const [kB, n] = transposeB ? [tb.shape[tb.rank - 1], tb.shape[tb.rank - 2]] : [tb.shape[tb.rank - 2], tb.shape[tb.rank - 1]];
    if (kA !== kB) {
      throw new RangeError(`matMul: inner dimensions do not match: a ${shapeToString(ta.shape)}${transposeA ? ' (transposed)' : ''} has ${kA} columns, b ${shapeToString(tb.shape)}${transposeB ? ' (transposed)' : ''} has ${kB} rows`);
    }
    const batchA = ta.shape.slice(0, -2);
    const batchB = tb.shape.slice(0, -2);
    const batch = batchA.length === 0 && batchB.length === 0 ? [] : broadcastShapes(batchA, batchB, `matMul batch dimensions of a ${shapeToString(ta.shape)} and b ${shapeToString(tb.shape)}`);
    // The kernel broadcasts a batch of 1; other broadcast patterns are materialised first.
    const fit = (t: Tensor, own: number[]) => {
      if (sizeOf(own) === 1 || own.length === batch.length && own.every((d, i) => d === batch[i])) return t;
      const padded = reshape(t, [...new Array(batch.length - own.length).fill(1), ...t.shape]);
      return tile(padded, [...batch.map((d, i) => (padded.shape[i] === 1 ? d : 1)), 1, 1]);
    };
    const a3 = fit(ta, batchA);
    const b3 = fit(tb, batchB);
    const rows = (t: Tensor) => reshape(t, [sizeOf(t.shape.slice(0, -2)), t.shape[t.rank - 2], t.shape[t.rank - 1]]);
    const out = runKernel1('MatMul', [rows(a3), rows(b3)], { transposeA, transposeB });
    return reshape(out, [...batch, m, n]);
  });
}

/** Dot product of vectors, matrix-vector, vector-matrix or matrix-matrix. */
export function dot(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const ta = toTensor(a, 'a', 'dot');
    const tb = toTensor(b, 'b', 'dot', ta);
    if (ta.rank < 1 || ta.rank > 2 || tb.rank < 1 || tb.rank > 2) {
      throw new RangeError(`dot: inputs must be vectors or matrices, got a ${shapeToString(ta.shape)} and b ${shapeToString(tb.shape)}`);
    }
    const a2 = ta.rank === 1 ? reshape(ta, [1, ta.size]) : ta;
    const b2 = tb.rank === 1 ? reshape(tb, [tb.size, 1]) : tb;
    if (a2.shape[1] !== b2.shape[0]) {
      throw new RangeError(`dot: inner dimensions do not match: a ${shapeToString(ta.shape)} and b ${shapeToString(tb.shape)}`);
    }
    const out = matMul(a2, b2);
    const shape = [...(ta.rank === 2 ? [ta.shape[0]] : []), ...(tb.rank === 2 ? [tb.shape[1]] : [])];
    return reshape(out, shape);
  });
}

/** v1[i] * v2[j] as an [n, m] matrix. */
export function outerProduct(v1: TensorLike, v2: TensorLike): Tensor {
  return tidy(() => {
    const a = toTensor(v1, 'v1', 'outerProduct');
    const b = toTensor(v2, 'v2', 'outerProduct', a);
    if (a.rank !== 1 || b.rank !== 1) throw new RangeError(`outerProduct: inputs must be vectors, got ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
    return matMul(reshape(a, [a.size, 1]), reshape(b, [1, b.size]));
  });
}
