// `npm run bench:peers`: edgetensor's native backend beside its peers, side by side in one run,
// on the documents' workloads:
//  - GEMM against OpenBLAS (bench/gemm-peers.mjs, when OpenBLAS is installed);
//  - the MLP (784-64-64-10, Adam, sparse categorical cross-entropy) trained through model.fit at
//    batch 32 and 256, against tfjs-layers on tfjs' wasm backend and PyTorch CPU;
//  - the GAN's training step at batch 64, against PyTorch CPU;
//  - batch-1 inference latency of the MLP, against onnxruntime-node running it as et.exportOnnx writes it.
// PyTorch runs when a python3 imports torch ($PYTHON, python3, /usr/bin/python3; Debian: apt-get
// install python3-torch).
// PyTorch and onnxruntime run round by round in turn with ours (a slow spell of a shared machine
// then falls on both sides); a ratio is the median of the per-round ratios.
// Prints a table of figures and ratios (ours / peer, higher is better for rates, lower for
// latency) and writes bench/results/peers.json. Options: --quick (fewer GEMM sizes and rounds),
// --no-gemm, --threads=N (edgetensor's pool and the peers' threads; default: all cores).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as et from '../dist/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = Object.fromEntries(process.argv.slice(2).map((a) => {
  const [k, v] = a.replace(/^--/, '').split('=');
  return [k, v ?? true];
}));
const quick = Boolean(args.quick);
const threads = Number(args.threads ?? et.getNumThreads());
const ROUNDS = quick ? 3 : 5;
const MLP_BATCHES = [32, 256];
const GAN_BATCH = 64;
// Epochs per timed round of fit, on both sides. One epoch of the 10,000 samples is 20-50 ms of
// ours, short enough for a shared machine's slow spell to swing a round 2.5x (batch 256 in one
// run: 183k to 505k samples/s, and the ratio to PyTorch from 0.97 to 2.27 between two runs).
const FIT_EPOCHS_PER_ROUND = quick ? 1 : 4;
// Warm-up before the timed rounds, the same for every side. V8 keeps tiering a training loop's
// code up for about 2,000 steps (fit at batch 32: ~50k samples/s in the first epoch, ~120k
// from the eighth on), so the figures below are the steady state; the first epoch's is printed too.
const WARMUP_STEPS = 2000;
const GAN_WARMUP_STEPS = 100;
const warmupEpochs = (batchSize) => Math.max(1, Math.ceil(WARMUP_STEPS / Math.ceil(trainCount / batchSize)));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function roundsOf(fn, rounds = ROUNDS) {
  const values = [];
  for (let r = 0; r < rounds; r++) values.push(await fn());
  return median(values);
}

/**
 * Rounds of ours and of each peer variant in turn (variants: e.g. a peer at two thread counts,
 * the better of which is the peer in that round). Returns the medians and the median of the
 * per-round ratios ours / peer.
 */
async function interleaved(ourRound, peerVariants, higherIsBetter, rounds = ROUNDS) {
  const best = higherIsBetter ? Math.max : Math.min;
  const ours = [], theirs = [], ratios = [];
  const byVariant = Object.fromEntries(Object.keys(peerVariants).map((name) => [name, []]));
  for (let r = 0; r < rounds; r++) {
    const mine = await ourRound();
    const peer = [];
    for (const [name, round] of Object.entries(peerVariants)) {
      const value = await round();
      byVariant[name].push(value);
      peer.push(value);
    }
    const bestPeer = best(...peer);
    ours.push(mine);
    theirs.push(bestPeer);
    ratios.push(mine / bestPeer);
  }
  return { ours: median(ours), theirs: median(theirs), ratio: median(ratios), rounds: { ours, ...byVariant } };
}

et.setBackend('native');
et.setNumThreads(threads);
const mnist = et.data.mnist();
const trainCount = mnist.trainImages.shape[0];

// ---- the MLP through model.fit ----------------------------------------------------------

/** Rounds of model.fit at this batch size: the samples per second of FIT_EPOCHS_PER_ROUND epochs, after the warm-up. */
async function ourFitRounds(batchSize) {
  et.setSeed(1);
  const model = et.models.mlp();
  const epochs = async (count) => {
    const start = performance.now();
    await model.fit(mnist.trainImages, mnist.trainLabels, { epochs: count, batchSize, verbose: 0 });
    return (count * trainCount) / ((performance.now() - start) / 1000);
  };
  const firstEpoch = await epochs(1);
  for (let e = 1; e < warmupEpochs(batchSize); e++) await epochs(1);
  const round = () => epochs(FIT_EPOCHS_PER_ROUND);
  return { round, firstEpoch, dispose: () => model.dispose() };
}

