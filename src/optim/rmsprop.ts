/**
 * RMSProp, tfjs' formula: ms = decay ms + (1 - decay) g^2; mom = momentum mom + lr g / sqrt(ms + eps)
 * (centered: mg = decay mg + (1 - decay) g and sqrt(ms - mg^2 + eps)); p -= mom.
 */
import type { ClipOptions } from './clip.js';
import { Optimizer, optionsFromConfig, parseOptimizerArgs, type OptimizerArgs, type OptimizerConfigDict, type UpdateRule, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface RMSPropOptions extends ClipOptions {
  learningRate?: LearningRate;
  decay?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

interface RMSPropConfig extends ClipOptions {
  learningRate: LearningRate;
  decay: number;
  momentum: number;
  epsilon: number;
  centered: boolean;
}

export class RMSPropOptimizer extends Optimizer {
  static readonly className: string = 'RMSProp';
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;
  protected readonly rule: UpdateRule;

  static fromConfig(config: OptimizerConfigDict): RMSPropOptimizer {
    return rmsprop(optionsFromConfig(config, RMSPropOptimizer.className));
  }

  constructor(config: RMSPropConfig) {
    super(config, RMSPropOptimizer.className);
    this.decay = config.decay;
    this.momentum = config.momentum;
    this.epsilon = config.epsilon;
    this.centered = config.centered;
    // tfjs' slot names (mean square, momentum, mean gradient). The uncentered update leaves mg
    // untouched; it stays a slot so both forms share one kernel.
    this.rule = { kernelName: 'RmspropUpdate', slotNames: ['rms', 'momentum', 'mg'], written: this.centered ? [0, 2, 3, 4] : [0, 2, 3] };
  }

  protected updateAttrs(step: UpdateStep): Record<string, number | boolean> {
    return { lr: step.learningRate, decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }

  protected hyperparameters(): Record<string, number | boolean> {
    return { decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}

/** tfjs' rmsprop(learningRate, decay = 0.9, momentum = 0, epsilon = 1e-7, centered = false), plus an optional options object. */
export function rmsprop(
  ...args: OptimizerArgs<[learningRate: LearningRate, decay: number, momentum: number, epsilon: number, centered: boolean], RMSPropOptions>
): RMSPropOptimizer {
  const c = parseOptimizerArgs<RMSPropConfig>('rmsprop', [
    { name: 'learningRate', check: 'learningRate' },
    { name: 'decay', check: 'unitClosed', default: 0.9 },
    { name: 'momentum', check: 'unitClosed', default: 0 },
    { name: 'epsilon', check: 'nonNegative', default: 1e-7 },
    { name: 'centered', check: 'boolean', default: false },
  ], args);
  return new RMSPropOptimizer(c);
}
