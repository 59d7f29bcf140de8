// The documents' linear regression: y = 3x + noise, fitted by gradient descent on the mean
// squared error with learning rate 0.01 for 1000 steps (x uniform in [-2, 2), 100 samples,
// noise std 0.1). Build first (`npm run build`), then: node examples/linear-regression.mjs
import * as et from '../dist/index.js';

for (const useBias of [false, true]) {
  const r = et.models.linearRegression({ useBias, learningRate: 0.01, steps: 1000, n: 100, seed: 42 });
  const ls = r.leastSquares;
  console.log(useBias ? 'y = w x + b' : 'y = w x (no bias, as in the documents)');
  console.log(`  loss: ${r.lossHistory[0].toFixed(4)} at step 0 -> ${r.finalLoss.toFixed(6)} after ${r.steps} steps (lr ${r.learningRate})`);
  console.log(`  w = ${r.weight.toFixed(6)}   closed-form least squares w* = ${ls.weight.toFixed(6)}   |w - w*| = ${Math.abs(r.weight - ls.weight).toExponential(2)}`);
  if (useBias) console.log(`  b = ${r.bias.toFixed(6)}   closed-form b* = ${ls.bias.toFixed(6)}   |b - b*| = ${Math.abs(r.bias - ls.bias).toExponential(2)}`);
}

// The same fit written out with the public API: an optimizer minimizing the MSE of variables.
const x = et.randomUniform([100, 1], -2, 2, 1);
const y = et.add(et.mul(x, 3), et.randomNormal([100, 1], 0, 0.1, 2));
const w = et.variable(et.zeros([1, 1]), true, 'w');
const optimizer = et.train.sgd(0.01);
for (let step = 0; step < 1000; step++) {
  optimizer.minimize(() => et.losses.meanSquaredError(y, et.matMul(x, w)), false, [w]);
}
console.log(`optimizer.minimize route: w = ${w.dataSync()[0].toFixed(6)} (backend ${et.getBackend()})`);
