// One training step of the documents' MLP (784 -> 64 relu -> 64 relu -> 10, sparse categorical
// cross-entropy from logits, Adam, batch 32) through the autograd tape, per backend: the time
// per step, the time inside kernels, and the autograd / framework overhead on top of them.
import * as et from '../dist/index.js';

const BATCH = 32;
const SIZES = [784, 64, 64, 10];
const STEPS = Number(process.env.BENCH_STEPS ?? 300);

export function measureTrainingStep(backend) {
  et.setBackend(backend);
  et.setSeed(1);
  const layers = SIZES.slice(1).map((units, i) => ({
    w: et.variable(et.randomNormal([SIZES[i], units], 0, Math.sqrt(2 / SIZES[i])), true, `${backend}_w${i}`),
    b: et.variable(et.zeros([units]), true, `${backend}_b${i}`),
  }));
  const x = et.randomUniform([BATCH, SIZES[0]], 0, 1, 2);
  const labels = et.tensor(Int32Array.from({ length: BATCH }, (_, i) => i % 10));
  const optimizer = et.train.adam(0.001);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const loss = () =>
    et.tidy(() => {
      let h = x;
      layers.forEach((l, i) => {
        h = et.add(et.matMul(h, l.w), l.b);
        if (i < layers.length - 1) h = et.relu(h);
      });
      return et.losses.sparseCategoricalCrossentropy(labels, h, { fromLogits: true });
    });
  const step = () => optimizer.minimize(loss, false, vars);
  for (let i = 0; i < 20; i++) step(); // warm-up
  const tensorsBefore = et.memory().numTensors;
  const p = et.profile(() => {
    for (let i = 0; i < STEPS; i++) step();
  });
  const leaked = et.memory().numTensors - tensorsBefore;
  optimizer.dispose();
  et.dispose([...vars, x, labels]);
  return {
    backend,
    stepMs: p.wallMs / STEPS,
    kernelMs: p.kernelMs / STEPS,
    overhead: (p.wallMs - p.kernelMs) / p.kernelMs,
    samplesPerSecond: (BATCH * STEPS) / (p.wallMs / 1000),
    kernelCallsPerStep: p.kernels.reduce((s, k) => s + k.calls, 0) / STEPS,
    topKernels: p.kernels.slice(0, 6).map((k) => ({ name: k.name, msPerStep: k.ms / STEPS, callsPerStep: k.calls / STEPS })),
    leakedTensors: leaked,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const backend of et.backends()) console.log(JSON.stringify(measureTrainingStep(backend), null, 2));
}
