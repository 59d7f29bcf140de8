/**
 * The layer and model core: layers with several inputs and outputs and keyword options, graph
 * nodes, merge layers, masks flowing between layers, sub-layers, models used as layers, the
 * DenseStack opt-in, and intermediates freed after their last use. Numerics on every target.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import type { CallKwargs, Masks, Shapes, Tensors } from '../../src/nn/index.js';
import type { SymbolicShape } from '../../src/nn/symbolic.js';
import { TARGETS, expectClose, seeded, snapshot, useTarget } from '../helpers.js';

/** [a + b, a * b]: two inputs, two outputs. */
class SumAndProduct extends et.layers.Layer {
  readonly className = 'SumAndProduct';
  constructor() {
    super({}, 'SumAndProduct');
  }
  override computeOutputShape(inputShape: Shapes): Shapes {
    const [a] = inputShape as SymbolicShape[];
    return [a.slice(), a.slice()];
  }
  protected call(inputs: Tensors): Tensors {
    const [a, b] = inputs as et.Tensor[];
    return [et.add(a, b), et.mul(a, b)];
  }
}

/** x * scale, where scale is a keyword option (a tensor, so in a graph a symbolic one). */
class Scaled extends et.layers.Layer {
  readonly className = 'Scaled';
  constructor() {
    super({}, 'Scaled');
  }
  protected call(x: Tensors, kwargs: CallKwargs): Tensors {
    return et.mul(x as et.Tensor, kwargs.scale as et.Tensor);
  }
}

/** Marks a step as padding where its features are all 0 (Keras' Masking), passing x through. */
class ZeroMasking extends et.layers.Layer {
  readonly className = 'ZeroMasking';
  constructor() {
    super({}, 'ZeroMasking');
  }
  protected call(x: Tensors): Tensors {
    return (x as et.Tensor).clone();
  }
  override computeMask(x: Tensors): Masks {
    return et.notEqual(et.sum(et.abs(x as et.Tensor), -1), 0);
  }
}

/** Zeroes the steps its mask drops, and remembers the mask it was given. */
class MaskedZero extends et.layers.Layer {
  readonly className = 'MaskedZero';
  seen: number[][] = [];
  constructor() {
    super({}, 'MaskedZero');
  }
  protected call(x: Tensors, kwargs: CallKwargs): Tensors {
    const t = x as et.Tensor;
    const mask = kwargs.mask as et.Tensor | undefined;
    if (!mask) return t.clone();
    this.seen.push(Array.from(mask.dataSync()));
    return et.mul(t, et.expandDims(et.cast(mask, 'float32'), -1));
  }
}

/** A residual block that owns two dense layers: x + dense2(dense1(x)). */
class Residual extends et.layers.Layer {
  readonly className = 'Residual';
  readonly inner: et.layers.Dense;
  readonly outer: et.layers.Dense;
  constructor(units: number) {
    super({}, 'Residual');
    this.inner = this.trackLayer(et.layers.dense({ units: 8, activation: 'tanh', kernelRegularizer: 'l2' }));
    this.outer = this.trackLayer(et.layers.dense({ units }));
  }
  protected override build(inputShape: Shapes): void {
    this.outer.buildFor(this.inner.buildFor(inputShape));
  }
  protected call(x: Tensors): Tensors {
    const t = x as et.Tensor;
    return et.add(t, this.outer.apply(this.inner.apply(t) as et.Tensor) as et.Tensor);
  }
}

