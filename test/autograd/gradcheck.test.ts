/**
 * Gradient checks of every differentiable op, on every target.
 *
 * For each case, L = sum_k sum(op(x)_k * r_k) with a fixed random r. The analytic gradient of L
 * is computed on the target (et.grads, float32) and compared with central finite differences
 * of L computed in float64 on the js backend in its float64 reference mode (step
 * h = 1e-6 max(1, |x|), so the reference is good to ~1e-9). Inputs stay away from kinks (relu
 * and abs at 0, max/min ties, clip bounds, relu6 at 0 and 6).
 *
 * Error measure, per input: max_j |analytic_j - fd_j| / max(max_j |fd_j|, 1e-3); a case's error
 * is the worst over its inputs. Tolerances per op family (the observed worst errors are ~1e-7
 * to ~1e-6: float32 rounding in the forward and backward ops of the target):
 *
 * | family   | ops                                                              | tolerance |
 * |----------|------------------------------------------------------------------|-----------|
 * | unary    | neg abs exp log log1p sqrt rsqrt square reciprocal relu relu6    | 1e-4      |
 * |          | leakyRelu elu selu gelu sigmoid tanh softplus sin cos clipByValue |           |
 * |          | sign floor round                                                 |           |
 * | binary   | add sub mul div pow maximum minimum (broadcasting), floorDiv     | 1e-4      |
 * | where    | where (broadcasting all three)                                   | 1e-4      |
 * | reduce   | sum mean max min prod variance logSumExp moments                 | 1e-4      |
 * | matmul   | matMul (transposes, batched, broadcast batch), dot, outerProduct | 1e-4      |
 * |          | fused.matMul (every activation, transposes, bias)                |           |
 * | softmax  | softmax logSoftmax (several axes), sparseSoftmaxCrossEntropy     | 1e-4      |
 * | layout   | reshape transpose slice concat stack split unstack squeeze       | 1e-5      |
 * |          | expandDims tile pad gather flatten broadcastTo                   |           |
 * |          | unsortedSegmentSum                                               |           |
 * | cast     | cast float32 -> float32                                          | 1e-5      |
 *
 * Layout ops and cast only move values (the gradient is a sum of r entries), so theirs is
 * tighter. The worst error per family and target is printed after the run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { isJsFloat64Reference } from '../../src/backend/js/precision.js';
import { registeredGradients } from '../../src/autograd/gradients.js';
import { TARGETS, expectClose, seeded, useTarget } from '../helpers.js';
import {
  analyticGradient,
  distinct,
  finiteDifferenceGradient,
  fromIntervals,
  gradientsRunBy,
  onJsFloat64,
  relativeError,
  signed,
  uniform,
  type Input,
  type OpFn,
} from './gradcheck_helpers.js';

type Family = 'unary' | 'binary' | 'where' | 'reduce' | 'matmul' | 'softmax' | 'layout' | 'cast';

const TOLERANCE: Record<Family, number> = {
  unary: 1e-4,
  binary: 1e-4,
  where: 1e-4,
  reduce: 1e-4,
  matmul: 1e-4,
  softmax: 1e-4,
  layout: 1e-5,
  cast: 1e-5,
};

interface Case {
  name: string;
  family: Family;
  op: OpFn;
  inputs: Input[];
}

const cases: Case[] = [];
let seedCounter = 1;
function add(family: Family, name: string, inputs: Input[], op: OpFn): void {
  cases.push({ family, name, inputs, op });
}
const S = () => seedCounter++;

// ---- unary (shape [3, 4]) ----
const U = [3, 4];
const unaryCases: [string, Input, OpFn][] = [
  ['neg', uniform(U, S()), (x) => et.neg(x)],
  ['abs', signed(U, S()), (x) => et.abs(x)],
  ['exp', uniform(U, S(), -2, 2), (x) => et.exp(x)],
  ['log', uniform(U, S(), 0.3, 3), (x) => et.log(x)],
  ['log1p', uniform(U, S(), -0.5, 2), (x) => et.log1p(x)],
  ['sqrt', uniform(U, S(), 0.3, 3), (x) => et.sqrt(x)],
  ['rsqrt', uniform(U, S(), 0.3, 3), (x) => et.rsqrt(x)],
  ['square', uniform(U, S(), -2, 2), (x) => et.square(x)],
  ['reciprocal', signed(U, S(), 0.3, 2), (x) => et.reciprocal(x)],
  ['relu', signed(U, S()), (x) => et.relu(x)],
  ['relu6', fromIntervals(U, S(), [[-2, -0.2], [0.2, 5.8], [6.2, 8]]), (x) => et.relu6(x)],
  ['leakyRelu', signed(U, S()), (x) => et.leakyRelu(x)],
  ['leakyRelu(alpha=0.05)', signed(U, S()), (x) => et.leakyRelu(x, 0.05)],
  ['elu', signed(U, S(), 0.1, 2), (x) => et.elu(x)],
  ['selu', signed(U, S(), 0.1, 2), (x) => et.selu(x)],
  ['gelu', signed(U, S(), 0.1, 3), (x) => et.gelu(x)],
  ['gelu(approximate)', uniform(U, S(), -3, 3), (x) => et.gelu(x, true)],
  ['sigmoid', uniform(U, S(), -4, 4), (x) => et.sigmoid(x)],
  ['tanh', uniform(U, S(), -2, 2), (x) => et.tanh(x)],
  ['softplus', uniform(U, S(), -4, 4), (x) => et.softplus(x)],
  ['sin', uniform(U, S(), -3, 3), (x) => et.sin(x)],
  ['cos', uniform(U, S(), -3, 3), (x) => et.cos(x)],
  ['clipByValue', fromIntervals(U, S(), [[-1.5, -0.6], [-0.4, 0.4], [0.6, 1.5]]), (x) => et.clipByValue(x, -0.5, 0.5)],
  ['method chain', uniform(U, S(), 0.5, 2), (x) => x.log().mul(x).sigmoid()],
];
for (const [name, input, op] of unaryCases) add('unary', name, [input], op);

// ---- binary, with broadcasting ----
const binaryShapes: [number[], number[]][] = [[[3, 4], [3, 4]], [[2, 3, 4], [3, 1]], [[4], [2, 3, 4]], [[2, 1, 4], [3, 1]], [[3, 4], []]];
for (const [sa, sb] of binaryShapes) {
  const tag = `[${sa}] x [${sb}]`;
  add('binary', `add ${tag}`, [uniform(sa, S()), uniform(sb, S())], (a, b) => et.add(a, b));
  add('binary', `sub ${tag}`, [uniform(sa, S()), uniform(sb, S())], (a, b) => et.sub(a, b));
  add('binary', `mul ${tag}`, [uniform(sa, S()), uniform(sb, S())], (a, b) => et.mul(a, b));
  add('binary', `div ${tag}`, [uniform(sa, S()), signed(sb, S(), 0.5, 2)], (a, b) => et.div(a, b));
  add('binary', `pow ${tag}`, [uniform(sa, S(), 0.5, 2), uniform(sb, S(), -2, 2)], (a, b) => et.pow(a, b));
  // maximum / minimum: b = a + offset with |offset| >= 0.2 where the shapes match; else distinct grids.
  add('binary', `maximum ${tag}`, [distinct(sa, S(), 0.3), distinct(sb, S(), 0.3)].map((x, i) => (i === 1 ? shifted(x, 0.05) : x)), (a, b) => et.maximum(a, b));
  add('binary', `minimum ${tag}`, [distinct(sa, S(), 0.3), distinct(sb, S(), 0.3)].map((x, i) => (i === 1 ? shifted(x, 0.05) : x)), (a, b) => et.minimum(a, b));
}
add('binary', 'pow(x, 3) with negative x', [uniform([3, 4], S(), -2, 2)], (x) => et.pow(x, 3));
add('binary', 'pow(2, x)', [uniform([3, 4], S(), -2, 2)], (x) => et.pow(2, x));
add('binary', 'x * x (one tensor twice)', [uniform([3, 4], S())], (x) => et.mul(x, x));
add('binary', 'plain numbers', [uniform([3, 4], S(), 0.5, 2)], (x) => et.sub(et.div(1, x), et.mul(x, 3)));

/** Shifts a 0.3-spaced grid by a fraction, so no element can tie with another grid's. */
function shifted(x: Input, by: number): Input {
  return { shape: x.shape, values: x.values.map((v) => v + by) };
}

