/**
 * Gradient descent with momentum, tfjs' formula: accum = m * accum + g, then p -= lr * accum,
 * or with Nesterov p -= lr * (g + m * accum).
 */
import type { ClipOptions } from './clip.js';
import { Optimizer, parseOptimizerArgs, type OptimizerArgs, type UpdateRule, type UpdateStep } from './optimizer.js';
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

  protected readonly rule: UpdateRule = { kernelName: 'MomentumUpdate', slotNames: ['accumulation'], written: [0, 2] };

  protected updateAttrs(step: UpdateStep): Record<string, number | boolean> {
    return { lr: step.learningRate, momentum: this.momentum, nesterov: this.useNesterov };
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
