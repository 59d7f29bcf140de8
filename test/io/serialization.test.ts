/**
 * Serialization: layers, initializers and regularizers describe themselves (getConfig) and are
 * rebuilt through one registry; sequential and functional topologies round-trip through
 * model.toJSON / et.models.modelFromJSON with the same predictions; and they are exchanged with
 * tfjs-layers itself, both ways (its topology JSON read here, ours read by it), predicting the
 * same with the same weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import type { Tensors } from '../../src/nn/index.js';
import { TARGETS, expectClose, seeded, snapshot, useTarget } from '../helpers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A small functional model using most layer kinds: merge, a shared layer, batch norm, a nested sequential, two outputs. */
function richModel(): et.Functional {
  const a = et.input({ shape: [4], name: 'a' });
  const b = et.input({ shape: [4], name: 'b' });
  const shared = et.layers.dense({ units: 6, activation: 'tanh', kernelRegularizer: et.regularizers.l2({ l2: 0.01 }), name: 'shared' });
  const left = shared.apply(a) as et.SymbolicTensor;
  const right = shared.apply(b) as et.SymbolicTensor;
  const merged = et.layers.concatenate({ name: 'joined' }).apply([left, et.layers.add({ name: 'sum' }).apply([left, right]) as et.SymbolicTensor]) as et.SymbolicTensor;
  const normed = et.layers.batchNormalization({ name: 'norm' }).apply(merged) as et.SymbolicTensor;
  const head = et.sequential({ name: 'head', layers: [et.layers.dense({ units: 5, activation: 'relu', inputShape: [12], kernelInitializer: 'heNormal' }), et.layers.dropout({ rate: 0.25 })] });
  const hidden = head.apply(normed) as et.SymbolicTensor;
  const probs = et.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(hidden) as et.SymbolicTensor;
  const score = et.layers.dot({ axes: 1, normalize: true, name: 'cosine' }).apply([left, right]) as et.SymbolicTensor;
  return et.model({ name: 'rich', inputs: [a, b], outputs: [probs, score] });
}

/** Copies weights by their local names (what files use) from one model to another. */
function copyWeights(from: et.Model, to: et.Model): void {
  const byName = new Map(from.namedWeights.map((w) => [w.name, w.variable]));
  to.setWeights(to.namedWeights.map((w) => {
    const v = byName.get(w.name);
    if (!v) throw new Error(`no weight named ${w.name}`);
    return v;
  }));
}

