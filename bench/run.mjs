// `npm run bench`: GEMM GFLOP/s for n = 64 ... 2048 per backend and per native ISA path, and
// elementwise GB/s, through the public API (tinybench medians), a training step, and a matMul with its
// readback written inline and in an async helper. Prints tables and writes
// bench/results/kernels.json; then runs the OpenBLAS comparison when OpenBLAS is installed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { Bench } from 'tinybench';
import * as et from '../dist/index.js';
import { measureReadback, printReadback } from './readback.mjs';
import { measureTrainingStep } from './training-step.mjs';

const GEMM_SIZES = [64, 128, 256, 512, 1024, 2048];
// The js backend needs ~20 s per 2048^3 GEMM; past this size it is left out.
const JS_MAX_GEMM = Number(process.env.BENCH_JS_MAX_GEMM ?? 512);
const ELEMENTWISE_SIZE = 1 << 20;

function targets() {
  const list = [];
  if (et.backends().includes('native')) {
    const order = ['avx512', 'avx2', 'scalar'];
    for (const isa of order.slice(order.indexOf(et.getBestIsa()))) list.push({ name: `native/${isa}`, backend: 'native', isa });
  }
  list.push({ name: 'js', backend: 'js' });
  return list;
}

function activate(target) {
  et.setBackend(target.backend);
  if (target.isa) et.setIsa(target.isa);
}

async function median(fn, { time = 300, iterations = 5 } = {}) {
  const bench = new Bench({ time, iterations, warmupIterations: 2, warmupTime: 50 });
  bench.add('task', fn);
  await bench.run();
  const result = bench.tasks[0].result;
  if (result.state !== 'completed') throw new Error(`benchmark failed: ${result.error ?? result.state}`);
  return result.latency.p50;
}

const rows = [];
for (const target of targets()) {
  activate(target);
  for (const n of GEMM_SIZES) {
    if (target.backend === 'js' && n > JS_MAX_GEMM) continue;
    const a = et.randomUniform([n, n], -1, 1, 1);
    const b = et.randomUniform([n, n], -1, 1, 2);
    const ms = await median(() => et.matMul(a, b).dispose(), { time: n >= 1024 ? 1000 : 300, iterations: 3 });
    rows.push({ kernel: 'matMul', size: n, target: target.name, threads: et.getNumThreads(), ms, gflops: (2 * n ** 3) / ms / 1e6 });
    et.dispose([a, b]);
  }
  const x = et.randomUniform([ELEMENTWISE_SIZE], -1, 1, 3);
  const y = et.randomUniform([ELEMENTWISE_SIZE], -1, 1, 4);
  for (const [kernel, fn, bytes] of [
    ['add', () => et.add(x, y).dispose(), 12],
    ['exp', () => et.exp(x).dispose(), 8],
    ['tanh', () => et.tanh(x).dispose(), 8],
    ['sum', () => et.sum(x).dispose(), 4],
  ]) {
    const ms = await median(fn);
    rows.push({ kernel, size: ELEMENTWISE_SIZE, target: target.name, threads: et.getNumThreads(), ms, gbps: (bytes * ELEMENTWISE_SIZE) / ms / 1e6 });
  }
  et.dispose([x, y]);
}

const byKey = new Map(rows.map((r) => [`${r.kernel}/${r.size}/${r.target}`, r]));
const names = targets().map((t) => t.name);
console.log(`\nedgetensor kernels (${et.getNumThreads()} threads; median of tinybench runs; figures through the public API)`);
console.log(['kernel', 'size', ...names.map((n) => n.padStart(13))].join('\t') + '\tnative vs js');
for (const key of [...new Set(rows.map((r) => `${r.kernel}/${r.size}`))]) {
  const [kernel, size] = key.split('/');
  const cells = names.map((n) => {
    const r = byKey.get(`${key}/${n}`);
    if (!r) return '-'.padStart(13);
    return (r.gflops !== undefined ? `${r.gflops.toFixed(1)} GFLOP/s` : `${r.gbps.toFixed(2)} GB/s`).padStart(13);
  });
  const js = byKey.get(`${key}/js`);
  const best = byKey.get(`${key}/${names[0]}`);
  const ratio = js && best && names[0] !== 'js' ? `${(js.ms / best.ms).toFixed(1)}x` : '-';
  console.log([kernel, size, ...cells].join('\t') + `\t${ratio}`);
}
if (et.backends().includes('native')) et.setIsa(et.getBestIsa());
const training = et.backends().flatMap((backend) => ['fused', 'ops'].map((form) => measureTrainingStep(backend, form)));
console.log(`\none training step of the documents' MLP (784-64-64-10, batch 32, Adam, sparse CE) through the autograd tape (medians of rounds)`);
console.log('layers: fused = fused.matMul (a dense layer: one kernel forward, one backward); ops = matMul + add + relu');
console.log(['backend', 'layers', 'ms/step', 'kernels ms', 'overhead', 'samples/s', 'kernel calls'].join('\t'));
for (const t of training) {
  console.log([t.backend, t.form, t.stepMs.toFixed(3), t.kernelMs.toFixed(3), `${(100 * t.overhead).toFixed(1)}%`, Math.round(t.samplesPerSecond), t.kernelCallsPerStep].join('\t'));
}
console.log('overhead = (time per step - time inside kernels) / time inside kernels: op checks, autograd tape, allocation (goal <= 25%)');
const readback = {};
if (et.backends().includes('native')) {
  for (const threads of [...new Set([1, Math.min(2, et.getNumThreads())])]) {
    readback[threads] = await measureReadback(threads);
    printReadback(threads, readback[threads]);
  }
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/kernels.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), threads: et.getNumThreads(), rows, training, readback }, null, 2));
console.log('wrote bench/results/kernels.json');

if (process.env.BENCH_SKIP_PEERS !== '1') {
  const peers = spawnSync(process.execPath, [new URL('./gemm-peers.mjs', import.meta.url).pathname], { stdio: 'inherit' });
  if (peers.status !== 0) process.exitCode = peers.status ?? 1;
}