// ---- where ----
const cond = (shape: number[], seed: number) => et.tensor(Array.from(seeded(shape, seed)).map((v) => v > 0), shape);
add('where', 'where same shapes', [uniform([3, 4], S()), uniform([3, 4], S())], (a, b) => et.where(cond([3, 4], 77), a, b));
add('where', 'where broadcast a [4], b [3, 1], cond [2, 3, 4]', [uniform([4], S()), uniform([3, 1], S())], (a, b) => et.where(cond([2, 3, 4], 78), a, b));
add('where', 'where cond [3, 1], a [3, 4], b scalar', [uniform([3, 4], S()), uniform([], S())], (a, b) => et.where(cond([3, 1], 79), a, b));

// ---- reductions ----
const R = [3, 4, 5];
const AXES: (number | number[] | undefined)[] = [undefined, 0, 1, -1, [0, 2], [1, 2]];
for (const axis of AXES) {
  const tag = `axis ${JSON.stringify(axis)}`;
  add('reduce', `sum ${tag}`, [uniform(R, S())], (x) => et.sum(x, axis));
  add('reduce', `mean ${tag} keepDims`, [uniform(R, S())], (x) => et.mean(x, axis, true));
  add('reduce', `max ${tag}`, [distinct(R, S())], (x) => et.max(x, axis));
  add('reduce', `min ${tag} keepDims`, [distinct(R, S())], (x) => et.min(x, axis, true));
  add('reduce', `prod ${tag}`, [signed(R, S(), 0.6, 1.4)], (x) => et.prod(x, axis));
  add('reduce', `variance ${tag}`, [uniform(R, S())], (x) => et.variance(x, axis));
  add('reduce', `logSumExp ${tag}`, [uniform(R, S(), -3, 3)], (x) => et.logSumExp(x, axis));
  add('reduce', `moments ${tag}`, [uniform(R, S())], (x) => {
    const m = et.moments(x, axis ?? [0, 1, 2]);
    return [m.mean, m.variance];
  });
}
add('reduce', 'logSumExp keepDims, large logits', [uniform([4, 6], S(), 50, 60)], (x) => et.logSumExp(x, 1, true));

