// A 256x256 matMul as user code writes it, on the native backend at 1 and 2 threads: a loop
// that reads each result back inline against the same loop body called as a small async helper,
// and matMul + dispose against matMul + dataSync() / await data() + dispose, beside dataSync()
// alone (the copy). The patterns run in alternated rounds within one process, so a busy
// neighbour spoils a round for all of them; figures are medians of the rounds.
import * as et from '../dist/index.js';

const N = 256;
const CALLS_PER_ROUND = 512;
const ROUNDS = Number(process.env.BENCH_READBACK_ROUNDS ?? 15);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median microseconds per call of each pattern; `threads` native threads. */
export async function measureReadback(threads) {
  et.setBackend('native');
  const previousThreads = et.getNumThreads();
  et.setNumThreads(threads);
  const a = et.randomUniform([N, N], -1, 1, 1);
  const b = et.randomUniform([N, N], -1, 1, 2);
  const product = et.matMul(a, b);
  const helper = async () => {
    const c = et.matMul(a, b);
    await c.data();
    c.dispose();
  };
  const patterns = {
    'await data() inline': async () => {
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const c = et.matMul(a, b);
        await c.data();
        c.dispose();
      }
    },
    'await data() in an async helper': async () => {
      for (let i = 0; i < CALLS_PER_ROUND; i++) await helper();
    },
    'matMul + dispose': async () => {
      for (let i = 0; i < CALLS_PER_ROUND; i++) et.matMul(a, b).dispose();
    },
    'matMul + dataSync + dispose': async () => {
      for (let i = 0; i < CALLS_PER_ROUND; i++) {
        const c = et.matMul(a, b);
        c.dataSync();
        c.dispose();
      }
    },
    'dataSync alone (the copy)': async () => {
      for (let i = 0; i < CALLS_PER_ROUND; i++) product.dataSync();
    },
  };
  const names = Object.keys(patterns);
  for (const name of names) await patterns[name]();
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of round % 2 ? [...names].reverse() : names) {
      const start = process.hrtime.bigint();
      await patterns[name]();
      samples[name].push(Number(process.hrtime.bigint() - start) / 1e3 / CALLS_PER_ROUND);
    }
  }
  et.dispose([a, b, product]);
  et.setNumThreads(previousThreads);
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

export function printReadback(threads, us) {
  const gflops = (t) => (2 * N ** 3) / t / 1e3;
  console.log(`\n${N}x${N} matMul and its readback, native, ${threads} thread(s) (us per call, medians of ${ROUNDS} alternated rounds of ${CALLS_PER_ROUND})`);
  for (const [name, t] of Object.entries(us)) console.log(`${name.padEnd(32)}\t${t.toFixed(1)} us${name.includes('copy') ? '' : `\t${gflops(t).toFixed(1)} GFLOP/s`}`);
  const helperRatio = us['await data() inline'] / us['await data() in an async helper'];
  const readbackRatio = us['matMul + dataSync + dispose'] / (us['matMul + dispose'] + us['dataSync alone (the copy)']);
  console.log(`async helper speed vs inline: ${helperRatio.toFixed(3)} (goal >= 0.95); matMul + dataSync vs matMul + the copy: ${readbackRatio.toFixed(3)} (goal <= 1.0, noise aside)`);
}
