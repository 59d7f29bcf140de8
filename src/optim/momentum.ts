/**
 * Gradient descent with momentum, tfjs' formula: accum = m * accum + g, then p -= lr * accum,
 * or with Nesterov p -= lr * (g + m * accum).
 */
import type { ClipOptions } from './clip.js';
import { Optimizer, optionsFromConfig, parseOptimizerArgs, type OptimizerArgs, type OptimizerConfigDict, type UpdateRule, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface MomentumOptions extends ClipOptions {
  learningRate?: LearningRate;
  momentum?: number;
  useNesterov?: boolean;
}

export class MomentumOptimizer extends Optimizer {
  static readonly className: string = 'Momentum';
  readonly momentum: number;
  readonly useNesterov: boolean;

  static fromConfig(config: OptimizerConfigDict): MomentumOptimizer {
    return momentum(optionsFromConfig(config, MomentumOptimizer.className));
  }

  constructor(config: { learningRate: LearningRate; momentum: number; useNesterov: boolean } & ClipOptions) {
    super(config, MomentumOptimizer.className);
    this.momentum = config.momentum;
    this.useNesterov = config.useNesterov;
  }

  protected readonly rule: UpdateRule = { kernelName: 'MomentumUpdate', slotNames: ['momentum'], written: [0, 2] };

  protected updateAttrs(step: UpdateStep): Record<string, number | boolean> {
    return { lr: step.learningRate, momentum: this.momentum, nesterov: this.useNesterov };
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { momentum: this.momentum, useNesterov: this.useNesterov };
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