// ---- matMul, dot, outerProduct ----
for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
  const tag = `transposeA=${ta} transposeB=${tb}`;
  add('matmul', `matMul 2-D ${tag}`, [uniform(ta ? [4, 3] : [3, 4], S()), uniform(tb ? [5, 4] : [4, 5], S())], (a, b) => et.matMul(a, b, ta, tb));
  add('matmul', `matMul batched ${tag}`, [uniform(ta ? [2, 4, 3] : [2, 3, 4], S()), uniform(tb ? [2, 5, 4] : [2, 4, 5], S())], (a, b) => et.matMul(a, b, ta, tb));
  add('matmul', `matMul broadcast batch [3,4] x [2,4,5] ${tag}`, [uniform(ta ? [4, 3] : [3, 4], S()), uniform(tb ? [2, 5, 4] : [2, 4, 5], S())], (a, b) => et.matMul(a, b, ta, tb));
}
add('matmul', 'matMul broadcast batch [2,1,3,4] x [3,4,2]', [uniform([2, 1, 3, 4], S()), uniform([3, 4, 2], S())], (a, b) => et.matMul(a, b));
add('matmul', 'matMul broadcast batch [1,3,4] x [2,4,5]', [uniform([1, 3, 4], S()), uniform([2, 4, 5], S())], (a, b) => et.matMul(a, b));
add('matmul', 'matMul one operand twice: x^T x', [uniform([4, 3], S())], (x) => et.matMul(x, x, true, false));
add('matmul', 'dot vector . vector', [uniform([5], S()), uniform([5], S())], (a, b) => et.dot(a, b));
add('matmul', 'dot matrix . vector', [uniform([3, 5], S()), uniform([5], S())], (a, b) => et.dot(a, b));
add('matmul', 'dot vector . matrix', [uniform([3], S()), uniform([3, 5], S())], (a, b) => et.dot(a, b));
add('matmul', 'dot matrix . matrix', [uniform([2, 3], S()), uniform([3, 4], S())], (a, b) => et.dot(a, b));
add('matmul', 'outerProduct', [uniform([3], S()), uniform([4], S())], (a, b) => et.outerProduct(a, b));
// fused.matMul (a, b and bias): smooth activations anywhere; piecewise ones on inputs that keep
// every pre-activation on one side of the kinks (all in (0, 6), or all negative).
for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
  for (const activation of ['linear', 'sigmoid', 'tanh', 'elu'] as const) {
    add('matmul', `fused.matMul ${activation} transposeA=${ta} transposeB=${tb}`,
      [uniform(ta ? [4, 3] : [3, 4], S(), -2, 2), uniform(tb ? [5, 4] : [4, 5], S()), uniform([5], S())],
      (a, b, bias) => et.fused.matMul({ a, b, bias, transposeA: ta, transposeB: tb, activation }));
  }
}
for (const activation of ['relu', 'relu6', 'leakyRelu'] as const) {
  add('matmul', `fused.matMul ${activation}, pre-activations in (0, 6)`,
    [uniform([3, 4], S(), 0.2, 1), uniform([4, 5], S(), 0.2, 1), uniform([5], S(), 0.1, 0.5)],
    (a, b, bias) => et.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.3 }));
  add('matmul', `fused.matMul ${activation}, negative pre-activations`,
    [uniform([3, 4], S(), 0.2, 1), uniform([4, 5], S(), -1, -0.2), uniform([5], S(), -0.5, -0.1)],
    (a, b, bias) => et.fused.matMul({ a, b, bias, activation, leakyreluAlpha: 0.3 }));
}

