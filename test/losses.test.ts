/**
 * et.losses: values against float64 references of Keras' formulas (clipping to the float32
 * [1e-7, 1 - 1e-7], row normalisation, mean over the batch), fromLogits forms against the
 * probability forms, logits of magnitude 1e4, error messages, and gradients against finite
 * differences of the float64 references.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../src/index.js';
import { TARGETS, expectClose, oracle, seeded, useTarget } from './helpers.js';

const EPS = Math.fround(1e-7);
const ONE_MINUS_EPS = Math.fround(1 - 1e-7);
const clip = (p: number) => Math.min(Math.max(p, EPS), ONE_MINUS_EPS);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Rows of a flat [rows, cols] array. */
function rowsOf(values: ArrayLike<number>, cols: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < values.length; i += cols) out.push(Array.from(values).slice(i, i + cols));
  return out;
}
const meanOf = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---- float64 references of the Keras formulas (per-sample mean over the last axis, then the batch mean) ----
type Ref = (t: ArrayLike<number>, p: ArrayLike<number>, cols: number) => number;
const elementwiseRef = (f: (t: number, p: number) => number): Ref => (t, p, cols) =>
  meanOf(rowsOf(p, cols).map((row, r) => meanOf(row.map((pv, c) => f(t[r * cols + c], pv)))));
const mseRef = elementwiseRef((t, p) => (p - t) ** 2);
const maeRef = elementwiseRef((t, p) => Math.abs(p - t));
const huberRef = (delta: number) => elementwiseRef((t, p) => {
  const e = Math.abs(p - t);
  return e <= delta ? 0.5 * e * e : delta * e - 0.5 * delta * delta;
});
const bceRef = elementwiseRef((t, p) => -(t * Math.log(clip(p)) + (1 - t) * Math.log(1 - clip(p))));
const bceLogitsRef = elementwiseRef((z, x) => Math.max(x, 0) - x * z + Math.log1p(Math.exp(-Math.abs(x))));
const cceRef: Ref = (t, p, cols) =>
  meanOf(rowsOf(p, cols).map((row, r) => {
    const s = row.reduce((a, b) => a + b, 0);
    return -row.reduce((acc, pv, c) => acc + t[r * cols + c] * Math.log(clip(pv / s)), 0);
  }));
const cceLogitsRef: Ref = (t, x, cols) =>
  meanOf(rowsOf(x, cols).map((row, r) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    return -row.reduce((acc, v, c) => acc + t[r * cols + c] * (v - lse), 0);
  }));
const oneHotOf = (labels: number[], cols: number) => labels.flatMap((l) => Array.from({ length: cols }, (_, c) => (c === l ? 1 : 0)));

const scalarOf = (t: et.Tensor) => {
  expect(t.shape).toEqual([]);
  expect(t.dtype).toBe('float32');
  return t.dataSync()[0];
};
const close = (got: number, want: number, rtol = 1e-5, atol = 1e-6) => {
  if (!(Math.abs(got - want) <= atol + rtol * Math.abs(want))) expect.fail(`expected ${want}, got ${got} (|diff| ${Math.abs(got - want)})`);
};

