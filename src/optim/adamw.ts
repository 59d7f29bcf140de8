/** AdamW: decoupled weight decay p -= lr * weightDecay * p, then the Adam step (Keras' AdamW). */
import { ADAM_PARAMS, AdamOptimizer, type AdamConfig, type AdamOptions } from './adam.js';
import { optionsFromConfig, parseOptimizerArgs, type OptimizerArgs, type OptimizerConfigDict } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface AdamWOptions extends AdamOptions {
  weightDecay?: number;
}

export class AdamWOptimizer extends AdamOptimizer {
  // Keras' name: tfjs has no AdamW.
  static override readonly className: string = 'AdamW';
  readonly weightDecay: number;

  static override fromConfig(config: OptimizerConfigDict): AdamWOptimizer {
    return adamw(optionsFromConfig(config, AdamWOptimizer.className));
  }

  constructor(config: AdamConfig & { weightDecay: number }) {
    super(config, AdamWOptimizer.className);
    this.weightDecay = config.weightDecay;
  }

  protected override get weightDecayRate(): number {
    return this.weightDecay;
  }

  // Keras 3's order: learning_rate, weight_decay, beta_1, beta_2, epsilon.
  protected override hyperparameters(): Record<string, number> {
    return { weightDecay: this.weightDecay, ...super.hyperparameters() };
  }
}

/** adamw(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7, weightDecay = 0.004), plus an optional options object. */
export function adamw(
  ...args: OptimizerArgs<[learningRate: LearningRate, beta1: number, beta2: number, epsilon: number, weightDecay: number], AdamWOptions>
): AdamWOptimizer {
  const c = parseOptimizerArgs<AdamConfig & { weightDecay: number }>('adamw', [...ADAM_PARAMS, { name: 'weightDecay', check: 'nonNegative', default: 0.004 }], args);
  return new AdamWOptimizer(c);
}
