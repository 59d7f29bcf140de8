/** In-place optimizer updates: one kernel call per step, one addon call per parameter tensor. */
import { optimizerGroups, type CpuTensor, type OptimizerKernelName } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';

type Attrs = Record<string, number & boolean>;

export function optimizerUpdateKernels(addon: NativeAddon): KernelConfig[] {
  const f32 = (inputs: CpuTensor[]) => inputs.map((t) => t.data as Float32Array);
  const update = (kernelName: OptimizerKernelName, run: (arrays: Float32Array[], n: number, a: Attrs) => void): KernelConfig => ({
    kernelName,
    backendName: 'native',
    kernelFunc: (inputs: CpuTensor[], attrs) => {
      for (const group of optimizerGroups(kernelName, inputs)) run(f32(group), group[0].data.length, attrs as Attrs);
      return [];
    },
  });
  return [
    update('SgdUpdate', ([p, g], n, a) => addon.sgdUpdate(p, g, n, a.lr)),
    update('MomentumUpdate', ([p, g, acc], n, a) => addon.momentumUpdate(p, g, acc, n, a.lr, a.momentum, a.nesterov)),
    update('AdamUpdate', ([p, g, m, v], n, a) =>
      addon.adamUpdate(p, g, m, v, n, a.lr, a.beta1, a.beta2, a.epsilon, a.iteration, a.weightDecay)),
    update('RmspropUpdate', ([p, g, ms, mom, mg], n, a) =>
      addon.rmspropUpdate(p, g, ms, mom, mg, n, a.lr, a.decay, a.momentum, a.epsilon, a.centered)),
  ];
}
