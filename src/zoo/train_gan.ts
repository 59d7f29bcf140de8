/**
 * The documents' GAN trained end to end: epochs of alternating D / G steps over the training
 * images; after each epoch an 8 x 8 PNG grid of samples (from fixed noise, so epochs compare)
 * and a line of the loss log (D loss, G loss, mean D(real), mean D(fake)); optionally each
 * epoch's samples scored by a trained digit classifier.
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { dispose } from '../engine.js';
import { randomNormal, setSeed } from '../ops/random.js';
import { Dataset } from '../data/dataset.js';
import { imageDatasetArrays, type ImageDatasetOptions } from '../data/image_dataset_by_name.js';
import { writeImageGrid } from '../io/image_grid.js';
import type { Model } from '../models/model.js';
import { ProgressLogger } from '../models/progress.js';
import { scoreDigits, type DigitScore } from './digit_score.js';
import { Gan, GAN_BATCH_SIZE, GAN_EPOCHS, GAN_LOG_NAMES, type GanOptions, type GanStepOptions } from './gan.js';
import { trainMlp } from './mlp.js';

export interface TrainGanOptions extends GanOptions, GanStepOptions, ImageDatasetOptions {
  /** Default 20. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Seeds the weights, the noise and the shuffling (default 1). */
  seed?: number;
  /** A directory for epoch_001.png ... (8 x 8 sample grids) and losses.csv; created if missing. */
  out?: string;
  /**
   * Score each epoch's samples with a digit classifier: true trains the documents' mlp() on the
   * same dataset first (seeded like the GAN), or pass a trained classifier. Default false.
   */
  score?: boolean | Model;
  /** How many samples to score (default 1,000). */
  scoreSamples?: number;
  /** 0: silent; 1: a progress bar on a terminal, else a line per epoch (default 1). */
  verbose?: 0 | 1;
}

export interface GanEpochLog {
  epoch: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
  seconds: number;
  samplesPerSecond: number;
  score?: DigitScore;
  /** The PNG grid written for this epoch (with `out`). */
  image?: string;
}

export interface TrainGanResult {
  /** The trained networks (the caller disposes them). */
  gan: Gan;
  epochs: GanEpochLog[];
  /** Training images per second over all epochs (scoring and PNG writing excluded). */
  samplesPerSecond: number;
}

const GRID_SAMPLES = 64;
const LOG_HEADER = 'epoch,d_loss,g_loss,d_real,d_fake,seconds,samples_per_second,confident_share,classes_covered,histogram';

function checkPositiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`trainGan: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

async function classifierFor(options: TrainGanOptions, seed: number): Promise<{ model: Model; owned: boolean } | null> {
  if (!options.score) return null;
  if (options.score !== true) return { model: options.score, owned: false };
  const { model } = await trainMlp({ dataset: options.dataset, fashion: options.fashion, seed, verbose: 0 });
  return { model, owned: true };
}

function logLine(log: GanEpochLog): string {
  const s = log.score;
  return [log.epoch, log.dLoss, log.gLoss, log.dReal, log.dFake, log.seconds.toFixed(3), log.samplesPerSecond.toFixed(0),
    s ? s.confidentShare : '', s ? s.classesCovered : '', s ? s.histogram.join(' ') : ''].join(',');
}

/** Trains the documents' GAN; see TrainGanOptions. */
export async function trainGan(options: TrainGanOptions = {}): Promise<TrainGanResult> {
  const epochs = checkPositiveInteger(options.epochs ?? GAN_EPOCHS, 'epochs');
  const batchSize = checkPositiveInteger(options.batchSize ?? GAN_BATCH_SIZE, 'batchSize');
  const scoreSamples = checkPositiveInteger(options.scoreSamples ?? 1000, 'scoreSamples');
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new RangeError(`trainGan: seed must be an integer, got ${String(seed)}`);
  const arrays = imageDatasetArrays(options, 'trainGan');
  const data = Dataset.fromImageArrays(arrays, 'train');
  const classifier = await classifierFor(options, seed);
  if (options.out !== undefined) {
    mkdirSync(options.out, { recursive: true });
    writeFileSync(join(options.out, 'losses.csv'), `${LOG_HEADER}\n`);
  }
  setSeed(seed);
  const gan = new Gan(options);
  // Fixed noise with their own seeds, so the sample grids and scores of successive epochs compare.
  const gridNoise = randomNormal([GRID_SAMPLES, gan.latentDim], 0, 1, seed + 1);
  const scoreNoise = classifier ? randomNormal([scoreSamples, gan.latentDim], 0, 1, seed + 2) : null;
  const verbose = options.verbose ?? 1;
  if (verbose !== 0 && verbose !== 1) throw new RangeError(`trainGan: verbose must be 0 or 1, got ${String(verbose)}`);
  const progress = verbose > 0 ? new ProgressLogger(epochs, data.numBatches(batchSize), verbose) : null;
  const logs: GanEpochLog[] = [];
  let trainingSeconds = 0;
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      progress?.onEpochBegin(epoch);
      const sums = [0, 0, 0, 0];
      let steps = 0;
      const start = performance.now();
      for (const batch of data.batches({ batchSize, shuffle: true, seed, epoch })) {
        let values: ArrayLike<number>;
        try {
          const step = gan.trainStep(batch.x, options);
          values = await step.values.data();
          step.values.dispose();
        } finally {
          dispose([batch.x, batch.y]);
        }
        if (!Number.isFinite(values[0]) || !Number.isFinite(values[1])) {
          throw new Error(`trainGan: the D loss is ${values[0]} and the G loss ${values[1]} at epoch ${epoch + 1}, batch ${steps + 1}; training stopped. Lower the learning rate or check the data for NaN.`);
        }
        for (let i = 0; i < sums.length; i++) sums[i] += values[i];
        steps++;
        progress?.onBatchEnd(steps - 1, { ...Object.fromEntries(GAN_LOG_NAMES.map((name, i) => [name, sums[i] / steps])), size: batch.indices.length });
      }
      const seconds = (performance.now() - start) / 1000;
      trainingSeconds += seconds;
      const log: GanEpochLog = {
        epoch: epoch + 1, dLoss: sums[0] / steps, gLoss: sums[1] / steps, dReal: sums[2] / steps, dFake: sums[3] / steps,
        seconds, samplesPerSecond: data.size / seconds,
      };
      progress?.onEpochEnd(epoch, { dLoss: log.dLoss, gLoss: log.gLoss, dReal: log.dReal, dFake: log.dFake });
      if (classifier && scoreNoise) {
        const samples = gan.generate(scoreNoise);
        try {
          log.score = await scoreDigits(classifier.model, samples);
        } finally {
          samples.dispose();
        }
        if (verbose > 0) console.log(`  samples: ${(log.score.confidentShare * 100).toFixed(1)} % confident > 0.9, ${log.score.classesCovered} classes >= 3 %, per class [${log.score.histogram.join(' ')}]`);
      }
      if (options.out !== undefined) {
        log.image = join(options.out, `epoch_${String(epoch + 1).padStart(3, '0')}.png`);
        const grid = gan.generate(gridNoise);
        try {
          await writeImageGrid(log.image, grid, { imageShape: arrays.imageShape, columns: 8 });
        } finally {
          grid.dispose();
        }
        appendFileSync(join(options.out, 'losses.csv'), `${logLine(log)}\n`);
      }
      logs.push(log);
    }
    progress?.onTrainEnd();
    return { gan, epochs: logs, samplesPerSecond: (epochs * data.size) / trainingSeconds };
  } catch (error) {
    progress?.onTrainEnd();
    gan.dispose();
    throw error;
  } finally {
    dispose([gridNoise, ...(scoreNoise ? [scoreNoise] : [])]);
    if (classifier?.owned) classifier.model.dispose();
  }
}
