/**
 * MatMul {transposeA, transposeB}: [Ba, M, K] x [Bb, K, N] -> [max(Ba, Bb), M, N], with a
 * batch of 1 on either side broadcast. Each output row is accumulated in float64 (i-k-j loop
 * order, so the inner loop runs along contiguous rows) and rounded to float32 once.
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { TypedArray } from '../../../types.js';
import { jsArrayFor } from '../precision.js';

/**
 * Matrix `index` of a batch of [rows, cols] matrices, as a row-major float64 [rows, cols]
 * copy; when `transposed`, the stored matrices are [cols, rows] and get transposed.
 */
function matrix(data: TypedArray, index: number, rows: number, cols: number, transposed: boolean): Float64Array {
  const out = new Float64Array(rows * cols);
  const base = index * rows * cols;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = transposed ? data[base + c * rows + r] : data[base + r * cols + c];
    }
  }
  return out;
}

export function matMul([a2, b2]: CpuTensor[], attrs: Record<string, unknown>): CpuTensor {
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  const matrices = a2.shape.length === 2 && b2.shape.length === 2;
  if (!matrices && (a2.shape.length !== 3 || b2.shape.length !== 3)) {
    throw new RangeError(`MatMul: needs two rank-3 or two rank-2 inputs, got [${a2.shape}] and [${b2.shape}]`);
  }
  // Two matrices are a batch of one.
  const [a, b] = matrices ? [a2, b2].map((t) => ({ ...t, shape: [1, ...t.shape] })) : [a2, b2];
  const [batchA, m, k] = transposeA ? [a.shape[0], a.shape[2], a.shape[1]] : a.shape;
  const [batchB, kB, n] = transposeB ? [b.shape[0], b.shape[2], b.shape[1]] : b.shape;
  if (k !== kB) throw new RangeError(`MatMul: inner dimensions differ: ${k} vs ${kB}`);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new RangeError(`MatMul: batch sizes ${batchA} and ${batchB} differ and neither is 1`);
  }
  const batch = batchA === 1 ? batchB : batchA;
  const out = jsArrayFor('float32', batch * m * n);
  const row = new Float64Array(n);
  let A = batchA === 1 && batch > 0 ? matrix(a.data, 0, m, k, transposeA) : null;
  let B = batchB === 1 && batch > 0 ? matrix(b.data, 0, k, n, transposeB) : null;
  for (let p = 0; p < batch; p++) {
    if (batchA !== 1) A = matrix(a.data, p, m, k, transposeA);
    if (batchB !== 1) B = matrix(b.data, p, k, n, transposeB);
    const lhs = A!;
    const rhs = B!;
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let kk = 0; kk < k; kk++) {
        const aik = lhs[i * k + kk];
        const bRow = kk * n;
        for (let j = 0; j < n; j++) row[j] += aik * rhs[bRow + j];
      }
      out.set(row, (p * m + i) * n); // rounds each sum to float32 (kept in the float64 reference mode)
    }
  }
  return { shape: matrices ? [m, n] : [batch, m, n], dtype: 'float32', data: out };
}

export const kernels: KernelConfig[] = [{ kernelName: 'MatMul', backendName: 'js', kernelFunc: matMul }];
