/**
 * The gradient of FusedMatMul: one FusedMatMulGrad kernel, or, when a tape records the
 * backward pass (grad of grad), the same gradient written with differentiable ops.
 */
import { registerGradient } from '../autograd/gradients.js';
import { runKernel } from '../engine.js';
import type { FusedActivation } from '../backend/kernel.js';
import { matMulOperandGradients } from '../backend/matmul_forms.js';
import type { Tensor } from '../tensor.js';
import { add, greater, less, mul, sub } from './binary.js';
import { matMul } from './matmul.js';
import { sum } from './reduce.js';
import { square } from './unary.js';
import { where } from './where.js';

/** dy * activation'(x), written with the activation's output y (see FUSED_ACTIVATIONS). */
const ACTIVATION_GRADIENTS: Record<FusedActivation, (dy: Tensor, y: Tensor, alpha: number) => Tensor> = {
  linear: (dy) => dy,
  relu: (dy, y) => where(greater(y, 0), dy, 0),
  relu6: (dy, y) => where(greater(y, 0), where(less(y, 6), dy, 0), 0),
  leakyRelu: (dy, y, alpha) => where(greater(y, 0), dy, mul(dy, alpha)),
  elu: (dy, y) => where(greater(y, 0), dy, mul(dy, add(y, 1))),
  sigmoid: (dy, y) => mul(dy, mul(y, sub(1, y))),
  tanh: (dy, y) => mul(dy, sub(1, square(y))),
};

registerGradient({
  kernelName: 'FusedMatMul',
  saveInputs: true,
  saveOutputs: true,
  gradFn: (dy, node) => {
    const [a, b] = node.inputs;
    const y = node.outputs[0];
    const attrs = node.attrs as { transposeA: boolean; transposeB: boolean; activation: FusedActivation; alpha: number };
    const hasBias = node.inputs.length === 3;
    const needs: [boolean, boolean, boolean] = [node.needs[0], node.needs[1], hasBias && node.needs[2]];
    if (!node.recorded) {
      const { transposeA, transposeB, activation, alpha } = attrs;
      const grads = runKernel('FusedMatMulGrad', [dy, a, b, y], { transposeA, transposeB, activation, alpha, needs });
      const result = needs.map((needed) => (needed ? grads.shift()! : null));
      return hasBias ? result : result.slice(0, 2);
    }
    const dz = ACTIVATION_GRADIENTS[attrs.activation](dy, y, attrs.alpha);
    const [da, db] = matMulOperandGradients(dz, a, b, attrs.transposeA, attrs.transposeB, matMul, [needs[0], needs[1]]);
    return hasBias ? [da, db, needs[2] ? sum(dz, 0) : null] : [da, db];
  },
});
