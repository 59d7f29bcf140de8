/**
 * Sequential and functional models on every target: summary parameter counts (Keras' counts),
 * fit converging on small synthetic problems, validation, callbacks and early stopping,
 * evaluate / predict, the softmax-logits training path, and bad input.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, seeded, snapshot, useTarget } from '../helpers.js';

/** Two Gaussian blobs per class in 2-D, labels 0..2, seeded. */
function blobs(n: number, seed: number): { x: et.Tensor; y: et.Tensor } {
  const noise = seeded([n, 2], seed, -0.5, 0.5);
  const centres = [[-2, 0], [2, 0], [0, 2.5]];
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const points = Float32Array.from({ length: 2 * n }, (_, k) => centres[labels[k >> 1]][k & 1] + noise[k]);
  return { x: et.tensor(points, [n, 2]), y: et.tensor(labels, [n], 'int32') };
}

function classifier(): et.Sequential {
  const model = et.sequential({
    layers: [et.layers.dense({ units: 8, activation: 'relu', inputShape: [2] }), et.layers.dense({ units: 3, activation: 'softmax' })],
  });
  model.compile({ optimizer: et.train.adam(0.05), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe.each(TARGETS)('models on $name', (target) => {
  useTarget(target);

  it('summary counts parameters as Keras does', () => {
    const lines: string[] = [];
    const mlp = et.models.mlp();
    mlp.summary((l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/Total params: 55,050 \(215\.04 KB\)/);
    expect(lines.join('\n')).toMatch(/\(None, 64\)\s+50,240/);
    mlp.dispose();
    const withNorm = et.sequential({ layers: [et.layers.dense({ units: 64, inputShape: [100] }), et.layers.batchNormalization(), et.layers.dropout({ rate: 0.5 }), et.layers.dense({ units: 1, activation: 'sigmoid' })] });
    const text: string[] = [];
    withNorm.summary((l) => text.push(l));
    // Keras: Dense 6,464 + BatchNormalization 256 (128 trainable, 128 not) + Dense 65.
    expect(text.join('\n')).toMatch(/Total params: 6,785/);
    expect(text.join('\n')).toMatch(/Trainable params: 6,657/);
    expect(text.join('\n')).toMatch(/Non-trainable params: 128/);
    withNorm.dispose();
    expect(() => et.sequential({ layers: [et.layers.dense({ units: 2 })] }).summary()).toThrow(/not built yet; give the first layer an inputShape/);
  });

  it('fit converges on a small classification problem, with validation and History', async () => {
    et.setSeed(1);
    const { x, y } = blobs(240, 2);
    const model = classifier();
    const history = await model.fit(x, y, { epochs: 15, batchSize: 16, validationSplit: 0.25, verbose: 0, seed: 3 });
    expect(history.epoch).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(Object.keys(history.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.history.loss[14]).toBeLessThan(history.history.loss[0] / 4);
    expect(history.history.val_accuracy[14]).toBeGreaterThan(0.95);
    const [loss, acc] = (await model.evaluate(x, y)) as et.Tensor[];
    expect(acc.dataSync()[0]).toBeGreaterThan(0.95);
    expect(loss.dataSync()[0]).toBeLessThan(0.2);
    // predict in batches gives the one-pass result; probabilities sum to 1.
    const all = model.predict(x, { batchSize: 1000 }) as et.Tensor;
    expectClose(model.predict(x, { batchSize: 7 }) as et.Tensor, snapshot(all), 1e-5, 1e-6);
    expectClose(et.sum(all, 1), { values: new Array(240).fill(1), shape: [240] }, 1e-5, 1e-6);
    model.dispose();
  });

  it('trains a softmax output on its logits (the same loss values as from probabilities)', async () => {
    et.setSeed(4);
    const { x, y } = blobs(30, 5);
    const model = classifier();
    const [lossFromLogits] = (await model.evaluate(x, y)) as et.Tensor[];
    const probabilities = model.predict(x) as et.Tensor;
    expectClose(lossFromLogits, snapshot(et.losses.sparseCategoricalCrossentropy(y, probabilities)), 1e-5, 1e-6);
    model.dispose();
  });

  it('computes accuracy from the softmax logits: the value the probabilities give, without a Softmax kernel', async () => {
    et.setSeed(6);
    const { x, y } = blobs(30, 7);
    const model = classifier();
    const [, accuracy] = (await model.evaluate(x, y)) as et.Tensor[];
    const probabilities = model.predict(x) as et.Tensor;
    expectClose(accuracy, snapshot(et.metrics.sparseCategoricalAccuracy(y, probabilities)), 0, 0);
    const step = et.profile(() => model.trainOnBatch(x, y));
    await step.result;
    expect(step.kernels.map((k) => k.name)).not.toContain('Softmax');
    expect(step.kernels.map((k) => k.name)).toContain('ArgMax');
    model.dispose();
  });

  it('a functional model computes what the sequential one with the same weights does', () => {
    et.setSeed(6);
    const seq = classifier();
    const input = et.input({ shape: [2] });
    const hidden = et.layers.dense({ units: 8, activation: 'relu' }).apply(input);
    const output = et.layers.dense({ units: 3, activation: 'softmax' }).apply(hidden);
    const fn = et.model({ inputs: input, outputs: output });
    fn.setWeights(seq.getWeights());
    const { x } = blobs(12, 7);
    expectClose(fn.predict(x) as et.Tensor, snapshot(seq.predict(x) as et.Tensor), 1e-6, 1e-7);
    expect(fn.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'Dense']);
    expect(fn.countParams()).toBe(seq.countParams());
    expect(() => fn.predict(et.ones([3, 4]))).toThrow(/input 'input_layer.*' expects shape \(None, 2\), got \[3,\s*4\]/);
    seq.dispose();
    fn.dispose();
  });

  it('predict runs a stack of dense layers as one DenseStack kernel per batch, with the layers\' own numbers', () => {
    const model = et.sequential({
      layers: [
        et.layers.dense({ units: 16, activation: 'relu', inputShape: [6] }),
        et.layers.dropout({ rate: 0.5 }),
        et.layers.dense({ units: 8, activation: 'leakyRelu' }),
        et.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    const x = et.tensor(seeded([70, 6], 4, -2, 2), [70, 6]);
    const run = et.profile(() => model.predict(x, { batchSize: 32 }) as et.Tensor);
    expect(run.kernels.find((k) => k.name === 'DenseStack')?.calls).toBe(3);
    expect(run.kernels.some((k) => k.name === 'FusedMatMul')).toBe(false);
    expectClose(run.result, snapshot(model.apply(x) as et.Tensor), 1e-6, 1e-7);
    // A layer DenseStack cannot run (gelu is not a fused activation): the layers run one by one.
    const gelu = et.sequential({ layers: [et.layers.dense({ units: 4, activation: 'gelu', inputShape: [6] }), et.layers.dense({ units: 2 })] });
    const byLayer = et.profile(() => gelu.predict(x) as et.Tensor);
    expect(byLayer.kernels.some((k) => k.name === 'DenseStack')).toBe(false);
    expectClose(byLayer.result, snapshot(gelu.apply(x) as et.Tensor), 1e-6, 1e-7);
    // A wrong input width still gets the layer's own error.
    expect(() => model.predict(et.ones([2, 5]))).toThrow(/dense.*expected input of shape \(None, 6\), got \[2,\s*5\]/);
    et.dispose([x, run.result, byLayer.result]);
  });

  it('calls callbacks in order, and earlyStopping stops and restores the best weights', async () => {
    et.setSeed(8);
    const { x, y } = blobs(48, 9);
    const model = classifier();
    const events: string[] = [];
    await model.fit(x, y, {
      epochs: 2, batchSize: 24, verbose: 0,
      callbacks: [{
        onTrainBegin: () => { events.push('train'); },
        onEpochBegin: (e) => { events.push(`epoch ${e}`); },
        onBatchEnd: async (b, logs) => { events.push(`batch ${b} ${logs.size}`); },
        onEpochEnd: (e, logs) => { events.push(`end ${e} ${'accuracy' in logs}`); },
        onTrainEnd: () => { events.push('done'); },
      }],
    });
    expect(events).toEqual(['train', 'epoch 0', 'batch 0 24', 'batch 1 24', 'end 0 true', 'epoch 1', 'batch 0 24', 'batch 1 24', 'end 1 true', 'done']);

    // A monitored value that never improves after epoch 0 stops training after `patience` more epochs.
    let epochSeen = 0;
    let bestWeights: number[] = [];
    let lastWeights: number[] = [];
    const flat = () => model.getWeights().flatMap((w) => Array.from(w.dataSync()));
    const worsening = {
      onEpochEnd: (e: number, logs: Record<string, number>) => {
        logs.val_loss = e;
        epochSeen = e;
        if (e === 0) bestWeights = flat();
        lastWeights = flat();
      },
    };
    const stopper = et.callbacks.earlyStopping({ monitor: 'val_loss', patience: 2, restoreBestWeights: true });
    const history = await model.fit(x, y, { epochs: 20, verbose: 0, callbacks: [worsening, stopper] });
    expect(epochSeen).toBe(2);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(history.epoch.length).toBe(3);
    // restoreBestWeights: back to the weights after epoch 0, not those of epoch 2.
    expect(lastWeights).not.toEqual(bestWeights);
    expect(flat()).toEqual(bestWeights);
    model.dispose();
  });

  it('rejects bad input with clear errors', async () => {
    const model = classifier();
    const x = et.ones([4, 2]);
    await expect(model.fit(x, et.tensor([0, 1, 3, 0], [4], 'int32'), { verbose: 0 })).rejects.toThrow(/label 3 .*out of range for 3 classes/);
    await expect(model.fit(et.ones([4, 5]), et.zeros([4], 'int32'), { verbose: 0 })).rejects.toThrow(/dense.*expected input of shape \(None, 2\), got \[4,\s*5\]/);
    await expect(model.fit(x, et.zeros([3], 'int32'), { verbose: 0 })).rejects.toThrow(/same number of samples.*\[4,\s*2\].*\[3\]/);
    await expect(model.fit(x, et.zeros([4], 'int32'), { verbose: 0, batchSize: 0 })).rejects.toThrow(/batchSize must be a positive integer/);
    await expect(et.sequential({ layers: [et.layers.dense({ units: 1, inputShape: [2] })] }).fit(x, x)).rejects.toThrow(/compile the model first/);
    expect(() => model.compile({ optimizer: 'adamax', loss: 'mse' })).toThrow(/unknown optimizer "adamax".*'adam'/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'hinge' })).toThrow(/unknown loss "hinge".*'sparseCategoricalCrossentropy'/);
    expect(() => model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['auc'] })).toThrow(/unknown metric "auc"/);
    model.dispose();
  });
});

// NaN does not reach a loss reliably on the gpu backend: WGSL lets shader compilers assume no
// NaN or infinity occurs (its documented contract is finite values), so this runs on the others.
describe.each(TARGETS.filter((t) => !t.finiteMathOnly))('NaN losses on $name', (target) => {
  useTarget(target);

  it('stops on a NaN loss naming the batch, before touching the weights', async () => {
    const model = classifier();
    const x = et.tensor([[0, 0], [1, 1], [NaN, 0], [2, 2]]);
    const y = et.tensor([0, 1, 2, 0], [4], 'int32');
    const weights = model.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(model.fit(x, y, { epochs: 1, batchSize: 2, shuffle: false, verbose: 0 })).rejects.toThrow(/loss is NaN at epoch 1, batch 2 \(samples 2\.\.\., 2 in the batch\); training stopped/);
    // The first batch was applied; the second (with the NaN) was not.
    const now = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(now.flat().every((v) => Number.isFinite(v))).toBe(true);
    expect(weights.flat()).not.toEqual(now.flat());
    model.dispose();
  });
});