// ---- softmax ----
for (const axis of [-1, 0, 1]) {
  add('softmax', `softmax [3,4,5] axis ${axis}`, [uniform([3, 4, 5], S(), -3, 3)], (x) => et.softmax(x, axis));
  add('softmax', `logSoftmax [3,4,5] axis ${axis}`, [uniform([3, 4, 5], S(), -3, 3)], (x) => et.logSoftmax(x, axis));
}
add('softmax', 'softmax [6] (1-D)', [uniform([6], S(), -3, 3)], (x) => et.softmax(x));
add('softmax', 'logSoftmax [2,7] axis 0', [uniform([2, 7], S(), -3, 3)], (x) => et.logSoftmax(x, 0));
add('softmax', 'softmax of large logits', [uniform([3, 5], S(), 40, 45)], (x) => et.softmax(x));

// ---- layout ----
const X = () => uniform([2, 3, 4], S());
add('layout', 'reshape', [X()], (x) => et.reshape(x, [4, 6]));
add('layout', 'reshape with -1', [X()], (x) => et.reshape(x, [-1, 2]));
add('layout', 'transpose (default)', [X()], (x) => et.transpose(x));
add('layout', 'transpose [1, 0, 2]', [X()], (x) => et.transpose(x, [1, 0, 2]));
add('layout', 'transpose [2, 0, 1]', [X()], (x) => et.transpose(x, [2, 0, 1]));
add('layout', 'slice', [X()], (x) => et.slice(x, [0, 1, 1], [2, 2, 2]));
add('layout', 'slice size -1', [X()], (x) => et.slice(x, [1, 1], [-1, -1]));
add('layout', 'concat axis 0', [X(), uniform([1, 3, 4], S())], (a, b) => et.concat([a, b], 0));
add('layout', 'concat axis 2, three inputs', [X(), uniform([2, 3, 1], S()), uniform([2, 3, 2], S())], (a, b, c) => et.concat([a, b, c], 2));
add('layout', 'concat the same tensor twice', [X()], (x) => et.concat([x, x], 1));
add('layout', 'stack axis 0', [X(), X()], (a, b) => et.stack([a, b]));
add('layout', 'stack axis 2', [X(), X(), X()], (a, b, c) => et.stack([a, b, c], 2));
add('layout', 'split equal parts', [X()], (x) => et.split(x, 2, 2));
add('layout', 'split sizes with -1', [X()], (x) => et.split(x, [1, -1], 1));
add('layout', 'unstack axis 0', [X()], (x) => et.unstack(x));
add('layout', 'unstack axis 1', [X()], (x) => et.unstack(x, 1));
add('layout', 'squeeze', [uniform([2, 1, 3, 1], S())], (x) => et.squeeze(x));
add('layout', 'squeeze axis', [uniform([2, 1, 3, 1], S())], (x) => et.squeeze(x, [1]));
add('layout', 'expandDims', [X()], (x) => et.expandDims(x, 1));
add('layout', 'expandDims -1', [X()], (x) => et.expandDims(x, -1));
add('layout', 'tile', [uniform([2, 3], S())], (x) => et.tile(x, [2, 3]));
add('layout', 'tile rank 3', [X()], (x) => et.tile(x, [1, 2, 2]));
add('layout', 'pad', [X()], (x) => et.pad(x, [[1, 0], [0, 2], [1, 1]], 0.5));
add('layout', 'gather axis 0, repeated indices', [uniform([4, 3], S())], (x) => et.gather(x, et.tensor([2, 0, 2, 3], [4], 'int32')));
add('layout', 'gather axis 1, 2-D indices', [X()], (x) => et.gather(x, et.tensor([[2, 0], [1, 1]], [2, 2], 'int32'), 1));
add('layout', 'gather axis 2', [X()], (x) => et.gather(x, [0, 3, 3], 2));
add('layout', 'flatten', [X()], (x) => et.flatten(x));
add('layout', 'broadcastTo', [uniform([3, 1], S())], (x) => et.broadcastTo(x, [2, 3, 4]));
add('layout', 'broadcastTo same shape', [uniform([3, 4], S())], (x) => et.broadcastTo(x, [3, 4]));

