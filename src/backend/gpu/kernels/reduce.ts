/**
 * Reductions on the gpu ([outer, reduce, inner] -> [outer, inner], one thread per output,
 * Kahan-compensated sums), softmax / log-softmax from each row's logSumExp, and the fused
 * sparse softmax cross-entropy (value and gradient).
 */
import { REDUCE_KERNELS, type ReduceKernelName, type TensorInfo } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { DType } from '../../../types.js';
import type { GpuData } from '../backend.js';
import { coordinates, gpuBackend, launch, program } from '../program.js';
import { gpuKernel, onHost } from '../kernel_config.js';
import { elementwise } from './elementwise.js';

type Info = TensorInfo<GpuData>;

/** Loop bodies over v (the element at step p of the reduced axis); ninf is -Infinity. */
const REDUCE_BODIES: Record<ReduceKernelName, string> = {
  Sum: `let acc = 0;
let lost = 0;
for (let p = 0; p < R; p++) {
  const y = x[base + p * I] - lost;
  const t = acc + y;
  lost = (t - acc) - y;
  acc = t;
}
return acc * scale;`,
  Prod: `let acc = 1;
for (let p = 0; p < R; p++) { acc = acc * x[base + p * I]; }
return acc;`,
  Max: `let acc = ninf;
for (let p = 0; p < R; p++) { acc = Math.max(acc, x[base + p * I]); }
return acc;`,
  Min: `let acc = -ninf;
for (let p = 0; p < R; p++) { acc = Math.min(acc, x[base + p * I]); }
return acc;`,
  ArgMax: `let best = ninf;
let at = 0;
for (let p = 0; p < R; p++) {
  const v = x[base + p * I];
  if (v > best) { best = v; at = p; }
}
return at;`,
  ArgMin: `let best = -ninf;
let at = 0;
for (let p = 0; p < R; p++) {
  const v = x[base + p * I];
  if (v < best) { best = v; at = p; }
}
return at;`,
  LogSumExp: `let m = ninf;
for (let p = 0; p < R; p++) { m = Math.max(m, x[base + p * I]); }
if (m === ninf || m === -ninf) return m;
let s = 0;
for (let q = 0; q < R; q++) { s = s + Math.exp(x[base + q * I] - m); }
return m + Math.log(s);`,
};

const OUTPUT_DTYPE: Partial<Record<ReduceKernelName, DType>> = { ArgMax: 'int32', ArgMin: 'int32', LogSumExp: 'float32' };

/** Reduces x (read as [outer, reduceSize, inner]) over its middle axis into an output of `shape` ([outer, inner] in some form). */
export function reduce(kind: ReduceKernelName, x: GpuData, reduceSize: number, inner: number, shape: number[], dtype: DType, scale = 1): Info {
  const p = program(`Reduce-${kind}`, [['x', 'Array'], ['R', 'Integer'], ['I', 'Integer'], ['ninf', 'Float'], ['scale', 'Float']], [
    coordinates('this.thread.x', ['outer', 'I']),
    'const base = c0 * R * I + c1;',
    REDUCE_BODIES[kind],
  ].join('\n'));
  return launch(p, [x, reduceSize, inner, -Infinity, scale], shape, dtype);
}

const reduceKernels: KernelConfig[] = REDUCE_KERNELS.map((kind) =>
  gpuKernel(kind, ([x]) => {
    const [outer, reduceSize, inner] = x.shape;
    return reduce(kind, x.data, reduceSize, inner, [outer, inner], OUTPUT_DTYPE[kind] ?? x.dtype);
  }),
);

/**
 * Each row's max m and log(sum(exp(x - m))) of a [rows, cols] tensor, as [rows, 1] each (to
 * broadcast against the rows). Kept apart, not added into one logSumExp: (x - m) - logSum is
 * exact where x - (m + logSum) would round m + logSum to the ulp of m (1e-3 at 1e4).
 */
function rowStats(x: Info): { max: Info; logSum: Info } {
  const [rows, cols] = x.shape;
  const max = reduce('Max', x.data, cols, 1, [rows, 1], 'float32');
  const p = program('RowLogSumShifted', [['x', 'Array'], ['m', 'Array'], ['cols', 'Integer']], [
    'const r = this.thread.x;',
    'let s = 0;',
    'for (let c = 0; c < cols; c++) { s = s + Math.exp(x[r * cols + c] - m[r]); }',
    'return Math.log(s);',
  ].join('\n'));
  return { max, logSum: launch(p, [x.data, max.data, cols], [rows, 1], 'float32') };
}

function normalized(kind: 'Softmax' | 'LogSoftmax', x: Info): Info {
  const { max, logSum } = rowStats(x);
  const body = kind === 'Softmax' ? 'return Math.exp((v0 - v1) - v2);' : 'return (v0 - v1) - v2;';
  const out = elementwise(kind, body, [x, max, logSum], x.shape.slice(), 'float32')!;
  gpuBackend().dispose(max.data);
  gpuBackend().dispose(logSum.data);
  return out;
}

const sparseSoftmaxCrossEntropy = gpuKernel('SparseSoftmaxCrossEntropy', (inputs, attrs) => {
  const [logits, labels] = inputs;
  const [rows, cols] = logits.shape;
  if (rows === 0) return onHost('SparseSoftmaxCrossEntropy', inputs, attrs);
  const values = gpuBackend().hostValues(labels.data);
  for (let r = 0; r < rows; r++) {
    if (!(values[r] >= 0 && values[r] < cols)) {
      throw new RangeError(`SparseSoftmaxCrossEntropy: label ${values[r]} at position ${r} is outside the classes [0, ${cols - 1}]`);
    }
  }
  const mean = attrs.reduction === 'mean';
  const { max, logSum } = rowStats(logits);
  const lossProgram = program('SsceLoss', [['x', 'Array'], ['m', 'Array'], ['logSum', 'Array'], ['labels', 'Array'], ['cols', 'Integer']], [
    'const r = this.thread.x;',
    'return logSum[r] - (x[r * cols + labels[r]] - m[r]);',
  ].join('\n'));
  const gradProgram = program('SsceGrad', [['x', 'Array'], ['m', 'Array'], ['logSum', 'Array'], ['labels', 'Array'], ['cols', 'Integer'], ['scale', 'Float']], [
    coordinates('this.thread.x', ['rows', 'cols']),
    'return (Math.exp((x[this.thread.x] - m[c0]) - logSum[c0]) - (c1 === labels[c0] ? 1 : 0)) * scale;',
  ].join('\n'));
  const backend = gpuBackend();
  const perRow = launch(lossProgram, [logits.data, max.data, logSum.data, labels.data, cols], [rows], 'float32');
  const grad = launch(gradProgram, [logits.data, max.data, logSum.data, labels.data, cols, mean ? 1 / rows : 1], [rows, cols], 'float32');
  backend.dispose(max.data);
  backend.dispose(logSum.data);
  if (!mean) return [perRow, grad];
  const loss = reduce('Sum', perRow.data, rows, 1, [], 'float32', 1 / rows);
  backend.dispose(perRow.data);
  return [loss, grad];
}, { indexInputs: [1] });

export const kernels: KernelConfig[] = [
  ...reduceKernels,
  gpuKernel('Softmax', ([x]) => normalized('Softmax', x)),
  gpuKernel('LogSoftmax', ([x]) => normalized('LogSoftmax', x)),
  sparseSoftmaxCrossEntropy,
];