describe.each(TARGETS)('losses on $name', (target) => {
  useTarget(target);

  it('regression losses match hand-computed values', () => {
    // Hand-computed: errors [[1, -2, 0.5], [0, 3, -0.25]].
    const yTrue = [[0, 2, 1], [1, -1, 0.5]];
    const yPred = [[1, 0, 1.5], [1, 2, 0.25]];
    // MSE: per-sample (1 + 4 + 0.25) / 3 = 1.75, (0 + 9 + 0.0625) / 3 = 3.0208333; mean 2.3854167.
    close(scalarOf(et.losses.meanSquaredError(yTrue, yPred)), (1.75 + 9.0625 / 3) / 2);
    // MAE: 3.5 / 3 and 3.25 / 3.
    close(scalarOf(et.losses.meanAbsoluteError(yTrue, yPred)), (3.5 / 3 + 3.25 / 3) / 2);
    // Huber, delta 1: [0.5, 1.5, 0.125] and [0, 2.5, 0.03125].
    close(scalarOf(et.losses.huberLoss(yTrue, yPred)), (2.125 / 3 + 2.53125 / 3) / 2);
    // Huber, delta 2.5: |e| = 3 is linear: 2.5 * 3 - 3.125 = 4.375; the rest quadratic.
    close(scalarOf(et.losses.huberLoss(yTrue, yPred, 2.5)), ((0.5 + 2 + 0.125) / 3 + (0 + 4.375 + 0.03125) / 3) / 2);
  });

  it('regression losses match the float64 references on random data', () => {
    const t = seeded([7, 5], 11, -3, 3);
    const p = seeded([7, 5], 12, -3, 3);
    const T = et.tensor(t, [7, 5]);
    const P = et.tensor(p, [7, 5]);
    close(scalarOf(et.losses.meanSquaredError(T, P)), mseRef(t, p, 5));
    close(scalarOf(et.losses.meanAbsoluteError(T, P)), maeRef(t, p, 5));
    for (const delta of [0.3, 1, 2]) close(scalarOf(et.losses.huberLoss(T, P, delta)), huberRef(delta)(t, p, 5));
    // Keras' rank alignment: [batch] against [batch, 1].
    close(scalarOf(et.losses.meanSquaredError(et.tensor(t.slice(0, 7)), et.tensor(p.slice(0, 7), [7, 1]))), mseRef(t.slice(0, 7), p.slice(0, 7), 1));
  });

  it('binaryCrossentropy: probabilities (clipped) and logits', () => {
    // Hand-computed, with the exact clipping: p = 0 and p = 1 hit the float32 bounds.
    const yTrue = [[1, 0], [1, 0]];
    const yPred = [[0.8, 0.3], [0, 1]];
    const expected = ((-Math.log(0.8) - Math.log(0.7)) / 2 + (-Math.log(EPS) - Math.log(1 - ONE_MINUS_EPS)) / 2) / 2;
    close(scalarOf(et.losses.binaryCrossentropy(yTrue, yPred)), expected);
    expect(bceRef([1, 0, 1, 0], [0.8, 0.3, 0, 1], 2)).toBeCloseTo(expected, 12);
    // Random data, soft labels.
    const t = seeded([6, 4], 21, 0, 1);
    const x = seeded([6, 4], 22, -6, 6);
    const p = Float32Array.from(x, sigmoid);
    close(scalarOf(et.losses.binaryCrossentropy(et.tensor(t, [6, 4]), et.tensor(p, [6, 4]))), bceRef(t, p, 4));
    const fromLogits = scalarOf(et.losses.binaryCrossentropy(et.tensor(t, [6, 4]), et.tensor(x, [6, 4]), { fromLogits: true }));
    close(fromLogits, bceLogitsRef(t, x, 4));
    // The two forms agree (the probabilities here are far from the clipping bounds).
    close(fromLogits, bceRef(t, p, 4), 1e-5);
  });

  it('binaryCrossentropy fromLogits is exact and finite for logits of magnitude 1e4', () => {
    const loss = et.losses.binaryCrossentropy([[1, 0, 1, 0, 0.5]], [[1e4, 1e4, -1e4, -1e4, 0]], { fromLogits: true });
    // Per element: 0, 1e4, 1e4, 0, log(2).
    close(scalarOf(loss), (2e4 + Math.LN2) / 5, 1e-6);
  });

  it('categoricalCrossentropy: probabilities (normalised, clipped) and logits', () => {
    // Hand-computed: row sums 2 and 1; the second row's zero is clipped to 1e-7.
    const yTrue = [[0, 1, 0], [0, 0, 1]];
    const yPred = [[0.5, 1, 0.5], [0.4, 0.6, 0]];
    close(scalarOf(et.losses.categoricalCrossentropy(yTrue, yPred)), (-Math.log(0.5) - Math.log(EPS)) / 2);
    const x = seeded([5, 7], 31, -4, 4);
    const soft = seeded([5, 7], 32, 0, 1);
    const probs = oracle(() => et.softmax(et.tensor(x, [5, 7]))).values;
    for (const t of [soft, oneHotOf([0, 6, 3, 3, 1], 7)]) {
      const T = et.tensor(t, [5, 7]);
      const fromProbs = scalarOf(et.losses.categoricalCrossentropy(T, et.tensor(probs, [5, 7])));
      const fromLogits = scalarOf(et.losses.categoricalCrossentropy(T, et.tensor(x, [5, 7]), { fromLogits: true }));
      close(fromProbs, cceRef(t, probs, 7));
      close(fromLogits, cceLogitsRef(t, x, 7));
      close(fromLogits, fromProbs, 1e-5);
    }
    // Unnormalised probabilities are normalised per row.
    const raw = seeded([5, 7], 33, 0.1, 3);
    close(scalarOf(et.losses.categoricalCrossentropy(et.tensor(soft, [5, 7]), et.tensor(raw, [5, 7]))), cceRef(soft, raw, 7));
  });

  it('sparseCategoricalCrossentropy equals categorical with one-hot labels, for [batch] and [batch, 1] labels', () => {
    const labels = [2, 0, 4, 4, 1, 3];
    const x = seeded([6, 5], 41, -5, 5);
    const probs = oracle(() => et.softmax(et.tensor(x, [6, 5]))).values;
    const oh = oneHotOf(labels, 5);
    const X = et.tensor(x, [6, 5]);
    for (const L of [et.tensor(labels, [6], 'int32'), et.tensor(labels, [6, 1], 'int32'), labels]) {
      close(scalarOf(et.losses.sparseCategoricalCrossentropy(L, X, { fromLogits: true })), cceLogitsRef(oh, x, 5));
      close(scalarOf(et.losses.sparseCategoricalCrossentropy(L, et.tensor(probs, [6, 5]))), cceRef(oh, probs, 5));
    }
    const raw = seeded([6, 5], 42, 0, 2);
    close(scalarOf(et.losses.sparseCategoricalCrossentropy(labels, et.tensor(raw, [6, 5]))), cceRef(oh, raw, 5));
  });

  it('categorical and sparse fromLogits are exact and finite for logits of magnitude 1e4', () => {
    const logits = et.tensor([[1e4, 0, -1e4], [1e4, 1e4, -1e4], [-1e4, -1e4, 1e4]]);
    // -logSoftmax at the labels [2, 1, 0]: 2e4, log 2, 2e4.
    const expected = (2e4 + Math.LN2 + 2e4) / 3;
    close(scalarOf(et.losses.sparseCategoricalCrossentropy([2, 1, 0], logits, { fromLogits: true })), expected, 1e-6);
    close(scalarOf(et.losses.categoricalCrossentropy([[0, 0, 1], [0, 1, 0], [1, 0, 0]], logits, { fromLogits: true })), expected, 1e-6);
    // Right labels: 0 loss, exactly.
    expect(scalarOf(et.losses.sparseCategoricalCrossentropy([0, 2], et.tensor([[1e4, 0, -1e4], [-1e4, 0, 1e4]]), { fromLogits: true }))).toBe(0);
  });

  it('reports bad labels, shapes and options clearly', () => {
    const logits = et.zeros([3, 4]);
    expect(() => et.losses.sparseCategoricalCrossentropy([0, 4, 1], logits)).toThrow(/label 4 .*out of range for 4 classes.*\[0, 3\]/);
    expect(() => et.losses.sparseCategoricalCrossentropy(et.tensor([0, -1, 1], [3], 'int32'), logits, { fromLogits: true })).toThrow(/label -1 .*4 classes/);
    expect(() => et.losses.sparseCategoricalCrossentropy([0, 1], logits)).toThrow(/\[2\].*\[3,\s*4\]/);
    expect(() => et.losses.meanSquaredError(et.zeros([3, 2]), et.zeros([2, 3]))).toThrow(/\[3,\s*2\].*\[2,\s*3\]/);
    expect(() => et.losses.categoricalCrossentropy(et.zeros([3, 4]), et.zeros([3, 5]))).toThrow(/\[3,\s*4\].*\[3,\s*5\]/);
    expect(() => et.losses.huberLoss([1], [2], -1)).toThrow(/delta must be a finite number > 0/);
    expect(() => et.losses.binaryCrossentropy([1], [0.5], { fromLogit: true } as never)).toThrow(/unknown option.*fromLogit.*fromLogits/);
  });

  it('gradients match the js oracle', () => {
    const t = seeded([4, 5], 51, 0, 1);
    const x = seeded([4, 5], 52, -3, 3);
    const p = Float32Array.from(x, sigmoid);
    const cases: [string, (y: et.Tensor) => et.Tensor, Float32Array][] = [
      ['mse', (y) => et.losses.meanSquaredError(et.tensor(t, [4, 5]), y), x],
      ['huber', (y) => et.losses.huberLoss(et.tensor(t, [4, 5]), y, 0.7), x],
      ['bce', (y) => et.losses.binaryCrossentropy(et.tensor(t, [4, 5]), y), p],
      ['bce logits', (y) => et.losses.binaryCrossentropy(et.tensor(t, [4, 5]), y, { fromLogits: true }), x],
      ['cce', (y) => et.losses.categoricalCrossentropy(et.tensor(t, [4, 5]), y), p],
      ['cce logits', (y) => et.losses.categoricalCrossentropy(et.tensor(t, [4, 5]), y, { fromLogits: true }), x],
      ['scce logits', (y) => et.losses.sparseCategoricalCrossentropy([1, 4, 0, 2], y, { fromLogits: true }), x],
    ];
    for (const [, f, at] of cases) {
      const expected = oracle(() => et.grad(f)(et.tensor(at, [4, 5])));
      expectClose(et.grad(f)(et.tensor(at, [4, 5])), expected, 1e-5, 1e-7);
    }
  });
});

