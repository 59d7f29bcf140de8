/**
 * FusedMatMul and FusedMatMulGrad on the js backend, composed from the MatMul kernel and the
 * unary kernels' scalar functions, so the fused forms compute what the unfused ops compute.
 */
import type { CpuTensor, FusedActivation, UnaryKernelName } from '../../kernel.js';
import { matMulOperandGradients } from '../../matmul_forms.js';
import type { KernelConfig } from '../../registry.js';
import { jsArrayFor } from '../precision.js';
import { matMul } from './matmul.js';
import { floatUnaryFunction } from './unary.js';

type Attrs = Record<string, unknown>;

const FORWARD: Record<Exclude<FusedActivation, 'linear'>, UnaryKernelName> = {
  relu: 'Relu', relu6: 'Relu6', leakyRelu: 'LeakyRelu', elu: 'Elu', sigmoid: 'Sigmoid', tanh: 'Tanh',
};

/** activation'(x) written with y = activation(x). */
const DERIVATIVE_FROM_OUTPUT: Record<FusedActivation, (y: number, alpha: number) => number> = {
  linear: () => 1,
  relu: (y) => (y > 0 ? 1 : 0),
  relu6: (y) => (y > 0 && y < 6 ? 1 : 0),
  leakyRelu: (y, alpha) => (y > 0 ? 1 : alpha),
  elu: (y) => (y > 0 ? 1 : y + 1),
  sigmoid: (y) => y * (1 - y),
  tanh: (y) => 1 - y * y,
};

function fusedMatMul([a, b, bias]: CpuTensor[], attrs: Attrs): CpuTensor {
  const z = matMul([a, b], attrs);
  const activation = attrs.activation as FusedActivation;
  const act = activation === 'linear' ? null : floatUnaryFunction(FORWARD[activation]);
  const n = z.shape[1];
  const y = z.data;
  for (let i = 0; i < y.length; i++) {
    const v = bias ? y[i] + bias.data[i % n] : y[i];
    y[i] = act ? act(v, attrs) : v;
  }
  return z;
}

function fusedMatMulGrad([dy, a, b, y]: CpuTensor[], attrs: Attrs): CpuTensor[] {
  const derivative = DERIVATIVE_FROM_OUTPUT[attrs.activation as FusedActivation];
  const alpha = attrs.alpha as number;
  const dz = jsArrayFor('float32', dy.data.length);
  for (let i = 0; i < dz.length; i++) dz[i] = dy.data[i] * derivative(y.data[i], alpha);
  const dzInfo: CpuTensor = { shape: dy.shape, dtype: 'float32', data: dz };
  const needs = attrs.needs as [boolean, boolean, boolean];
  const product = (x: CpuTensor, w: CpuTensor, tx: boolean, tw: boolean) => matMul([x, w], { transposeA: tx, transposeB: tw });
  const [da, db] = matMulOperandGradients(dzInfo, a, b, attrs.transposeA === true, attrs.transposeB === true, product, [needs[0], needs[1]]);
  const outputs = [da, db].filter((g): g is CpuTensor => g !== null);
  if (needs[2]) {
    const [rows, cols] = dy.shape;
    const sums = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) sums[c] += dz[r * cols + c];
    const dbias = jsArrayFor('float32', cols);
    dbias.set(sums);
    outputs.push({ shape: [cols], dtype: 'float32', data: dbias });
  }
  return outputs;
}

export const kernels: KernelConfig[] = [
  { kernelName: 'FusedMatMul', backendName: 'js', kernelFunc: fusedMatMul },
  { kernelName: 'FusedMatMulGrad', backendName: 'js', kernelFunc: fusedMatMulGrad },
];
