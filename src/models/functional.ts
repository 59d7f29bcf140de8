/**
 * The functional model (Keras' Model(inputs, outputs)): layers applied to symbolic inputs form
 * a graph of nodes, traced back from the outputs and run in that order; each intermediate value
 * is freed after the last node that reads it.
 */
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { isShapeList, type Layer, type LogitActivation, type Masks, type Shapes } from '../nn/layer.js';
import { InputLayer } from '../nn/layers/input.js';
import { fitsLoosely, fitsShape, type Node, SymbolicTensor, symbolicShapeToString, type SymbolicShape } from '../nn/symbolic.js';
import { Model, type ModelOutput } from './model.js';
import { deserialize, registerDeserializer, serialize, type Config, type ConfigValue } from '../io/serialization.js';

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

  /** The nodes in run order, for exporters that walk the graph (ONNX). */
  get graphNodes(): readonly Node[] {
    return this.nodes;
  }

  protected override get outputsAreList(): boolean {
    return this.outputsList;
  }

  /**
   * tfjs' functional config: each layer with its inbound nodes (per node, one [layer name, node
   * index, tensor index, kwargs] per inbound tensor; node indices count the layer's nodes in this
   * model), and the model's input and output tensors as [layer name, node index, tensor index].
   */
  override getConfig(): Config {
    const nodesOf = (layer: Layer) => (layer instanceof InputLayer ? layer.inboundNodes.slice(0, 1) : this.nodes.filter((n) => n.layer === layer));
    const ref = (t: SymbolicTensor): [string, number, number] => [t.sourceLayer.name, nodesOf(t.sourceLayer).indexOf(t.node), t.outputIndex];
    const layers = this.layerList.map((layer) => ({
      name: layer.name,
      ...serialize(layer),
      inboundNodes: layer instanceof InputLayer ? [] : nodesOf(layer).map((node) => {
        const kwargs = Object.fromEntries(Object.entries(node.kwargs).map(([key, v]) => {
          if (v instanceof SymbolicTensor || v instanceof Tensor) throw new Error(`${this.name}.getConfig: layer '${layer.name}' was applied with a tensor as option '${key}'; saving such options is not supported yet`);
          return [key, v as ConfigValue];
        }));
        return node.inbound.map((t) => [...ref(t), kwargs]);
      }),
    }));
    return { name: this.name, layers, inputLayers: this.inputs.map(ref), outputLayers: this.outputs.map(ref) } as unknown as Config;
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

/** One [layer name, node index, tensor index, kwargs?] reference of a topology. */
type TensorRef = [string, number, number, Config?];

/**
 * A functional model from tfjs' config: the layers are built, then their nodes applied in
 * rounds, each once the tensors it reads exist (a file lists layers, not an order of nodes).
 */
function functionalFromConfig(config: Config): Functional {
  const where = `model config${typeof config.name === 'string' ? ` '${config.name}'` : ''}`;
  const layerList = config.layers;
  if (!Array.isArray(layerList)) throw new TypeError(`${where}: expected {name, layers: [...], inputLayers, outputLayers}`);
  const layers = new Map<string, { layer: Layer; nodes: TensorRef[][] }>();
  layerList.forEach((entry, i) => {
    const data = entry as { name?: unknown; className?: unknown; config?: unknown; inboundNodes?: unknown };
    if (typeof data.name !== 'string') throw new TypeError(`${where}: layers[${i}] has no name`);
    if (!Array.isArray(data.inboundNodes)) {
      throw new TypeError(`${where}: layer '${data.name}' has no inbound_nodes list${data.inboundNodes !== undefined ? ' (only the nested-array form of tfjs and Keras 2 is read)' : ''}`);
    }
    const layer = deserialize<Layer>({ className: data.className, config: data.config }, `${where}: layer '${data.name}'`);
    layers.set(data.name, { layer, nodes: data.inboundNodes as TensorRef[][] });
  });
  const outputsOf = new Map<string, SymbolicTensor[]>();
  const key = (name: string, node: number) => `${name}\u0000${node}`;
  for (const [name, { layer }] of layers) if (layer instanceof InputLayer) outputsOf.set(key(name, 0), [layer.output]);
  const tensorOf = ([name, node, index]: TensorRef): SymbolicTensor | undefined => outputsOf.get(key(name, node))?.[index];
  const pending = [...layers].flatMap(([name, { nodes }]) => nodes.map((refs, node) => ({ name, node, refs })));
  while (pending.length > 0) {
    const ready = pending.findIndex(({ refs }) => refs.every((r) => tensorOf(r) !== undefined));
    if (ready < 0) {
      const stuck = pending[0];
      throw new Error(`${where}: node ${stuck.node} of layer '${stuck.name}' reads ${stuck.refs.map((r) => `'${r[0]}' node ${r[1]} tensor ${r[2]}`).join(', ')}, which no layer of the file makes`);
    }
    const [{ name, node, refs }] = pending.splice(ready, 1);
    const inputs = refs.map((r) => tensorOf(r)!);
    const result = layers.get(name)!.layer.apply(inputs.length === 1 ? inputs[0] : inputs, refs[0][3] ?? {});
    outputsOf.set(key(name, node), Array.isArray(result) ? result : [result]);
  }
  const resolve = (list: unknown, what: string): SymbolicTensor[] => {
    if (!Array.isArray(list)) throw new TypeError(`${where}: ${what} must be a list of [layer name, node index, tensor index]`);
    return list.map((r: TensorRef) => {
      const t = Array.isArray(r) ? tensorOf(r) : undefined;
      if (!t) throw new Error(`${where}: ${what} names ${JSON.stringify(r)}, which is not a tensor of the file's layers`);
      return t;
    });
  };
  const inputs = resolve(config.inputLayers, 'input_layers');
  const outputs = resolve(config.outputLayers, 'output_layers');
  // tfjs lists a model's single input or output as a list of one too, and returns a tensor for it.
  return new Functional({ name: config.name as string | undefined, inputs: inputs.length === 1 ? inputs[0] : inputs, outputs: outputs.length === 1 ? outputs[0] : outputs });
}

registerDeserializer('Functional', functionalFromConfig);
registerDeserializer('Model', functionalFromConfig);
