/**
 * Gradients of kernels with several outputs, on every target: a gradient flowing into any
 * output (not only output 0) reaches the inputs, the outputs' gradients add up, int outputs are
 * constants without dropping the kernel from the tape, and grad of grad through
 * SparseSoftmaxCrossEntropy (whose second output is the loss's gradient) is the Hessian.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { registerGradient } from '../../src/autograd/gradients.js';
import type { CpuTensor, KernelName } from '../../src/backend/kernel.js';
import { registerKernel } from '../../src/backend/registry.js';
import { runKernel } from '../../src/engine.js';
import { TARGETS, expectClose, seeded, useTarget } from '../helpers.js';
import { analyticGradient, finiteDifferenceGradient, relativeError, uniform, type Input, type OpFn } from './gradcheck_helpers.js';

const close = (t: et.Tensor, values: ArrayLike<number>, shape: number[], rtol = 1e-5, atol = 1e-6) =>
  expectClose(t, { values: Array.from(values), shape }, rtol, atol);

const ROWS = 3;
const COLS = 4;
const LABELS = [2, 0, 3];
const labels = () => et.tensor(Int32Array.from(LABELS), [ROWS]);

/** Both outputs of the fused kernel: the loss and its gradient (softmax - onehot, / rows for 'mean'). */
const crossEntropyOutputs = (x: et.Tensor, reduction: 'none' | 'mean') => runKernel('SparseSoftmaxCrossEntropy', [x, labels()], { reduction });

// Test-only kernels, registered for js alone (the other backends fall back to it). A test file
// runs in a process of its own, so they are not seen by the kernel-list and coverage tests.
/** Per row of x [rows, cols]: the max and the first index of it. */
function maxAndArgMax(x: CpuTensor): [CpuTensor, CpuTensor] {
  const [rows, cols] = x.shape;
  const values = new Float32Array(rows);
  const indices = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (x.data[r * cols + c] > x.data[r * cols + best]) best = c;
    values[r] = x.data[r * cols + best];
    indices[r] = best;
  }
  return [
    { shape: [rows], dtype: 'float32', data: values },
    { shape: [rows], dtype: 'int32', data: indices },
  ];
}
const kernel = (name: string, kernelFunc: (inputs: CpuTensor[]) => CpuTensor[]) =>
  registerKernel({ kernelName: name as KernelName, backendName: 'js', kernelFunc });
kernel('TestMaxAndArgMax', ([x]) => maxAndArgMax(x));
kernel('TestArgMaxAndMax', ([x]) => maxAndArgMax(x).reverse());
kernel('TestTwoCopies', ([x]) => [x, x].map((t) => ({ ...t, data: Float32Array.from(t.data) })));

/** dy of each row's max, put where the max is. */
const scatterToMax = (dy: et.Tensor, indices: et.Tensor) => et.mul(et.reshape(dy, [ROWS, 1]), et.cast(et.oneHot(indices, COLS), 'float32'));
// The single form serves a kernel whose one float output is output 0.
registerGradient({
  kernelName: 'TestMaxAndArgMax',
  saveInputs: false,
  saveOutputs: true,
  gradFn: (dy, node) => [scatterToMax(dy, node.outputs[1])],
});
/** What the TestArgMaxAndMax gradient received: whether each upstream gradient was null. */
const received: boolean[][] = [];
registerGradient({
  kernelName: 'TestArgMaxAndMax',
  saveInputs: false,
  saveOutputs: true,
  gradFnMulti: (dys, node) => {
    received.push(dys.map((d) => d === null));
    return [scatterToMax(dys[1]!, node.outputs[0])];
  },
});
// Wrong on purpose: a kernel with two float outputs needs gradFnMulti.
registerGradient({ kernelName: 'TestTwoCopies', saveInputs: false, saveOutputs: false, gradFn: (dy) => [dy] });

/** Per row r of x: s = softmax(x[r]) and H v = s * (v - s . v), the Hessian of row r's loss times v. */
function hessianTimes(x: ArrayLike<number>, v: ArrayLike<number>, scale: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < ROWS; r++) {
    const row = Array.from({ length: COLS }, (_, c) => x[r * COLS + c]);
    const m = Math.max(...row);
    const e = row.map((a) => Math.exp(a - m));
    const total = e.reduce((p, a) => p + a, 0);
    const s = e.map((a) => a / total);
    const sv = s.reduce((p, a, c) => p + a * v[r * COLS + c], 0);
    s.forEach((a, c) => out.push((a * (v[r * COLS + c] - sv)) / scale));
  }
  return out;
}

