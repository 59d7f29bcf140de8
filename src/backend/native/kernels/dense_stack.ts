/** DenseStack: the whole stack of dense layers in one addon call (denseStack). */
import { DENSE_STACK_ACTIVATIONS, type CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { NativeAddon } from '../addon.js';
import { denseStackLayers } from '../../dense_stack.js';
import { takeFloat32 } from '../output_pool.js';

/**
 * One call's arguments for a stack of this many layers: x, y, m, dims, activations, alphas, then
 * (kernel, bias) per layer. Kept per layer count and refilled on each call (the addon reads them
 * synchronously and keeps nothing): at batch 1, allocating three typed arrays and an argument
 * list per call cost about a fifth of predict's time.
 */
interface StackCall {
  args: unknown[];
  dims: Int32Array;
  activations: Int32Array;
  alphas: Float32Array;
}

const FIXED_ARGS = 6;
const callsByLayerCount = new Map<number, StackCall>();

function stackCall(layerCount: number): StackCall {
  let call = callsByLayerCount.get(layerCount);
  if (!call) {
    const dims = new Int32Array(layerCount + 1);
    const activations = new Int32Array(layerCount);
    const alphas = new Float32Array(layerCount);
    const args: unknown[] = new Array(FIXED_ARGS + 2 * layerCount).fill(null);
    args[3] = dims;
    args[4] = activations;
    args[5] = alphas;
    call = { args, dims, activations, alphas };
    callsByLayerCount.set(layerCount, call);
  }
  return call;
}

export function denseStackKernels(addon: NativeAddon): KernelConfig[] {
  return [
    {
      kernelName: 'DenseStack',
      backendName: 'native',
      kernelFunc: (inputs: CpuTensor[], attrs) => {
        const [x] = inputs;
        const layers = denseStackLayers(inputs, attrs);
        const { args, dims, activations, alphas } = stackCall(layers.length);
        dims[0] = x.shape[1];
        for (let i = 0; i < layers.length; i++) {
          const layer = layers[i];
          dims[i + 1] = layer.kernel.shape[1];
          activations[i] = DENSE_STACK_ACTIVATIONS.indexOf(layer.activation);
          alphas[i] = layer.alpha;
          args[FIXED_ARGS + 2 * i] = layer.kernel.data;
          args[FIXED_ARGS + 2 * i + 1] = layer.bias ? layer.bias.data : null;
        }
        const m = x.shape[0];
        const y = takeFloat32(m * dims[layers.length]);
        args[0] = x.data;
        args[1] = y;
        args[2] = m;
        try {
          (addon.denseStack as (...a: unknown[]) => void).apply(addon, args);
        } finally {
          // Drop the references, so a cached list does not keep the last call's arrays alive.
          args.fill(null, 0, 3);
          args.fill(null, FIXED_ARGS);
        }
        return { shape: [m, dims[layers.length]], dtype: 'float32', data: y };
      },
    },
  ];
}