describe.each(TARGETS)('serialization on $name', (target) => {
  useTarget(target);

  it('a functional model round-trips through toJSON / modelFromJSON, predicting the same', () => {
    et.setSeed(3);
    const model = richModel();
    const json = JSON.parse(JSON.stringify(model.toJSON()));
    expect(json.class_name).toBe('Functional');
    const shared = json.config.layers.find((l: { name: string }) => l.name === 'shared');
    // The shared layer's two nodes, in tfjs' nested-array form.
    expect(shared.inbound_nodes).toEqual([[['a', 0, 0, {}]], [['b', 0, 0, {}]]]);
    expect(shared.config.kernel_regularizer).toEqual({ class_name: 'L2', config: { l2: 0.01 } });
    expect(json.config.input_layers).toEqual([['a', 0, 0], ['b', 0, 0]]);
    const copy = et.models.modelFromJSON(json) as et.Functional;
    expect(JSON.parse(JSON.stringify(copy.toJSON()))).toEqual(json);
    expect(copy.namedWeights.map((w) => w.name)).toEqual(model.namedWeights.map((w) => w.name));
    copyWeights(model, copy);
    const x = [et.tensor(seeded([5, 4], 1), [5, 4]), et.tensor(seeded([5, 4], 2), [5, 4])];
    const [p0, s0] = model.predict(x) as et.Tensor[];
    const [p1, s1] = copy.predict(x) as et.Tensor[];
    expectClose(p1, snapshot(p0), 0, 0);
    expectClose(s1, snapshot(s0), 0, 0);
    model.dispose();
    copy.dispose();
  });

  it('a sequential model round-trips, its layers keeping their names and options', () => {
    const model = et.sequential({ layers: [
      et.layers.dense({ units: 8, activation: 'leakyRelu', inputShape: [3], biasInitializer: et.initializers.constant({ value: 0.1 }) }),
      et.layers.leakyReLU({ alpha: 0.1 }), et.layers.reshape({ targetShape: [2, 4] }), et.layers.flatten(),
      et.layers.activation({ activation: 'sigmoid' }), et.layers.dense({ units: 2, useBias: false }),
    ] });
    const json = model.toJSON() as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'LeakyReLU', 'Reshape', 'Flatten', 'Activation', 'Dense']);
    expect(json.config.layers[0].config).toMatchObject({ activation: 'leaky_relu', use_bias: true, batch_input_shape: [null, 3], bias_initializer: { class_name: 'Constant', config: { value: 0.1 } } });
    const copy = et.models.modelFromJSON(JSON.stringify(json));
    expect(copy.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    copyWeights(model, copy);
    const x = et.tensor(seeded([4, 3], 3), [4, 3]);
    expectClose(copy.predict(x) as et.Tensor, snapshot(model.predict(x) as et.Tensor), 0, 0);
    model.dispose();
    copy.dispose();
  });

  it('reads the topology tfjs-layers writes and predicts what tfjs predicts with the same weights', async () => {
    const a = tfl.input({ shape: [4], name: 'in_a' });
    const b = tfl.input({ shape: [4], name: 'in_b' });
    const d1 = tfl.layers.dense({ units: 5, activation: 'relu', name: 'd1' });
    const merged = tfl.layers.concatenate().apply([d1.apply(a), tfl.layers.multiply().apply([d1.apply(a), d1.apply(b)])]) as tfl.SymbolicTensor;
    const bn = tfl.layers.batchNormalization({ name: 'bn' }).apply(merged) as tfl.SymbolicTensor;
    const out = tfl.layers.dense({ units: 2, activation: 'softmax', name: 'out' }).apply(tfl.layers.dropout({ rate: 0.3 }).apply(bn)) as tfl.SymbolicTensor;
    const tfModel = tfl.model({ inputs: [a, b], outputs: out });
    // Moving statistics away from their initial values, so that they matter.
    const bnLayer = tfModel.getLayer('bn');
    bnLayer.setWeights(bnLayer.getWeights().map((w, i) => tf.add(w, tf.scalar(0.1 * (i + 1)))));
    const topology = tfModel.toJSON(undefined, false);
    const ours = et.models.modelFromJSON(topology);
    const tfWeights = new Map<string, tf.Tensor>(tfModel.weights.map((w) => [w.originalName, w.read()]));
    ours.setWeights(ours.namedWeights.map((w) => {
      const v = tfWeights.get(w.name);
      if (!v) throw new Error(`tfjs has no weight named ${w.name} (it has ${[...tfWeights.keys()].join(', ')})`);
      return et.tensor(v.dataSync() as Float32Array, v.shape);
    }));
    const xa = seeded([6, 4], 4);
    const xb = seeded([6, 4], 5);
    const expected = (tfModel.predict([tf.tensor(xa, [6, 4]), tf.tensor(xb, [6, 4])]) as tf.Tensor).dataSync();
    const got = ours.predict([et.tensor(xa, [6, 4]), et.tensor(xb, [6, 4])]) as et.Tensor;
    expectClose(got, { values: Array.from(expected), shape: [6, 2] }, 1e-5, 1e-6);
    ours.dispose();
  });

  it('writes a topology tfjs-layers reads, predicting the same with the same weights', () => {
    et.setSeed(4);
    const model = et.sequential({ layers: [
      et.layers.dense({ units: 6, activation: 'tanh', inputShape: [3] }), et.layers.batchNormalization(),
      et.layers.dropout({ rate: 0.5 }), et.layers.dense({ units: 2, activation: 'sigmoid' }),
    ] });
    const tfModel = tfl.models.modelFromJSON as unknown;
    expect(typeof tfModel).toBe('function');
    return (tfl.models.modelFromJSON(JSON.parse(JSON.stringify(model.toJSON())) as tf.io.ModelJSON['modelTopology'] as never) as Promise<tfl.LayersModel>).then((loaded) => {
      const ours = new Map(model.namedWeights.map((w) => [w.name, w.variable]));
      loaded.setWeights(loaded.weights.map((w) => {
        const v = ours.get(w.originalName);
        if (!v) throw new Error(`edgetensor has no weight named ${w.originalName}`);
        return tf.tensor(v.dataSync() as Float32Array, v.shape);
      }));
      const x = seeded([5, 3], 6);
      const expected = (model.predict(et.tensor(x, [5, 3])) as et.Tensor).dataSync();
      const got = (loaded.predict(tf.tensor(x, [5, 3])) as tf.Tensor).dataSync();
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - expected[i])).toBeLessThan(1e-5);
      model.dispose();
    });
  });
});

