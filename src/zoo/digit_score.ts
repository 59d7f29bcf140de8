/**
 * How digit-like and how varied generated images are, judged by a trained digit classifier
 * (e.g. et.models.mlp()): the share of samples it classifies with confidence above a threshold,
 * and how many classes receive at least a given share of the samples (mode coverage).
 */
import { tidy } from '../engine.js';
import { argMax, max } from '../ops/index.js';
import type { Tensor } from '../tensor.js';
import type { Model } from '../models/model.js';

export interface DigitScoreOptions {
  /** A sample is confident when its top class probability exceeds this (default 0.9). */
  confidence?: number;
  /** A class is covered when it receives at least this share of the samples (default 0.03). */
  minClassShare?: number;
}

export interface DigitScore {
  samples: number;
  /** Share of samples whose top probability exceeds `confidence`. */
  confidentShare: number;
  /** Number of classes that receive at least `minClassShare` of the samples (by top class). */
  classesCovered: number;
  /** Samples per class (by top class), index = class. */
  histogram: number[];
}

/** Scores images [n, features] with a classifier whose outputs are class probabilities [n, classes]. */
export async function scoreDigits(classifier: Model, images: Tensor, options: DigitScoreOptions = {}): Promise<DigitScore> {
  const confidence = options.confidence ?? 0.9;
  const minClassShare = options.minClassShare ?? 0.03;
  if (!(confidence >= 0 && confidence < 1)) throw new RangeError(`scoreDigits: confidence must be in [0, 1), got ${String(options.confidence)}`);
  if (!(minClassShare > 0 && minClassShare <= 1)) throw new RangeError(`scoreDigits: minClassShare must be in (0, 1], got ${String(options.minClassShare)}`);
  const [top, cls, classes] = tidy(() => {
    const probabilities = classifier.predict(images, { batchSize: 256 }) as Tensor;
    if (probabilities.rank !== 2) throw new RangeError(`scoreDigits: the classifier must output [n, classes], got [${probabilities.shape.join(', ')}]`);
    return [max(probabilities, 1), argMax(probabilities, 1), probabilities.shape[1]] as const;
  });
  try {
    const [topValues, classValues] = await Promise.all([top.data(), cls.data()]);
    const n = topValues.length;
    const histogram = new Array<number>(classes).fill(0);
    let confident = 0;
    for (let i = 0; i < n; i++) {
      if (topValues[i] > confidence) confident++;
      histogram[classValues[i]]++;
    }
    return {
      samples: n,
      confidentShare: confident / n,
      classesCovered: histogram.filter((count) => count >= minClassShare * n).length,
      histogram,
    };
  } finally {
    top.dispose();
    cls.dispose();
  }
}
