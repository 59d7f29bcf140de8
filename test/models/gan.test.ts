/**
 * The documents' GAN: the architecture (layers and Keras parameter counts), one training step
 * against the losses recomputed independently, learning on real digits, trainGan's files, and
 * bad input. Runs on native when it is there (the js backend would take minutes).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';

const dense = (inputs: number, units: number) => inputs * units + units;
const batchNorm = (features: number) => 4 * features;

function maxAbsDifference(a: et.Tensor[], b: et.Tensor[]): number {
  let worst = 0;
  a.forEach((t, i) => {
    const x = t.dataSync();
    const y = b[i].dataSync();
    for (let k = 0; k < x.length; k++) worst = Math.max(worst, Math.abs(x[k] - y[k]));
  });
  return worst;
}

function correlation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const mean = (v: ArrayLike<number>) => Array.from(v).reduce((x, y) => x + y, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}

describe('et.models.gan', () => {
  const previous = et.getBackend();
  beforeAll(() => { if (et.backends().includes('native')) et.setBackend('native'); });
  afterAll(() => et.setBackend(previous));

  it('builds the documents\' generator and discriminator with Keras parameter counts', () => {
    const gan = et.models.gan();
    try {
      const g = gan.generator;
      expect(g.layers.map((l) => l.className)).toEqual(['Dense', 'BatchNormalization', 'Dense', 'BatchNormalization', 'Dense', 'BatchNormalization', 'Dense', 'BatchNormalization', 'Dense']);
      expect(g.countParams()).toBe(dense(100, 128) + batchNorm(128) + dense(128, 256) + batchNorm(256) + dense(256, 512) + batchNorm(512) + dense(512, 1024) + batchNorm(1024) + dense(1024, 784));
      expect(g.nonTrainableWeights.length).toBe(8);
      const d = gan.discriminator;
      expect(d.layers.map((l) => l.className)).toEqual(['Dense', 'Dense', 'Dense', 'Dense', 'Dense']);
      expect(d.countParams()).toBe(dense(784, 1024) + dense(1024, 512) + dense(512, 256) + dense(256, 128) + dense(128, 1));
      const images = gan.generate(5);
      expect(images.shape).toEqual([5, 784]);
      const values = images.dataSync();
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
      images.dispose();
    } finally {
      gan.dispose();
    }
  });

  it('puts BatchNorm after each hidden discriminator layer only when asked', () => {
    const gan = et.models.gan({ discriminatorBatchNorm: true, latentDim: 16 });
    try {
      expect(gan.discriminator.layers.filter((l) => l.className === 'BatchNormalization')).toHaveLength(4);
      expect(gan.generator.layers[0].inputShape).toEqual([null, 16]);
    } finally {
      gan.dispose();
    }
  });

  it('takes one step: D on BCE(D(x), 1) + BCE(D(G(z)), 0), then G on BCE(D\'(G(z)), 1) through the updated D', () => {
    et.setSeed(3);
    const gan = et.models.gan();
    const real = et.randomUniform([16, 784], 0, 1, 11);
    const ones = et.ones([16, 1]);
    const zeros = et.zeros([16, 1]);
    try {
      const gBefore = gan.generator.trainableWeights.map((w) => et.clone(w));
      const dBefore = gan.discriminator.trainableWeights.map((w) => et.clone(w));
      // The reference, with probabilities (clipped as Keras does) instead of the step's logits.
      et.setSeed(5);
      const z = et.randomNormal([16, 100]);
      const fake = gan.generator.apply(z, { training: true }) as et.Tensor;
      const dReal = gan.discriminator.apply(real) as et.Tensor;
      const dFake = gan.discriminator.apply(fake) as et.Tensor;
      const dLoss = et.add(et.losses.binaryCrossentropy(ones, dReal), et.losses.binaryCrossentropy(zeros, dFake));
      const expected = [dLoss.dataSync()[0], et.mean(dReal).dataSync()[0], et.mean(dFake).dataSync()[0]];

      et.setSeed(5);
      const step = gan.trainStep(real);
      const [stepDLoss, stepGLoss, stepDReal, stepDFake] = step.values.dataSync();
      expect(stepDLoss).toBeCloseTo(expected[0], 4);
      expect(stepDReal).toBeCloseTo(expected[1], 5);
      expect(stepDFake).toBeCloseTo(expected[2], 5);
      // The G loss is measured through the updated discriminator, on the same G(z).
      const dAfter = gan.discriminator.apply(fake) as et.Tensor;
      expect(stepGLoss).toBeCloseTo(et.losses.binaryCrossentropy(ones, dAfter).dataSync()[0], 4);
      // Adam's first step moves each weight by at most about the learning rate (2e-4).
      const dMoved = maxAbsDifference(gan.discriminator.trainableWeights, dBefore);
      const gMoved = maxAbsDifference(gan.generator.trainableWeights, gBefore);
      expect(dMoved).toBeGreaterThan(1.5e-4);
      expect(dMoved).toBeLessThan(2.1e-4);
      expect(gMoved).toBeGreaterThan(1.5e-4);
      expect(gMoved).toBeLessThan(2.1e-4);
      et.dispose([...gBefore, ...dBefore, z, fake, dReal, dFake, dLoss, dAfter, step.values]);
    } finally {
      et.dispose([real, ones, zeros]);
      gan.dispose();
    }
  });

  it('leaves no tensors behind across steps', () => {
    et.setSeed(1);
    const gan = et.models.gan();
    const real = et.randomUniform([8, 784], 0, 1, 2);
    try {
      gan.trainStep(real).values.dispose();
      const before = et.memory().numTensors;
      for (let i = 0; i < 3; i++) gan.trainStep(real, { labelSmoothing: 0.1 }).values.dispose();
      expect(et.memory().numTensors).toBe(before);
    } finally {
      real.dispose();
      gan.dispose();
    }
  });

  it('learns from real digits: the samples\' mean image comes to match the digits\' (dark border, bright centre)', async () => {
    const n = 2048;
    const digits = et.data.mnistArrays();
    const realMean = new Float64Array(784);
    for (let i = 0; i < n * 784; i++) realMean[i % 784] += digits.trainImages[i] / 255 / n;
    const meanImageCorrelation = (gan: et.models.Gan) => {
      const samples = gan.generate(256);
      const m = et.mean(samples, 0);
      const r = correlation(m.dataSync(), realMean);
      et.dispose([samples, m]);
      return r;
    };
    et.setSeed(4);
    const untrained = et.models.gan();
    expect(Math.abs(meanImageCorrelation(untrained))).toBeLessThan(0.15);
    untrained.dispose();
    const result = await et.models.trainGan({ epochs: 2, trainSamples: n, seed: 4, verbose: 0 });
    try {
      // 64 steps take it to about 0.54.
      expect(meanImageCorrelation(result.gan)).toBeGreaterThan(0.3);
      expect(result.epochs.map((e) => e.epoch)).toEqual([1, 2]);
      for (const e of result.epochs) {
        expect(e.dReal).toBeGreaterThan(e.dFake);
        expect(Number.isFinite(e.gLoss)).toBe(true);
      }
    } finally {
      result.gan.dispose();
    }
  }, 60_000);

  it('writes an 8 x 8 sample grid per epoch and the loss log, and scores samples with a classifier', async () => {
    const out = mkdtempSync(join(tmpdir(), 'edgetensor-gan-'));
    // Any model with class probabilities scores; an untrained one is enough for the file format.
    et.setSeed(9);
    const classifier = et.models.mlp();
    try {
      const result = await et.models.trainGan({ epochs: 1, trainSamples: 128, seed: 2, out, score: classifier, scoreSamples: 200, verbose: 0 });
      const png = PNG.sync.read(readFileSync(join(out, 'epoch_001.png')));
      expect([png.width, png.height]).toEqual([8 * 28 + 9 * 2, 8 * 28 + 9 * 2]);
      const [header, line] = readFileSync(join(out, 'losses.csv'), 'utf8').trim().split('\n');
      expect(header).toBe('epoch,d_loss,g_loss,d_real,d_fake,seconds,samples_per_second,confident_share,classes_covered,histogram');
      const fields = line.split(',');
      const log = result.epochs[0];
      expect(fields.slice(0, 5).map(Number)).toEqual([1, log.dLoss, log.gLoss, log.dReal, log.dFake]);
      expect(log.score!.samples).toBe(200);
      expect(log.score!.histogram.reduce((a, b) => a + b, 0)).toBe(200);
      expect(fields[9].split(' ').map(Number)).toEqual(log.score!.histogram);
      expect(log.image).toBe(join(out, 'epoch_001.png'));
      result.gan.dispose();
    } finally {
      classifier.dispose();
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects bad options and inputs, naming them', async () => {
    expect(() => et.models.gan({ latentDim: 0 })).toThrow(/gan: latentDim must be a positive integer, got 0/);
    expect(() => et.models.gan({ beta1: 1 })).toThrow(/gan: beta1 must be a number in \[0, 1\), got 1/);
    expect(() => et.models.gan({ learningRate: -1 })).toThrow(/gan: learningRate must be a positive number, got -1/);
    const gan = et.models.gan();
    const wrong = et.zeros([4, 100]);
    try {
      expect(() => gan.trainStep(wrong)).toThrow(/real images must have shape \[batch, 784\], got \[4, 100\]/);
      expect(() => gan.trainStep(et.zeros([4, 784]), { labelSmoothing: 1 })).toThrow(/labelSmoothing must be a number in \[0, 1\), got 1/);
    } finally {
      wrong.dispose();
      gan.dispose();
    }
    await expect(et.models.trainGan({ trainSamples: 9000, verbose: 0 })).rejects.toThrow(/trainGan: trainSamples \(9000\) exceeds the 8000 training images/);
    await expect(et.models.trainGan({ dataset: 'cifar' as never, verbose: 0 })).rejects.toThrow(/trainGan: dataset must be 'mnist' or 'fashion', got "cifar"/);
    await expect(et.models.trainGan({ epochs: 0, verbose: 0 })).rejects.toThrow(/trainGan: epochs must be a positive integer, got 0/);
  });
});
