/**
 * The documents' MLP end to end on the MNIST split (8,000 / 2,000), on the default backend:
 * the issue's accuracy bar for one seed (the note reports three). The js backend would take
 * minutes, so this runs on native when it is there.
 */
import { expect, it } from 'vitest';
import * as et from '../../src/index.js';

it.skipIf(!et.backends().includes('native'))('trains the documents\' MLP on MNIST to >= 0.93 test accuracy in its 5 epochs', async () => {
  et.setBackend('native');
  const result = await et.models.trainMlp({ dataset: 'mnist', seed: 2, verbose: 0 });
  expect(result.trainSamples).toBe(8000);
  expect(result.testSamples).toBe(2000);
  expect(result.history.epoch.length).toBe(5);
  expect(result.testAccuracy).toBeGreaterThanOrEqual(0.93);
  // dispose frees the 6 weights and Adam's m and v of each.
  const before = et.memory().numTensors;
  result.model.dispose();
  expect(et.memory().numTensors).toBe(before - 18);
}, 60_000);
