/**
 * RMSProp, tfjs' formula: ms = decay ms + (1 - decay) g^2; mom = momentum mom + lr g / sqrt(ms + eps)
 * (centered: mg = decay mg + (1 - decay) g and sqrt(ms - mg^2 + eps)); p -= mom.
 */
import type { Tensor } from '../tensor.js';
import type { Variable } from '../autograd/variable.js';
import { add, div, mul, sqrt, square, sub } from '../ops/index.js';
import type { ClipOptions } from './clip.js';
import { Optimizer, parseOptimizerArgs, type OptimizerArgs, type Slots, type UpdateStep } from './optimizer.js';
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
  readonly decay: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(config: RMSPropConfig) {
    super(config, 'rmsprop');
    this.decay = config.decay;
    this.momentum = config.momentum;
    this.epsilon = config.epsilon;
    this.centered = config.centered;
  }

  protected updateVariable(variable: Variable, gradient: Tensor, slots: Slots, step: UpdateStep): void {
    const { decay } = this;
    const ms = add(mul(slots.get('meanSquare'), decay), mul(square(gradient), 1 - decay));
    let denominator: Tensor;
    if (this.centered) {
      const mg = add(mul(slots.get('meanGradient'), decay), mul(gradient, 1 - decay));
      denominator = sqrt(add(sub(ms, square(mg)), this.epsilon));
      slots.set('meanGradient', mg);
    } else {
      denominator = sqrt(add(ms, this.epsilon));
    }
    const mom = add(mul(slots.get('momentum'), this.momentum), div(mul(gradient, step.learningRate), denominator));
    variable.assign(sub(variable, mom));
    slots.set('meanSquare', ms);
    slots.set('momentum', mom);
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