// ---- cast ----
add('cast', 'cast float32 -> float32', [uniform([3, 4], S())], (x) => et.cast(x, 'float32'));
add('cast', 'cast in a chain', [uniform([3, 4], S())], (x) => et.mul(et.cast(x, 'float32'), x));

// ---- zero and fused gradients (appended, so that the cases above keep their inputs and seeds) ----
// Piecewise constant: away from the steps the finite differences are exactly 0, and so must the gradient be.
add('unary', 'sign', [signed(U, S())], (x) => et.sign(x));
add('unary', 'floor', [fromIntervals(U, S(), [[-2.9, -2.1], [-1.9, -1.1], [-0.9, -0.1], [0.1, 0.9], [1.1, 1.9]])], (x) => et.floor(x));
add('unary', 'round', [fromIntervals(U, S(), [[-1.4, -0.6], [-0.4, 0.4], [0.6, 1.4]])], (x) => et.round(x));
// a / b stays more than 0.15 from every integer, so no finite-difference step crosses a jump.
add('binary', 'floorDiv', [fromIntervals(U, S(), [[0.3, 0.7], [1.3, 1.7], [2.3, 2.7]]), uniform(U, S(), 0.95, 1.05)], (a, b) => et.floorDiv(a, b));
const labels = () => et.tensor([0, 4, 2, 2], [4], 'int32');
add('softmax', 'sparseSoftmaxCrossEntropy', [uniform([4, 5], S(), -3, 3)], (x) => et.sparseSoftmaxCrossEntropy(x, labels()));
add('softmax', 'sparseSoftmaxCrossEntropy mean', [uniform([4, 5], S(), -3, 3)], (x) => et.sparseSoftmaxCrossEntropy(x, labels(), 'mean'));
const segmentIds = () => et.tensor([3, 0, 3, 1, 3], [5], 'int32');
add('layout', 'unsortedSegmentSum, repeated and unused ids', [uniform([5, 3], S())], (x) => et.unsortedSegmentSum(x, segmentIds(), 5));
add('layout', 'unsortedSegmentSum rank 3', [uniform([5, 2, 3], S())], (x) => et.unsortedSegmentSum(x, segmentIds(), 4));

// ---- the reference: finite differences in float64, computed once per case ----
const reference = new Map<string, number[][]>();
/** The seed of case i's fixed projection r. */
const caseSeed = (i: number) => 1000 + 17 * i;
function fdOf(c: Case, seed: number): number[][] {
  const key = `${c.family}/${c.name}`;
  let fd = reference.get(key);
  if (!fd) {
    fd = finiteDifferenceGradient(c.op, c.inputs, seed);
    reference.set(key, fd);
  }
  return fd;
}

