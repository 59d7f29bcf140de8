/** InputLayer and et.input(): the symbolic inputs of a functional model. */
import type { Tensor } from '../../tensor.js';
import { Layer } from '../layer.js';
import { registerDeserializer, type Config } from '../../io/serialization.js';
import { Node, type SymbolicShape, type SymbolicTensor } from '../symbolic.js';

export interface InputArgs {
  /** The shape of one sample (the batch axis is implied). */
  shape?: number[];
  /** The shape with the batch axis (null: any). */
  batchShape?: SymbolicShape;
  name?: string;
}

export class InputLayer extends Layer {
  readonly className = 'InputLayer';
  readonly output: SymbolicTensor;

  constructor(args: InputArgs) {
    if (args === null || typeof args !== 'object' || (args.shape === undefined) === (args.batchShape === undefined)) {
      throw new TypeError('input: pass exactly one of {shape} (one sample, e.g. [784]) or {batchShape} (e.g. [null, 784])');
    }
    super({ name: args.name, inputShape: args.shape, batchInputShape: args.batchShape }, 'InputLayer');
    this.inputShape = this.batchInputShape!.slice();
    const node = new Node(this, [], false, {}, [this.inputShape]);
    this.inboundNodes.push(node);
    this.output = node.outputs[0];
  }

  override getConfig(): Config {
    return { batchInputShape: this.batchInputShape, dtype: 'float32', sparse: false, name: this.name };
  }

  protected call(x: Tensor): Tensor {
    return x.clone();
  }
}

/** A symbolic input for et.model({inputs, outputs}). */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}

// tfjs writes batch_input_shape, Keras 3 batch_shape.
registerDeserializer('InputLayer', (config) => {
  if (config.sparse === true) throw new RangeError(`InputLayer '${String(config.name)}': sparse inputs are not supported`);
  return new InputLayer({ batchShape: (config.batchInputShape ?? config.batchShape) as SymbolicShape, name: config.name as string | undefined });
});
