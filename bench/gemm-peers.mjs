#!/usr/bin/env node
// Side-by-side GEMM benchmark: edgetensor's native gemm against OpenBLAS cblas_sgemm
// (bench/openblas/gemm_openblas.c, a benchmark peer only), on the same thread counts,
// alternating sample by sample so both see the same machine load. Ours is timed twice: through
// the addon from JS (what a user gets, N-API call included) and from C++ by
// bench/native/gemm_native.cc, built from the addon's own sources and timed by the same loop
// as OpenBLAS (bench/harness/gemm_timing.h), so the kernels compare like for like.
//
//   node bench/gemm-peers.mjs [--threads=1,2] [--isas=best|all|avx512,avx2,scalar] [--rounds=3]
//                             [--min-ms=40] [--settle-ms=200] [--quick] [--no-js]
//
// Prints a table (GFLOP/s; ratios ours-from-JS / OpenBLAS and ours-in-C++ / OpenBLAS) and writes
// bench/results/gemm-peers.json. OpenBLAS and the C++ harness are optional: when a compiler,
// header or library is missing the script says why and measures without them.
// OPENBLAS_CORETYPE is passed through untouched, with a warning when set.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? true];
  }),
);
const threadCounts = String(args.threads ?? '1,2').split(',').map(Number);
const rounds = Number(args.rounds ?? 3);
const minMs = Number(args['min-ms'] ?? 40);
const samplesPerRound = 3;
const settleMs = Number(args['settle-ms'] ?? 200);

// ---------------------------------------------------------------------------------------------
// Addon.
const require = createRequire(import.meta.url);
const addonPath = path.join(root, 'build', 'Release', 'edgetensor.node');
if (!existsSync(addonPath)) {
  console.error(`no addon at ${addonPath}: run npm run build:native first`);
  process.exit(1);
}
const addon = require(addonPath);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const setThreads = (n) => addon.setNumThreads(n);
const originalThreads = addon.numThreads();
const originalIsa = addon.isa();
const order = ['scalar', 'avx2', 'avx512'];
const best = addon.bestIsa();
const isaArg = String(args.isas ?? 'best');
const isas =
  isaArg === 'best' ? [best] : isaArg === 'all' ? order.filter((i) => order.indexOf(i) <= order.indexOf(best)).reverse()
  : isaArg.split(',').filter((i) => order.indexOf(i) >= 0 && order.indexOf(i) <= order.indexOf(best));

// ---------------------------------------------------------------------------------------------
// Shapes: [m, n, k, transA, transB].
const square = args.quick ? [64, 256, 1024] : [64, 128, 256, 512, 1024, 2048];
const shapes = [
  ...square.map((s) => [s, s, s, false, false]),
  [1024, 1024, 1024, true, false],
  [1024, 1024, 1024, false, true],
  [1024, 1024, 1024, true, true],
  [32, 784, 64, false, false],
  [32, 784, 64, false, true],
  [784, 32, 64, false, false],
  [784, 32, 64, true, false],
  [64, 1024, 512, false, false],
  // The output layers: the MLP's (10 units, batch 32) and the GAN discriminator's (1 unit, batch 64).
  [32, 10, 64, false, false],
  [64, 1, 128, false, false],
  [128, 1, 64, true, false],
];
const label = ([m, n, k, ta, tb]) => `${m}x${n}x${k}${ta || tb ? ` ${ta ? 'T' : 'N'}${tb ? 'T' : 'N'}` : ''}`;

function randomArray(count, seed) {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; ++i) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 8) / 16777216 * 2 - 1;
  }
  return out;
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
};

// One timed sample set of ours: warm-up, then samples of enough calls to last minMs.
function measureOurs([m, n, k, ta, tb], isa) {
  addon.setIsa(isa);
  const a = randomArray(m * k, 1), b = randomArray(k * n, 2), c = new Float32Array(m * n);
  const call = () => addon.gemm(a, b, c, 1, m, n, k, ta, tb, 0, 0);
  let calls = 0;
  const w0 = performance.now();
  do {
    call();
    ++calls;
  } while (calls < 3 || performance.now() - w0 < minMs);
  const perCall = (performance.now() - w0) / calls;
  const reps = Math.max(1, Math.round(minMs / perCall));
  const times = [];
  for (let s = 0; s < samplesPerRound; ++s) {
    const t0 = performance.now();
    for (let r = 0; r < reps; ++r) call();
    times.push((performance.now() - t0) / reps);
  }
  return median(times);
}

// ---------------------------------------------------------------------------------------------
// C harnesses (bench/harness/gemm_timing.h's --serve protocol).
const harnessBinary = (name) => path.join(os.tmpdir(), `edgetensor-gemm-${name}-${process.getuid?.() ?? 0}`);

function compile(compiler, argv, what) {
  const res = spawnSync(compiler, argv, { encoding: 'utf8' });
  if (res.error) return `${compiler} failed to run: ${res.error.message}`;
  if (res.status !== 0) return `compiling ${what} failed:\n${res.stderr.trim()}`;
  return null;
}

