/**
 * Reductions over the middle axis of [outer, reduce, inner] -> [outer, inner]. Float sums
 * and products accumulate in float64 and round to float32 once; int32 ones wrap like C.
 * NaN propagates through Max/Min/LogSumExp; ArgMax/ArgMin return the first NaN if any.
 */
import { REDUCE_KERNELS, type CpuTensor, type ReduceKernelName } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { jsArrayFor } from '../precision.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Folds one reduced line: `get(r)` is element r of the line, `n` its length. */
type LineFn = (get: (r: number) => number, n: number, isInt: boolean) => number;

function maxLine(get: (r: number) => number, n: number, isInt: boolean): number {
  let m = isInt ? INT32_MIN : -Infinity; // the empty max
  for (let r = 0; r < n; r++) {
    const v = get(r);
    if (v !== v) return NaN;
    if (v > m) m = v;
  }
  return m;
}

function minLine(get: (r: number) => number, n: number, isInt: boolean): number {
  let m = isInt ? INT32_MAX : Infinity; // the empty min
  for (let r = 0; r < n; r++) {
    const v = get(r);
    if (v !== v) return NaN;
    if (v < m) m = v;
  }
  return m;
}

/** Index of the first extreme, where `better(v, best)` says v beats the best so far; NaN wins. */
function argLine(better: (v: number, best: number) => boolean): LineFn {
  return (get, n) => {
    if (n === 0) throw new RangeError('ArgMax/ArgMin: cannot reduce an empty axis');
    let best = 0;
    let bestValue = get(0);
    for (let r = 1; r < n && bestValue === bestValue; r++) {
      const v = get(r);
      if (v !== v || better(v, bestValue)) {
        best = r;
        bestValue = v;
      }
    }
    return best;
  };
}

const LINE_FNS: Record<ReduceKernelName, LineFn> = {
  Sum: (get, n, isInt) => {
    let s = 0;
    for (let r = 0; r < n; r++) s = isInt ? (s + get(r)) | 0 : s + get(r);
    return s;
  },
  Prod: (get, n, isInt) => {
    let p = 1;
    for (let r = 0; r < n; r++) p = isInt ? Math.imul(p, get(r)) : p * get(r);
    return p;
  },
  Max: maxLine,
  Min: minLine,
  ArgMax: argLine((v, best) => v > best),
  ArgMin: argLine((v, best) => v < best),
  // log(sum(exp(x))) = m + log(sum(exp(x - m))) with m the max; infinite m is its own answer.
  LogSumExp: (get, n) => {
    const m = maxLine(get, n, false);
    if (!Number.isFinite(m)) return m; // NaN, +Infinity, or -Infinity (also the empty sum)
    let s = 0;
    for (let r = 0; r < n; r++) s += Math.exp(get(r) - m);
    return m + Math.log(s);
  },
};

function reduceKernel(name: ReduceKernelName): KernelConfig {
  const line = LINE_FNS[name];
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ([x]: CpuTensor[]): CpuTensor => {
      if (x.shape.length !== 3) throw new RangeError(`${name}: needs [outer, reduce, inner], got [${x.shape}]`);
      const [outer, n, inner] = x.shape;
      const isInt = x.dtype !== 'float32';
      const data =
        name === 'ArgMax' || name === 'ArgMin' || (isInt && name !== 'LogSumExp')
          ? new Int32Array(outer * inner)
          : jsArrayFor('float32', outer * inner);
      const src = x.data;
      let base = 0; // offset of element (o, 0, i)
      const get = (r: number) => src[base + r * inner];
      for (let o = 0; o < outer; o++) {
        for (let i = 0; i < inner; i++) {
          base = o * n * inner + i;
          data[o * inner + i] = line(get, n, isInt);
        }
      }
      return { shape: [outer, inner], dtype: data instanceof Int32Array ? 'int32' : 'float32', data };
    },
  };
}

export const kernels: KernelConfig[] = REDUCE_KERNELS.map(reduceKernel);
