/**
 * `npm start`: trains the documents' MLP (784-64-64-10, Adam, sparse categorical cross-entropy,
 * 5 epochs, batch 32) on MNIST on the default backend, then prints the test accuracy and the
 * training speed.
 */
import * as et from '../index.js';

const backend = et.getBackend();
console.log(`edgetensor ${backend === 'native' ? `native backend (${et.getIsa()}, ${et.getNumThreads()} threads)` : `${backend} backend`}: the documents' MLP on MNIST (8,000 training / 2,000 test digits)`);
const preview = et.models.mlp();
preview.summary();
preview.dispose();
const result = await et.models.trainMlp({ dataset: 'mnist', seed: 1 });
console.log(`test accuracy ${result.testAccuracy.toFixed(4)} (loss ${result.testLoss.toFixed(4)}) on ${result.testSamples} digits; ` +
  `${Math.round(result.samplesPerSecond).toLocaleString('en-US')} training samples/s on ${backend}`);
result.model.dispose();