describe('loss gradients on js vs finite differences of the float64 references', () => {
  useTarget({ name: 'js', backend: 'js' });
  const rows = 3;
  const cols = 4;
  const t = seeded([rows, cols], 61, 0, 1);
  const x = seeded([rows, cols], 62, -3, 3);
  const labels = [3, 0, 2];
  const oh = oneHotOf(labels, cols);

  /** Central differences of ref at `at`, in float64. */
  function numericGrad(ref: (p: number[]) => number, at: ArrayLike<number>): number[] {
    const h = 1e-6;
    return Array.from(at, (_, i) => {
      const plus = Array.from(at);
      const minus = Array.from(at);
      plus[i] += h;
      minus[i] -= h;
      return (ref(plus) - ref(minus)) / (2 * h);
    });
  }

  const cases: { name: string; loss: (y: et.Tensor) => et.Tensor; ref: (p: number[]) => number; at: Float32Array }[] = [
    { name: 'meanSquaredError', loss: (y) => et.losses.meanSquaredError(et.tensor(t, [rows, cols]), y), ref: (p) => mseRef(t, p, cols), at: x },
    { name: 'meanAbsoluteError', loss: (y) => et.losses.meanAbsoluteError(et.tensor(t, [rows, cols]), y), ref: (p) => maeRef(t, p, cols), at: x },
    { name: 'huberLoss', loss: (y) => et.losses.huberLoss(et.tensor(t, [rows, cols]), y, 0.8), ref: (p) => huberRef(0.8)(t, p, cols), at: x },
    { name: 'binaryCrossentropy', loss: (y) => et.losses.binaryCrossentropy(et.tensor(t, [rows, cols]), y), ref: (p) => bceRef(t, p, cols), at: Float32Array.from(x, sigmoid) },
    { name: 'binaryCrossentropy fromLogits', loss: (y) => et.losses.binaryCrossentropy(et.tensor(t, [rows, cols]), y, { fromLogits: true }), ref: (p) => bceLogitsRef(t, p, cols), at: x },
    { name: 'categoricalCrossentropy', loss: (y) => et.losses.categoricalCrossentropy(et.tensor(t, [rows, cols]), y), ref: (p) => cceRef(t, p, cols), at: Float32Array.from(x, sigmoid) },
    { name: 'categoricalCrossentropy fromLogits', loss: (y) => et.losses.categoricalCrossentropy(et.tensor(t, [rows, cols]), y, { fromLogits: true }), ref: (p) => cceLogitsRef(t, p, cols), at: x },
    { name: 'sparseCategoricalCrossentropy', loss: (y) => et.losses.sparseCategoricalCrossentropy(labels, y), ref: (p) => cceRef(oh, p, cols), at: Float32Array.from(x, sigmoid) },
    { name: 'sparseCategoricalCrossentropy fromLogits', loss: (y) => et.losses.sparseCategoricalCrossentropy(labels, y, { fromLogits: true }), ref: (p) => cceLogitsRef(oh, p, cols), at: x },
  ];

  it.each(cases)('$name', ({ loss, ref, at }) => {
    const g = et.grad(loss)(et.tensor(at, [rows, cols]));
    expectClose(g, { values: numericGrad(ref, at), shape: [rows, cols] }, 1e-3, 1e-5);
  });

  it('binaryCrossentropy fromLogits has the true gradient (sigmoid(x) - z) / n at x = 0 and at |x| = 1e4', () => {
    const z = [1, 0, 0.25, 1, 0];
    const g = et.grad((y) => et.losses.binaryCrossentropy(et.tensor([z]), y, { fromLogits: true }))(et.tensor([[0, 0, 0, 1e4, -1e4]]));
    expectClose(g, { values: [-0.5 / 5, 0.5 / 5, 0.25 / 5, 0, 0], shape: [1, 5] }, 1e-6, 1e-7);
  });

  it('sparseCategoricalCrossentropy fromLogits has the gradient (softmax - onehot) / n, finite at 1e4', () => {
    const g = et.grad((y) => et.losses.sparseCategoricalCrossentropy([2, 0], y, { fromLogits: true }))(et.tensor([[1e4, 0, -1e4], [0, 0, 0]]));
    expectClose(g, { values: [0.5, 0, -0.5, (1 / 3 - 1) / 2, 1 / 6, 1 / 6], shape: [2, 3] }, 1e-6, 1e-7);
  });

  it('returns plain scalars without leaking tensors', () => {
    const before = et.memory().numTensors;
    const T = et.tensor(t, [rows, cols]);
    const X = et.tensor(x, [rows, cols]);
    const P = et.sigmoid(X);
    for (const loss of [et.losses.meanSquaredError, et.losses.meanAbsoluteError, et.losses.huberLoss]) loss(T, X).dispose();
    for (const fromLogits of [false, true]) {
      et.losses.binaryCrossentropy(T, fromLogits ? X : P, { fromLogits }).dispose();
      et.losses.categoricalCrossentropy(T, fromLogits ? X : P, { fromLogits }).dispose();
      et.losses.sparseCategoricalCrossentropy(labels, fromLogits ? X : P, { fromLogits }).dispose();
    }
    expect(() => et.losses.sparseCategoricalCrossentropy([9, 0, 0], X)).toThrow(/label 9/);
    expect(() => et.losses.sparseCategoricalCrossentropy([0, 0], X)).toThrow(/labels of shape/);
    P.dispose();
    T.dispose();
    X.dispose();
    expect(et.memory().numTensors).toBe(before);
  });
});