const worst = new Map<string, Map<Family, { error: number; name: string }>>();
function note(target: string, c: Case, error: number): void {
  if (!worst.has(target)) worst.set(target, new Map());
  const perFamily = worst.get(target)!;
  const previous = perFamily.get(c.family);
  if (!previous || !(error <= previous.error)) perFamily.set(c.family, { error, name: c.name });
}

afterAll(() => {
  const families = Object.keys(TOLERANCE) as Family[];
  const targets = [...worst.keys()];
  const lines = [
    'gradient checks: worst relative error per op family and target (tolerance in brackets)',
    ['family', ...targets].map((s) => s.padEnd(14)).join(' '),
    ...families.map((f) =>
      [`${f} [${TOLERANCE[f]}]`, ...targets.map((t) => (worst.get(t)?.get(f)?.error ?? NaN).toExponential(2))].map((s) => s.padEnd(14)).join(' '),
    ),
    ...targets.flatMap((t) => families.map((f) => `  ${t} ${f}: worst case '${worst.get(t)?.get(f)?.name}'`)),
  ];
  console.log(lines.join('\n'));
});

describe('the float64 reference mode of the js backend', () => {
  it('stores float32 results in Float64Array only while on, and only on js', () => {
    const third = onJsFloat64(() => {
      expect(isJsFloat64Reference()).toBe(true);
      const t = et.div(et.tensor([1, 2]), 3);
      expect(t.dtype).toBe('float32');
      expect(t.dataSync()).toBeInstanceOf(Float64Array);
      expect(et.sum(t).dataSync()).toBeInstanceOf(Float64Array);
      expect(et.matMul(et.tensor([[1, 2]]), et.tensor([[3], [4]])).dataSync()).toBeInstanceOf(Float64Array);
      expect(et.softmax(t).dataSync()).toBeInstanceOf(Float64Array);
      expect(et.exp(t).dataSync()).toBeInstanceOf(Float64Array);
      expect(et.tensor([1, 2], [2], 'int32').dataSync()).toBeInstanceOf(Int32Array);
      return t.dataSync()[0];
    });
    expect(third).toBe(1 / 3); // not Math.fround(1 / 3)
    expect(isJsFloat64Reference()).toBe(false);
    const previous = et.getBackend();
    et.setBackend('js');
    try {
      const t = et.div(et.tensor([1, 2]), 3);
      expect(t.dataSync()).toBeInstanceOf(Float32Array);
      expect(t.dataSync()[0]).toBe(Math.fround(1 / 3));
      t.dispose();
    } finally {
      et.setBackend(previous);
    }
  });

  it('is off again after a throw', () => {
    expect(() => onJsFloat64(() => { throw new Error('boom'); })).toThrow('boom');
    expect(isJsFloat64Reference()).toBe(false);
  });
});

describe.each(TARGETS)('gradient checks on $name', (target) => {
  useTarget(target);

  it.each(cases.map((c, i) => [`${c.family}: ${c.name}`, c, i] as const))('%s', (_, c, i) => {
    const seed = caseSeed(i);
    const fd = fdOf(c, seed);
    expect(isJsFloat64Reference()).toBe(false);
    const analytic = analyticGradient(c.op, c.inputs, seed);
    const error = relativeError(analytic, fd);
    note(target.name, c, error);
    expect(error, `${c.name}: relative error ${error} (tolerance ${TOLERANCE[c.family]})`).toBeLessThanOrEqual(TOLERANCE[c.family]);
  });
});

// Gradients a finite difference cannot check, and why.
const UNCHECKABLE: Record<string, string> = {
  DenseStack: 'inference only (model.predict): its registered gradient is an error that points to model.apply',
};

describe('coverage of the gradient checks', () => {
  // Gradients are written with ops, so which of them run does not depend on the target.
  useTarget(TARGETS[0]);

  it('every registered gradient runs in the analytic gradient of some case above', () => {
    const ran = new Set<string>();
    cases.forEach((c, i) => gradientsRunBy(() => analyticGradient(c.op, c.inputs, caseSeed(i))).forEach((k) => ran.add(k)));
    const unchecked = registeredGradients().filter((k) => !ran.has(k) && !(k in UNCHECKABLE));
    expect(unchecked, `no gradient-check case runs the gradient of ${unchecked.join(', ')}: add one`).toEqual([]);
    const stale = Object.keys(UNCHECKABLE).filter((k) => ran.has(k) || !registeredGradients().includes(k));
    expect(stale, 'exempt, but checked by a case or no longer registered').toEqual([]);
  });
});

