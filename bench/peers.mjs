// `npm run bench:peers`: edgetensor's native backend beside its peers, side by side in one run,
// on the documents' workloads:
//  - GEMM against OpenBLAS (bench/gemm-peers.mjs, when OpenBLAS is installed);
//  - the MLP (784-64-64-10, Adam, sparse categorical cross-entropy) trained through model.fit at
//    batch 32 and 256, against tfjs-layers on tfjs' wasm backend and PyTorch CPU;
//  - the GAN's training step at batch 64, against PyTorch CPU;
//  - batch-1 inference latency of the MLP, against onnxruntime-node running the same weights.
// PyTorch runs when a python3 imports torch ($PYTHON, python3, /usr/bin/python3; Debian: apt-get
// install python3-torch).
// Prints a table of figures and ratios (ours / peer, higher is better for rates, lower for
// latency) and writes bench/results/peers.json. Options: --quick (fewer GEMM sizes and rounds),
// --no-gemm, --threads=N (edgetensor's pool and the peers' threads; default: all cores).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
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

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function roundsOf(fn, rounds = ROUNDS) {
  const values = [];
  for (let r = 0; r < rounds; r++) values.push(await fn());
  return median(values);
}

et.setBackend('native');
et.setNumThreads(threads);
const mnist = et.data.mnist();
const trainCount = mnist.trainImages.shape[0];

// ---- the MLP through model.fit ----------------------------------------------------------

/** Training samples per second of one epoch of model.fit (after one warm-up epoch). */
async function ourFitRate(batchSize) {
  et.setSeed(1);
  const model = et.models.mlp();
  await model.fit(mnist.trainImages, mnist.trainLabels, { epochs: 1, batchSize, verbose: 0 });
  const rate = await roundsOf(async () => {
    const start = performance.now();
    await model.fit(mnist.trainImages, mnist.trainLabels, { epochs: 1, batchSize, verbose: 0 });
    return trainCount / ((performance.now() - start) / 1000);
  });
  model.dispose();
  return rate;
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

async function ourGanRate() {
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
  await run(20);
  const rate = await roundsOf(() => run(60));
  gan.dispose();
  return rate;
}

// ---- batch-1 inference against onnxruntime-node -------------------------------------------

/** The MLP's weights as an ONNX model (Gemm, Relu, Softmax; opset 13) for onnxruntime. */
function mlpAsOnnx(model) {
  const { onnx } = require('onnx-proto');
  const FLOAT = onnx.TensorProto.DataType.FLOAT;
  const valueInfo = (name, dims) => onnx.ValueInfoProto.create({
    name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
  });
  const initializer = [];
  const node = [];
  let h = 'x';
  model.layers.forEach((layer, i) => {
    const [kernel, bias] = layer.getWeights();
    for (const [name, t] of [[`W${i}`, kernel], [`B${i}`, bias]]) {
      const values = t.dataSync();
      initializer.push(onnx.TensorProto.create({ name, dims: t.shape, dataType: FLOAT, rawData: Buffer.from(values.buffer, values.byteOffset, values.byteLength) }));
    }
    node.push(onnx.NodeProto.create({ opType: 'Gemm', input: [h, `W${i}`, `B${i}`], output: [`z${i}`] }));
    const activation = layer.activation.name === 'softmax' ? 'Softmax' : 'Relu';
    node.push(onnx.NodeProto.create({ opType: activation, input: [`z${i}`], output: [`h${i}`] }));
    h = `h${i}`;
  });
  const graph = onnx.GraphProto.create({ name: 'mlp', node, initializer, input: [valueInfo('x', [1, 784])], output: [valueInfo(h, [1, 10])] });
  const proto = onnx.ModelProto.create({ irVersion: 8, producerName: 'edgetensor bench', opsetImport: [{ domain: '', version: 13 }], graph });
  return { bytes: onnx.ModelProto.encode(proto).finish(), output: h };
}

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
  const { bytes, output } = mlpAsOnnx(model);
  // onnxruntime at its default thread count and at 1 thread; the faster of the two is the peer.
  const sessions = {
    default: await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all' }),
    oneThread: await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1, interOpNumThreads: 1 }),
  };
  const feeds = { x: new ort.Tensor('float32', x.dataSync(), [1, 784]) };
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
  // Interleaved, so a slow spell of a shared machine falls on all of them.
  const oursUs = [];
  const ortUs = { default: [], oneThread: [] };
  for (let r = 0; r < 3; r++) {
    oursUs.push(await perCallUs(oursLoop));
    for (const [name, session] of Object.entries(sessions)) ortUs[name].push(await perCallUs(theirLoop(session)));
  }
  x.dispose();
  model.dispose();
  const onnxruntime = { default: median(ortUs.default), oneThread: median(ortUs.oneThread) };
  return { oursUs: median(oursUs), onnxruntimeUs: Math.min(onnxruntime.default, onnxruntime.oneThread), onnxruntime, maxDifference };
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

