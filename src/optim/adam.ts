/**
 * Adam, tfjs' formula: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2,
 * p -= lr * mHat / (sqrt(vHat) + eps) with mHat = m / (1 - b1^t), vHat = v / (1 - b2^t).
 */
import type { ClipOptions } from './clip.js';
import { Optimizer, optionsFromConfig, parseOptimizerArgs, type OptimizerArgs, type OptimizerConfigDict, type ParamSpec, type UpdateRule, type UpdateStep } from './optimizer.js';
import type { LearningRate } from './schedules.js';

export interface AdamOptions extends ClipOptions {
  learningRate?: LearningRate;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export interface AdamConfig extends ClipOptions {
  learningRate: LearningRate;
  beta1: number;
  beta2: number;
  epsilon: number;
}

export const ADAM_PARAMS: ParamSpec[] = [
  { name: 'learningRate', check: 'learningRate', default: 0.001 },
  { name: 'beta1', check: 'unitOpen', default: 0.9 },
  { name: 'beta2', check: 'unitOpen', default: 0.999 },
  { name: 'epsilon', check: 'nonNegative', default: 1e-7 },
];

export class AdamOptimizer extends Optimizer {
  static readonly className: string = 'Adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  static fromConfig(config: OptimizerConfigDict): AdamOptimizer {
    return adam(optionsFromConfig(config, AdamOptimizer.className));
  }

  constructor(config: AdamConfig, className = AdamOptimizer.className) {
    super(config, className);
    this.beta1 = config.beta1;
    this.beta2 = config.beta2;
    this.epsilon = config.epsilon;
  }

  /** AdamW's decoupled decay rate (0 for Adam). */
  protected get weightDecayRate(): number {
    return 0;
  }

  protected readonly rule: UpdateRule = { kernelName: 'AdamUpdate', slotNames: ['m', 'v'], written: [0, 2, 3] };

  protected updateAttrs(step: UpdateStep): Record<string, number> {
    return {
      lr: step.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      iteration: step.iteration,
      weightDecay: this.weightDecayRate,
    };
  }

  protected hyperparameters(): Record<string, number> {
    return { beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** tfjs' adam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7), plus an optional options object. */
export function adam(...args: OptimizerArgs<[learningRate: LearningRate, beta1: number, beta2: number, epsilon: number], AdamOptions>): AdamOptimizer {
  return new AdamOptimizer(parseOptimizerArgs<AdamConfig>('adam', ADAM_PARAMS, args));
}
