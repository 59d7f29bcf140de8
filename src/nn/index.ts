/** `et.layers`: Keras-style layer factories (tfjs names). */
import { Activation, LeakyReLU, type ActivationArgs, type LeakyReLUArgs } from './layers/activation.js';
import { BatchNormalization, type BatchNormalizationArgs } from './layers/batch_normalization.js';
import { Dense, type DenseArgs } from './layers/dense.js';
import { Dropout, type DropoutArgs } from './layers/dropout.js';
import { Flatten, Reshape, type ReshapeArgs } from './layers/reshape.js';
import type { LayerArgs } from './layer.js';

export { Layer, type LayerArgs, type CallOptions } from './layer.js';
export { Dense, Activation, LeakyReLU, BatchNormalization, Dropout, Flatten, Reshape };
export { InputLayer, type InputArgs } from './layers/input.js';
export type { DenseArgs, ActivationArgs, LeakyReLUArgs, BatchNormalizationArgs, DropoutArgs, ReshapeArgs };

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const leakyReLU = (args?: LeakyReLUArgs): LeakyReLU => new LeakyReLU(args);
export const batchNormalization = (args?: BatchNormalizationArgs): BatchNormalization => new BatchNormalization(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const flatten = (args?: LayerArgs): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
