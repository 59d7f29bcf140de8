/**
 * The layer base class (Keras semantics): a layer owns its weights (variables made by `build`
 * the first time it sees an input shape), computes `call(x, training)`, and can be applied to
 * tensors (eagerly) or to symbolic tensors (to build a functional model).
 */
import { noGrad } from '../autograd/api.js';
import { findVariable, variable, type Variable } from '../autograd/variable.js';
import { tidy } from '../engine.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import type { Initializer } from './initializers.js';
import type { Regularizer } from './regularizers.js';
import { fitsShape, SymbolicTensor, symbolicShapeToString, type SymbolicShape } from './symbolic.js';

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

/** What apply / call get besides the input. */
export interface CallOptions {
  /** Training mode: dropout drops, batch normalization uses and updates batch statistics. */
  training?: boolean;
}

/** The output activations whose logits a cross-entropy loss can take instead. */
export type LogitActivation = 'softmax' | 'sigmoid';

interface LayerWeight {
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

export abstract class Layer {
  /** Keras' class name, e.g. 'Dense' (shown by summary). */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  /** The input shape the layer was built for (batch axis null). */
  inputShape: SymbolicShape | null = null;
  readonly batchInputShape: SymbolicShape | null;
  private readonly layerWeights: LayerWeight[] = [];
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

  /** Creates the weights for inputs of this shape (called once, before the first call). */
  protected build(_inputShape: SymbolicShape): void {}

  /** The layer's computation on a batch. */
  protected abstract call(x: Tensor, training: boolean): Tensor;

  /** The output shape for an input shape (default: the same). */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape.slice();
  }

  /**
   * The layer on a tensor (the result) or on a symbolic tensor (a symbolic result, for
   * et.model). The first call builds the layer for the input's shape; later inputs must fit it.
   */
  apply(x: Tensor, options?: CallOptions): Tensor;
  apply(x: SymbolicTensor, options?: CallOptions): SymbolicTensor;
  apply(x: Tensor | SymbolicTensor, options: CallOptions = {}): Tensor | SymbolicTensor {
    this.assertLive();
    if (x instanceof SymbolicTensor) return new SymbolicTensor(this.buildFor(x.shape), this, [x]);
    return this.checkedCall(x, () => this.call(x, options.training === true));
  }

  /**
   * When this layer's output is `activation`(z) (softmax or sigmoid: the last layer of a
   * classifier), z for input x, which a cross-entropy loss takes as logits, as Keras does;
   * else null.
   */
  outputLogits(_x: Tensor, _activation: LogitActivation): Tensor | null {
    return null;
  }

  /** Whether the built layer takes inputs of this shape (default: the built shape, any batch size). */
  protected accepts(shape: readonly number[]): boolean {
    return fitsShape(shape, this.inputShape!);
  }

  /** fn (the layer's computation on x) after building the layer and checking x's shape. */
  protected checkedCall(x: Tensor, fn: () => Tensor): Tensor {
    if (!(x instanceof Tensor)) throw new TypeError(`${this.name}: apply expects a Tensor or a symbolic tensor (et.input), got ${x === null ? 'null' : typeof x}`);
    x.assertLive();
    if (!this.built && this.batchInputShape && !fitsShape(x.shape, this.batchInputShape)) {
      throw new RangeError(`${this.name} (${this.className}): expected input of shape ${symbolicShapeToString(this.batchInputShape)}, got ${shapeToString(x.shape)}`);
    }
    this.ensureBuilt([null, ...x.shape.slice(1)]);
    if (!this.accepts(x.shape)) {
      throw new RangeError(`${this.name} (${this.className}): expected input of shape ${symbolicShapeToString(this.inputShape!)}, got ${shapeToString(x.shape)}`);
    }
    return tidy(fn);
  }

  /** Builds the layer for inputs of this shape (if not built yet) and returns its output shape. */
  buildFor(inputShape: SymbolicShape): SymbolicShape {
    this.assertLive();
    this.ensureBuilt(inputShape);
    return this.computeOutputShape(inputShape);
  }

  private ensureBuilt(inputShape: SymbolicShape): void {
    if (this.built) return;
    const shape = this.batchInputShape ?? inputShape;
    if (this.batchInputShape && !fitsLoosely(inputShape, this.batchInputShape)) {
      throw new RangeError(`${this.name} (${this.className}): expected input of shape ${symbolicShapeToString(this.batchInputShape)}, got ${symbolicShapeToString(inputShape)}`);
    }
    this.build(shape);
    this.inputShape = shape.slice();
  }

  /** Makes a weight of this layer (a variable named `layer/weight`), initialized now. */
  protected addWeight(name: string, shape: number[], initializer: Initializer, options: { trainable?: boolean; regularizer?: Regularizer; dtype?: DType } = {}): Variable {
    const trainable = options.trainable ?? true;
    const init = initializer.apply(shape, options.dtype ?? 'float32');
    const v = variable(init, trainable && this.trainable, uniqueVariableName(`${this.name}/${name}`));
    init.dispose();
    this.layerWeights.push({ variable: v, trainable, regularizer: options.regularizer });
    return v;
  }

  /** Every weight, trainable ones first (Keras' order). */
  get weights(): Variable[] {
    return [...this.trainableWeights, ...this.nonTrainableWeights];
  }

  get trainableWeights(): Variable[] {
    return this.trainable ? this.layerWeights.filter((w) => w.trainable).map((w) => w.variable) : [];
  }

  get nonTrainableWeights(): Variable[] {
    return this.layerWeights.filter((w) => !w.trainable || !this.trainable).map((w) => w.variable);
  }

  countParams(): number {
    return this.layerWeights.reduce((n, w) => n + w.variable.size, 0);
  }

  /** The regularization penalties of the weights (scalars, differentiable). */
  regularizationLosses(): Tensor[] {
    return this.layerWeights.filter((w) => w.regularizer && w.trainable).map((w) => w.regularizer!.apply(w.variable));
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
    weights.forEach((w, i) => w.assign(values[i]));
  }

  /** Frees the layer's weights. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.layerWeights.forEach((w) => w.variable.dispose());
  }

  protected assertLive(): void {
    if (this.disposed) throw new Error(`${this.name}: this layer was disposed`);
  }
}

/** Like fitsShape, for two symbolic shapes (null on either side matches anything). */
function fitsLoosely(actual: SymbolicShape, expected: SymbolicShape): boolean {
  return actual.length === expected.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i]);
}