function pytorch() {
  const found = pythonWithTorch();
  if (!found) return { skipped: 'no python3 here imports torch (Debian: apt-get install python3-torch; or set PYTHON)' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'edgetensor-peers-'));
  try {
    writeFileSync(path.join(dir, 'images.f32'), mnist.trainImages.dataSync());
    writeFileSync(path.join(dir, 'labels.i32'), mnist.trainLabels.dataSync());
    // At our thread count and at 1 thread (PyTorch's OpenMP threads can lose more than they win
    // on a small shared machine); per workload the faster is the peer.
    const byThreads = {};
    for (const n of [...new Set([threads, 1])]) {
      const run = spawnSync(found.python, [path.join(root, 'bench', 'pytorch', 'peers.py'), dir, String(n), String(ROUNDS)], { encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`bench:peers: the PyTorch harness failed:\n${run.stderr}`);
      byThreads[n] = JSON.parse(run.stdout);
    }
    const runs = Object.values(byThreads);
    return {
      version: found.version,
      byThreads,
      mlp: Object.fromEntries(MLP_BATCHES.map((b) => [b, Math.max(...runs.map((r) => r.mlp[b]))])),
      ganStepsPerSecond: Math.max(...runs.map((r) => r.ganStepsPerSecond)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
const row = (workload, unit, ours, peer, theirs, higherIsBetter) => {
  const ratio = theirs === undefined ? null : ours / theirs;
  rows.push({ workload, unit, ours, peer, theirs: theirs ?? null, ratio, higherIsBetter });
  const fmt = (v) => (v === undefined || v === null ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(2));
  console.log(`  ${workload.padEnd(30)} ${unit.padEnd(10)} ours ${fmt(ours).padStart(9)}   ${peer.padEnd(18)} ${fmt(theirs).padStart(9)}   ratio ${ratio === null ? '-' : ratio.toFixed(2)}`);
};

const fitRates = {};
for (const batchSize of MLP_BATCHES) fitRates[batchSize] = await ourFitRate(batchSize);
const tfjsRates = await tfjsWasm();
const torch = pytorch();
for (const batchSize of MLP_BATCHES) {
  row(`MLP model.fit, batch ${batchSize}`, 'samples/s', fitRates[batchSize], 'tfjs-wasm', tfjsRates[batchSize], true);
  if (!torch.skipped) row(`MLP model.fit, batch ${batchSize}`, 'samples/s', fitRates[batchSize], 'PyTorch', torch.mlp[batchSize], true);
}
const ganRate = await ourGanRate();
if (torch.skipped) row(`GAN step, batch ${GAN_BATCH}`, 'steps/s', ganRate, 'PyTorch (skipped)', undefined, true);
else row(`GAN step, batch ${GAN_BATCH}`, 'steps/s', ganRate, 'PyTorch', torch.ganStepsPerSecond, true);
const latency = await latencies();
row('MLP predict, batch 1', 'us', latency.oursUs, 'onnxruntime-node', latency.onnxruntimeUs, false);
if (torch.skipped) console.log(`\n  PyTorch: ${torch.skipped}`);
console.log('\n  ratio = ours / peer: above 1 is faster for samples/s and steps/s, below 1 is faster for us');

mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
const file = path.join(root, 'bench', 'results', 'peers.json');
writeFileSync(file, JSON.stringify({
  date: new Date().toISOString(), cpu: os.cpus()[0]?.model, threads, isa: et.getBestIsa(), node: process.version,
  rows, latency, pytorch: torch, gemm: gemmResults,
}, null, 2));
console.log(`wrote ${path.relative(root, file)}`);
process.exit(0);
