/** Gradients of MatMul, reductions and softmax. */
import { registerGradient } from '../autograd/gradients.js';
import { matMulOperandGradients } from '../backend/matmul_forms.js';
import type { Tensor } from '../tensor.js';
import { add, div, equal, mul, sub } from './binary.js';
import { cast } from './convert.js';
import { matMul } from './matmul.js';
import { sum, sumToShape } from './reduce.js';
import { reshape } from './reshape.js';
import { softmax } from './softmax.js';
import { broadcastTo } from './tile.js';
import { exp } from './unary.js';

registerGradient({
  kernelName: 'MatMul',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => {
    const [a, b] = node.inputs;
    const { transposeA, transposeB } = node.attrs as { transposeA: boolean; transposeB: boolean };
    const [da, db] = matMulOperandGradients(dy, a, b, transposeA, transposeB, matMul, [node.needs[0], node.needs[1]]);
    // A batch of 1 was broadcast over the other operand's batch.
    return [da && sumToShape(da, node.inputShapes[0]), db && sumToShape(db, node.inputShapes[1])];
  },
});

/** dy of a reduction over [outer, reduce, inner], broadcast back to the input's shape. */
function spread(t: Tensor, inputShape: number[]): Tensor {
  const [outer, , inner] = inputShape;
  return broadcastTo(reshape(t, [outer, 1, inner]), inputShape);
}

registerGradient({ kernelName: 'Sum', saveInputs: false, saveOutputs: false, gradFn: (dy, node) => [spread(dy, node.inputShapes[0])] });
// prod / x for each element (inf / nan where x = 0, as tfjs).
registerGradient({
  kernelName: 'Prod',
  saveInputs: true,
  saveOutputs: true,
  gradFn: (dy, node) => [div(spread(mul(dy, node.outputs[0]), node.inputShapes[0]), node.inputs[0])],
});
// Every element equal to the extreme gets the gradient (ties share it, as tfjs).
for (const kernelName of ['Max', 'Min']) {
  registerGradient({
    kernelName,
    saveInputs: true,
    saveOutputs: true,
    gradFn: (dy, node) => {
      const shape = node.inputShapes[0];
      const hit = cast(equal(node.inputs[0], spread(node.outputs[0], shape)), 'float32');
      return [mul(spread(dy, shape), hit)];
    },
  });
}
// The softmax along the reduced axis (the kernel's middle one), which shifts x by its max:
// exp(x - logSumExp(x)) would inherit the rounding of logSumExp(x) to its ulp, a relative
// error of up to 3e-5 at 1e3.
registerGradient({
  kernelName: 'LogSumExp',
  saveInputs: true,
  saveOutputs: false,
  gradFn: (dy, node) => [mul(spread(dy, node.inputShapes[0]), softmax(node.inputs[0], 1))],
});

// The fused kernel's second output is the gradient of each row's loss (or of their mean):
// scale it by dLoss. That output, (softmax(logits) - onehot) / (rows for 'mean', else 1), also
// receives a gradient when it is differentiated again (grad of grad reads it through the
// first term): softmax's Jacobian is symmetric, so its pullback is softmax's own gradient.
registerGradient({
  kernelName: 'SparseSoftmaxCrossEntropy',
  saveInputs: true,
  saveOutputs: true,
  gradFnMulti: ([dLoss, dGrad], node) => {
    const mean = node.attrs.reduction === 'mean';
    let dx: Tensor | null = null;
    if (dLoss) dx = mul(node.outputs[1], mean ? dLoss : reshape(dLoss, [dLoss.size, 1]));
    if (dGrad) {
      const s = softmax(node.inputs[0]);
      const pullback = mul(s, sub(dGrad, sum(mul(dGrad, s), 1, true)));
      const scaled = mean ? div(pullback, node.inputShapes[0][0]) : pullback;
      dx = dx ? add(dx, scaled) : scaled;
    }
    return [dx, null];
  },
});

// softmax: dx = y (dy - sum(dy y)); log-softmax: dx = dy - exp(y) sum(dy), over each row.
registerGradient({
  kernelName: 'Softmax',
  saveInputs: false,
  saveOutputs: true,
  gradFn: (dy, node) => {
    const y = node.outputs[0];
    return [mul(y, sub(dy, sum(mul(dy, y), 1, true)))];
  },
});
registerGradient({
  kernelName: 'LogSoftmax',
  saveInputs: false,
  saveOutputs: true,
  gradFn: (dy, node) => [sub(dy, mul(exp(node.outputs[0]), sum(dy, 1, true)))],
});
