/**
 * Softmax and LogSoftmax over the columns of [rows, cols], shifted by the row max so that
 * exp never overflows. A row holding NaN, or +Infinity, or only -Infinity gives NaN
 * (the IEEE result of the shifted formula).
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { jsArrayFor } from '../precision.js';

function softmaxKernel(name: 'Softmax' | 'LogSoftmax'): KernelConfig {
  return {
    kernelName: name,
    backendName: 'js',
    kernelFunc: ([x]: CpuTensor[]): CpuTensor => {
      if (x.shape.length !== 2) throw new RangeError(`${name}: needs [rows, cols], got [${x.shape}]`);
      const [rows, cols] = x.shape;
      const src = x.data;
      const out = jsArrayFor('float32', rows * cols);
      const shifted = new Float64Array(cols);
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        let max = -Infinity;
        for (let c = 0; c < cols; c++) max = Math.max(max, src[base + c]);
        let sum = 0;
        for (let c = 0; c < cols; c++) {
          shifted[c] = src[base + c] - max;
          sum += Math.exp(shifted[c]);
        }
        if (name === 'Softmax') {
          for (let c = 0; c < cols; c++) out[base + c] = Math.exp(shifted[c]) / sum;
        } else {
          const logSum = Math.log(sum);
          for (let c = 0; c < cols; c++) out[base + c] = shifted[c] - logSum;
        }
      }
      return { shape: [rows, cols], dtype: 'float32', data: out };
    },
  };
}

export const kernels: KernelConfig[] = [softmaxKernel('Softmax'), softmaxKernel('LogSoftmax')];
