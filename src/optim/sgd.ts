/** Plain gradient descent: p -= lr * g. */
import type { ClipOptions } from './clip.js';
import { Optimizer, optionsFromConfig, parseOptimizerArgs, type OptimizerArgs, type OptimizerConfigDict, type UpdateRule, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface SGDOptions extends ClipOptions {
  learningRate?: LearningRate;
}

export class SGDOptimizer extends Optimizer {
  static readonly className: string = 'SGD';

  static fromConfig(config: OptimizerConfigDict): SGDOptimizer {
    return sgd(optionsFromConfig(config, SGDOptimizer.className));
  }

  constructor(config: { learningRate: LearningRate } & ClipOptions) {
    super(config, SGDOptimizer.className);
  }

  protected readonly rule: UpdateRule = { kernelName: 'SgdUpdate', slotNames: [], written: [0] };

  protected updateAttrs(step: UpdateStep): Record<string, number> {
    return { lr: step.learningRate };
  }

  protected hyperparameters(): Record<string, number> {
    return {};
  }
}

/** tfjs' sgd(learningRate), plus an optional options object (clipvalue / clipnorm / globalClipnorm). */
export function sgd(...args: OptimizerArgs<[learningRate: LearningRate], SGDOptions>): SGDOptimizer {
  const c = parseOptimizerArgs<{ learningRate: LearningRate } & ClipOptions>('sgd', [{ name: 'learningRate', check: 'learningRate' }], args);
  return new SGDOptimizer(c);
}