// ---- closed forms ----
describe.each(TARGETS)('closed-form gradients on $name', (target) => {
  useTarget(target);
  const close = (t: et.Tensor, values: ArrayLike<number>, shape: number[], rtol = 1e-5, atol = 1e-6) =>
    expectClose(t, { values: Array.from(values), shape }, rtol, atol);

  it('d/dx sum(x^2) = 2x, by square, mul and pow', () => {
    const v = seeded([3, 4], 5, -2, 2);
    const x = et.tensor(v, [3, 4]);
    const twoX = Array.from(v, (a) => 2 * a);
    close(et.grad((t) => et.sum(et.square(t)))(x), twoX, [3, 4]);
    close(et.grad((t) => et.sum(et.mul(t, t)))(x), twoX, [3, 4]);
    close(et.grad((t) => et.sum(et.pow(t, 2)))(x), twoX, [3, 4]);
  });

  it('d/dx exp = exp, log = 1/x, sigmoid = y(1 - y), tanh = 1 - y^2 (as vector-Jacobian products)', () => {
    const v = seeded([2, 5], 6, 0.2, 2);
    const dy = seeded([2, 5], 7);
    const x = et.tensor(v, [2, 5]);
    const dyT = et.tensor(dy, [2, 5]);
    const sig = (a: number) => 1 / (1 + Math.exp(-a));
    close(et.grad((t) => et.exp(t))(x, dyT), Array.from(v, (a, i) => dy[i] * Math.exp(a)), [2, 5]);
    close(et.grad((t) => et.log(t))(x, dyT), Array.from(v, (a, i) => dy[i] / a), [2, 5]);
    close(et.grad((t) => et.sigmoid(t))(x, dyT), Array.from(v, (a, i) => dy[i] * sig(a) * (1 - sig(a))), [2, 5]);
    close(et.grad((t) => et.tanh(t))(x, dyT), Array.from(v, (a, i) => dy[i] * (1 - Math.tanh(a) ** 2)), [2, 5]);
  });

  it('gelu\'(0) = 1/2, relu\'(x) = [x > 0], abs\'(x) = sign(x), clip\'(x) = [lo <= x <= hi]', () => {
    close(et.grad((t) => et.gelu(t))(et.tensor([0, 1e-30, -1e-30])), [0.5, 0.5, 0.5], [3]);
    const x = et.tensor([-2, -0.5, 0.25, 3]);
    close(et.grad((t) => et.relu(t))(x), [0, 0, 1, 1], [4]);
    close(et.grad((t) => et.abs(t))(x), [-1, -1, 1, 1], [4]);
    close(et.grad((t) => et.clipByValue(t, -1, 1))(x), [0, 1, 1, 0], [4]);
    close(et.grad((t) => et.leakyRelu(t, 0.1))(x), [0.1, 0.1, 1, 1], [4]);
  });

  it('matMul: dA = dy B^T and dB = A^T dy, for every transpose combination', () => {
    const [m, k, n] = [3, 4, 5];
    const A = seeded([m, k], 8);
    const B = seeded([k, n], 9);
    const dy = seeded([m, n], 10);
    const dA = new Float64Array(m * k);
    const dB = new Float64Array(k * n);
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) {
      dA[i * k + p] += dy[i * n + j] * B[p * n + j];
      dB[p * n + j] += A[i * k + p] * dy[i * n + j];
    }
    const transposed = (v: ArrayLike<number>, r: number, c: number) => Float32Array.from({ length: r * c }, (_, idx) => v[(idx % r) * c + Math.floor(idx / r)]);
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]] as const) {
      const a = ta ? et.tensor(transposed(A, m, k), [k, m]) : et.tensor(A, [m, k]);
      const b = tb ? et.tensor(transposed(B, k, n), [n, k]) : et.tensor(B, [k, n]);
      const [ga, gb] = et.grads((x, y) => et.matMul(x, y, ta, tb))([a, b], et.tensor(dy, [m, n]));
      close(ga, ta ? transposed(dA, m, k) : dA, ta ? [k, m] : [m, k]);
      close(gb, tb ? transposed(dB, k, n) : dB, tb ? [n, k] : [k, n]);
    }
  });

  it('softmax: the vector-Jacobian product is y (dy - sum(dy y)) along the axis', () => {
    const [rows, cols] = [3, 6];
    const v = seeded([rows, cols], 11, -3, 3);
    const dy = seeded([rows, cols], 12);
    const expected: number[] = [];
    const expectedLog: number[] = [];
    for (let r = 0; r < rows; r++) {
      const row = Array.from(v.slice(r * cols, (r + 1) * cols));
      const mx = Math.max(...row);
      const e = row.map((a) => Math.exp(a - mx));
      const s = e.reduce((p, q) => p + q, 0);
      const y = e.map((q) => q / s);
      const d = Array.from(dy.slice(r * cols, (r + 1) * cols));
      const dot = y.reduce((p, q, i) => p + q * d[i], 0);
      const dsum = d.reduce((p, q) => p + q, 0);
      y.forEach((q, i) => {
        expected.push(q * (d[i] - dot));
        expectedLog.push(d[i] - q * dsum);
      });
    }
    const x = et.tensor(v, [rows, cols]);
    close(et.grad((t) => et.softmax(t))(x, et.tensor(dy, [rows, cols])), expected, [rows, cols]);
    close(et.grad((t) => et.logSoftmax(t))(x, et.tensor(dy, [rows, cols])), expectedLog, [rows, cols]);
    // The same along axis 0 of the transpose.
    const xt = et.transpose(x);
    close(et.grad((t) => et.softmax(t, 0))(xt, et.transpose(et.tensor(dy, [rows, cols]))), et.transpose(et.tensor(expected, [rows, cols])).dataSync(), [cols, rows]);
  });

  it('reductions: d sum = 1, d mean = 1/n, d max = one-hot of the argmax, d logSumExp = softmax', () => {
    const v = distinct([2, 5], 13).values;
    const x = et.tensor(v, [2, 5]);
    close(et.grad((t) => et.sum(t))(x), new Array(10).fill(1), [2, 5]);
    close(et.grad((t) => et.mean(t, 1))(x, et.tensor([1, 2])), [...new Array(5).fill(0.2), ...new Array(5).fill(0.4)], [2, 5]);
    const hot = Array.from(v, (a, i) => (a === Math.max(...v.slice(Math.floor(i / 5) * 5, Math.floor(i / 5) * 5 + 5)) ? 1 : 0));
    close(et.grad((t) => et.max(t, 1))(x, et.ones([2])), hot, [2, 5]);
    close(et.grad((t) => et.logSumExp(t, 1))(x, et.ones([2])), et.softmax(x).dataSync(), [2, 5]);
  });

  // Elementwise relative accuracy, which the finite-difference cases do not measure: computed as
  // exp(x - logSumExp(x)), the gradient would inherit the rounding of logSumExp(x) to its ulp,
  // an error of up to 3e-5 relative at 1e3.
  it('d logSumExp = dy times the softmax along the axes, to float32 accuracy for logits near ±1e3 with different row maxima', () => {
    const shape = [3, 4, 5];
    // The sign alternates along axis 1, and each slice along axis 0 is 3 above the one before.
    const v = seeded(shape, 14, -4, 4).map((u, i) => u + (Math.floor(i / 5) % 2 ? -1e3 : 1e3) + 3 * Math.floor(i / 20));
    const x = et.tensor(v, shape);
    for (const axis of AXES) {
      const [keptShape, expected] = onJsFloat64(() => {
        const x64 = et.tensor(v, shape);
        const lse = et.logSumExp(x64, axis, true);
        const dy = et.tensor(seeded(lse.shape, 15), lse.shape);
        return [lse.shape, Array.from(et.mul(et.exp(et.sub(x64, lse)), dy).dataSync())] as const;
      });
      for (const keepDims of [false, true]) {
        const dy = et.tensor(seeded(keptShape, 15), et.logSumExp(x, axis, keepDims).shape);
        close(et.grad((t) => et.logSumExp(t, axis, keepDims))(x, dy), expected, shape, 2e-6, 1e-30);
      }
    }
  });
});
