/**
 * The layer base class (Keras semantics): a layer owns its weights (variables made by `build`
 * the first time it sees input shapes) and the layers it tracks (sub-layers), computes
 * `call(inputs, kwargs)` on a tensor or a list of tensors, returning a tensor or a list, and can
 * be applied to tensors (eagerly) or to symbolic tensors, where it records a graph node (to
 * build a functional model).
 */
import { noGrad } from '../autograd/api.js';
import { findVariable, variable, type Variable } from '../autograd/variable.js';
import { tidy } from '../engine.js';
import type { DenseStackLayerSpec } from '../ops/dense_stack.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import type { Initializer } from './initializers.js';
import type { Regularizer } from './regularizers.js';
import { fitsLoosely, fitsShape, Node, SymbolicTensor, symbolicShapeToString, type SymbolicShape } from './symbolic.js';
import type { Config } from '../io/serialization.js';

export interface LayerArgs {
  /** Unique per model; default: the class name in snake case plus a counter (dense, dense_1, ...). */
  name?: string;
  /** Whether fit updates the layer's weights (default true). */
  trainable?: boolean;
  /** The shape of one sample, for the first layer of a sequential model (the batch axis is implied). */
  inputShape?: number[];
  /** The input shape with the batch axis (null: any batch size). */
  batchInputShape?: SymbolicShape;
}

/** A layer's input or output: one tensor, or a list. */
export type Tensors = Tensor | Tensor[];
/** Input or output shapes: one, or one per tensor of a list. */
export type Shapes = SymbolicShape | SymbolicShape[];
/** One mask (true where a step is real, false where it is padding), or one per input; null: none. */
export type Masks = Tensor | (Tensor | null)[] | null;

/** What apply takes besides the inputs (Keras' call keyword arguments). */
export interface CallOptions {
  /** Training mode: dropout drops, batch normalization uses and updates batch statistics. */
  training?: boolean;
  /** The inputs' masks; functional and sequential models pass them on from the layers that make them. */
  mask?: Masks;
  /** Options of particular layers (attention's attentionMask, say). */
  [option: string]: unknown;
}

/** What call receives: the options, with training settled. */
export interface CallKwargs extends CallOptions {
  training: boolean;
}

/** The output activations whose logits a cross-entropy loss can take instead. */
export type LogitActivation = 'softmax' | 'sigmoid';

interface LayerWeight {
  /** Its name in the layer: 'kernel'. */
  name: string;
  variable: Variable;
  trainable: boolean;
  regularizer?: Regularizer;
}

const nameCounts = new Map<string, number>();