async function tfjsWasm() {
  const tf = require('@tensorflow/tfjs-core');
  require('@tensorflow/tfjs-backend-wasm');
  const tfl = require('@tensorflow/tfjs-layers');
  await tf.setBackend('wasm');
  await tf.ready();
  const images = tf.tensor2d(await mnist.trainImages.data(), [trainCount, 784]);
  const labels = tf.tensor1d(Float32Array.from(await mnist.trainLabels.data()));
  const rates = {};
  for (const batchSize of MLP_BATCHES) {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
        tfl.layers.dense({ units: 64, activation: 'relu' }),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'sparseCategoricalCrossentropy' });
    await model.fit(images, labels, { epochs: 1, batchSize, verbose: 0 });
    rates[batchSize] = await roundsOf(async () => {
      const start = performance.now();
      await model.fit(images, labels, { epochs: 1, batchSize, verbose: 0 });
      return trainCount / ((performance.now() - start) / 1000);
    }, quick ? 1 : 3);
    model.dispose();
  }
  tf.dispose([images, labels]);
  return rates;
}

// ---- the GAN's training step ---------------------------------------------------------------

/** Rounds of the GAN: steps per second over 60 steps, after the warm-up. */
async function ourGanRounds() {
  et.setSeed(1);
  const gan = et.models.gan();
  const data = et.data.Dataset.fromImageArrays(et.data.mnistArrays(), 'train');
  const step = async (x) => {
    const logs = gan.trainStep(x);
    await logs.values.data();
    logs.values.dispose();
  };
  const batches = () => data.batches({ batchSize: GAN_BATCH, shuffle: true, seed: 1, epoch: 0 });
  const run = async (steps) => {
    let done = 0;
    const start = performance.now();
    for (const batch of batches()) {
      if (done === steps) {
        et.dispose([batch.x, batch.y]);
        continue;
      }
      await step(batch.x);
      et.dispose([batch.x, batch.y]);
      done++;
    }
    return done / ((performance.now() - start) / 1000);
  };
  await run(GAN_WARMUP_STEPS);
  return { round: () => run(60), dispose: () => gan.dispose() };
}

// ---- batch-1 inference against onnxruntime-node -------------------------------------------

async function latencies() {
  et.setSeed(1);
  const model = et.models.mlp();
  await model.fit(mnist.trainImages, mnist.trainLabels, { epochs: 1, verbose: 0 });
  const x = et.tidy(() => et.slice(mnist.testImages, [0, 0], [1, 784]));
  const ours = () => {
    const y = model.predict(x);
    const values = y.dataSync();
    y.dispose();
    return values;
  };
  const ort = require('onnxruntime-node');
  const bytes = await et.exportOnnx(model);
  // onnxruntime at its default thread count and at 1 thread; the faster of the two is the peer.
  const sessions = {
    default: await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' }),
    oneThread: await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 }),
  };
  const [input] = sessions.default.inputNames;
  const [output] = sessions.default.outputNames;
  const feeds = { [input]: new ort.Tensor('float32', x.dataSync(), [1, 784]) };
  const a = ours();
  let maxDifference = 0;
  for (const session of Object.values(sessions)) {
    const b = (await session.run(feeds))[output].data;
    maxDifference = Math.max(maxDifference, ...Array.from(a, (v, i) => Math.abs(v - b[i])));
  }
  if (!(maxDifference < 1e-5)) throw new Error(`bench:peers: onnxruntime's MLP output differs from ours by ${maxDifference}`);
  // Each in its own API's form: predict is synchronous, onnxruntime's run is awaited.
  const CALLS = 20000;
  const perCallUs = async (loop) => {
    await loop();
    return roundsOf(async () => {
      const start = performance.now();
      await loop();
      return ((performance.now() - start) * 1000) / CALLS;
    }, quick ? 3 : 7);
  };
  const oursLoop = () => {
    for (let i = 0; i < CALLS; i++) ours();
  };
  const theirLoop = (session) => async () => {
    for (let i = 0; i < CALLS; i++) await session.run(feeds);
  };
  const result = await interleaved(() => perCallUs(oursLoop), {
    default: () => perCallUs(theirLoop(sessions.default)),
    oneThread: () => perCallUs(theirLoop(sessions.oneThread)),
  }, false, 3);
  x.dispose();
  model.dispose();
  return { ...result, maxDifference };
}

// ---- PyTorch CPU ----------------------------------------------------------------------------

/** The first Python that imports torch: $PYTHON, python3 on the PATH, then the system's (Debian's package is there). */
function pythonWithTorch() {
  for (const python of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean)) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim() };
  }
  return null;
}

/**
 * The PyTorch harness (bench/pytorch/peers.py) as a process answering one round per request,
 * or {skipped} when no Python here imports torch.
 */
