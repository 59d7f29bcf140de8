/**
 * In-place optimizer updates (see OPTIMIZER_KERNELS in kernel.ts): one pass over the
 * parameter, its gradient and its slots (per parameter of the call), computed in float64 per element and stored as float32.
 */
import { OPTIMIZER_KERNELS, optimizerGroups, type CpuTensor, type OptimizerKernelName } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';

type Update = (tensors: Float32Array[], attrs: Record<string, number | boolean>) => void;

const UPDATES: Record<OptimizerKernelName, Update> = {
  SgdUpdate: ([p, g], { lr }) => {
    for (let i = 0; i < p.length; i++) p[i] -= (lr as number) * g[i];
  },
  MomentumUpdate: ([p, g, accum], a) => {
    const [lr, momentum] = [a.lr as number, a.momentum as number];
    for (let i = 0; i < p.length; i++) {
      accum[i] = momentum * accum[i] + g[i];
      p[i] -= lr * (a.nesterov ? g[i] + momentum * accum[i] : accum[i]);
    }
  },
  AdamUpdate: ([p, g, m, v], a) => {
    const [lr, b1, b2, eps, t, wd] = [a.lr, a.beta1, a.beta2, a.epsilon, a.iteration, a.weightDecay] as number[];
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = 0; i < p.length; i++) {
      if (wd !== 0) p[i] -= lr * wd * p[i];
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      p[i] -= (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
    }
  },
  RmspropUpdate: ([p, g, ms, mom, mg], a) => {
    const [lr, decay, momentum, eps] = [a.lr, a.decay, a.momentum, a.epsilon] as number[];
    for (let i = 0; i < p.length; i++) {
      ms[i] = decay * ms[i] + (1 - decay) * g[i] * g[i];
      let denominator: number;
      if (a.centered) {
        mg[i] = decay * mg[i] + (1 - decay) * g[i];
        denominator = Math.sqrt(ms[i] - mg[i] * mg[i] + eps);
      } else {
        denominator = Math.sqrt(ms[i] + eps);
      }
      mom[i] = momentum * mom[i] + (lr * g[i]) / denominator;
      p[i] -= mom[i];
    }
  },
};

export const kernels: KernelConfig[] = OPTIMIZER_KERNELS.map((kernelName) => ({
  kernelName,
  backendName: 'js',
  kernelFunc: (inputs: CpuTensor[], attrs) => {
    for (const group of optimizerGroups(kernelName, inputs)) {
      UPDATES[kernelName](group.map((t) => t.data as Float32Array), attrs as Record<string, number | boolean>);
    }
    return [];
  },
}));
