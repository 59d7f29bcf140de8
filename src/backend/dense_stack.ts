/**
 * DenseStack's inputs as layers, and the kernel for backends without one of their own (js,
 * gpu): each layer through the backend's FusedMatMul (and Softmax), the hidden outputs freed as
 * soon as the next layer has read them. Native runs the whole stack in one addon call.
 */
import type { BackendName } from '../types.js';
import type { DenseStackActivation, FusedActivation, TensorInfo } from './kernel.js';
import { findKernel, type KernelConfig } from './registry.js';

export interface DenseStackLayer<Data> {
  kernel: TensorInfo<Data>;
  bias: TensorInfo<Data> | null;
  activation: DenseStackActivation;
  alpha: number;
}

/** [x, kernel0, (bias0), ...] split into layers by attrs.biases (the op has checked the shapes). */
export function denseStackLayers<Data>(inputs: readonly TensorInfo<Data>[], attrs: Record<string, unknown>): DenseStackLayer<Data>[] {
  const activations = attrs.activations as DenseStackActivation[];
  const alphas = attrs.alphas as number[];
  const biases = attrs.biases as boolean[];
  const layers: DenseStackLayer<Data>[] = [];
  let next = 1;
  activations.forEach((activation, i) => {
    const kernel = inputs[next++];
    const bias = biases[i] ? inputs[next++] : null;
    layers.push({ kernel, bias, activation, alpha: alphas[i] });
  });
  if (next !== inputs.length) throw new Error(`internal error: DenseStack got ${inputs.length} inputs for ${layers.length} layers`);
  return layers;
}

function kernelOf(kernelName: 'FusedMatMul' | 'Softmax', backendName: BackendName): KernelConfig {
  const kernel = findKernel(kernelName, backendName);
  if (!kernel) throw new Error(`internal error: backend '${backendName}' has no ${kernelName} kernel for DenseStack`);
  return kernel;
}

/** DenseStack from the backend's own FusedMatMul and Softmax kernels; `free` releases an intermediate's storage. */
export function composedDenseStack<Data>(backendName: BackendName, free: (data: Data) => void): KernelConfig {
  return {
    kernelName: 'DenseStack',
    backendName,
    kernelFunc: (inputs: TensorInfo<Data>[], attrs) => {
      const fusedMatMul = kernelOf('FusedMatMul', backendName).kernelFunc;
      const softmax = kernelOf('Softmax', backendName).kernelFunc;
      let h = inputs[0];
      for (const layer of denseStackLayers(inputs, attrs)) {
        const activation: FusedActivation = layer.activation === 'softmax' ? 'linear' : layer.activation;
        const operands = layer.bias ? [h, layer.kernel, layer.bias] : [h, layer.kernel];
        let out = fusedMatMul(operands, { transposeA: false, transposeB: false, activation, alpha: layer.alpha }) as TensorInfo<Data>;
        if (layer.activation === 'softmax') {
          const logits = out;
          out = softmax([logits], {}) as TensorInfo<Data>;
          free(logits.data);
        }
        if (h !== inputs[0]) free(h.data);
        h = out;
      }
      return h;
    },
  };
}
