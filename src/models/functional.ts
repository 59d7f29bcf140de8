/**
 * The functional model (Keras' Model(inputs, outputs)): layers applied to symbolic inputs form
 * a graph, traced back from the outputs and run in that order.
 */
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Layer, LogitActivation } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import { fitsShape, SymbolicTensor, symbolicShapeToString, type SymbolicShape } from '../nn/symbolic.js';
import { Model, type ModelOutput } from './model.js';

export interface FunctionalArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

let modelCount = 0;

function symbolicList(value: unknown, what: string): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new TypeError(`model: ${what} must not be empty`);
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) throw new TypeError(`model: ${what}${Array.isArray(value) ? `[${i}]` : ''} must be a symbolic tensor (from et.input() or layer.apply on one)`);
  });
  return list;
}

export class Functional extends Model {
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Every symbolic tensor the outputs depend on, inputs first, each after what it depends on. */
  private readonly order: SymbolicTensor[] = [];
  private readonly layerList: Layer[];

  constructor(args: FunctionalArgs) {
    if (args === null || typeof args !== 'object') throw new TypeError('model: expected {inputs, outputs}');
    super(args.name ?? (modelCount++ === 0 ? 'functional' : `functional_${modelCount - 1}`));
    this.inputs = symbolicList(args.inputs, 'inputs');
    this.outputs = symbolicList(args.outputs, 'outputs');
    this.inputs.forEach((t, i) => {
      if (!(t.sourceLayer instanceof InputLayer)) throw new TypeError(`model: inputs[${i}] comes from layer '${t.sourceLayer.name}', not from et.input()`);
    });
    const visited = new Set<SymbolicTensor>(this.inputs);
    this.order.push(...this.inputs);
    const visit = (t: SymbolicTensor): void => {
      if (visited.has(t)) return;
      visited.add(t);
      if (t.inputs.length === 0) {
        throw new Error(`model: the outputs depend on input '${t.sourceLayer.name}', which is not among the model's inputs`);
      }
      t.inputs.forEach(visit);
      this.order.push(t);
    };
    this.outputs.forEach(visit);
    this.layerList = [...new Set(this.order.map((t) => t.sourceLayer))];
    const names = new Set<string>();
    for (const l of this.layerList) {
      if (names.has(l.name)) throw new Error(`model: two layers are named '${l.name}'; layer names must be unique in a model`);
      names.add(l.name);
    }
  }

  get layers(): Layer[] {
    return this.layerList.slice();
  }

  get inputShapes(): SymbolicShape[] {
    return this.inputs.map((t) => t.shape);
  }

  protected outputShapeOf(layer: Layer): SymbolicShape | null {
    return this.order.find((t) => t.sourceLayer === layer)?.shape ?? null;
  }

  protected run(xs: Tensor[], training: boolean, logitsOf?: LogitActivation): ModelOutput[] {
    if (xs.length !== this.inputs.length) throw new RangeError(`${this.name}: the model takes ${this.inputs.length} inputs, got ${xs.length}`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((t, i) => {
      if (!fitsShape(xs[i].shape, t.shape)) {
        throw new RangeError(`${this.name}: input '${t.sourceLayer.name}' expects shape ${symbolicShapeToString(t.shape)}, got ${shapeToString(xs[i].shape)}`);
      }
      values.set(t, xs[i]);
    });
    const logits = new Map<SymbolicTensor, Tensor>();
    const consumed = new Set(this.order.flatMap((t) => t.inputs));
    for (const t of this.order) {
      if (values.has(t)) continue;
      const input = values.get(t.inputs[0])!;
      const z = logitsOf && this.outputs.includes(t) && !consumed.has(t) ? t.sourceLayer.outputLogits(input, logitsOf) : null;
      if (z) logits.set(t, z);
      else values.set(t, t.sourceLayer.apply(input, { training }));
    }
    return this.outputs.map((t) => {
      const z = logits.get(t);
      return z ? { logits: z, activation: logitsOf! } : { value: values.get(t)! };
    });
  }
}