function buildOpenBlas() {
  const src = path.join(root, 'bench', 'openblas', 'gemm_openblas.c');
  const includeDirs = [
    '/usr/include/x86_64-linux-gnu/openblas-pthread',
    '/usr/include/aarch64-linux-gnu/openblas-pthread',
    '/usr/include/openblas',
    '/usr/local/include/openblas',
    '/usr/include',
    '/usr/local/include',
    '/opt/homebrew/opt/openblas/include',
  ].filter((d) => existsSync(path.join(d, 'cblas.h')));
  if (includeDirs.length === 0) return { error: 'no cblas.h found (install libopenblas-dev)' };
  const out = harnessBinary('openblas');
  const error = compile(process.env.CC || 'cc', ['-O2', '-o', out, src, `-I${includeDirs[0]}`, '-lopenblas'],
    'the OpenBLAS harness (is libopenblas installed?)');
  return error ? { error } : { binary: out };
}

// The addon's GEMM driver and CPU layer, each ISA unit with its flags from native/isa-flags.json
// as the addon's builds use them.
function buildNativeHarness() {
  const src = path.join(root, 'native', 'src');
  const cxx = process.env.CXX || 'c++';
  const common = ['-O3', '-std=c++17', '-pthread', `-I${src}`];
  const isaFlags = JSON.parse(readFileSync(path.join(root, 'native', 'isa-flags.json'), 'utf8'));
  const out = harnessBinary('native');
  const objects = [];
  for (const [isa, flags] of Object.entries(isaFlags)) {
    const object = `${out}-${isa}.o`;
    const error = compile(cxx, [...common, ...flags, '-c', path.join(src, 'kernels', 'gemm', `gemm_${isa}.cc`), '-o', object],
      `the ${isa} GEMM kernels`);
    if (error) return { error };
    objects.push(object);
  }
  const cpuSources = readdirSync(path.join(src, 'cpu')).filter((f) => f.endsWith('.cc')).map((f) => path.join(src, 'cpu', f));
  const error = compile(cxx, [...common, '-o', out, path.join(root, 'bench', 'native', 'gemm_native.cc'),
    path.join(src, 'kernels', 'gemm', 'gemm.cc'), ...cpuSources, ...objects], 'the native GEMM harness');
  return error ? { error } : { binary: out };
}

// One-thread rows run every timed process on one CPU: a VM's vCPUs can differ by ~10 % at a time
// (one may share its physical core with a neighbour), which would otherwise land on whichever
// process the scheduler put there. Needs util-linux's taskset; without it nothing is pinned.
function currentCpuList() {
  const r = spawnSync('taskset', ['-a', '-c', '-p', String(process.pid)], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim().split(': ').pop() : null;
}
function pinSelf(cpuList) {
  return spawnSync('taskset', ['-a', '-c', '-p', cpuList, String(process.pid)], { stdio: 'ignore' }).status === 0;
}

class HarnessServer {
  constructor(binary, threads, env = {}, cpu = null) {
    const command = cpu === null ? [binary] : ['taskset', '-c', cpu, binary];
    this.child = spawn(command[0], [...command.slice(1), '--serve', String(threads)], {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.lines = readline.createInterface({ input: this.child.stdout });
    this.waiting = [];
    this.lines.on('line', (line) => this.waiting.shift()?.(line));
  }
  measure([m, n, k, ta, tb]) {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const r = JSON.parse(line);
        if (r.error) reject(new Error(r.error));
        else resolve(r.median_ms);
      });
      this.child.stdin.write(`${m} ${n} ${k} ${ta ? 1 : 0} ${tb ? 1 : 0} ${samplesPerRound} ${minMs}\n`);
    });
  }
  close() {
    this.child.stdin.end();
  }
}

