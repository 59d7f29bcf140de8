// Saving and loading in TensorFlow.js's layers-model format: train the documents' MLP for an
// epoch, save it with its optimizer's state, load it back, check that it predicts the same, and
// resume training where it stopped; a checkpoint callback keeps the best epoch. The files load in
// tfjs-layers too (tf.loadLayersModel). Build first (`npm run build`), then:
// node examples/save-load.mjs [dir]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as et from '../dist/index.js';

const dir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'edgetensor-example-'));
const { trainImages, trainLabels, testImages, testLabels } = et.data.mnist();
const model = et.models.mlp();
await model.fit(trainImages, trainLabels, {
  epochs: 2, batchSize: 32, verbose: 0, validationSplit: 0.1,
  callbacks: [et.callbacks.modelCheckpoint({ filepath: join(dir, 'best'), monitor: 'val_loss', saveBestOnly: true })],
});
await model.save(`file://${join(dir, 'mlp')}`, { includeOptimizer: true });

const loaded = await et.loadLayersModel(`file://${join(dir, 'mlp', 'model.json')}`);
const [a, b] = [model.predict(testImages), loaded.predict(testImages)];
const maxDiff = Math.max(...et.abs(et.sub(a, b)).dataSync());
console.log(`saved to ${join(dir, 'mlp')}; the loaded model's predictions differ by at most ${maxDiff} on ${testImages.shape[0]} test images`);

// Training resumes with the saved Adam state: one more epoch on both gives the same weights.
for (const m of [model, loaded]) {
  et.setSeed(7);
  await m.fit(trainImages, trainLabels, { epochs: 1, batchSize: 32, verbose: 0, seed: 7 });
}
const same = model.getWeights().every((w, i) => Math.max(...et.abs(et.sub(w, loaded.getWeights()[i])).dataSync()) === 0);
const [, accuracy] = await loaded.evaluate(testImages, testLabels);
console.log(`after one more epoch each: weights identical: ${same}; test accuracy ${accuracy.dataSync()[0].toFixed(4)}`);
const best = await et.loadLayersModel(`file://${join(dir, 'best')}`);
console.log(`the best epoch's checkpoint (${join(dir, 'best')}) has ${best.countParams()} parameters`);
