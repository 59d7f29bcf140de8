/** In-place optimizer updates: one kernel call per step, one addon call for all its parameters. */
import { checkOptimizerInputCount, type CpuTensor, type OptimizerKernelName } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';

type Attrs = Record<string, number & boolean>;

export function optimizerUpdateKernels(addon: NativeAddon): KernelConfig[] {
  const update = (kernelName: OptimizerKernelName, run: (groups: Float32Array[], a: Attrs) => void): KernelConfig => ({
    kernelName,
    backendName: 'native',
    kernelFunc: (inputs: CpuTensor[], attrs) => {
      checkOptimizerInputCount(kernelName, inputs.length);
      run(inputs.map((t) => t.data as Float32Array), attrs as Attrs);
      return [];
    },
  });
  return [
    update('SgdUpdate', (groups, a) => addon.sgdUpdate(a.lr, ...groups)),
    update('MomentumUpdate', (groups, a) => addon.momentumUpdate(a.lr, a.momentum, a.nesterov, ...groups)),
    update('AdamUpdate', (groups, a) => addon.adamUpdate(a.lr, a.beta1, a.beta2, a.epsilon, a.iteration, a.weightDecay, ...groups)),
    update('RmspropUpdate', (groups, a) => addon.rmspropUpdate(a.lr, a.decay, a.momentum, a.epsilon, a.centered, ...groups)),
  ];
}
