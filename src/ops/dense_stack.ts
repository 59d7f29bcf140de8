/**
 * denseStack: a stack of dense layers in inference as one DenseStack kernel. model.predict runs
 * it for a model of dense layers: at batch 1 a kernel call per layer costs more than the
 * arithmetic. Inference only: its gradient is an error that points to model.apply.
 */
import { registerGradient } from '../autograd/gradients.js';
import { runKernel1 } from '../engine.js';
import { DENSE_STACK_ACTIVATIONS, type DenseStackActivation } from '../backend/kernel.js';
import type { Tensor } from '../tensor.js';

export interface DenseStackLayerSpec {
  /** [inputs, units] float32. */
  kernel: Tensor;
  /** [units] float32, or none. */
  bias?: Tensor | null;
  /** One of DENSE_STACK_ACTIVATIONS (default 'linear'). */
  activation?: DenseStackActivation;
  /** leakyRelu's slope, >= 0 (default 0.2). */
  alpha?: number;
}

const shape = (t: Tensor) => `[${t.shape.join(', ')}]`;

/** The layers' output for x [batch, inputs]: h = activation(h kernel + bias), layer after layer. */
export function denseStack(x: Tensor, layers: readonly DenseStackLayerSpec[]): Tensor {
  if (x.rank !== 2 || x.dtype !== 'float32') throw new RangeError(`denseStack: x must be a float32 matrix [batch, inputs], got ${x.dtype} ${shape(x)}`);
  if (!Array.isArray(layers) || layers.length === 0) throw new RangeError('denseStack: expected at least one layer');
  const inputs: Tensor[] = [x];
  const activations: DenseStackActivation[] = [];
  const alphas: number[] = [];
  const biases: boolean[] = [];
  let width = x.shape[1];
  layers.forEach(({ kernel, bias, activation = 'linear', alpha = 0.2 }, i) => {
    if (kernel.rank !== 2 || kernel.dtype !== 'float32' || kernel.shape[0] !== width) {
      throw new RangeError(`denseStack: layer ${i}'s kernel must be float32 [${width}, units] to take its input of width ${width}, got ${kernel.dtype} ${shape(kernel)}`);
    }
    const units = kernel.shape[1];
    if (bias && (bias.rank !== 1 || bias.dtype !== 'float32' || bias.shape[0] !== units)) {
      throw new RangeError(`denseStack: layer ${i}'s bias must be float32 [${units}], got ${bias.dtype} ${shape(bias)}`);
    }
    if (!DENSE_STACK_ACTIVATIONS.includes(activation)) {
      throw new RangeError(`denseStack: layer ${i}'s activation ${JSON.stringify(activation)} is not one of ${DENSE_STACK_ACTIVATIONS.join(', ')}`);
    }
    if (activation === 'leakyRelu' && !(typeof alpha === 'number' && alpha >= 0 && Number.isFinite(alpha))) {
      throw new RangeError(`denseStack: layer ${i}'s leakyRelu slope must be a finite number >= 0, got ${String(alpha)}`);
    }
    inputs.push(kernel);
    if (bias) inputs.push(bias);
    activations.push(activation);
    alphas.push(alpha);
    biases.push(Boolean(bias));
    width = units;
  });
  return runKernel1('DenseStack', inputs, { activations, alphas, biases });
}

registerGradient({
  kernelName: 'DenseStack',
  saveInputs: false,
  saveOutputs: false,
  gradFn: () => {
    throw new Error('denseStack (what model.predict runs) is inference only and has no gradient; differentiate model.apply(x) instead');
  },
});
