/**
 * Dropout (Keras): in training, zeroes each value with probability `rate` and scales the rest
 * by 1 / (1 - rate); at inference the identity.
 */
import { dropout } from '../../ops/dropout.js';
import type { Tensor } from '../../tensor.js';
import { Layer, rejectUnsupported, type CallKwargs, type LayerArgs } from '../layer.js';
import { registerDeserializer, type Config } from '../../io/serialization.js';

export interface DropoutArgs extends LayerArgs {
  rate: number;
  /** Seed of the masks (default: the global stream, et.setSeed). */
  seed?: number;
}

export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly rate: number;
  private readonly seed?: number;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout');
    this.supportsMasking = true;
    if (typeof args.rate !== 'number' || !(args.rate >= 0 && args.rate < 1)) throw new RangeError(`${this.name}: rate must be in [0, 1), got ${String(args.rate)}`);
    this.rate = args.rate;
    this.seed = args.seed;
    rejectUnsupported(this.name, args, ['noiseShape']);
  }

  override getConfig(): Config {
    return { rate: this.rate, noiseShape: null, seed: this.seed ?? null, ...super.getConfig() };
  }

  /** The identity in inference, unless a subclass computes something else (its own call). */
  override denseStackStep(): 'identity' | null {
    return this.call === Dropout.prototype.call ? 'identity' : null;
  }

  protected call(x: Tensor, { training }: CallKwargs): Tensor {
    if (!training || this.rate === 0) return x.clone();
    // A seeded layer still draws a new mask per call: the seed fixes the sequence of masks.
    return dropout(x, this.rate, this.seed === undefined ? undefined : this.seed + this.calls++);
  }
}

registerDeserializer('Dropout', (config) => new Dropout({ ...(config as unknown as DropoutArgs), seed: (config.seed as number | null) ?? undefined }));
