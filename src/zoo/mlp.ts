/**
 * The documents' Keras MLP, built with the public layers API only: 784 -> dense 64 relu ->
 * dense 64 relu -> dense 10 softmax, Adam (0.001), sparse categorical cross-entropy, accuracy;
 * trained 5 epochs at batch 32. `trainMlp` runs the whole job on MNIST or Fashion-MNIST.
 */
import { performance } from 'node:perf_hooks';
import { dispose } from '../engine.js';
import { setSeed } from '../ops/random.js';
import type { Tensor } from '../tensor.js';
import { toImageData } from '../data/image_data.js';
import { imageDatasetArrays, type ImageDatasetName, type ImageDatasetOptions } from '../data/image_dataset_by_name.js';
import { dense } from '../nn/index.js';
import { Sequential } from '../models/sequential.js';
import type { History } from '../models/history.js';
import type { Callback } from '../models/callbacks.js';

export const MLP_EPOCHS = 5;
export const MLP_BATCH_SIZE = 32;

/** The documents' MLP, compiled (Adam, sparse categorical cross-entropy, accuracy). */
export function mlp(): Sequential {
  const model = new Sequential({
    name: 'mlp',
    layers: [
      dense({ units: 64, activation: 'relu', inputShape: [784] }),
      dense({ units: 64, activation: 'relu' }),
      dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

export type MlpDataset = ImageDatasetName;

export interface TrainMlpOptions extends ImageDatasetOptions {
  epochs?: number;
  batchSize?: number;
  /** Seeds the weights and the shuffling (default 1). */
  seed?: number;
  verbose?: 0 | 1 | 2;
  callbacks?: Callback[];
}

export interface TrainMlpResult {
  model: Sequential;
  history: History;
  testLoss: number;
  testAccuracy: number;
  trainSamples: number;
  testSamples: number;
  /** Training samples per second over the whole fit. */
  samplesPerSecond: number;
}

/** Trains the documents' MLP and measures it on the test split. The caller disposes result.model. */
export async function trainMlp(options: TrainMlpOptions = {}): Promise<TrainMlpResult> {
  const seed = options.seed ?? 1;
  const data = toImageData(imageDatasetArrays(options, 'trainMlp'));
  setSeed(seed);
  const model = mlp();
  try {
    const epochs = options.epochs ?? MLP_EPOCHS;
    const start = performance.now();
    const history = await model.fit(data.trainImages, data.trainLabels, {
      epochs, batchSize: options.batchSize ?? MLP_BATCH_SIZE, seed, verbose: options.verbose ?? 1, callbacks: options.callbacks,
    });
    const seconds = (performance.now() - start) / 1000;
    const [loss, accuracy] = (await model.evaluate(data.testImages, data.testLabels, { batchSize: 256 })) as Tensor[];
    const result: TrainMlpResult = {
      model,
      history,
      testLoss: (await loss.data())[0],
      testAccuracy: (await accuracy.data())[0],
      trainSamples: data.trainImages.shape[0],
      testSamples: data.testImages.shape[0],
      samplesPerSecond: (epochs * data.trainImages.shape[0]) / seconds,
    };
    dispose([loss, accuracy]);
    return result;
  } catch (error) {
    model.dispose();
    throw error;
  } finally {
    dispose(data);
  }
}
