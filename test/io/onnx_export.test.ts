/**
 * et.exportOnnx: the exported bytes run in onnxruntime-node and give model.predict's outputs
 * (max abs difference < 1e-5) at batch 1 and 7 from the same bytes (the batch axis is dynamic),
 * for each supported layer kind, the documents' MLP and GAN generator, a two-input functional
 * model with a shared layer, and a nested model; an unsupported layer fails by name.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';

const TOLERANCE = 1e-5;
const differences: Record<string, number> = {};
let seed = 1;

/** Seeded uniform values, from et's own generator: test/helpers.ts would probe the gpu backend on import. */
function seeded(shape: number[], lo = -1, hi = 1): Float32Array {
  return et.tidy(() => et.randomUniform(shape, lo, hi, seed++).dataSync() as Float32Array);
}

beforeAll(() => {
  et.setBackend('native');
  et.setSeed(7);
});
afterAll(() => console.log(`exportOnnx: max abs difference per model\n${Object.entries(differences).map(([k, v]) => `  ${k}: ${v.toExponential(2)}`).join('\n')}`));

/**
 * Biases and BatchNormalization's weights (moving statistics included, variances positive) set
 * away from their initializers; kernels keep their Glorot values, whose scale keeps deep stacks'
 * activations (and so float32 rounding) at a trained model's size.
 */
function randomizeWeights(model: et.Model): void {
  for (const layer of model.layers) {
    const weights = layer.getWeights();
    layer.setWeights(weights.map((w, i) => {
      if (w.rank > 1) return w;
      const variance = layer instanceof et.layers.BatchNormalization && i === weights.length - 1;
      return et.tensor(seeded(w.shape, ...(variance ? [0.5, 2] : [-1, 1])), w.shape);
    }));
  }
}

/** The exported model against predict on the same inputs, at each batch size; returns the largest difference. */
async function expectSameAsPredict(label: string, model: et.Model, sampleShapes: number[][]): Promise<Uint8Array> {
  const bytes = await et.exportOnnx(model);
  const session = await ort.InferenceSession.create(bytes);
  expect(session.inputNames).toHaveLength(sampleShapes.length);
  let worst = 0;
  for (const batch of [1, 7]) {
    const inputs = sampleShapes.map((shape) => {
      const full = [batch, ...shape];
      return { values: seeded(full, -2, 2), shape: full };
    });
    const feeds = Object.fromEntries(session.inputNames.map((name, i) => [name, new ort.Tensor('float32', inputs[i].values, inputs[i].shape)]));
    const results = await session.run(feeds);
    const xs = inputs.map((x) => et.tensor(x.values, x.shape));
    const predicted = model.predict(xs.length === 1 ? xs[0] : xs);
    const ours = Array.isArray(predicted) ? predicted : [predicted];
    expect(session.outputNames).toHaveLength(ours.length);
    ours.forEach((y, k) => {
      const theirs = results[session.outputNames[k]];
      expect(theirs.dims).toEqual(y.shape);
      const a = y.dataSync();
      const b = theirs.data as Float32Array;
      for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
    });
    et.dispose([...xs, ...ours]);
  }
  differences[label] = worst;
  expect(worst).toBeLessThan(TOLERANCE);
  return bytes;
}

const { dense, activation, leakyReLU, batchNormalization, dropout, flatten, reshape } = et.layers;
const sequential = (layers: et.layers.Layer[]) => et.sequential({ layers });

describe('exportOnnx: one layer kind at a time', () => {
  const activations = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus'];
  for (const name of activations) {
    it(`Dense with activation ${name}, and the Activation layer`, async () => {
      const model = sequential([dense({ units: 5, activation: name, inputShape: [6] }), activation({ activation: name })]);
      randomizeWeights(model);
      await expectSameAsPredict(`dense+activation ${name}`, model, [[6]]);
    });
  }

  it('Dense without bias, and on a sequence (MatMul + Add)', async () => {
    const model = sequential([dense({ units: 4, useBias: false, inputShape: [3, 6] }), dense({ units: 2, activation: 'tanh' })]);
    randomizeWeights(model);
    await expectSameAsPredict('dense rank 3', model, [[3, 6]]);
  });

  it('LeakyReLU with its alpha, Dropout', async () => {
    const model = sequential([dense({ units: 8, inputShape: [4] }), leakyReLU({ alpha: 0.1 }), dropout({ rate: 0.5 }), dense({ units: 3 })]);
    randomizeWeights(model);
    await expectSameAsPredict('leakyReLU + dropout', model, [[4]]);
  });

  it('BatchNormalization: with scale and center, without, and on a sequence', async () => {
    const model = sequential([
      dense({ units: 6, inputShape: [5] }), batchNormalization({ epsilon: 0.01 }),
      batchNormalization({ center: false, scale: false }), reshape({ targetShape: [2, 3] }), batchNormalization(),
    ]);
    randomizeWeights(model);
    await expectSameAsPredict('batchNormalization', model, [[5]]);
  });

  it('Flatten and Reshape (with an inferred axis)', async () => {
    const model = sequential([reshape({ targetShape: [-1, 2], inputShape: [3, 4] }), flatten(), dense({ units: 2 })]);
    randomizeWeights(model);
    await expectSameAsPredict('flatten + reshape', model, [[3, 4]]);
  });

  it('A model that only passes its input through', async () => {
    await expectSameAsPredict('dropout only', sequential([dropout({ rate: 0.3, inputShape: [3] })]), [[3]]);
  });
});

