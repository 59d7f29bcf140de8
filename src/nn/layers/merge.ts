/**
 * Merge layers (Keras): combine a list of inputs into one. The elementwise ones (add, subtract,
 * multiply, average, maximum, minimum) broadcast their inputs as NumPy does; concatenate joins
 * them along an axis; dot contracts two along an axis each. A step is kept in the output's mask
 * where every input's mask keeps it.
 */
import { add, cast, concat, div, expandDims, matMul, maximum, minimum, mul, onesLike, rsqrt, scalar, square, squeeze, sub, sum } from '../../ops/index.js';
import type { Tensor } from '../../tensor.js';
import { isShapeList, Layer, type CallKwargs, type LayerArgs, type Masks, type Shapes, type Tensors } from '../layer.js';
import { symbolicShapeToString, type SymbolicShape } from '../symbolic.js';
import { registerDeserializer, type Config } from '../../io/serialization.js';

/** The elementwise broadcast of two symbolic shapes (right-aligned; null: unknown), or null where they clash. */
function broadcastShapes(a: SymbolicShape, b: SymbolicShape): SymbolicShape | null {
  const rank = Math.max(a.length, b.length);
  const out: SymbolicShape = [];
  for (let i = 0; i < rank; i++) {
    const x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (x === null) out.push(y);
    else if (y === null || x === y) out.push(x);
    else return null;
  }
  return out;
}

function andMasks(masks: (Tensor | null)[]): Tensor | null {
  const given = masks.filter((m): m is Tensor => m !== null);
  if (given.length === 0) return null;
  if (given.length === 1) return given[0].clone();
  return cast(given.map((m) => cast(m, 'int32')).reduce((p, m) => mul(p, m)), 'bool');
}

abstract class Merge extends Layer {
  constructor(args: LayerArgs, className: string, private readonly inputCount: { min: number; max: number } = { min: 2, max: Infinity }) {
    super(args, className);
    this.supportsMasking = true;
  }

  /** The merged value of the inputs. */
  protected abstract merge(inputs: Tensor[]): Tensor;

  /** The output shape of shapes that passed the count check. */
  protected mergedShape(shapes: SymbolicShape[]): SymbolicShape {
    return shapes.reduce((out, s) => {
      const merged = broadcastShapes(out, s);
      if (!merged) throw new RangeError(`${this.name} (${this.className}): inputs of shapes ${shapes.map(symbolicShapeToString).join(', ')} do not broadcast together`);
      return merged;
    });
  }

  private checkedShapes(inputShape: Shapes): SymbolicShape[] {
    const { min, max } = this.inputCount;
    const count = isShapeList(inputShape) ? inputShape.length : 1;
    if (!isShapeList(inputShape) || count < min || count > max) {
      const wanted = min === max ? `exactly ${min}` : `at least ${min}`;
      throw new RangeError(`${this.name} (${this.className}): expects a list of ${wanted} inputs, got ${isShapeList(inputShape) ? count : `one of shape ${symbolicShapeToString(inputShape)}`}`);
    }
    return inputShape;
  }

  protected override build(inputShape: Shapes): void {
    this.mergedShape(this.checkedShapes(inputShape));
  }

  override computeOutputShape(inputShape: Shapes): SymbolicShape {
    return this.mergedShape(this.checkedShapes(inputShape));
  }

  protected call(inputs: Tensors, _kwargs: CallKwargs): Tensor {
    const shapes = this.checkedShapes(Array.isArray(inputs) ? inputs.map((t) => t.shape) : inputs.shape);
    this.mergedShape(shapes);
    return this.merge(inputs as Tensor[]);
  }

  override computeMask(_inputs: Tensors, mask: Masks): Masks {
    return Array.isArray(mask) ? andMasks(mask) : mask;
  }
}

export class Add extends Merge {
  readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args, 'Add');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => add(a, b));
  }
}

export class Subtract extends Merge {
  readonly className = 'Subtract';
  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract', { min: 2, max: 2 });
  }
  protected merge([a, b]: Tensor[]): Tensor {
    return sub(a, b);
  }
}

export class Multiply extends Merge {
  readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => mul(a, b));
  }
}

export class Average extends Merge {
  readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return div(inputs.reduce((a, b) => add(a, b)), inputs.length);
  }
}

export class Maximum extends Merge {
  readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => maximum(a, b));
  }
}

export class Minimum extends Merge {
  readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Minimum');
  }
  protected merge(inputs: Tensor[]): Tensor {
    return inputs.reduce((a, b) => minimum(a, b));
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** The axis to join along (default -1, the last; 0, the batch axis, is not allowed). */
  axis?: number;
}

