/** Plain gradient descent: p -= lr * g. */
import type { Tensor } from '../tensor.js';
import type { Variable } from '../autograd/variable.js';
import { runInPlaceKernel } from '../engine.js';
import type { ClipOptions } from './clip.js';
import { Optimizer, parseOptimizerArgs, type OptimizerArgs, type Slots, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface SGDOptions extends ClipOptions {
  learningRate?: LearningRate;
}

export class SGDOptimizer extends Optimizer {
  constructor(config: { learningRate: LearningRate } & ClipOptions) {
    super(config, 'sgd');
  }

  protected updateVariable(variable: Variable, gradient: Tensor, _slots: Slots, step: UpdateStep): void {
    runInPlaceKernel('SgdUpdate', [variable, gradient], [0], { lr: step.learningRate });
  }
}

/** tfjs' sgd(learningRate), plus an optional options object (clipvalue / clipnorm / globalClipnorm). */
export function sgd(...args: OptimizerArgs<[learningRate: LearningRate], SGDOptions>): SGDOptimizer {
  const c = parseOptimizerArgs<{ learningRate: LearningRate } & ClipOptions>('sgd', [{ name: 'learningRate', check: 'learningRate' }], args);
  return new SGDOptimizer(c);
}