describe('exportOnnx: merge layers', () => {
  const merges = { add: et.layers.add, subtract: et.layers.subtract, multiply: et.layers.multiply, average: et.layers.average, maximum: et.layers.maximum, minimum: et.layers.minimum };
  for (const [name, merge] of Object.entries(merges)) {
    it(name, async () => {
      const [a, b, c] = [et.input({ shape: [4] }), et.input({ shape: [4] }), et.input({ shape: [1] })];
      const inputs = name === 'subtract' ? [a, b] : [a, b, c];
      const model = et.model({ inputs, outputs: merge(inputs) });
      await expectSameAsPredict(name, model, inputs.map((t) => t.shape.slice(1) as number[]));
    });
  }

  it('concatenate along the last and a middle axis', async () => {
    const [a, b] = [et.input({ shape: [2, 3] }), et.input({ shape: [2, 5] })];
    const joined = et.layers.concatenate().apply([a, b]) as et.SymbolicTensor;
    const stacked = et.layers.concatenate({ axis: 1 }).apply([joined, joined]) as et.SymbolicTensor;
    await expectSameAsPredict('concatenate', et.model({ inputs: [a, b], outputs: stacked }), [[2, 3], [2, 5]]);
  });

  it('dot of vectors, of sequences, and of a sequence and a vector, normalized too', async () => {
    const [u, v] = [et.input({ shape: [4] }), et.input({ shape: [4] })];
    const [s, t] = [et.input({ shape: [3, 4] }), et.input({ shape: [5, 4] })];
    const outputs = [
      et.layers.dot({ axes: 1 }).apply([u, v]),
      et.layers.dot({ axes: 2 }).apply([s, t]),
      et.layers.dot({ axes: [1, 1] }).apply([s, s]),
      et.layers.dot({ axes: [2, 1] }).apply([s, u]),
      et.layers.dot({ axes: -1, normalize: true }).apply([s, t]),
      et.layers.dot({ axes: 1, normalize: true }).apply([u, v]),
    ] as et.SymbolicTensor[];
    await expectSameAsPredict('dot', et.model({ inputs: [u, v, s, t], outputs }), [[4], [4], [3, 4], [5, 4]]);
  });
});

describe('exportOnnx: whole models', () => {
  it("the documents' MLP, written to a file", async () => {
    const model = et.models.mlp();
    randomizeWeights(model);
    const bytes = await expectSameAsPredict('mlp', model, [[784]]);
    const dir = mkdtempSync(join(tmpdir(), 'edgetensor-onnx-'));
    try {
      const file = join(dir, 'mlp.onnx');
      expect(await et.exportOnnx(model, file)).toEqual(bytes);
      expect(new Uint8Array(readFileSync(file))).toEqual(bytes);
      expect(readdirSync(dir)).toEqual(['mlp.onnx']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the GAN's generator", async () => {
    const { generator } = et.models.gan();
    randomizeWeights(generator);
    await expectSameAsPredict('gan generator', generator, [[generator.inputShapes![0][1] as number]]);
  });

  it('two inputs, a shared layer, a merge, a nested model, two outputs', async () => {
    const [a, b] = [et.input({ shape: [6], name: 'left' }), et.input({ shape: [6], name: 'right' })];
    const shared = dense({ units: 4, activation: 'relu' });
    const tower = sequential([dense({ units: 3, activation: 'tanh', inputShape: [4] }), batchNormalization()]);
    const merged = et.layers.concatenate([shared.apply(a) as et.SymbolicTensor, shared.apply(b) as et.SymbolicTensor]);
    const head = dense({ units: 2, activation: 'softmax' }).apply(merged) as et.SymbolicTensor;
    const towered = tower.apply(shared.apply(a) as et.SymbolicTensor) as et.SymbolicTensor;
    const model = et.model({ inputs: [a, b], outputs: [head, towered] });
    randomizeWeights(model);
    randomizeWeights(tower);
    const bytes = await expectSameAsPredict('functional two inputs', model, [[6], [6]]);
    const session = await ort.InferenceSession.create(bytes);
    expect(session.inputNames).toEqual(['left', 'right']);
  });

  it('an unsupported layer fails, naming it, its class and the supported ones', async () => {
    class Doubling extends et.layers.Layer {
      readonly className = 'Doubling';
      protected call(x: et.Tensor): et.Tensor {
        return et.mul(x, 2);
      }
    }
    const model = sequential([dense({ units: 2, inputShape: [3] }), new Doubling({ name: 'twice' }, 'Doubling')]);
    const file = join(tmpdir(), `edgetensor-unsupported-${process.pid}.onnx`);
    await expect(et.exportOnnx(model, file)).rejects.toThrow(/layer 'twice' \(Doubling\) has no ONNX lowering; supported: .*Dense.*BatchNormalization.*Dot/);
    expect(existsSync(file)).toBe(false);
  });
});
