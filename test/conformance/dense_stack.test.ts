/**
 * denseStack (a stack of dense layers as one DenseStack kernel, what model.predict runs) on
 * every target: against the js oracle and against the layers as separate fused.matMul and
 * softmax ops, for every activation, with and without biases and at batch 1 (the few-rows
 * GEMM); bad input names the layer and both shapes; it has no gradient and says so.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { DENSE_STACK_ACTIVATIONS, type DenseStackActivation } from '../../src/backend/kernel.js';
import { denseStack, type DenseStackLayerSpec } from '../../src/ops/dense_stack.js';
import { TARGETS, expectClose, matchesOracle, seeded, snapshot, useTarget } from '../helpers.js';

const ALPHA = 0.15;

function layersOf(widths: number[], activations: DenseStackActivation[], withBias: (i: number) => boolean): DenseStackLayerSpec[] {
  return activations.map((activation, i) => ({
    kernel: et.tensor(seeded([widths[i], widths[i + 1]], 10 + i), [widths[i], widths[i + 1]]),
    bias: withBias(i) ? et.tensor(seeded([widths[i + 1]], 20 + i), [widths[i + 1]]) : null,
    activation,
    alpha: ALPHA,
  }));
}

/** The same stack as one op per layer. */
function separate(x: et.Tensor, layers: DenseStackLayerSpec[]): et.Tensor {
  return layers.reduce((h, { kernel, bias, activation = 'linear' }) => {
    const fusedActivation = activation === 'softmax' ? 'linear' : activation;
    const z = et.fused.matMul({ a: h, b: kernel, bias: bias ?? undefined, activation: fusedActivation, leakyreluAlpha: ALPHA });
    return activation === 'softmax' ? et.softmax(z) : z;
  }, x);
}

describe.each(TARGETS)('denseStack on $name', (target) => {
  useTarget(target);

  it('matches the oracle and the separate layers for every activation, with and without biases', () => {
    const widths = [37, 29, 16, 21];
    for (const activation of DENSE_STACK_ACTIVATIONS) {
      for (const rows of [1, 3, 40]) {
        const x = et.tensor(seeded([rows, widths[0]], rows, -2, 2), [rows, widths[0]]);
        // The activation under test in the middle and last, softmax (a row normalisation) first.
        const layers = layersOf(widths, ['softmax', activation, activation], (i) => i !== 1);
        const got = matchesOracle(() => denseStack(x, layers), 1e-5, 1e-6);
        expect(got.shape).toEqual([rows, widths[3]]);
        expectClose(got, snapshot(separate(x, layers)), 1e-5, 1e-6);
      }
    }
  });

  it("runs the documents' MLP at batch 1 as the model's own layers do", () => {
    const x = et.tensor(seeded([1, 784], 5, 0, 1), [1, 784]);
    const layers = layersOf([784, 64, 64, 10], ['relu', 'relu', 'softmax'], () => true);
    const got = denseStack(x, layers);
    expectClose(got, snapshot(separate(x, layers)), 1e-5, 1e-7);
    expect(et.sum(got).dataSync()[0]).toBeCloseTo(1, 5);
  });

  it('names the layer and both shapes on bad input, and has no gradient', () => {
    const x = et.ones([2, 5]);
    const [first, second] = layersOf([5, 4, 3], ['relu', 'linear'], () => true);
    expect(() => denseStack(x, [second])).toThrow(/layer 0's kernel must be float32 \[5, units\] to take its input of width 5, got float32 \[4, 3\]/);
    expect(() => denseStack(x, [first, first])).toThrow(/layer 1's kernel must be float32 \[4, units\].*got float32 \[5, 4\]/);
    expect(() => denseStack(x, [{ ...first, bias: et.ones([3]) }])).toThrow(/layer 0's bias must be float32 \[4\], got float32 \[3\]/);
    expect(() => denseStack(x, [{ ...first, activation: 'gelu' as DenseStackActivation }])).toThrow(/activation "gelu" is not one of linear, relu, .*softmax/);
    expect(() => denseStack(x, [{ ...first, activation: 'leakyRelu', alpha: -1 }])).toThrow(/leakyRelu slope must be a finite number >= 0, got -1/);
    expect(() => denseStack(et.ones([5]), [first])).toThrow(/x must be a float32 matrix \[batch, inputs\], got float32 \[5\]/);
    expect(() => denseStack(x, [])).toThrow(/at least one layer/);
    expect(() => et.grad((k: et.Tensor) => et.sum(denseStack(x, [{ ...first, kernel: k }])))(first.kernel)).toThrow(/inference only and has no gradient; differentiate model.apply/);
  });
});
