/**
 * Fused softmax cross-entropy with integer labels: per row, loss = logSumExp - x[label] (exact
 * for any finite logits) and the gradient softmax - onehot(label); reduction 'mean' averages
 * the rows' losses and divides the gradient by the number of rows.
 */
import type { CpuTensor } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { jsArrayFor } from '../precision.js';

export const kernels: KernelConfig[] = [
  {
    kernelName: 'SparseSoftmaxCrossEntropy',
    backendName: 'js',
    kernelFunc: ([logits, labels]: CpuTensor[], attrs): CpuTensor[] => {
      const [rows, cols] = logits.shape;
      const mean = attrs.reduction === 'mean';
      const scale = mean ? 1 / rows : 1;
      const x = logits.data;
      const loss = jsArrayFor('float32', rows);
      let total = 0;
      const grad = jsArrayFor('float32', rows * cols);
      for (let r = 0; r < rows; r++) {
        const label = labels.data[r];
        if (!(label >= 0 && label < cols)) {
          throw new RangeError(`SparseSoftmaxCrossEntropy: label ${label} at position ${r} is outside the classes [0, ${cols - 1}]`);
        }
        const base = r * cols;
        let max = -Infinity;
        for (let c = 0; c < cols; c++) max = Math.max(max, x[base + c]);
        let sum = 0;
        for (let c = 0; c < cols; c++) sum += Math.exp(x[base + c] - max);
        const logSumExp = max + Math.log(sum);
        loss[r] = logSumExp - x[base + label];
        total += logSumExp - x[base + label];
        for (let c = 0; c < cols; c++) grad[base + c] = (Math.exp(x[base + c] - logSumExp) - (c === label ? 1 : 0)) * scale;
      }
      if (mean) {
        const meanLoss = jsArrayFor('float32', 1);
        meanLoss[0] = total / rows;
        return [
          { shape: [], dtype: 'float32', data: meanLoss },
          { shape: [rows, cols], dtype: 'float32', data: grad },
        ];
      }
      return [
        { shape: [rows], dtype: 'float32', data: loss },
        { shape: [rows, cols], dtype: 'float32', data: grad },
      ];
    },
  },
];
