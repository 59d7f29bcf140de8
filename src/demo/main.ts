/**
 * `npm start`: a matmul-heavy workload (the forward and backward GEMMs of a 784-512-512-10
 * MLP on a batch of 256) on each available backend, and native's speed-up over js.
 */
import * as et from '../index.js';

const BATCH = 256;
const LAYERS = [784, 512, 512, 10];

function workload(input: et.Tensor, weights: et.Tensor[]): number {
  return et.tidy(() => {
    let x = input;
    const activations: et.Tensor[] = [];
    for (const w of weights) {
      activations.push(x);
      x = et.relu(et.matMul(x, w));
    }
    // The two GEMMs per layer of a backward pass: dX = dY W^T and dW = X^T dY.
    let grad = et.softmax(x);
    for (let i = weights.length - 1; i >= 0; i--) {
      et.matMul(activations[i], grad, true, false);
      grad = et.matMul(grad, weights[i], false, true);
    }
    return et.sum(grad).dataSync()[0];
  });
}

function time(backend: et.BackendName, repeats: number): { ms: number; checksum: number } {
  et.setBackend(backend);
  // Seeded: the same numbers on every backend, made once, outside the timed passes.
  const input = et.randomUniform([BATCH, LAYERS[0]], 0, 1, 1);
  const weights = LAYERS.slice(1).map((units, i) => et.randomNormal([LAYERS[i], units], 0, 0.05, 2 + i));
  workload(input, weights);
  const start = performance.now();
  let checksum = 0;
  for (let i = 0; i < repeats; i++) checksum = workload(input, weights);
  const ms = (performance.now() - start) / repeats;
  et.dispose([input, ...weights]);
  return { ms, checksum };
}

const flops = 2 * BATCH * LAYERS.slice(1).reduce((s, u, i) => s + 3 * LAYERS[i] * u, 0);
console.log(`edgetensor demo: forward + backward GEMMs of a ${LAYERS.join('-')} MLP, batch ${BATCH} (${(flops / 1e9).toFixed(2)} GFLOP per pass)`);
console.log(`backends here: ${et.backends().join(', ')}; native ISA: ${et.getIsa() ?? 'n/a'}, threads: ${et.getNumThreads()}`);
const results = new Map<string, { ms: number; checksum: number }>();
for (const backend of et.backends()) {
  const r = time(backend, backend === 'js' ? 2 : 20);
  results.set(backend, r);
  console.log(`  ${backend.padEnd(7)} ${r.ms.toFixed(2).padStart(9)} ms/pass  ${(flops / r.ms / 1e6).toFixed(1).padStart(7)} GFLOP/s  checksum ${r.checksum.toPrecision(6)}`);
}
const js = results.get('js');
const native = results.get('native');
if (js && native) console.log(`native is ${(js.ms / native.ms).toFixed(1)}x faster than js`);
