/**
 * Gradient-check plumbing: the scalar projection L = sum_k sum(out_k * r_k) of an op's
 * outputs, its analytic gradient on the active target (et.grads), and its central finite
 * differences computed on the js backend in the float64 reference mode.
 */
import * as et from '../../src/index.js';
import { withJsFloat64Reference } from '../../src/backend/js/precision.js';
import { findGradient, registeredGradients } from '../../src/autograd/gradients.js';
import { seeded } from '../helpers.js';

export type OpFn = (...xs: et.Tensor[]) => et.Tensor | et.Tensor[];

export interface Input {
  shape: number[];
  values: Float32Array;
}

/** seeded() values mapped into a union of intervals (so they stay away from kinks). */
export function fromIntervals(shape: number[], seed: number, intervals: [number, number][]): Input {
  const u = seeded(shape, seed, 0, 1);
  const total = intervals.reduce((p, [lo, hi]) => p + (hi - lo), 0);
  const values = new Float32Array(u.length);
  u.forEach((v, i) => {
    let t = v * total;
    for (const [lo, hi] of intervals) {
      if (t <= hi - lo) {
        values[i] = lo + t;
        return;
      }
      t -= hi - lo;
    }
    values[i] = intervals[intervals.length - 1][1];
  });
  return { shape, values };
}

/** Values in [lo, hi). */
export function uniform(shape: number[], seed: number, lo = -1, hi = 1): Input {
  return { shape, values: seeded(shape, seed, lo, hi) };
}

/** Values of magnitude in [lo, hi) with either sign (away from 0). */
export function signed(shape: number[], seed: number, lo = 0.2, hi = 1.5): Input {
  return fromIntervals(shape, seed, [[-hi, -lo], [lo, hi]]);
}

/** Distinct values at least `gap` apart in [-n gap / 2, n gap / 2], shuffled (no max/min ties). */
export function distinct(shape: number[], seed: number, gap = 0.1): Input {
  const n = shape.reduce((p, d) => p * d, 1);
  const keys = seeded([n], seed, 0, 1);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const values = new Float32Array(n);
  order.forEach((rank, i) => (values[i] = (rank - (n - 1) / 2) * gap));
  return { shape, values };
}

function asList(out: et.Tensor | et.Tensor[]): et.Tensor[] {
  return Array.isArray(out) ? out : [out];
}

/** The projection L = sum_k sum(out_k * r_k), with r_k fixed by the output shapes. */
function projection(op: OpFn, seed: number): (...xs: et.Tensor[]) => et.Tensor {
  return (...xs) => {
    const outs = asList(op(...xs));
    let total: et.Tensor | null = null;
    outs.forEach((o, k) => {
      const r = et.tensor(seeded(o.shape, seed + 101 * k, -1, 1), o.shape.slice());
      const term = et.sum(et.mul(o, r));
      total = total ? et.add(total, term) : term;
    });
    return total!;
  };
}

/** The analytic gradient of L on the active backend, as float64 numbers, one array per input. */
export function analyticGradient(op: OpFn, inputs: Input[], seed: number): number[][] {
  return et.tidy(() => {
    const xs = inputs.map((x) => et.tensor(x.values, x.shape.slice()));
    const g = et.grads(projection(op, seed))(xs);
    return g.map((t, i) => {
      if (t.shape.join() !== inputs[i].shape.join()) throw new Error(`gradient ${i} has shape [${t.shape}], input [${inputs[i].shape}]`);
      return Array.from(t.dataSync());
    });
  });
}

/**
 * The kernels whose registered gradient ran while fn ran: each gradient function is wrapped
 * for that time, so what counts is what backprop called, not what a case says it tests.
 */
export function gradientsRunBy(fn: () => unknown): Set<string> {
  const ran = new Set<string>();
  const configs = registeredGradients().map((name) => findGradient(name)!);
  const originals = configs.map((c) => ({ ...c }));
  for (const c of configs) {
    if (c.gradFnMulti === undefined) {
      const original = c.gradFn;
      c.gradFn = (dy, node) => {
        ran.add(c.kernelName);
        return original(dy, node);
      };
    } else {
      const original = c.gradFnMulti;
      c.gradFnMulti = (dys, node) => {
        ran.add(c.kernelName);
        return original(dys, node);
      };
    }
  }
  try {
    fn();
  } finally {
    configs.forEach((c, i) => Object.assign(c, originals[i]));
  }
  return ran;
}

/** Runs fn on the js backend in the float64 reference mode; restores both afterwards. */
export function onJsFloat64<T>(fn: () => T): T {
  const previous = et.getBackend();
  et.setBackend('js');
  try {
    return withJsFloat64Reference(fn);
  } finally {
    et.setBackend(previous);
  }
}

/** Central differences of L in float64: (L(x + h e) - L(x - h e)) / 2h, h = relEps max(1, |x|). */
export function finiteDifferenceGradient(op: OpFn, inputs: Input[], seed: number, relEps = 1e-6): number[][] {
  const L = projection(op, seed);
  return onJsFloat64(() =>
    inputs.map((input, which) => {
      const grad: number[] = [];
      for (let j = 0; j < input.values.length; j++) {
        const h = relEps * Math.max(1, Math.abs(input.values[j]));
        const at = (delta: number): number =>
          et.tidy(() => {
            const xs = inputs.map((x, i) => {
              const v = Float64Array.from(x.values);
              if (i === which) v[j] += delta;
              return et.tensor(v, x.shape.slice());
            });
            const value = L(...xs);
            const data = value.dataSync();
            if (!(data instanceof Float64Array)) throw new Error('the float64 reference mode is not in effect');
            return data[0];
          });
        grad.push((at(h) - at(-h)) / (2 * h));
      }
      return grad;
    }),
  );
}

/** max |g - fd| / max(max |fd|, 1e-3), for each input; the worst of them. NaN if any is NaN. */
export function relativeError(analytic: number[][], reference: number[][]): number {
  let worst = 0;
  analytic.forEach((g, i) => {
    const fd = reference[i];
    const scale = Math.max(1e-3, ...fd.map(Math.abs));
    g.forEach((v, j) => {
      const e = Math.abs(v - fd[j]) / scale;
      worst = Number.isNaN(e) || Number.isNaN(worst) ? NaN : Math.max(worst, e);
    });
  });
  return worst;
}