describe('serialization: the registry and bad input', () => {
  it('rebuilds initializers and regularizers from their configs, tfjs forms included', () => {
    const init = et.initializers.getInitializer({ className: 'VarianceScaling', config: { scale: 2, mode: 'fanIn', distribution: 'normal', seed: 5 } }, 'zeros');
    expect(init.className).toBe('VarianceScaling');
    expect(init.getConfig()).toEqual({ scale: 2, mode: 'fan_in', distribution: 'truncated_normal', seed: 5 });
    expect(Array.from(init.apply([40, 30]).dataSync())).toEqual(Array.from(et.initializers.heNormal({ seed: 5 }).apply([40, 30]).dataSync()));
    for (const original of [et.initializers.glorotUniform({ seed: 1 }), et.initializers.randomUniform({ minval: -2, maxval: 3, seed: 2 }), et.initializers.constant({ value: 7 }), et.initializers.ones()]) {
      const copy = et.serialization.deserialize<et.initializers.Initializer>(et.serialization.serialize(original), 'test');
      expect(Array.from(copy.apply([3, 4]).dataSync())).toEqual(Array.from(original.apply([3, 4]).dataSync()));
    }
    const adam = et.serialization.deserialize<et.train.Optimizer>({ className: 'Adam', config: { learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 } }, 'test');
    expect(adam.getConfig()).toEqual({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-6 });
    const reg = et.regularizers.getRegularizer({ className: 'L1L2', config: { l1: 0.5, l2: 0.25 } })!;
    expect(reg.apply(et.tensor([1, -2])).dataSync()[0]).toBeCloseTo(0.5 * 3 + 0.25 * 5, 6);
  });

  it('loads a user layer once its class is registered, and names the class otherwise', () => {
    class TimesTwo extends et.layers.Layer {
      static readonly className = 'TimesTwo';
      readonly className = 'TimesTwo';
      constructor(args: et.layers.LayerArgs = {}) {
        super(args, 'TimesTwo');
      }
      protected call(x: Tensors): Tensors {
        return et.mul(x as et.Tensor, 2);
      }
    }
    const model = et.sequential({ layers: [new TimesTwo({ inputShape: [2], name: 'twice' })] });
    const json = model.toJSON();
    expect(() => et.models.modelFromJSON(json)).toThrow(/unknown class 'TimesTwo'; register it with et\.serialization\.registerClass\(TimesTwo\)/);
    et.serialization.registerClass(TimesTwo);
    const copy = et.models.modelFromJSON(json);
    expectClose(copy.predict(et.tensor([[1, 2]])) as et.Tensor, { values: [2, 4], shape: [1, 2] });
    expect(() => et.serialization.registerClass(class {} as never)).toThrow(/needs a static className/);
  });

  it('rejects malformed topologies with what is wrong, and options it does not implement', () => {
    expect(() => et.models.modelFromJSON('{"class_name": "Sequential", ')).toThrow(/not valid JSON/);
    expect(() => et.models.modelFromJSON({ class_name: 'Dense', config: { units: 2 } })).toThrow(/describes a Dense, not a model/);
    expect(() => et.models.modelFromJSON({ class_name: 'Functional', config: { name: 'm', layers: [{ name: 'x', class_name: 'InputLayer', config: { batch_input_shape: [null, 2] } }] } })).toThrow(/layer 'x' has no inbound_nodes list/);
    const dangling = { class_name: 'Functional', config: { name: 'm', layers: [
      { name: 'x', class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'x' }, inbound_nodes: [] },
      { name: 'd', class_name: 'Dense', config: { units: 2, name: 'd' }, inbound_nodes: [[['missing', 0, 0, {}]]] },
    ], input_layers: [['x', 0, 0]], output_layers: [['d', 0, 0]] } };
    expect(() => et.models.modelFromJSON(dangling)).toThrow(/node 0 of layer 'd' reads 'missing' node 0 tensor 0, which no layer of the file makes/);
    expect(() => et.models.modelFromJSON({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 2, kernel_constraint: { class_name: 'MaxNorm', config: {} } } }] } }))
      .toThrow(/option kernelConstraint is not supported yet/);
    expect(() => et.layers.batchNormalization({ axis: 1 }).apply(et.ones([2, 3, 4]))).toThrow(/normalizes over the last axis only \(-1 or 2 for inputs of rank 3\), got axis 1/);
  });
});