function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** dense, dense_1, dense_2, ... (Keras' naming). */
function uniqueLayerName(className: string): string {
  const base = snakeCase(className);
  const count = nameCounts.get(base) ?? 0;
  nameCounts.set(base, count + 1);
  return count === 0 ? base : `${base}_${count}`;
}

/** A variable name not yet taken: `base`, else `base_1`, ... (two models may share layer names). */
function uniqueVariableName(base: string): string {
  if (!findVariable(base)) return base;
  for (let i = 1; ; i++) if (!findVariable(`${base}_${i}`)) return `${base}_${i}`;
}

function checkShapeArg(shape: unknown, what: string): number[] {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${what} must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  return shape;
}

/**
 * Throws if any of these options is set (not null or undefined): options of Keras' config that
 * this library does not implement yet must fail loudly, in a file as in code.
 */
export function rejectUnsupported(where: string, args: object, options: string[]): void {
  for (const option of options) {
    const value = (args as Record<string, unknown>)[option];
    if (value !== undefined && value !== null) throw new RangeError(`${where}: option ${option} is not supported yet, got ${JSON.stringify(value)}`);
  }
}

/** Whether shapes is a list of shapes rather than one shape (a rank-0 shape, [], counts as one). */
export function isShapeList(shapes: Shapes): shapes is SymbolicShape[] {
  return shapes.length > 0 && Array.isArray(shapes[0]);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? (value as object).constructor?.name ?? 'an object' : typeof value;
}

/**
 * apply's arguments split into inputs and options: `apply(x)`, `apply([a, b])`, `apply(a, b, ...)`,
 * each optionally followed by an options object. Several positional inputs are a list.
 */
function splitApplyArgs(where: string, args: unknown[]): { inputs: unknown[]; asList: boolean; options: CallOptions } {
  const last = args[args.length - 1];
  const hasOptions = args.length > 1 && (last === undefined || (typeof last === 'object' && last !== null && !Array.isArray(last) && !(last instanceof Tensor) && !(last instanceof SymbolicTensor)));
  const positional = hasOptions ? args.slice(0, -1) : args;
  const options = (hasOptions ? last ?? {} : {}) as CallOptions;
  if (positional.length === 0) throw new TypeError(`${where}: apply expects a tensor, a symbolic tensor (et.input) or a list of them`);
  if (positional.length > 1) return { inputs: positional, asList: true, options };
  const only = positional[0];
  if (Array.isArray(only)) {
    if (only.length === 0) throw new TypeError(`${where}: apply got an empty list of inputs`);
    return { inputs: only, asList: true, options };
  }
  return { inputs: [only], asList: false, options };
}

export abstract class Layer {
  /** Keras' class name, e.g. 'Dense' (shown by summary). */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  /** The input shape (or shapes) the layer was built for (batch axis null). */
  inputShape: Shapes | null = null;
  readonly batchInputShape: SymbolicShape | null;
  /** Whether the layer passes its input's mask on (Keras' supports_masking); else masks stop here. */
  supportsMasking = false;
  /** Its applications to symbolic tensors, in order (Keras' inbound nodes). */
  readonly inboundNodes: Node[] = [];
  private readonly layerWeights: LayerWeight[] = [];
  private readonly trackedLayers: Layer[] = [];
  private disposed = false;

  constructor(args: LayerArgs = {}, className: string) {
    if (args === null || typeof args !== 'object') throw new TypeError(`${className}: expected an options object, got ${String(args)}`);
    if (args.name !== undefined && (typeof args.name !== 'string' || args.name === '')) {
      throw new TypeError(`${className}: name must be a non-empty string, got ${JSON.stringify(args.name)}`);
    }
    this.name = args.name ?? uniqueLayerName(className);
    this.trainable = args.trainable ?? true;
    if (args.batchInputShape !== undefined) {
      if (!Array.isArray(args.batchInputShape) || args.batchInputShape.some((d) => d !== null && (!Number.isInteger(d) || d < 0))) {
        throw new TypeError(`${this.name}: batchInputShape must be an array of non-negative integers or null, got ${JSON.stringify(args.batchInputShape)}`);
      }
      this.batchInputShape = args.batchInputShape.slice();
    } else if (args.inputShape !== undefined) {
      this.batchInputShape = [null, ...checkShapeArg(args.inputShape, `${this.name}: inputShape`)];
    } else {
      this.batchInputShape = null;
    }
  }

  get built(): boolean {
    return this.inputShape !== null;
  }

  /** Creates the weights (and builds the sub-layers) for inputs of these shapes; called once, before the first call. */
  protected build(_inputShape: Shapes): void {}

  /** The layer's computation on a batch: one tensor in or a list (as it was applied), one out or a list. */
  protected abstract call(inputs: Tensors, kwargs: CallKwargs): Tensors;

  /** The output shape (or shapes) for input shapes (default: the input's). */
  computeOutputShape(inputShape: Shapes): Shapes {
    return isShapeList(inputShape) ? inputShape.map((s) => s.slice()) : inputShape.slice();
  }

  /**
   * The output's mask (or one per output) from the inputs and their masks: by default the input's
   * mask where the layer supports masking (it does not change the steps), else none.
   */
  computeMask(_inputs: Tensors, mask: Masks): Masks {
    return this.supportsMasking && !Array.isArray(mask) ? mask : null;
  }

  /**
   * The layer on tensors (the result) or on symbolic tensors (symbolic results, for et.model;
   * the application is recorded as a node). Inputs are one tensor, a list, or several
   * arguments (a list), optionally followed by options. The first application builds the layer
   * for the inputs' shapes; later inputs must fit it.
   */
  apply(inputs: SymbolicTensor | SymbolicTensor[], options?: CallOptions): SymbolicTensor | SymbolicTensor[];
  apply(inputs: Tensor | Tensor[], options?: CallOptions): Tensor | Tensor[];
  apply(...args: (SymbolicTensor | CallOptions | undefined)[]): SymbolicTensor | SymbolicTensor[];
  apply(...args: (Tensor | CallOptions | undefined)[]): Tensor | Tensor[];
  apply(...args: unknown[]): Tensors | SymbolicTensor | SymbolicTensor[] {
    this.assertLive();
    const { inputs, asList, options } = splitApplyArgs(this.name, args);
    if (inputs.every((x) => x instanceof SymbolicTensor)) return this.applySymbolic(inputs as SymbolicTensor[], asList, options);
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) {
        const at = asList ? ` input ${i}` : '';
        const mixed = inputs.some((y) => y instanceof SymbolicTensor) ? ' (symbolic and concrete inputs cannot be mixed)' : '';
        throw new TypeError(`${this.name}: apply expects Tensors or symbolic tensors (et.input)${mixed}; got${at} ${describe(x)}`);
      }
      x.assertLive();
    });
    const tensors = inputs as Tensor[];
    const kwargs: CallKwargs = { ...options, training: options.training === true };
    if (!asList) return this.checkedCall(tensors[0], () => this.call(tensors[0], kwargs));
    this.ensureBuilt(tensors.map((t) => [null, ...t.shape.slice(1)]));
    return tidy(() => this.call(tensors, kwargs));
  }

  private applySymbolic(inputs: SymbolicTensor[], asList: boolean, options: CallOptions): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((t) => t.shape);
    const outputShape = this.buildFor(asList ? shapes : shapes[0]);
    const node = new Node(this, inputs, asList, options, isShapeList(outputShape) ? outputShape : [outputShape]);
    this.inboundNodes.push(node);
    return isShapeList(outputShape) ? node.outputs : node.outputs[0];
  }

  /**
   * When this layer's output is `activation`(z) (softmax or sigmoid: the last layer of a
   * classifier), z for input x, which a cross-entropy loss takes as logits, as Keras does;
   * else null.
   */
  outputLogits(_x: Tensor, _activation: LogitActivation): Tensor | null {
    return null;
  }

  /**
   * This layer as one step of the DenseStack kernel that model.predict runs for a stack of dense
   * layers: its spec, 'identity' where inference passes the input through, or null (the
   * default: run the layer). A layer opts in; one whose `call` is not the opted-in class's own
   * (a subclass that overrides it) must answer null, so that its call is never bypassed.
   */
  denseStackStep(): DenseStackLayerSpec | 'identity' | null {
    return null;
  }

  /** Whether the built layer takes a single input of this shape (default: the built shape, any batch size). */
  protected accepts(shape: Readonly<SymbolicShape>): boolean {
    return !isShapeList(this.inputShape!) && fitsLoosely(shape as SymbolicShape, this.inputShape!);
  }

  /** The message is built only on failure: every apply checks. */
  private assertAccepts(shape: Readonly<SymbolicShape>, concrete: boolean): void {
    if (this.accepts(shape)) return;
    const shown = concrete ? shapeToString(shape as number[]) : symbolicShapeToString(shape as SymbolicShape);
    const expected = this.inputShape!;
    const described = isShapeList(expected) ? `${expected.length} inputs (${expected.map(symbolicShapeToString).join(', ')})` : `input of shape ${symbolicShapeToString(expected)}`;
    throw new RangeError(`${this.name} (${this.className}): expected ${described}, got ${shown}`);
  }

  /** fn (the layer's computation on x) after building the layer and checking x's shape. */
  protected checkedCall<T extends Tensors>(x: Tensor, fn: () => T): T {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.name}: apply expects a Tensor or a symbolic tensor (et.input), got ${describe(x)}`);
    x.assertLive();
    if (!this.built && this.batchInputShape && !fitsShape(x.shape, this.batchInputShape)) {
      throw new RangeError(`${this.name} (${this.className}): expected input of shape ${symbolicShapeToString(this.batchInputShape)}, got ${shapeToString(x.shape)}`);
    }
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    this.assertAccepts(x.shape, true);
    return tidy(fn);
  }

  /** Builds the layer for inputs of these shapes (if not built yet) and returns its output shape. */
  buildFor(inputShape: Shapes): Shapes {
    this.assertLive();
    this.ensureBuilt(inputShape);
    if (!isShapeList(inputShape)) this.assertAccepts(inputShape, false);
    return this.computeOutputShape(inputShape);
  }

  private ensureBuilt(inputShape: Shapes): void {
    if (this.built) return;
    let shape = inputShape;
    if (this.batchInputShape && !isShapeList(inputShape)) {
      if (!fitsLoosely(inputShape, this.batchInputShape)) {
        throw new RangeError(`${this.name} (${this.className}): expected input of shape ${symbolicShapeToString(this.batchInputShape)}, got ${symbolicShapeToString(inputShape)}`);
      }
      shape = this.batchInputShape;
    }
    this.build(shape);
    this.inputShape = isShapeList(shape) ? shape.map((s) => s.slice()) : shape.slice();
  }

  /**
   * The layer's config (camelCase; a file holds it in snake_case): what its class rebuilds it
   * from. Subclasses add their options to this.
   */
  getConfig(): Config {
    return { name: this.name, trainable: this.trainable, ...(this.batchInputShape ? { batchInputShape: this.batchInputShape, dtype: 'float32' } : {}) };
  }

  /** Makes a weight of this layer (a variable named `layer/weight`), initialized now. */
  protected addWeight(name: string, shape: number[], initializer: Initializer, options: { trainable?: boolean; regularizer?: Regularizer; dtype?: DType } = {}): Variable {
    const trainable = options.trainable ?? true;
    const init = initializer.apply(shape, options.dtype ?? 'float32');
    const v = variable(init, trainable && this.trainable, uniqueVariableName(`${this.name}/${name}`));
    init.dispose();
    this.layerWeights.push({ name, variable: v, trainable, regularizer: options.regularizer });
    return v;
  }

  /** Makes `layer` part of this one: its weights, losses and disposal go with this layer's. */
  protected trackLayer<L extends Layer>(layer: L): L {
    if (!(layer instanceof Layer)) throw new TypeError(`${this.name}: a sub-layer must be a Layer, got ${describe(layer)}`);
    if ((layer as Layer) === this) throw new Error(`${this.name}: a layer cannot contain itself`);
    if (!this.trackedLayers.includes(layer)) this.trackedLayers.push(layer);
    return layer;
  }

  /** The layers this one owns, in order (a model's: its layers). */
  get subLayers(): readonly Layer[] {
    return this.trackedLayers;
  }

  /** Every weight, each once: the layer's own (trainable ones first), then each sub-layer's in turn (Keras 3's order). */
  get weights(): Variable[] {
    const frozen = !this.trainable;
    const own = [...this.layerWeights.filter((w) => w.trainable && !frozen), ...this.layerWeights.filter((w) => frozen || !w.trainable)];
    return this.collectWeights(own, (l) => l.weights);
  }

  /**
   * One flat walk over the layer and its sub-layers (each trainable one's trainable weights, each
   * variable once). Every training step asks for it: a recursive getter cost V8 hundreds of
   * milliseconds of recompiles while a fit warmed up.
   */
  get trainableWeights(): Variable[] {
    const list: Variable[] = [];
    if (!this.trainable) return list;
    let seen: Set<Variable> | null = null;
    const stack: Layer[] = [this];
    while (stack.length > 0) {
      const layer = stack.pop()!;
      const own = layer.layerWeights;
      for (let i = 0; i < own.length; i++) {
        const w = own[i];
        if (!w.trainable) continue;
        if (seen === null) list.push(w.variable);
        else if (!seen.has(w.variable)) {
          seen.add(w.variable);
          list.push(w.variable);
        }
      }
      const subs = layer.subLayers;
      if (subs.length === 0) continue;
      if (seen === null) seen = new Set(list);
      for (let i = subs.length - 1; i >= 0; i--) if (subs[i].trainable) stack.push(subs[i]);
    }
    return list;
  }

  get nonTrainableWeights(): Variable[] {
    const frozen = !this.trainable;
    return this.collectWeights(this.layerWeights.filter((w) => frozen || !w.trainable), (l) => (frozen ? l.weights : l.nonTrainableWeights));
  }

  /**
   * The own weights, then each sub-layer's, each variable once. Plain loops: a training step asks
   * for a model's trainable weights, and flatMap plus a Set spread cost microseconds per call.
   */
  private collectWeights(own: LayerWeight[], ofSubLayer: (l: Layer) => Variable[]): Variable[] {
    const list = own.map((w) => w.variable);
    const subLayers = this.subLayers;
    if (subLayers.length === 0) return list;
    const seen = new Set(list);
    for (const layer of subLayers) {
      for (const v of ofSubLayer(layer)) {
        if (!seen.has(v)) {
          seen.add(v);
          list.push(v);
        }
      }
    }
    return list;
  }

  /**
   * The weights in `weights` order with their local names, `layer/weight` ('dense_1/kernel'):
   * what files store them under, whatever the variables are called in this process (two loaded
   * copies of one model share local names). A sub-layer's are prefixed with this layer's name.
   */
  get namedWeights(): { name: string; variable: Variable }[] {
    const names = new Map<Variable, string>();
    for (const w of this.layerWeights) names.set(w.variable, `${this.name}/${w.name}`);
    for (const layer of this.subLayers) {
      for (const { name, variable } of layer.namedWeights) if (!names.has(variable)) names.set(variable, this.prefixesSubLayerWeights ? `${this.name}/${name}` : name);
    }
    return this.weights.map((variable) => ({ name: names.get(variable)!, variable }));
  }

  /** Whether sub-layers' weights are named under this layer's name (a model's layers are not: tfjs' names). */
  protected get prefixesSubLayerWeights(): boolean {
    return true;
  }

  countParams(): number {
    return this.weights.reduce((n, w) => n + w.size, 0);
  }

  /** The regularization penalties of the weights, sub-layers' included (scalars, differentiable). */
  regularizationLosses(): Tensor[] {
    const own = this.trainable ? this.layerWeights.filter((w) => w.regularizer && w.trainable).map((w) => w.regularizer!.apply(w.variable)) : [];
    return [...own, ...this.subLayers.flatMap((l) => (this.trainable ? l.regularizationLosses() : []))];
  }

  /** Copies of the weights' values, in `weights` order. */
  getWeights(): Tensor[] {
    return noGrad(() => this.weights.map((w) => w.clone()));
  }

  /** Sets the weights from tensors of the same shapes, in `weights` order. */
  setWeights(values: Tensor[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new RangeError(`${this.name}: setWeights expects ${weights.length} tensors (${weights.map((w) => shapeToString(w.shape)).join(', ')}), got ${Array.isArray(values) ? values.length : typeof values}`);
    }
    values.forEach((v, i) => {
      if (!(v instanceof Tensor)) throw new TypeError(`${this.name}: setWeights: value ${i} must be a Tensor, got ${describe(v)}`);
      if (v.shape.length !== weights[i].shape.length || v.shape.some((d, j) => d !== weights[i].shape[j])) {
        throw new RangeError(`${this.name}: setWeights: value ${i} has shape ${shapeToString(v.shape)}, but weight '${weights[i].name}' has shape ${shapeToString(weights[i].shape)}`);
      }
    });
    weights.forEach((w, i) => w.assign(values[i]));
  }

  /** Frees the layer's weights and its sub-layers'. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.layerWeights.forEach((w) => w.variable.dispose());
    this.subLayers.forEach((l) => l.dispose());
  }

  protected assertLive(): void {
    if (this.disposed) throw new Error(`${this.name}: this layer was disposed`);
  }
}
