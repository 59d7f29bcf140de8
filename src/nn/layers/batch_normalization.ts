/**
 * BatchNormalization (Keras 3): normalises each feature (the last axis) by the batch's mean
 * and (population) variance in training, updating moving averages
 * moving = moving * momentum + batch * (1 - momentum); at inference it uses the moving ones.
 * y = gamma (x - mean) / sqrt(variance + epsilon) + beta.
 */
import { noGrad } from '../../autograd/api.js';
import type { Variable } from '../../autograd/variable.js';
import { add, mul, sub } from '../../ops/binary.js';
import { moments } from '../../ops/reduce.js';
import { rsqrt } from '../../ops/unary.js';
import type { Tensor } from '../../tensor.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, rejectUnsupported, type CallKwargs, type LayerArgs } from '../layer.js';
import { registerDeserializer, serialize, type Config } from '../../io/serialization.js';
import type { SymbolicShape } from '../symbolic.js';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis: the last (-1, the default, or its index). */
  axis?: number;
  /** Default 0.99. */
  momentum?: number;
  /** Default 1e-3. */
  epsilon?: number;
  /** Learn beta (default true). */
  center?: boolean;
  /** Learn gamma (default true). */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

export class BatchNormalization extends Layer {
  readonly className = 'BatchNormalization';
  readonly momentum: number;
  readonly epsilon: number;
  private readonly args: BatchNormalizationArgs;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean: Variable | null = null;
  movingVariance: Variable | null = null;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization');
    this.supportsMasking = true;
    this.momentum = args.momentum ?? 0.99;
    this.epsilon = args.epsilon ?? 1e-3;
    if (!(this.momentum >= 0 && this.momentum <= 1)) throw new RangeError(`${this.name}: momentum must be in [0, 1], got ${String(args.momentum)}`);
    if (!(this.epsilon > 0 && Number.isFinite(this.epsilon))) throw new RangeError(`${this.name}: epsilon must be a positive number, got ${String(args.epsilon)}`);
    this.args = args;
    if (args.axis !== undefined && !Number.isInteger(args.axis)) throw new RangeError(`${this.name}: axis must be an integer (the last axis), got ${JSON.stringify(args.axis)}`);
    rejectUnsupported(this.name, args, ['betaRegularizer', 'gammaRegularizer', 'betaConstraint', 'gammaConstraint']);
  }

  override getConfig(): Config {
    return {
      axis: -1,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.args.center ?? true,
      scale: this.args.scale ?? true,
      betaInitializer: serialize(getInitializer(this.args.betaInitializer, 'zeros')),
      gammaInitializer: serialize(getInitializer(this.args.gammaInitializer, 'ones')),
      movingMeanInitializer: serialize(getInitializer(this.args.movingMeanInitializer, 'zeros')),
      movingVarianceInitializer: serialize(getInitializer(this.args.movingVarianceInitializer, 'ones')),
      betaRegularizer: null,
      gammaRegularizer: null,
      betaConstraint: null,
      gammaConstraint: null,
      ...super.getConfig(),
    } as unknown as Config;
  }

  protected override build(inputShape: SymbolicShape): void {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || features === null) {
      throw new RangeError(`${this.name} (BatchNormalization): needs inputs of rank >= 2 with a known last dimension, got ${JSON.stringify(inputShape)}`);
    }
    const axis = this.args.axis ?? -1;
    if (axis !== -1 && axis !== inputShape.length - 1) {
      throw new RangeError(`${this.name} (BatchNormalization): normalizes over the last axis only (-1 or ${inputShape.length - 1} for inputs of rank ${inputShape.length}), got axis ${axis}`);
    }
    const shape = [features];
    if (this.args.scale ?? true) this.gamma = this.addWeight('gamma', shape, getInitializer(this.args.gammaInitializer, 'ones'));
    if (this.args.center ?? true) this.beta = this.addWeight('beta', shape, getInitializer(this.args.betaInitializer, 'zeros'));
    this.movingMean = this.addWeight('moving_mean', shape, getInitializer(this.args.movingMeanInitializer, 'zeros'), { trainable: false });
    this.movingVariance = this.addWeight('moving_variance', shape, getInitializer(this.args.movingVarianceInitializer, 'ones'), { trainable: false });
  }

  protected call(x: Tensor, { training }: CallKwargs): Tensor {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    let mean: Tensor = this.movingMean!;
    let variance: Tensor = this.movingVariance!;
    if (training) {
      ({ mean, variance } = moments(x, axes));
      const batch = { mean, variance };
      noGrad(() => {
        for (const [moving, value] of [[this.movingMean!, batch.mean], [this.movingVariance!, batch.variance]] as const) {
          moving.assign(add(mul(moving, this.momentum), mul(value, 1 - this.momentum)));
        }
      });
    }
    let factor = rsqrt(add(variance, this.epsilon));
    if (this.gamma) factor = mul(factor, this.gamma);
    const y = mul(sub(x, mean), factor);
    return this.beta ? add(y, this.beta) : y;
  }
}

registerDeserializer('BatchNormalization', (config) => new BatchNormalization(config as unknown as BatchNormalizationArgs));
