/**
 * Dense (Keras): activation(x kernel + bias). Inputs of rank > 2 apply to the last axis. The
 * product, bias and activation run as one fused.matMul kernel (backward too) when the
 * activation has a fused form; softmax, selu, gelu and softplus follow as a separate op.
 */
import { fused } from '../../ops/index.js';
import type { DenseStackLayerSpec } from '../../ops/dense_stack.js';
import { reshape } from '../../ops/reshape.js';
import type { FusedActivation } from '../../backend/kernel.js';
import type { Tensor } from '../../tensor.js';
import type { Variable } from '../../autograd/variable.js';
import { getActivation, LEAKY_RELU_ACTIVATION_ALPHA } from '../activations.js';
import { getInitializer, type InitializerIdentifier } from '../initializers.js';
import { Layer, rejectUnsupported, type CallKwargs, type LayerArgs, type LogitActivation } from '../layer.js';
import { registerDeserializer, serialize, type Config } from '../../io/serialization.js';
import { getRegularizer, type RegularizerIdentifier } from '../regularizers.js';
import type { SymbolicShape } from '../symbolic.js';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  kernelRegularizer?: RegularizerIdentifier;
  biasRegularizer?: RegularizerIdentifier;
}

export class Dense extends Layer {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ReturnType<typeof getActivation>;
  readonly useBias: boolean;
  private readonly args: DenseArgs;
  kernel: Variable | null = null;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args, 'Dense');
    this.supportsMasking = true;
    if (!Number.isInteger(args.units) || args.units < 1) throw new RangeError(`${this.name}: units must be a positive integer, got ${String(args.units)}`);
    this.units = args.units;
    this.activation = getActivation(args.activation, this.name);
    this.useBias = args.useBias ?? true;
    this.args = args;
    // Resolve now, so a bad identifier fails at construction rather than at the first call.
    getInitializer(args.kernelInitializer, 'glorotUniform');
    getInitializer(args.biasInitializer, 'zeros');
    getRegularizer(args.kernelRegularizer);
    getRegularizer(args.biasRegularizer);
    rejectUnsupported(this.name, args, ['activityRegularizer', 'kernelConstraint', 'biasConstraint']);
  }

  override getConfig(): Config {
    const regularizer = (r: DenseArgs['kernelRegularizer']) => {
      const resolved = getRegularizer(r);
      return resolved ? serialize(resolved) : null;
    };
    return {
      units: this.units,
      activation: this.activation.name,
      useBias: this.useBias,
      kernelInitializer: serialize(getInitializer(this.args.kernelInitializer, 'glorotUniform')),
      biasInitializer: serialize(getInitializer(this.args.biasInitializer, 'zeros')),
      kernelRegularizer: regularizer(this.args.kernelRegularizer),
      biasRegularizer: regularizer(this.args.biasRegularizer),
      activityRegularizer: null,
      kernelConstraint: null,
      biasConstraint: null,
      ...super.getConfig(),
    } as unknown as Config;
  }

  protected override build(inputShape: SymbolicShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null) {
      throw new RangeError(`${this.name} (Dense): needs inputs of rank >= 2 with a known last dimension, got ${JSON.stringify(inputShape)}`);
    }
    this.kernel = this.addWeight('kernel', [inputDim, this.units], getInitializer(this.args.kernelInitializer, 'glorotUniform'),
      { regularizer: getRegularizer(this.args.kernelRegularizer) });
    if (this.useBias) {
      this.bias = this.addWeight('bias', [this.units], getInitializer(this.args.biasInitializer, 'zeros'),
        { regularizer: getRegularizer(this.args.biasRegularizer) });
    }
  }

  /** Any rank >= 2 whose last axis has the kernel's rows (Keras' input spec). */
  protected override accepts(shape: Readonly<SymbolicShape>): boolean {
    return shape.length >= 2 && shape[shape.length - 1] === this.kernel!.shape[0];
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  protected call(x: Tensor, _kwargs: CallKwargs): Tensor {
    if (this.activation.fused) return this.product(x, this.activation.fused);
    return this.activation.apply(this.product(x, 'linear'));
  }

  override outputLogits(x: Tensor, activation: LogitActivation): Tensor | null {
    return this.activation.name === activation ? this.checkedCall(x, () => this.product(x, 'linear')) : null;
  }

  /** Null when its activation is not one DenseStack applies, or when a subclass computes something else (its own call). */
  override denseStackStep(): DenseStackLayerSpec | null {
    const activation = this.activation.fused ?? (this.activation.name === 'softmax' ? 'softmax' : null);
    if (!this.kernel || activation === null || this.call !== Dense.prototype.call) return null;
    return { kernel: this.kernel, bias: this.bias, activation, alpha: LEAKY_RELU_ACTIVATION_ALPHA };
  }

  /** activation(x kernel + bias) as one kernel, over the last axis of x. */
  private product(x: Tensor, activation: FusedActivation): Tensor {
    const rows = x.rank === 2 ? x : reshape(x, [-1, x.shape[x.rank - 1]]);
    const y = fused.matMul({ a: rows, b: this.kernel!, bias: this.bias ?? undefined, activation, leakyreluAlpha: LEAKY_RELU_ACTIVATION_ALPHA });
    return x.rank === 2 ? y : reshape(y, [...x.shape.slice(0, -1), this.units]);
  }
}

registerDeserializer('Dense', (config) => new Dense(config as unknown as DenseArgs));
