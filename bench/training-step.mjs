// One training step of the documents' MLP (784 -> 64 relu -> 64 relu -> 10, sparse categorical
// cross-entropy from logits, Adam, batch 32) through the autograd tape, per backend: the time
// per step, the time inside kernels, and the autograd / framework overhead on top of them.
// Two forms of the layers: `fused` (fused.matMul, what a dense layer runs: one kernel forward,
// one backward) and `ops` (separate matMul, add and relu). Figures are medians over rounds,
// so a busy neighbour on a shared machine spoils a round, not the result.
import * as et from '../dist/index.js';

const BATCH = 32;
const SIZES = [784, 64, 64, 10];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const STEPS_PER_ROUND = Number(process.env.BENCH_STEPS ?? 100);
const WARMUP_STEPS = 2000;
const WARMUP_MS = 3000;

const LAYER_FORMS = {
  fused: (h, l, activation) => et.fused.matMul({ a: h, b: l.w, bias: l.b, activation }),
  ops: (h, l, activation) => {
    const z = et.add(et.matMul(h, l.w), l.b);
    return activation === 'relu' ? et.relu(z) : z;
  },
};

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function measureTrainingStep(backend, form = 'fused') {
  const layer = LAYER_FORMS[form];
  et.setBackend(backend);
  et.setSeed(1);
  const layers = SIZES.slice(1).map((units, i) => ({
    w: et.variable(et.randomNormal([SIZES[i], units], 0, Math.sqrt(2 / SIZES[i])), true, `${backend}_${form}_w${i}`),
    b: et.variable(et.zeros([units]), true, `${backend}_${form}_b${i}`),
  }));
  const x = et.randomUniform([BATCH, SIZES[0]], 0, 1, 2);
  const labels = et.tensor(Int32Array.from({ length: BATCH }, (_, i) => i % 10));
  const optimizer = et.train.adam(0.001);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const loss = () =>
    et.tidy(() => {
      let h = x;
      layers.forEach((l, i) => {
        h = layer(h, l, i < layers.length - 1 ? 'relu' : 'linear');
      });
      return et.losses.sparseCategoricalCrossentropy(labels, h, { fromLogits: true });
    });
  const step = () => optimizer.minimize(loss, false, vars);
  // Warm-up: V8 optimises the step's JS only after some hundreds of steps (with 30 the rounds
  // measured the interpreter: 35-60 % overhead instead of 10-20 %), and a training run does
  // thousands. A slow backend (gpu on software Vulkan) stops after WARMUP_MS.
  const warmupStart = performance.now();
  for (let i = 0; i < WARMUP_STEPS && (i < 30 || performance.now() - warmupStart < WARMUP_MS); i++) step();
  const tensorsBefore = et.memory().numTensors;
  const rounds = [];
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push(et.profile(() => {
      for (let i = 0; i < STEPS_PER_ROUND; i++) step();
      // A device backend (gpu) runs the steps asynchronously: reading a parameter waits for them.
      layers[0].b.dataSync();
    }));
  }
  const leaked = et.memory().numTensors - tensorsBefore;
  optimizer.dispose();
  et.dispose([...vars, x, labels]);
  const stepMs = median(rounds.map((p) => p.wallMs)) / STEPS_PER_ROUND;
  const totals = new Map();
  for (const p of rounds) {
    for (const k of p.kernels) totals.set(k.name, (totals.get(k.name) ?? 0) + k.ms);
  }
  const steps = ROUNDS * STEPS_PER_ROUND;
  return {
    backend,
    form,
    stepMs,
    kernelMs: median(rounds.map((p) => p.kernelMs)) / STEPS_PER_ROUND,
    overhead: median(rounds.map((p) => (p.wallMs - p.kernelMs) / p.kernelMs)),
    samplesPerSecond: (BATCH * 1000) / stepMs,
    kernelCallsPerStep: rounds[0].kernels.reduce((s, k) => s + k.calls, 0) / STEPS_PER_ROUND,
    kernels: [...totals].sort((a, b) => b[1] - a[1]).map(([name, ms]) => ({ name, msPerStep: ms / steps })),
    leakedTensors: leaked,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const backend of et.backends()) {
    for (const form of Object.keys(LAYER_FORMS)) {
      const r = measureTrainingStep(backend, form);
      console.log(`${backend}/${form}: ${r.stepMs.toFixed(3)} ms/step, kernels ${r.kernelMs.toFixed(3)} ms, overhead ${(100 * r.overhead).toFixed(1)}%, ${r.kernelCallsPerStep} kernel calls, ${Math.round(r.samplesPerSecond)} samples/s`);
      console.log('  ' + r.kernels.map((k) => `${k.name} ${(1000 * k.msPerStep).toFixed(1)}us`).join(', '));
    }
  }
}
