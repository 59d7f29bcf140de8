/** Flatten and Reshape (Keras): change the per-sample shape, keeping the batch axis. */
import { reshape } from '../../ops/reshape.js';
import type { Tensor } from '../../tensor.js';
import { Layer, type LayerArgs } from '../layer.js';
import { registerDeserializer, type Config } from '../../io/serialization.js';
import type { SymbolicShape } from '../symbolic.js';

function product(dims: SymbolicShape): number | null {
  return dims.some((d) => d === null) ? null : (dims as number[]).reduce((a, b) => a * b, 1);
}

export class Flatten extends Layer {
  readonly className = 'Flatten';

  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten');
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], product(inputShape.slice(1))];
  }

  protected call(x: Tensor): Tensor {
    return reshape(x, [x.shape[0], -1]);
  }
}

export interface ReshapeArgs extends LayerArgs {
  /** The per-sample shape; one entry may be -1 (inferred). */
  targetShape: number[];
}

export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly targetShape: number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape');
    const t = args.targetShape;
    if (!Array.isArray(t) || t.some((d) => !Number.isInteger(d) || d < -1) || t.filter((d) => d === -1).length > 1) {
      throw new TypeError(`${this.name}: targetShape must be an array of non-negative integers with at most one -1, got ${JSON.stringify(t)}`);
    }
    this.targetShape = t.slice();
  }

  override getConfig(): Config {
    return { targetShape: this.targetShape, ...super.getConfig() };
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const total = product(inputShape.slice(1));
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    if (total !== null && (this.targetShape.includes(-1) ? total % known !== 0 : total !== known)) {
      throw new RangeError(`${this.name} (Reshape): cannot reshape samples of shape [${inputShape.slice(1).join(', ')}] (${total} values) to [${this.targetShape.join(', ')}]`);
    }
    const inferred = total === null ? null : total / known;
    return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? inferred : d))];
  }

  protected call(x: Tensor): Tensor {
    const [, ...sample] = this.computeOutputShape([x.shape[0], ...x.shape.slice(1)]);
    return reshape(x, [x.shape[0], ...(sample as number[])]);
  }
}

registerDeserializer('Flatten', (config) => new Flatten(config as unknown as LayerArgs));
registerDeserializer('Reshape', (config) => new Reshape(config as unknown as ReshapeArgs));
