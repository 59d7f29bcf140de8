/** Activation (Keras): applies an activation by name; LeakyReLU with its own slope. */
import { leakyRelu } from '../../ops/unary.js';
import type { Tensor } from '../../tensor.js';
import { getActivation } from '../activations.js';
import { Layer, type LayerArgs, type LogitActivation } from '../layer.js';
import { registerDeserializer, type Config } from '../../io/serialization.js';

export interface ActivationArgs extends LayerArgs {
  activation: string;
}

export class Activation extends Layer {
  readonly className = 'Activation';
  readonly activation: ReturnType<typeof getActivation>;

  constructor(args: ActivationArgs) {
    super(args, 'Activation');
    this.supportsMasking = true;
    if (args.activation === undefined) throw new TypeError(`${this.name}: the activation option is required, e.g. {activation: 'relu'}`);
    this.activation = getActivation(args.activation, this.name);
  }

  override getConfig(): Config {
    return { activation: this.activation.name, ...super.getConfig() };
  }

  protected call(x: Tensor): Tensor {
    return this.activation.apply(x);
  }

  override outputLogits(x: Tensor, activation: LogitActivation): Tensor | null {
    return this.activation.name === activation ? this.checkedCall(x, () => x.clone()) : null;
  }
}

export interface LeakyReLUArgs extends LayerArgs {
  /** The slope for x < 0 (default 0.3, Keras' LeakyReLU default). */
  alpha?: number;
}

export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly alpha: number;

  constructor(args: LeakyReLUArgs = {}) {
    super(args, 'LeakyReLU');
    this.supportsMasking = true;
    this.alpha = args.alpha ?? 0.3;
    if (typeof this.alpha !== 'number' || !Number.isFinite(this.alpha)) throw new RangeError(`${this.name}: alpha must be a finite number, got ${String(args.alpha)}`);
  }

  override getConfig(): Config {
    return { alpha: this.alpha, ...super.getConfig() };
  }

  protected call(x: Tensor): Tensor {
    return leakyRelu(x, this.alpha);
  }
}

registerDeserializer('Activation', (config) => new Activation(config as unknown as ActivationArgs));
registerDeserializer('LeakyReLU', (config) => new LeakyReLU(config as unknown as LeakyReLUArgs));