function startPytorch() {
  const found = pythonWithTorch();
  if (!found) return { skipped: 'no python3 here imports torch (Debian: apt-get install python3-torch; or set PYTHON)' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgetensor-peers-'));
  writeFileSync(path.join(dir, 'images.f32'), mnist.trainImages.dataSync());
  writeFileSync(path.join(dir, 'labels.i32'), mnist.trainLabels.dataSync());
  const child = spawn(found.python, [path.join(root, 'bench', 'pytorch', 'peers.py'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (request) => {
    child.stdin.write(`${request}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`bench:peers: the PyTorch harness ended without answering '${request}' (exit code ${child.exitCode})`);
    return JSON.parse(value).value;
  };
  const close = () => {
    child.stdin.end();
    rmSync(dir, { recursive: true, force: true });
  };
  return { version: found.version, ask, close };
}

/** PyTorch at our thread count and at 1 thread (its OpenMP threads can lose more than they win on a small shared machine): the faster, per round, is the peer. */
function torchVariants(torch, request) {
  return Object.fromEntries([...new Set([threads, 1])].map((n) => [`${n} thread${n === 1 ? '' : 's'}`, () => torch.ask(`${request} ${n}`)]));
}

// ---- GEMM against OpenBLAS ------------------------------------------------------------------

function gemm() {
  if (args['no-gemm']) return { skipped: '--no-gemm' };
  const run = spawnSync(process.execPath, [path.join(root, 'bench', 'gemm-peers.mjs'), ...(quick ? ['--quick'] : []), '--no-js'], { stdio: 'inherit' });
  if (run.status !== 0) throw new Error('bench:peers: bench/gemm-peers.mjs failed');
  return JSON.parse(readFileSync(path.join(root, 'bench', 'results', 'gemm-peers.json'), 'utf8'));
}

// ---- the run --------------------------------------------------------------------------------

const gemmResults = gemm();
console.log(`\nedgetensor native (${et.getBestIsa()}, ${threads} threads) beside its peers, ${os.cpus()[0]?.model ?? 'unknown cpu'}\n`);
const rows = [];
/** A table row; ratio defaults to ours / theirs (interleaved rows give the median of their per-round ratios). */
const row = (workload, unit, ours, peer, theirs, higherIsBetter, ratio = theirs === undefined ? null : ours / theirs) => {
  rows.push({ workload, unit, ours, peer, theirs: theirs ?? null, ratio, higherIsBetter });
  const fmt = (v) => (v === undefined || v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(`  ${workload.padEnd(30)} ${unit.padEnd(10)} ours ${fmt(ours).padStart(9)}   ${peer.padEnd(18)} ${fmt(theirs).padStart(9)}   ratio ${ratio === null ? '-' : ratio.toFixed(2)}`);
};

const torch = startPytorch();
const tfjsRates = await tfjsWasm();
const results = { fit: {}, gan: null };
for (const batchSize of MLP_BATCHES) {
  const ours = await ourFitRounds(batchSize);
  const vsTorch = torch.skipped ? null : await interleaved(ours.round, torchVariants(torch, `mlp ${batchSize} ${warmupEpochs(batchSize)} ${FIT_EPOCHS_PER_ROUND}`), true);
  const measured = (results.fit[batchSize] = { ...(vsTorch ?? { ours: await roundsOf(ours.round) }), oursFirstEpoch: ours.firstEpoch });
  ours.dispose();
  row(`MLP model.fit, batch ${batchSize}`, 'samples/s', measured.ours, 'tfjs-wasm', tfjsRates[batchSize], true);
  if (vsTorch) row(`MLP model.fit, batch ${batchSize}`, 'samples/s', vsTorch.ours, 'PyTorch', vsTorch.theirs, true, vsTorch.ratio);
}
console.log(`  (ours in the first epoch, before V8 has tiered the loop up: ${MLP_BATCHES.map((b) => `batch ${b} ${results.fit[b].oursFirstEpoch.toFixed(0)}`).join(', ')} samples/s)`);
{
  const ours = await ourGanRounds();
  const vsTorch = torch.skipped ? null : await interleaved(ours.round, torchVariants(torch, `gan ${GAN_WARMUP_STEPS}`), true);
  results.gan = vsTorch ?? { ours: await roundsOf(ours.round) };
  ours.dispose();
  if (vsTorch) row(`GAN step, batch ${GAN_BATCH}`, 'steps/s', vsTorch.ours, 'PyTorch', vsTorch.theirs, true, vsTorch.ratio);
  else row(`GAN step, batch ${GAN_BATCH}`, 'steps/s', results.gan.ours, 'PyTorch (skipped)', undefined, true);
}
if (!torch.skipped) torch.close();
const latency = await latencies();
row('MLP predict, batch 1', 'us', latency.ours, 'onnxruntime-node', latency.theirs, false, latency.ratio);
if (torch.skipped) console.log(`\n  PyTorch: ${torch.skipped}`);
console.log('\n  ratio = ours / peer: above 1 is faster for samples/s and steps/s, below 1 is faster for us');

mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
const file = path.join(root, 'bench', 'results', 'peers.json');
writeFileSync(file, JSON.stringify({
  date: new Date().toISOString(), cpu: os.cpus()[0]?.model, threads, isa: et.getBestIsa(), node: process.version,
  rows, rounds: { ...results, latency }, pytorch: torch.skipped ? { skipped: torch.skipped } : { version: torch.version }, gemm: gemmResults,
}, null, 2));
console.log(`wrote ${path.relative(root, file)}`);
process.exit(0);
