/**
 * The functional model (Keras' Model(inputs, outputs)): layers applied to symbolic inputs form
 * a graph of nodes, traced back from the outputs and run in that order; each intermediate value
 * is freed after the last node that reads it.
 */
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { isShapeList, type Layer, type LogitActivation, type Masks, type Shapes } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import { fitsLoosely, fitsShape, type Node, SymbolicTensor, symbolicShapeToString, type SymbolicShape } from '../nn/symbolic.js';
import { Model, type ModelOutput } from './model.js';

export interface FunctionalArgs {
  inputs: SymbolicTensor | SymbolicTensor[];
  outputs: SymbolicTensor | SymbolicTensor[];
  name?: string;
}

function symbolicList(value: unknown, what: string): SymbolicTensor[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new TypeError(`model: ${what} must not be empty`);
  list.forEach((t, i) => {
    if (!(t instanceof SymbolicTensor)) throw new TypeError(`model: ${what}${Array.isArray(value) ? `[${i}]` : ''} must be a symbolic tensor (from et.input() or layer.apply on one)`);
  });
  return list;
}

export class Functional extends Model {
  readonly className = 'Functional';
  readonly inputs: SymbolicTensor[];
  readonly outputs: SymbolicTensor[];
  /** Whether inputs / outputs were given as lists (apply then takes / returns lists, as Keras). */
  private readonly inputsAreList: boolean;
  private readonly outputsList: boolean;
  /** The nodes between inputs and outputs, each after the nodes it reads from. */
  private readonly nodes: Node[] = [];
  /** How many nodes read each symbolic tensor that some node reads. */
  private readonly readers = new Map<SymbolicTensor, number>();
  private readonly layerList: Layer[];

  constructor(args: FunctionalArgs) {
    if (args === null || typeof args !== 'object') throw new TypeError('model: expected {inputs, outputs}');
    super(args.name, 'Functional');
    this.inputs = symbolicList(args.inputs, 'inputs');
    this.outputs = symbolicList(args.outputs, 'outputs');
    this.inputsAreList = Array.isArray(args.inputs);
    this.outputsList = Array.isArray(args.outputs);
    this.inputs.forEach((t, i) => {
      if (!(t.sourceLayer instanceof InputLayer)) throw new TypeError(`model: inputs[${i}] comes from layer '${t.sourceLayer.name}', not from et.input()`);
    });
    const reached = new Set<SymbolicTensor>(this.inputs);
    const visited = new Set<Node>();
    const visit = (t: SymbolicTensor): void => {
      if (reached.has(t)) return;
      reached.add(t);
      const node = t.node;
      if (visited.has(node)) return;
      visited.add(node);
      if (node.inbound.length === 0) {
        throw new Error(`model: the outputs depend on input '${t.sourceLayer.name}', which is not among the model's inputs`);
      }
      node.dependencies.forEach(visit);
      this.nodes.push(node);
    };
    this.outputs.forEach(visit);
    for (const node of this.nodes) for (const t of node.dependencies) this.readers.set(t, (this.readers.get(t) ?? 0) + 1);
    this.layerList = [...new Set([...this.inputs.map((t) => t.sourceLayer), ...this.nodes.map((n) => n.layer)])];
    const names = new Set<string>();
    for (const l of this.layerList) {
      if ((l as Layer) === this) throw new Error('model: a model cannot contain itself');
      if (names.has(l.name)) throw new Error(`model: two layers are named '${l.name}'; layer names must be unique in a model`);
      names.add(l.name);
    }
    const shapes = this.inputs.map((t) => t.shape);
    this.inputShape = this.inputsAreList ? shapes : shapes[0];
  }

  get layers(): Layer[] {
    return this.layerList.slice();
  }

  protected override get outputsAreList(): boolean {
    return this.outputsList;
  }

  protected outputShapeOf(layer: Layer): SymbolicShape | null {
    if (layer instanceof InputLayer) return this.inputs.find((t) => t.sourceLayer === layer)?.shape ?? null;
    return this.nodes.find((n) => n.layer === layer)?.outputs[0].shape ?? null;
  }

  /** The outputs' shapes, for inputs that fit the model's (as a layer of another model). */
  override computeOutputShape(inputShape: Shapes): Shapes {
    const given = isShapeList(inputShape) && this.inputsAreList ? inputShape : [inputShape as SymbolicShape];
    if (given.length !== this.inputs.length || given.some((s, i) => !fitsLoosely(s, this.inputs[i].shape))) {
      throw new RangeError(`${this.name}: expected inputs of shape ${this.inputs.map((t) => symbolicShapeToString(t.shape)).join(', ')}, got ${given.map(symbolicShapeToString).join(', ')}`);
    }
    const shapes = this.outputs.map((t) => t.shape.slice());
    return this.outputsList ? shapes : shapes[0];
  }

