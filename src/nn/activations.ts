/**
 * Activations by Keras name (camelCase or snake_case), for dense and activation layers. Those a
 * FusedMatMul can apply in its epilogue say so (`fused`), so a dense layer runs as one kernel.
 */
import type { FusedActivation } from '../backend/kernel.js';
import type { Tensor } from '../tensor.js';
import { elu, gelu, leakyRelu, relu, relu6, selu, sigmoid, softplus, tanh } from '../ops/unary.js';
import { softmax } from '../ops/softmax.js';

export const ACTIVATION_NAMES = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'leakyRelu', 'elu', 'selu', 'gelu', 'softplus'] as const;
export type ActivationName = (typeof ACTIVATION_NAMES)[number];

/** Keras' leaky_relu activation slope (the LeakyReLU layer has its own alpha option). */
export const LEAKY_RELU_ACTIVATION_ALPHA = 0.2;

interface ActivationSpec {
  apply: (x: Tensor) => Tensor;
  /** The FusedMatMul epilogue that computes the same thing, if any. */
  fused?: FusedActivation;
}

const SPECS: Record<ActivationName, ActivationSpec> = {
  linear: { apply: (x) => x, fused: 'linear' },
  relu: { apply: (x) => relu(x), fused: 'relu' },
  relu6: { apply: (x) => relu6(x), fused: 'relu6' },
  sigmoid: { apply: (x) => sigmoid(x), fused: 'sigmoid' },
  tanh: { apply: (x) => tanh(x), fused: 'tanh' },
  softmax: { apply: (x) => softmax(x, -1) },
  leakyRelu: { apply: (x) => leakyRelu(x, LEAKY_RELU_ACTIVATION_ALPHA), fused: 'leakyRelu' },
  elu: { apply: (x) => elu(x), fused: 'elu' },
  selu: { apply: (x) => selu(x) },
  gelu: { apply: (x) => gelu(x) },
  softplus: { apply: (x) => softplus(x) },
};

/** 'leaky_relu' -> 'leakyRelu'. */
function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The activation a Keras name stands for; undefined means linear. */
export function getActivation(identifier: string | undefined | null, where: string): { name: ActivationName } & ActivationSpec {
  if (identifier === undefined || identifier === null) return { name: 'linear', ...SPECS.linear };
  const name = typeof identifier === 'string' ? camelCase(identifier) : '';
  if (!(ACTIVATION_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`${where}: unknown activation ${JSON.stringify(identifier)}; expected one of ${ACTIVATION_NAMES.map((a) => `'${a}'`).join(', ')}`);
  }
  return { name: name as ActivationName, ...SPECS[name as ActivationName] };
}
