/**
 * Gradient descent with momentum, tfjs' formula: accum = m * accum + g, then p -= lr * accum,
 * or with Nesterov p -= lr * (g + m * accum).
 */
import type { Tensor } from '../tensor.js';
import type { Variable } from '../autograd/variable.js';
import { add, mul, sub } from '../ops/index.js';
import type { ClipOptions } from './clip.js';
import { Optimizer, parseOptimizerArgs, type OptimizerArgs, type Slots, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface MomentumOptions extends ClipOptions {
  learningRate?: LearningRate;
  momentum?: number;
  useNesterov?: boolean;
}

export class MomentumOptimizer extends Optimizer {
  readonly momentum: number;
  readonly useNesterov: boolean;

  constructor(config: { learningRate: LearningRate; momentum: number; useNesterov: boolean } & ClipOptions) {
    super(config, 'momentum');
    this.momentum = config.momentum;
    this.useNesterov = config.useNesterov;
  }

  protected updateVariable(variable: Variable, gradient: Tensor, slots: Slots, step: UpdateStep): void {
    const accumulation = add(mul(slots.get('accumulation'), this.momentum), gradient);
    const direction = this.useNesterov ? add(gradient, mul(accumulation, this.momentum)) : accumulation;
    variable.assign(sub(variable, mul(direction, step.learningRate)));
    slots.set('accumulation', accumulation);
  }
}

/** tfjs' momentum(learningRate, momentum, useNesterov = false), plus an optional options object. */
export function momentum(...args: OptimizerArgs<[learningRate: LearningRate, momentum: number, useNesterov: boolean], MomentumOptions>): MomentumOptimizer {
  const c = parseOptimizerArgs<{ learningRate: LearningRate; momentum: number; useNesterov: boolean } & ClipOptions>('momentum', [
    { name: 'learningRate', check: 'learningRate' },
    { name: 'momentum', check: 'unitClosed' },
    { name: 'useNesterov', check: 'boolean', default: false },
  ], args);
  return new MomentumOptimizer(c);
}
