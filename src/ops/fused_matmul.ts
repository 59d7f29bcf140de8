/**
 * fused.matMul (tfjs' name): activation(op(a) op(b) + bias) as one kernel, the whole forward
 * pass of a dense layer; its gradient (fused_matmul_grad.ts) is one kernel too. Forms the
 * kernel does not take (batched operands, a bias that is not a vector of the output's columns,
 * a negative leakyRelu slope) run as the separate ops, with the same result.
 */
import { runKernel1, tidy } from '../engine.js';
import { FUSED_ACTIVATIONS, type FusedActivation } from '../backend/kernel.js';
import { Tensor } from '../tensor.js';
import { add } from './binary.js';
import { toTensor, type TensorLike } from './convert.js';
import { matMul as plainMatMul } from './matmul.js';
import { elu, leakyRelu, relu, relu6, sigmoid, tanh } from './unary.js';

export interface FusedMatMulConfig {
  a: TensorLike;
  b: TensorLike;
  transposeA?: boolean;
  transposeB?: boolean;
  bias?: TensorLike;
  activation?: FusedActivation;
  /** leakyRelu's slope for x < 0 (default 0.2, as tf.leakyRelu). */
  leakyreluAlpha?: number;
}

/** The unfused activation ops, for the forms the kernel does not take. */
const ACTIVATION_OPS: Record<FusedActivation, (x: Tensor, alpha: number) => Tensor> = {
  linear: (x) => x,
  relu: (x) => relu(x),
  relu6: (x) => relu6(x),
  leakyRelu: (x, alpha) => leakyRelu(x, alpha),
  elu: (x) => elu(x),
  sigmoid: (x) => sigmoid(x),
  tanh: (x) => tanh(x),
};

function isFloatMatrix(t: Tensor): boolean {
  return t.rank === 2 && t.dtype === 'float32';
}

export function matMul(config: FusedMatMulConfig): Tensor {
  if (config === null || typeof config !== 'object') throw new TypeError('fused.matMul: expected {a, b, transposeA?, transposeB?, bias?, activation?}');
  const { transposeA = false, transposeB = false, activation = 'linear', leakyreluAlpha = 0.2 } = config;
  if (!FUSED_ACTIVATIONS.includes(activation)) {
    throw new RangeError(`fused.matMul: unknown activation ${JSON.stringify(activation)}; expected one of ${FUSED_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}`);
  }
  if (typeof leakyreluAlpha !== 'number' || !Number.isFinite(leakyreluAlpha)) {
    throw new RangeError(`fused.matMul: leakyreluAlpha must be a finite number, got ${String(leakyreluAlpha)}`);
  }
  return tidy(() => {
    const a = toTensor(config.a, 'a', 'fused.matMul');
    const b = toTensor(config.b, 'b', 'fused.matMul', a);
    const bias = config.bias === undefined || config.bias === null ? undefined : toTensor(config.bias, 'bias', 'fused.matMul', a);
    const k = [transposeA ? a.shape[0] : a.shape[1], transposeB ? b.shape[1] : b.shape[0]];
    const n = transposeB ? b.shape[0] : b.shape[1];
    const kernelTakes = isFloatMatrix(a) && isFloatMatrix(b) && k[0] === k[1] &&
      (!bias || (bias.rank === 1 && bias.dtype === 'float32' && bias.shape[0] === n)) &&
      (activation !== 'leakyRelu' || leakyreluAlpha >= 0);
    if (kernelTakes) {
      const inputs = bias ? [a, b, bias] : [a, b];
      return runKernel1('FusedMatMul', inputs, { transposeA, transposeB, activation, alpha: activation === 'leakyRelu' ? leakyreluAlpha : 0 });
    }
    const z = plainMatMul(a, b, transposeA, transposeB);
    return ACTIVATION_OPS[activation](bias ? add(z, bias) : z, leakyreluAlpha);
  });
}
