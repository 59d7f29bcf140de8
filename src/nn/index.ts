/** `et.layers`: Keras-style layer factories (tfjs names). */
import { Activation, LeakyReLU, type ActivationArgs, type LeakyReLUArgs } from './layers/activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './layers/batch_normalization.js';
import { Dense, type DenseArgs } from './layers/dense.js';
import { Dropout, type DropoutArgs } from './layers/dropout.js';
import { Flatten, Reshape, type ReshapeArgs } from './layers/reshape.js';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs } from './layers/merge.js';
import type { SymbolicTensor } from './symbolic.js';
import type { Tensor } from '../tensor.js';
import type { Layer, LayerArgs } from './layer.js';

export { Layer, type LayerArgs, type CallOptions, type CallKwargs, type Tensors, type Shapes, type Masks } from './layer.js';
export { Dense, Activation, LeakyReLU, BatchNormalization, Dropout, Flatten, Reshape };
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot };
export { InputLayer, type InputArgs } from './layers/input.js';
export type { DenseArgs, ActivationArgs, LeakyReLUArgs, BatchNormalizationArgs, DropoutArgs, ReshapeArgs, ConcatenateArgs, DotArgs };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);

/**
 * A merge layer's factory: with options (or none), the layer (tfjs); with a list of inputs, the
 * layer applied to them at once (Keras' `add([a, b])`).
 */
function mergeFactory<A extends LayerArgs, L extends Layer>(make: (args?: A) => L) {
  function factory(inputs: SymbolicTensor[]): SymbolicTensor;
  function factory(inputs: Tensor[]): Tensor;
  function factory(args?: A): L;
  function factory(argsOrInputs?: A | SymbolicTensor[] | Tensor[]): L | SymbolicTensor | Tensor {
    if (Array.isArray(argsOrInputs)) return make().apply(argsOrInputs as Tensor[]) as Tensor;
    return make(argsOrInputs);
  }
  return factory;
}

export const add = mergeFactory((args?: LayerArgs) => new Add(args));
export const subtract = mergeFactory((args?: LayerArgs) => new Subtract(args));
export const multiply = mergeFactory((args?: LayerArgs) => new Multiply(args));
export const average = mergeFactory((args?: LayerArgs) => new Average(args));
export const maximum = mergeFactory((args?: LayerArgs) => new Maximum(args));
export const minimum = mergeFactory((args?: LayerArgs) => new Minimum(args));
export const concatenate = mergeFactory((args?: ConcatenateArgs) => new Concatenate(args));
export const dot = mergeFactory((args?: DotArgs) => new Dot(args));