  protected override accepts(shape: Readonly<SymbolicShape>): boolean {
    return this.inputs.length === 1 && fitsLoosely(shape as SymbolicShape, this.inputs[0].shape);
  }

  protected run(xs: Tensor[], training: boolean, logitsOf?: LogitActivation): ModelOutput[] {
    if (xs.length !== this.inputs.length) throw new RangeError(`${this.name}: the model takes ${this.inputs.length} inputs, got ${xs.length}`);
    const values = new RunValues(this.readers, xs, this.outputs);
    this.inputs.forEach((t, i) => {
      if (!fitsShape(xs[i].shape, t.shape)) {
        throw new RangeError(`${this.name}: input '${t.sourceLayer.name}' expects shape ${symbolicShapeToString(t.shape)}, got ${shapeToString(xs[i].shape)}`);
      }
      values.set(t, xs[i], null);
    });
    const logits = new Map<SymbolicTensor, Tensor>();
    for (const node of this.nodes) {
      const inputs = node.inbound.map((t) => values.value(t));
      const kwargs: Record<string, unknown> = { ...node.kwargs, training: (node.kwargs.training as boolean | undefined) ?? training };
      for (const [key, v] of Object.entries(node.kwargs)) if (v instanceof SymbolicTensor) kwargs[key] = values.value(v);
      const inputMasks = node.inbound.map((t) => values.mask(t));
      if (kwargs.mask === undefined && inputMasks.some((m) => m !== null)) kwargs.mask = node.inputsAreList ? inputMasks : inputMasks[0];
      const layerInput = node.inputsAreList ? inputs : inputs[0];
      const output = node.outputs[0];
      const z = logitsOf && node.outputs.length === 1 && !node.inputsAreList && this.outputs.includes(output) && !this.readers.has(output)
        ? node.layer.outputLogits(inputs[0], logitsOf) : null;
      if (z) {
        logits.set(output, z);
      } else {
        const result = node.layer.apply(layerInput, kwargs);
        const results = Array.isArray(result) ? result : [result];
        if (results.length !== node.outputs.length) throw new Error(`${this.name}: layer '${node.layer.name}' returned ${results.length} outputs, its node has ${node.outputs.length}`);
        const outMasks = node.layer.computeMask(layerInput, (kwargs.mask as Masks | undefined) ?? null);
        const outMaskList = Array.isArray(outMasks) ? outMasks : [outMasks];
        node.outputs.forEach((t, k) => values.set(t, results[k], outMaskList[k] ?? null));
      }
      for (const t of node.dependencies) values.read(t);
    }
    return this.outputs.map((t) => {
      const z = logits.get(t);
      return z ? { logits: z, activation: logitsOf! } : { value: values.value(t) };
    });
  }
}

/**
 * The values (and masks) of one run, each freed after its last read. A tensor may stand for
 * several symbolic tensors (a layer may return its input), so it is freed when none holds it;
 * the model's inputs and outputs never are.
 */
class RunValues {
  private readonly values = new Map<SymbolicTensor, Tensor>();
  private readonly masks = new Map<SymbolicTensor, Tensor>();
  private readonly unread: Map<SymbolicTensor, number>;
  private readonly holders = new Map<Tensor, number>();

  constructor(readers: Map<SymbolicTensor, number>, private readonly inputs: Tensor[], outputs: SymbolicTensor[]) {
    this.unread = new Map(readers);
    for (const t of outputs) this.unread.set(t, Infinity);
  }

  set(t: SymbolicTensor, value: Tensor, mask: Tensor | null): void {
    this.values.set(t, value);
    this.hold(value);
    if (mask) {
      this.masks.set(t, mask);
      this.hold(mask);
    }
  }

  value(t: SymbolicTensor): Tensor {
    return this.values.get(t)!;
  }

  mask(t: SymbolicTensor): Tensor | null {
    return this.masks.get(t) ?? null;
  }

  /** One read of t done: after its last (outputs have no last), its value and mask go. */
  read(t: SymbolicTensor): void {
    const left = this.unread.get(t)! - 1;
    this.unread.set(t, left);
    if (left > 0) return;
    this.drop(this.values.get(t));
    this.drop(this.masks.get(t));
    this.values.delete(t);
    this.masks.delete(t);
  }

  private hold(x: Tensor): void {
    this.holders.set(x, (this.holders.get(x) ?? 0) + 1);
  }

  private drop(x: Tensor | undefined): void {
    if (!x) return;
    const left = this.holders.get(x)! - 1;
    this.holders.set(x, left);
    if (left === 0 && !this.inputs.includes(x)) x.dispose();
  }
}