describe.each(TARGETS)('the layer and model core on $name', (target) => {
  useTarget(target);

  it('runs a layer with two inputs and two outputs, eagerly and as a graph node', () => {
    const a = et.tensor(seeded([3, 4], 1), [3, 4]);
    const b = et.tensor(seeded([3, 4], 2), [3, 4]);
    const layer = new SumAndProduct();
    const [s, p] = layer.apply([a, b]) as et.Tensor[];
    expectClose(s, snapshot(et.add(a, b)));
    expectClose(p, snapshot(et.mul(a, b)));
    // apply(a, b) is apply([a, b]).
    expectClose((layer.apply(a, b) as et.Tensor[])[1], snapshot(et.mul(a, b)));

    const x = et.input({ shape: [4] });
    const y = et.input({ shape: [4] });
    const [sum, product] = layer.apply([x, y]) as et.SymbolicTensor[];
    expect([sum.outputIndex, product.outputIndex]).toEqual([0, 1]);
    expect(sum.node).toBe(product.node);
    expect(sum.node.inbound).toEqual([x, y]);
    expect(sum.node.inputsAreList).toBe(true);
    expect(layer.inboundNodes.length).toBe(1);
    const out = et.layers.dense({ units: 2, kernelInitializer: 'ones' }).apply(product) as et.SymbolicTensor;
    const model = et.model({ inputs: [x, y], outputs: [sum, out] });
    const [gotSum, gotOut] = model.predict([a, b]) as et.Tensor[];
    expectClose(gotSum, snapshot(et.add(a, b)));
    expectClose(gotOut, snapshot(et.matMul(et.mul(a, b), et.ones([4, 2]))), 1e-5, 1e-6);
    model.dispose();
  });

  it('passes keyword options to call; a symbolic one becomes an input of the node', () => {
    const x = et.input({ shape: [3] });
    const scale = et.input({ shape: [3] });
    const layer = new Scaled();
    const y = layer.apply(x, { scale }) as et.SymbolicTensor;
    expect(y.node.kwargs.scale).toBe(scale);
    expect(y.node.dependencies).toEqual([x, scale]);
    const model = et.model({ inputs: [x, scale], outputs: y });
    const xs = et.tensor([[1, 2, 3], [4, 5, 6]]);
    const scales = et.tensor([[2, 2, 2], [0, 1, -1]]);
    expectClose(model.predict([xs, scales]) as et.Tensor, { values: [2, 4, 6, 0, 5, -6], shape: [2, 3] });
    expectClose(layer.apply(xs, { scale: scales }) as et.Tensor, { values: [2, 4, 6, 0, 5, -6], shape: [2, 3] });
    model.dispose();
  });

  it('merge layers compute what their ops do, in a functional model and eagerly', () => {
    const a = et.tensor(seeded([2, 3], 3), [2, 3]);
    const b = et.tensor(seeded([2, 3], 4), [2, 3]);
    const c = et.tensor(seeded([2, 3], 5), [2, 3]);
    const cases: [et.layers.Layer, et.Tensor[], () => et.Tensor][] = [
      [et.layers.add(), [a, b, c], () => et.add(et.add(a, b), c)],
      [et.layers.subtract(), [a, b], () => et.sub(a, b)],
      [et.layers.multiply(), [a, b, c], () => et.mul(et.mul(a, b), c)],
      [et.layers.average(), [a, b], () => et.div(et.add(a, b), 2)],
      [et.layers.maximum(), [a, b, c], () => et.maximum(et.maximum(a, b), c)],
      [et.layers.minimum(), [a, b], () => et.minimum(a, b)],
      [et.layers.concatenate(), [a, b], () => et.concat([a, b], 1)],
    ];
    for (const [layer, inputs, expected] of cases) {
      const symbols = inputs.map(() => et.input({ shape: [3] }));
      const model = et.model({ inputs: symbols, outputs: layer.apply(symbols) as et.SymbolicTensor });
      expectClose(model.predict(inputs) as et.Tensor, snapshot(expected()), 1e-6, 1e-7);
      expectClose(layer.apply(inputs) as et.Tensor, snapshot(expected()), 1e-6, 1e-7);
      model.dispose();
    }
    // Keras' shortcut applies at once; inputs broadcast as NumPy does.
    const row = et.tensor([[10, 20, 30]]);
    expectClose(et.layers.add([a, row]), snapshot(et.add(a, row)));
    const seq = et.tensor(seeded([2, 4, 3], 6), [2, 4, 3]);
    expectClose(et.layers.concatenate({ axis: 1 }).apply([seq, seq]) as et.Tensor, snapshot(et.concat([seq, seq], 1)));
  });

  it('dot contracts the axes asked for, as Keras does, and normalize gives the cosine similarity', () => {
    const u = et.tensor(seeded([2, 3], 7), [2, 3]);
    const v = et.tensor(seeded([2, 3], 8), [2, 3]);
    expectClose(et.layers.dot({ axes: 1 }).apply([u, v]) as et.Tensor, snapshot(et.sum(et.mul(u, v), 1, true)), 1e-6, 1e-7);
    const cosine = et.div(et.sum(et.mul(u, v), 1, true), et.mul(et.sqrt(et.sum(et.square(u), 1, true)), et.sqrt(et.sum(et.square(v), 1, true))));
    expectClose(et.layers.dot({ axes: 1, normalize: true }).apply([u, v]) as et.Tensor, snapshot(cosine), 1e-5, 1e-6);
    const p = et.tensor(seeded([2, 4, 3], 9), [2, 4, 3]);
    const q = et.tensor(seeded([2, 5, 3], 10), [2, 5, 3]);
    // [2, 4, 3] . [2, 5, 3] over the last axes: [2, 4, 5] (scores of attention).
    expectClose(et.layers.dot({ axes: [2, 2] }).apply([p, q]) as et.Tensor, snapshot(et.matMul(p, q, false, true)), 1e-5, 1e-6);
    const r = et.tensor(seeded([2, 3, 5], 11), [2, 3, 5]);
    expectClose(et.layers.dot({ axes: [2, 1] }).apply([p, r]) as et.Tensor, snapshot(et.matMul(p, r)), 1e-5, 1e-6);
    // A vector against a sequence: [2, 3] . [2, 4, 3] over axes (1, 2): [2, 4].
    const expected = et.squeeze(et.matMul(et.expandDims(u, 1), p, false, true), 1);
    const x = et.input({ shape: [3] });
    const s = et.input({ shape: [4, 3] });
    const out = et.layers.dot({ axes: [1, 2] }).apply([x, s]) as et.SymbolicTensor;
    expect(out.shape).toEqual([null, 4]);
    const model = et.model({ inputs: [x, s], outputs: out });
    expectClose(model.predict([u, p]) as et.Tensor, snapshot(expected), 1e-5, 1e-6);
    model.dispose();
  });

  it('passes masks from the layer that makes them to the layers after it, in functional and sequential models', () => {
    // Steps 1 and 3 of sample 0 and step 0 of sample 1 are all zeros: padding.
    const values = [1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 5, 6, 7, 8, 9, 1];
    const x = et.tensor(values, [2, 4, 2]);
    const expectedMask = [1, 0, 1, 0, 0, 1, 1, 1];
    const consumer = new MaskedZero();
    const input = et.input({ shape: [4, 2] });
    // The mask goes through Dense (which supports masking) and reaches the consumer.
    const dense = et.layers.dense({ units: 2, kernelInitializer: 'ones', biasInitializer: 'ones' });
    const y = consumer.apply(dense.apply(new ZeroMasking().apply(input) as et.SymbolicTensor) as et.SymbolicTensor) as et.SymbolicTensor;
    const functional = et.model({ inputs: input, outputs: y });
    const got = functional.predict(x) as et.Tensor;
    expect(consumer.seen).toEqual([expectedMask]);
    // Dense gives 1 + sum of features; the padding steps are zeroed by the consumer.
    expectClose(got, { values: [4, 4, 0, 0, 8, 8, 0, 0, 0, 0, 12, 12, 16, 16, 11, 11], shape: [2, 4, 2] }, 1e-6, 1e-6);
    const sequentialConsumer = new MaskedZero();
    const sequential = et.sequential({ layers: [new ZeroMasking(), et.layers.dropout({ rate: 0.5 }), sequentialConsumer] });
    sequential.predict(x);
    expect(sequentialConsumer.seen).toEqual([expectedMask]);
    // A layer that does not support masking stops the mask.
    const stopped = new MaskedZero();
    et.sequential({ layers: [new ZeroMasking(), et.layers.reshape({ targetShape: [4, 2] }), stopped] }).apply(x);
    expect(stopped.seen).toEqual([]);
    functional.dispose();
  });

  it('tracks sub-layers: weights, trainable flags, parameter counts, regularization losses and dispose recurse', async () => {
    const block = new Residual(4);
    const x = et.tensor(seeded([6, 4], 12), [6, 4]);
    block.apply(x);
    expect(block.subLayers).toEqual([block.inner, block.outer]);
    expect(block.weights.map((w) => w.shape)).toEqual([[4, 8], [8], [8, 4], [4]]);
    expect(block.countParams()).toBe(4 * 8 + 8 + 8 * 4 + 4);
    expect(block.regularizationLosses().length).toBe(1);
    block.trainable = false;
    expect(block.trainableWeights).toEqual([]);
    expect(block.nonTrainableWeights.length).toBe(4);
    expect(block.regularizationLosses()).toEqual([]);
    block.trainable = true;

    // Trained inside a model, the sub-layers' weights are updated.
    const input = et.input({ shape: [4] });
    const model = et.model({ inputs: input, outputs: block.apply(input) as et.SymbolicTensor });
    model.compile({ optimizer: et.train.sgd(0.1), loss: 'meanSquaredError' });
    const before = Array.from(block.outer.kernel!.dataSync());
    await model.fit(x, et.zeros([6, 4]), { epochs: 2, batchSize: 6, verbose: 0 });
    expect(Array.from(block.outer.kernel!.dataSync())).not.toEqual(before);
    const live = et.memory().numTensors;
    model.dispose();
    expect(block.inner.kernel!.isDisposed).toBe(true);
    expect(et.memory().numTensors).toBe(live - 4);
  });

  it('uses a model as a layer of another model: same numbers, shared weights, one summary row', async () => {
    et.setSeed(7);
    const encoder = et.sequential({ layers: [et.layers.dense({ units: 5, activation: 'relu', inputShape: [3] }), et.layers.dense({ units: 2 })] });
    const input = et.input({ shape: [3] });
    const head = et.layers.dense({ units: 1, activation: 'sigmoid' });
    const outer = et.model({ inputs: input, outputs: head.apply(encoder.apply(input) as et.SymbolicTensor) as et.SymbolicTensor });
    const x = et.tensor(seeded([4, 3], 13), [4, 3]);
    expectClose(outer.predict(x) as et.Tensor, snapshot(head.apply(encoder.predict(x) as et.Tensor) as et.Tensor), 1e-6, 1e-7);
    expect(outer.layers.map((l) => l.className)).toEqual(['InputLayer', 'Sequential', 'Dense']);
    expect(outer.trainableWeights.length).toBe(6);
    const lines: string[] = [];
    outer.summary((l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/sequential\S* \(Sequential\)\s+\(None, 2\)\s+32/);
    expect(lines.join('\n')).toMatch(/Total params: 35/);
    outer.compile({ optimizer: et.train.adam(0.05), loss: 'binaryCrossentropy' });
    const before = Array.from(encoder.layers[0].weights[0].dataSync());
    await outer.fit(x, et.tensor([[0], [1], [0], [1]]), { epochs: 2, batchSize: 4, verbose: 0 });
    expect(Array.from(encoder.layers[0].weights[0].dataSync())).not.toEqual(before);
    outer.dispose();
  });

  it('predict opts into DenseStack by the layer: a Dense subclass with its own call runs that call', () => {
    class Doubled extends et.layers.Dense {
      protected override call(x: Tensors, kwargs: CallKwargs): Tensors {
        return et.mul(super.call(x as et.Tensor, kwargs), 2);
      }
    }
    const layer = new Doubled({ units: 3, inputShape: [4] });
    const model = et.sequential({ layers: [layer] });
    const x = et.tensor(seeded([5, 4], 14), [5, 4]);
    const run = et.profile(() => model.predict(x) as et.Tensor);
    expect(run.kernels.map((k) => k.name)).not.toContain('DenseStack');
    expectClose(run.result, snapshot(layer.apply(x) as et.Tensor), 1e-6, 1e-7);
    expect(layer.denseStackStep()).toBeNull();
    expect(et.layers.dense({ units: 2, inputShape: [3] }).denseStackStep()).toBeNull(); // not built yet
    model.dispose();
  });

  it('frees each intermediate value after its last use', () => {
    // A chain of 6 dense layers of 64 units on 128 samples, with a skip connection from the first.
    const width = 64;
    const batch = 128;
    const bytesPerActivation = batch * width * 4;
    let peak = 0;
    class MemoryProbe extends et.layers.Layer {
      readonly className = 'MemoryProbe';
      constructor() {
        super({}, 'MemoryProbe');
      }
      protected call(x: Tensors): Tensors {
        peak = Math.max(peak, et.memory().numBytes);
        return (x as et.Tensor).clone();
      }
    }
    const input = et.input({ shape: [width] });
    const first = et.layers.dense({ units: width }).apply(input) as et.SymbolicTensor;
    let h = first;
    for (let i = 0; i < 5; i++) h = new MemoryProbe().apply(et.layers.dense({ units: width }).apply(h) as et.SymbolicTensor) as et.SymbolicTensor;
    const model = et.model({ inputs: input, outputs: et.layers.add([h, first]) });
    const x = et.randomUniform([batch, width], -1, 1, 15);
    const atRest = et.memory().numBytes;
    (model.predict(x, { batchSize: batch }) as et.Tensor).dispose();
    // Live at the probes: the skip input, the current value and its copy (without freeing: up to 11 activations).
    expect((peak - atRest) / bytesPerActivation).toBeLessThanOrEqual(3);
    expect(et.memory().numBytes - atRest).toBe(0);
    model.dispose();
  });
});

describe('the layer and model core: bad input', () => {
  it('names what is wrong', () => {
    const a = et.input({ shape: [3] });
    const b = et.input({ shape: [4] });
    expect(() => et.layers.add().apply([a, b])).toThrow(/add\S* \(Add\): inputs of shapes \(None, 3\), \(None, 4\) do not broadcast together/);
    expect(() => et.layers.subtract().apply([a, a, a])).toThrow(/\(Subtract\): expects a list of exactly 2 inputs, got 3/);
    expect(() => et.layers.add().apply(a)).toThrow(/\(Add\): expects a list of at least 2 inputs, got one of shape \(None, 3\)/);
    expect(() => et.layers.concatenate().apply([a, et.input({ shape: [2, 3] })])).toThrow(/\(Concatenate\): inputs must have the same shape except along axis -1/);
    expect(() => et.layers.dot({ axes: 1 }).apply([a, b])).toThrow(/\(Dot\): the contracted axes differ in size/);
    expect(() => et.layers.concatenate({ axis: 0 })).toThrow(/axis must be a non-zero integer \(0 is the batch axis\)/);
    expect(() => et.layers.dense({ units: 2 }).apply([a, et.ones([2, 3])] as never)).toThrow(/symbolic and concrete inputs cannot be mixed/);
    expect(() => et.layers.dense({ units: 2 }).apply([] as et.Tensor[])).toThrow(/empty list of inputs/);
    // A built layer applied symbolically to a shape it does not take.
    const dense = et.layers.dense({ units: 2 });
    dense.apply(a);
    expect(() => dense.apply(b)).toThrow(/dense\S* \(Dense\): expected input of shape \(None, 3\), got \(None, 4\)/);
    const layer = new Residual(3);
    expect(() => (layer as unknown as { trackLayer(l: unknown): void }).trackLayer({})).toThrow(/a sub-layer must be a Layer, got Object/);
  });
});
