/** The ONNX graph being built: unique value names, nodes, and initializers (each weight once). */
import type { SymbolicShape } from '../../nn/symbolic.js';
import type { Tensor } from '../../tensor.js';
import { floatTensor, int64Tensor, node, type AttributeValue, type GraphParts } from './proto.js';

/** A value of the graph: its name and its shape (null: unknown, the batch axis at least). */
export interface Value {
  name: string;
  shape: SymbolicShape;
}

export class GraphBuilder {
  readonly nodes: GraphParts['nodes'] = [];
  readonly initializers: GraphParts['initializers'] = [];
  /** Where the next ops' names go: the layer being lowered, inside its models' names. */
  scope = '';
  private readonly names = new Set<string>();
  /** A layer applied twice (a shared layer) reads the same initializers both times. */
  private readonly weights = new Map<Tensor, string>();
  private readonly constants = new Map<string, string>();

  /** `base`, or `base_1`, `base_2`, ... when taken. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Adds an op in the current scope; returns its output's name. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    const output = this.fresh(`${this.scope}/${opType}`);
    this.nodes.push(node(opType, inputs, [output], output, attributes));
    return output;
  }

  /** A layer's weight as an initializer named after the layer (`dense_1/kernel`). */
  weight(t: Tensor, label: string): string {
    let name = this.weights.get(t);
    if (name === undefined) {
      name = this.fresh(`${this.scope}/${label}`);
      this.initializers.push(floatTensor(name, t.shape.slice(), new Float32Array(t.dataSync())));
      this.weights.set(t, name);
    }
    return name;
  }

  /** A float32 initializer of the current layer that no weight holds (BatchNormalization's ones without scale). */
  floats(label: string, dims: number[], values: Float32Array): string {
    const name = this.fresh(`${this.scope}/${label}`);
    this.initializers.push(floatTensor(name, dims, values));
    return name;
  }

  /** A float32 scalar, shared by every op that uses the same value. */
  scalar(value: number): string {
    return this.constant(`float:${value}`, () => floatTensor(this.fresh(`const_${value}`), [], Float32Array.of(value)));
  }

  /** An int64 vector (shapes and axes, which opset 13 takes as inputs), shared likewise. */
  ints(values: number[]): string {
    return this.constant(`int64:${values.join(',')}`, () => int64Tensor(this.fresh(`const_[${values.join(',')}]`), values));
  }

  private constant(key: string, make: () => GraphParts['initializers'][number]): string {
    let name = this.constants.get(key);
    if (name === undefined) {
      const tensor = make();
      this.initializers.push(tensor);
      name = tensor.name!;
      this.constants.set(key, name);
    }
    return name;
  }
}