describe.each(TARGETS)('gradients of kernels with several outputs on $name', (target) => {
  useTarget(target);
  const input: Input = uniform([ROWS, COLS], 11, -2, 2);
  const checkAgainstFiniteDifferences = (op: OpFn, tolerance: number) => {
    const error = relativeError(analyticGradient(op, [input], 12), finiteDifferenceGradient(op, [input], 12));
    expect(error).toBeLessThanOrEqual(tolerance);
  };

  describe.each(['none', 'mean'] as const)("SparseSoftmaxCrossEntropy, reduction '%s'", (reduction) => {
    it('a gradient flowing only into output 1 (the loss gradient) reaches the logits', () => {
      checkAgainstFiniteDifferences((x) => crossEntropyOutputs(x, reduction)[1], 1e-4);
    });

    it('gradients flowing into both outputs add up', () => {
      checkAgainstFiniteDifferences((x) => crossEntropyOutputs(x, reduction), 1e-4);
    });

    it('grad of grad is the Hessian of the loss (times v), and differentiates again', () => {
      const v = seeded([ROWS, COLS], 13, -1, 1);
      const scale = reduction === 'mean' ? ROWS : 1;
      const loss = (t: et.Tensor) => et.sparseSoftmaxCrossEntropy(t, labels(), reduction);
      const hessianTimesV = (t: et.Tensor) => et.grad((u) => et.sum(et.mul(et.grad(loss)(u), et.tensor(v, [ROWS, COLS]))))(t);
      close(hessianTimesV(et.tensor(input.values, input.shape)), hessianTimes(input.values, v, scale), [ROWS, COLS], 1e-5, 1e-6);
      checkAgainstFiniteDifferences(hessianTimesV, 1e-4);
    });
  });

  it('a kernel with a float and an int32 output stays on the tape; the int output is a constant', () => {
    const x = et.tensor(input.values, input.shape);
    const r = seeded([ROWS], 14, -1, 1);
    const [values, indices] = runKernel('TestMaxAndArgMax', [x]);
    const argMax = Array.from(indices.dataSync());
    const g = et.grad((t) => {
      const [max, index] = runKernel('TestMaxAndArgMax', [t]);
      // index enters as a constant factor: d/dt of sum(t * index[row]) = index[row].
      return et.add(et.sum(et.mul(max, et.tensor(r, [ROWS]))), et.sum(et.mul(t, et.reshape(et.cast(index, 'float32'), [ROWS, 1]))));
    })(x);
    const expected = Array.from({ length: ROWS * COLS }, (_, i) => {
      const [row, col] = [Math.floor(i / COLS), i % COLS];
      return argMax[row] + (col === argMax[row] ? r[row] : 0);
    });
    close(g, expected, [ROWS, COLS]);
    close(et.grad((t) => et.sum(et.cast(runKernel('TestMaxAndArgMax', [t])[1], 'float32')))(x), new Array(ROWS * COLS).fill(0), [ROWS, COLS]);
    et.dispose([values, indices]);
  });

  it('an int output 0 gets no gradient, and the gradient of the float output 1 runs', () => {
    const x = et.tensor(input.values, input.shape);
    const argMax = Array.from(runKernel('TestMaxAndArgMax', [x])[1].dataSync());
    received.length = 0;
    const g = et.grad((t) => et.sum(runKernel('TestArgMaxAndMax', [t])[1]))(x);
    expect(received).toEqual([[true, false]]);
    close(g, Array.from({ length: ROWS * COLS }, (_, i) => (i % COLS === argMax[Math.floor(i / COLS)] ? 1 : 0)), [ROWS, COLS]);
  });

  it('refuses the single-output gradient form for a kernel with a second float output', () => {
    const x = et.tensor(input.values, input.shape);
    expect(() => et.grad((t) => et.sum(runKernel('TestTwoCopies', [t])[1]))(x)).toThrow(/TestTwoCopies.*gradFnMulti/);
  });
});