// ---------------------------------------------------------------------------------------------
function jsTripleLoop(n) {
  const a = randomArray(n * n, 1), b = randomArray(n * n, 2), c = new Float32Array(n * n);
  const t0 = performance.now();
  for (let i = 0; i < n; ++i) {
    for (let j = 0; j < n; ++j) {
      let s = 0;
      for (let p = 0; p < n; ++p) s += a[i * n + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  }
  return performance.now() - t0;
}

const ratio = (x, y) => (x && y ? x.gflops / y.gflops : null);
const cell = (name, r) => (r ? `${name} ${r.gflops.toFixed(1).padStart(6)}` : '');

async function main() {
  const blas = buildOpenBlas();
  if (blas.error) console.log(`skipping OpenBLAS: ${blas.error}`);
  const harness = buildNativeHarness();
  if (harness.error) console.log(`skipping the C++ timing of ours: ${harness.error}`);
  const cpu = os.cpus()[0]?.model ?? 'unknown';
  const coretype = process.env.OPENBLAS_CORETYPE;
  console.log(`cpu: ${cpu}, ${os.cpus().length} cpus; node ${process.version}; best ISA ${best}; ` +
    `OPENBLAS_CORETYPE=${coretype ?? '(unset)'}; load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  if (coretype && blas.binary) {
    console.log(`note: OPENBLAS_CORETYPE=${coretype} overrides OpenBLAS's CPU detection and may give it narrower ` +
      'kernels than this CPU runs; unset it to compare against its best');
  }
  console.log('columns: ours from JS (addon call included), ours-c++ and openblas timed by the same C loop; ' +
    'ratios js/openblas and c++/openblas');
  const results = [];
  const allCpus = currentCpuList();
  const pinnedCpu = allCpus?.split(/[,-]/)[0] ?? null;
  for (const threads of threadCounts) {
    setThreads(threads);
    const cpu = threads === 1 && pinnedCpu !== null && pinSelf(pinnedCpu) ? pinnedCpu : null;
    if (threads === 1) console.log(cpu === null ? 'one-thread rows not pinned (no taskset)' : `one-thread rows: every process pinned to cpu ${cpu}`);
    const peerServer = blas.binary ? new HarnessServer(blas.binary, threads, { OPENBLAS_NUM_THREADS: String(threads) }, cpu) : null;
    const oursServer = harness.binary ? new HarnessServer(harness.binary, threads, {}, cpu) : null;
    for (const shape of shapes) {
      const flops = 2 * shape[0] * shape[1] * shape[2];
      const timed = (ms) => ({ median_ms: ms, gflops: flops / ms / 1e6 });
      const ours = Object.fromEntries(isas.map((i) => [i, []]));
      const oursCpp = [];
      const peer = [];
      for (let r = 0; r < rounds; ++r) {
        // Idle threads of either library spin for a while after a run (OpenBLAS's for up to
        // ~2^28 cycles): pause between runs so none measures against another's spinning.
        for (const isa of isas) ours[isa].push(measureOurs(shape, isa));
        for (const [server, samples] of [[oursServer, oursCpp], [peerServer, peer]]) {
          if (!server) continue;
          sleep(settleMs);
          samples.push(await server.measure(shape));
        }
        sleep(settleMs);
      }
      const row = {
        m: shape[0], n: shape[1], k: shape[2], transA: shape[3], transB: shape[4], threads,
        ours: Object.fromEntries(isas.map((i) => [i, timed(median(ours[i]))])),
        oursCpp: oursServer ? { isa: best, ...timed(median(oursCpp)) } : null,
        openblas: peerServer ? timed(median(peer)) : null,
      };
      const fromJs = ratio(row.ours[isas[0]], row.openblas), inCpp = ratio(row.oursCpp, row.openblas);
      row.ratios = { jsVsOpenblas: fromJs, cppVsOpenblas: inCpp };
      results.push(row);
      const cells = [...isas.map((i) => cell(i, row.ours[i])), cell('c++', row.oursCpp), cell('openblas', row.openblas)];
      const ratios = row.openblas ? `ratio js ${fromJs.toFixed(2)}${inCpp ? `  c++ ${inCpp.toFixed(2)}` : ''}` : '';
      console.log(`${String(threads).padStart(2)}t  ${label(shape).padEnd(18)} ${cells.filter(Boolean).join('  ')}  ${ratios}`);
    }
    peerServer?.close();
    oursServer?.close();
    if (cpu !== null) pinSelf(allCpus);
  }

  let js = null;
  if (!args['no-js']) {
    // 512, or the largest measured square size below it (--quick measures 64, 256, 1024).
    const n = Math.max(...square.filter((size) => size <= 512));
    const jsMs = jsTripleLoop(n);
    const bestOurs = Math.min(...results.filter((r) => r.m === n && r.n === n && r.k === n && !r.transA && !r.transB)
      .map((r) => r.ours[isas[0]].median_ms));
    js = { n, js_ms: jsMs, ours_ms: bestOurs, speedup: jsMs / bestOurs };
    console.log(`plain JS triple loop at n=${n}: ${jsMs.toFixed(1)} ms; ours ${bestOurs.toFixed(3)} ms -> ${js.speedup.toFixed(0)}x`);
  }

  addon.setIsa(originalIsa);
  setThreads(originalThreads);
  const outDir = path.join(root, 'bench', 'results');
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, 'gemm-peers.json');
  writeFileSync(file, JSON.stringify({
    date: new Date().toISOString(), cpu, cpus: os.cpus().length, node: process.version, bestIsa: best, isas,
    openblas: blas.error ? { skipped: blas.error } : { coretype: coretype ?? null },
    oursCpp: harness.error ? { skipped: harness.error } : { isa: best },
    oneThreadPinnedCpu: pinnedCpu, rounds, samplesPerRound, minMs, loadavgEnd: os.loadavg(), results, jsTripleLoop: js,
  }, null, 2));
  console.log(`wrote ${path.relative(root, file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
