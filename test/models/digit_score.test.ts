/** scoreDigits: confident share, class coverage and the histogram, from a classifier with known outputs. */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';

/** A model whose class probabilities are the inputs' softmax: dense with an identity kernel. */
function identityClassifier(classes: number): et.Sequential {
  const model = et.sequential({ layers: [et.layers.dense({ units: classes, activation: 'softmax', inputShape: [classes], kernelInitializer: 'zeros' })] });
  const eye = et.eye(classes);
  const bias = et.zeros([classes]);
  model.setWeights([eye, bias]);
  et.dispose([eye, bias]);
  return model;
}

describe('et.models.scoreDigits', () => {
  it('counts confident samples and covered classes', async () => {
    const model = identityClassifier(3);
    // Logits 10 on one class give p = 0.99991 (confident); all-equal logits give p = 1/3.
    const rows = [[10, 0, 0], [10, 0, 0], [0, 10, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 10], [0, 10, 0], [10, 0, 0], [10, 0, 0]];
    const images = et.tensor(rows);
    const score = await et.models.scoreDigits(model, images, { minClassShare: 0.25 });
    expect(score.samples).toBe(10);
    expect(score.confidentShare).toBeCloseTo(0.7, 10);
    // argMax of an all-equal row is class 0: class 0 gets 7, class 1 gets 2, class 2 gets 1.
    expect(score.histogram).toEqual([7, 2, 1]);
    expect(score.classesCovered).toBe(1);
    expect((await et.models.scoreDigits(model, images, { minClassShare: 0.1 })).classesCovered).toBe(3);
    expect((await et.models.scoreDigits(model, images, { confidence: 0.3 })).confidentShare).toBe(1);
    images.dispose();
    model.dispose();
  });

  it('rejects thresholds outside their ranges', async () => {
    const model = identityClassifier(2);
    const images = et.zeros([1, 2]);
    await expect(et.models.scoreDigits(model, images, { confidence: 1 })).rejects.toThrow(/confidence must be in \[0, 1\), got 1/);
    await expect(et.models.scoreDigits(model, images, { minClassShare: 0 })).rejects.toThrow(/minClassShare must be in \(0, 1\], got 0/);
    images.dispose();
    model.dispose();
  });
});
