// `npm run bench:gpu`: the gpu backend beside native in one run: GEMM n = 64 ... 2048, one
// training step of the documents' MLP, and the backend's overhead over a bare gpu.js kernel
// running the very same program (same WGSL, same arguments) on its own device in this thread.
// On a software Vulkan driver (llvmpipe) these figures measure overhead, not GPU speed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as et from '../dist/index.js';
import { madePrograms } from '../dist/backend/gpu/program.js';
import { gpuAdapterDescription } from '../dist/backend/gpu/index.js';
import { measureTrainingStep } from './training-step.mjs';

const require = createRequire(import.meta.url);
const GEMM_SIZES = (process.env.BENCH_GPU_SIZES ?? '64,128,256,512,1024,2048').split(',').map(Number);
const CHAIN = Number(process.env.BENCH_GPU_CHAIN ?? 8);

if (!et.backends().includes('gpu')) {
  console.log('bench:gpu: no WebGPU adapter here, nothing to measure (see `edgetensor info`)');
  process.exit(0);
}

/** Milliseconds per call of fn (which ends with a readback), median of `rounds`. */
function timeMs(fn, rounds) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

async function timeMsAsync(fn, rounds) {
  const times = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)];
}

// CHAIN products of the same operands, then one readback: what a training step looks like.
function chainOnBackend(a, b) {
  let c = null;
  for (let i = 0; i < CHAIN; i++) {
    c?.dispose();
    c = et.matMul(a, b);
  }
  c.dataSync();
  c.dispose();
}

const gemmRows = [];
for (const n of GEMM_SIZES) {
  const row = { n };
  const rounds = n >= 1024 ? 1 : 3;
  for (const backend of ['native', 'gpu'].filter((b) => et.backends().includes(b))) {
    et.setBackend(backend);
    const a = et.randomUniform([n, n], -1, 1, 1);
    const b = et.randomUniform([n, n], -1, 1, 2);
    chainOnBackend(a, b); // compiles the program, warms up
    const ms = timeMs(() => chainOnBackend(a, b), rounds) / CHAIN;
    row[`${backend}Ms`] = ms;
    row[`${backend}Gflops`] = (2 * n ** 3) / ms / 1e6;
    et.dispose([a, b]);
  }
  gemmRows.push(row);
}

// The bare gpu.js kernel: our GEMM program's own source and arguments, through gpu.js directly.
// The two run in alternation, round by round, and each round's ratio is ours / bare: a shared
// machine's slow spells then fall on both sides of a ratio rather than on one phase of the run.
const OVERHEAD_ROUNDS = Number(process.env.BENCH_GPU_OVERHEAD_ROUNDS ?? 7);
const webgpu = require('webgpu');
Object.assign(globalThis, webgpu.globals);
Object.defineProperty(globalThis, 'navigator', { value: { gpu: webgpu.create([]) }, configurable: true });
const { GPU } = require('gpu.js');
const gpu = new GPU({ mode: 'webgpu' });
const gemm = madePrograms().find((p) => p.name === 'Gemm4/linear/nobias');
const median = (values) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];
const overheadRows = [];
et.setBackend('gpu');
for (const n of GEMM_SIZES.filter((size) => size >= 256 && size <= 512)) {
  const kernel = gpu.createKernel(gemm.source, {
    argumentTypes: gemm.argumentTypes, output: [(n * n) / 4], pipeline: true, immutable: true, dynamicOutput: true, dynamicArguments: true, tactic: 'precision', loopMaxIterations: 2 ** 24 + 1,
  });
  const upload = gpu.createKernel(function (x) { return x[this.thread.x]; }, { output: [n * n], pipeline: true, immutable: true });
  const a = await upload(Float32Array.from({ length: n * n }, (_, i) => ((i * 7) % 13) / 13));
  const b = await upload(Float32Array.from({ length: n * n }, (_, i) => ((i * 5) % 11) / 11));
  const args = [a, b, n, n / 4, n, 0, n, 1, 0, n, 1, 0];
  const bareChain = async () => {
    let c = null;
    for (let i = 0; i < CHAIN; i++) {
      c?.delete();
      c = await kernel(...args);
    }
    await c.toArray();
    c.delete();
  };
  const ourA = et.randomUniform([n, n], -1, 1, 1);
  const ourB = et.randomUniform([n, n], -1, 1, 2);
  await bareChain();
  chainOnBackend(ourA, ourB);
  const bare = [];
  const ours = [];
  for (let r = 0; r < OVERHEAD_ROUNDS; r++) {
    bare.push((await timeMsAsync(bareChain, 1)) / CHAIN);
    ours.push(timeMs(() => chainOnBackend(ourA, ourB), 1) / CHAIN);
  }
  const ratios = ours.map((ms, r) => ms / bare[r]);
  overheadRows.push({ n, rounds: OVERHEAD_ROUNDS, bareMs: median(bare), edgetensorMs: median(ours), ratio: median(ratios), minRatio: Math.min(...ratios), maxRatio: Math.max(...ratios) });
  et.dispose([ourA, ourB]);
  kernel.destroy();
}

const stepRows = ['native', 'gpu'].filter((b) => et.backends().includes(b)).map((backend) => {
  const r = measureTrainingStep(backend, 'fused');
  return { backend, stepMs: r.stepMs, samplesPerSecond: r.samplesPerSecond, leakedTensors: r.leakedTensors };
});

console.log(`gpu backend on: ${gpuAdapterDescription()}`);
console.log('(on a software Vulkan driver these figures measure overhead, not GPU speed)\n');
console.log('GEMM n x n x n      native ms   native GFLOP/s   gpu ms   gpu GFLOP/s');
for (const r of gemmRows) {
  console.log(`  ${String(r.n).padEnd(6)}  ${(r.nativeMs ?? NaN).toFixed(3).padStart(14)} ${(r.nativeGflops ?? NaN).toFixed(1).padStart(16)} ${r.gpuMs.toFixed(2).padStart(8)} ${r.gpuGflops.toFixed(2).padStart(13)}`);
}
console.log(`\ngpu backend vs a bare gpu.js kernel (same program), ${CHAIN} chained products + one readback, per product (goal <= 1.1x)`);
for (const r of overheadRows) {
  console.log(`  n = ${String(r.n).padEnd(5)} bare ${r.bareMs.toFixed(2)} ms  edgetensor ${r.edgetensorMs.toFixed(2)} ms  ratio ${r.ratio.toFixed(3)}x (median of ${r.rounds} paired rounds; ${r.minRatio.toFixed(3)} to ${r.maxRatio.toFixed(3)})`);
}
console.log("\none training step of the documents' MLP (784-64-64-10, batch 32, Adam)");
for (const r of stepRows) console.log(`  ${r.backend.padEnd(7)} ${r.stepMs.toFixed(3)} ms/step  ${Math.round(r.samplesPerSecond)} samples/s  leaked tensors: ${r.leakedTensors}`);

mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/gpu.json', import.meta.url), JSON.stringify({ gemm: gemmRows, overhead: overheadRows, trainingStep: stepRows }, null, 2));
process.exit(0);
