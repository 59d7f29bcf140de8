/** DenseStack: the whole stack of dense layers in one addon call (denseStack). */
import { DENSE_STACK_ACTIVATIONS, type CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';
import { denseStackLayers } from '../../dense_stack.js';
import { takeFloat32 } from '../output_pool.js';

export function denseStackKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: 'DenseStack',
      backendName: 'native',
      kernelFunc: (inputs: CpuTensor[], attrs) => {
        const [x] = inputs;
        const layers = denseStackLayers(inputs, attrs);
        const dims = new Int32Array(layers.length + 1);
        dims[0] = x.shape[1];
        const activations = new Int32Array(layers.length);
        const alphas = new Float32Array(layers.length);
        const operands: (Float32Array | null)[] = [];
        layers.forEach((layer, i) => {
          dims[i + 1] = layer.kernel.shape[1];
          activations[i] = DENSE_STACK_ACTIVATIONS.indexOf(layer.activation);
          alphas[i] = layer.alpha;
          operands.push(layer.kernel.data as Float32Array, layer.bias ? (layer.bias.data as Float32Array) : null);
        });
        const m = x.shape[0];
        const y = takeFloat32(m * dims[layers.length]);
        addon.denseStack(x.data as Float32Array, y, m, dims, activations, alphas, ...operands);
        return { shape: [m, dims[layers.length]], dtype: 'float32', data: y };
      },
    },
  ];
}