export class Concatenate extends Merge {
  readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate');
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis) || this.axis === 0) throw new RangeError(`${this.name}: axis must be a non-zero integer (0 is the batch axis), got ${String(args.axis)}`);
  }

  override getConfig(): Config {
    return { axis: this.axis, ...super.getConfig() };
  }

  private axisOf(rank: number): number {
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    if (axis < 1 || axis >= rank) throw new RangeError(`${this.name} (Concatenate): axis ${this.axis} is out of range for inputs of rank ${rank}`);
    return axis;
  }

  protected override mergedShape(shapes: SymbolicShape[]): SymbolicShape {
    const rank = shapes[0].length;
    const axis = this.axisOf(rank);
    const clash = () => new RangeError(`${this.name} (Concatenate): inputs must have the same shape except along axis ${this.axis}; got ${shapes.map(symbolicShapeToString).join(', ')}`);
    if (shapes.some((s) => s.length !== rank)) throw clash();
    const out = shapes[0].slice();
    for (const s of shapes.slice(1)) {
      for (let d = 0; d < rank; d++) {
        if (d === axis) continue;
        if (out[d] === null) out[d] = s[d];
        else if (s[d] !== null && s[d] !== out[d]) throw clash();
      }
    }
    out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((n, s) => n + (s[axis] as number), 0);
    return out;
  }

  protected merge(inputs: Tensor[]): Tensor {
    return concat(inputs, this.axisOf(inputs[0].rank));
  }

  /** Along the last axis a step is kept where every input keeps it; along another, the masks are joined as the values are. */
  override computeMask(inputs: Tensors, mask: Masks): Masks {
    if (!Array.isArray(mask) || mask.every((m) => m === null)) return Array.isArray(mask) ? null : mask;
    const list = inputs as Tensor[];
    const axis = this.axisOf(list[0].rank);
    if (axis === list[0].rank - 1) return andMasks(mask);
    // Masks cover the axes before the features: an input without one keeps all its steps.
    const full = mask.map((m, i) => m ?? cast(onesLike(sum(list[i], -1)), 'bool'));
    return concat(full, axis);
  }
}

export interface DotArgs extends LayerArgs {
  /** The axis contracted in each input: one for both, or [a, b] (default: the last of each). */
  axes?: number | [number, number];
  /** Whether to L2-normalize both along their axes first, which makes the result the cosine similarity. */
  normalize?: boolean;
}

/** Keras' epsilon of l2_normalize: x / sqrt(max(sum(x^2), 1e-12)). */
const L2_EPSILON = 1e-12;

export class Dot extends Merge {
  readonly className = 'Dot';
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs = {}) {
    super(args, 'Dot', { min: 2, max: 2 });
    const axes = args.axes ?? -1;
    const valid = (a: unknown) => Number.isInteger(a) && a !== 0;
    if (!(valid(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(valid)))) {
      throw new RangeError(`${this.name}: axes must be a non-zero integer or a pair of them (0 is the batch axis), got ${JSON.stringify(args.axes)}`);
    }
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  override getConfig(): Config {
    return { axes: this.axes, normalize: this.normalize, ...super.getConfig() };
  }

  /** The contracted axes for inputs of these ranks (each 2 or 3: a vector or a sequence per sample). */
  private axesFor(rankA: number, rankB: number): [number, number] {
    if (![2, 3].includes(rankA) || ![2, 3].includes(rankB)) {
      throw new RangeError(`${this.name} (Dot): takes inputs of rank 2 or 3, got ranks ${rankA} and ${rankB}`);
    }
    const [a, b] = Array.isArray(this.axes) ? this.axes : [this.axes, this.axes];
    const resolve = (axis: number, rank: number) => {
      const r = axis < 0 ? rank + axis : axis;
      if (r < 1 || r >= rank) throw new RangeError(`${this.name} (Dot): axis ${axis} is out of range for an input of rank ${rank}`);
      return r;
    };
    return [resolve(a, rankA), resolve(b, rankB)];
  }

  protected override mergedShape([a, b]: SymbolicShape[]): SymbolicShape {
    const [axisA, axisB] = this.axesFor(a.length, b.length);
    if (a[axisA] !== null && b[axisB] !== null && a[axisA] !== b[axisB]) {
      throw new RangeError(`${this.name} (Dot): the contracted axes differ in size: ${symbolicShapeToString(a)} along axis ${axisA}, ${symbolicShapeToString(b)} along axis ${axisB}`);
    }
    const rest = [...a.slice(1).filter((_, i) => i + 1 !== axisA), ...b.slice(1).filter((_, i) => i + 1 !== axisB)];
    return [a[0] ?? b[0], ...(rest.length === 0 ? [1] : rest)];
  }

  protected merge([a, b]: Tensor[]): Tensor {
    const [axisA, axisB] = this.axesFor(a.rank, b.rank);
    const x = this.normalize ? l2Normalize(a, axisA) : a;
    const y = this.normalize ? l2Normalize(b, axisB) : b;
    // As batched matrices [batch, rows, k] and [batch, k, cols]: a vector input is one row (or column).
    const left = x.rank === 2 ? expandDims(x, 1) : x;
    const right = y.rank === 2 ? expandDims(y, 2) : y;
    const product = matMul(left, right, x.rank === 3 && axisA === 1, y.rank === 3 && axisB === 2);
    const squeezed = [...(x.rank === 2 ? [1] : []), ...(y.rank === 2 ? [2] : [])];
    const out = squeezed.length === 0 ? product : squeeze(product, squeezed);
    return out.rank === 1 ? expandDims(out, 1) : out;
  }
}

function l2Normalize(x: Tensor, axis: number): Tensor {
  return mul(x, rsqrt(maximum(sum(square(x), axis, true), scalar(L2_EPSILON))));
}

const MERGE_LAYERS: Record<string, (config: Config) => Merge> = {
  Add: (c) => new Add(c as LayerArgs),
  Subtract: (c) => new Subtract(c as LayerArgs),
  Multiply: (c) => new Multiply(c as LayerArgs),
  Average: (c) => new Average(c as LayerArgs),
  Maximum: (c) => new Maximum(c as LayerArgs),
  Minimum: (c) => new Minimum(c as LayerArgs),
  Concatenate: (c) => new Concatenate(c as ConcatenateArgs),
  Dot: (c) => new Dot(c as unknown as DotArgs),
};
for (const [className, build] of Object.entries(MERGE_LAYERS)) registerDeserializer(className, build);
