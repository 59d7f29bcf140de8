/** Sequential (Keras): a stack of layers, each applied to the previous one's output (and its mask). */
import type { Tensor } from '../tensor.js';
import { denseStack, type DenseStackLayerSpec } from '../ops/dense_stack.js';
import { isShapeList, Layer, type LogitActivation, type Masks, type Shapes } from '../nn/layer.js';
import type { SymbolicShape } from '../nn/symbolic.js';
import { Model, type ModelOutput } from './model.js';
import { deserialize, registerDeserializer, serialize, type Config } from '../io/serialization.js';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

export class Sequential extends Model {
  readonly className = 'Sequential';
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super(args.name, 'Sequential');
    (args.layers ?? []).forEach((l) => this.add(l));
  }

  get layers(): Layer[] {
    return this.stack.slice();
  }

  /** Appends a layer; with a known input shape, it is built at once (so a mismatch fails here). */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new TypeError(`${this.name}.add: expected a layer (e.g. et.layers.dense({units: 10})), got ${layer === null ? 'null' : typeof layer}`);
    if ((layer as Layer) === this) throw new Error(`${this.name}.add: a model cannot contain itself`);
    if (this.stack.includes(layer)) throw new Error(`${this.name}.add: layer '${layer.name}' is already in the model`);
    if (this.stack.some((l) => l.name === layer.name)) throw new Error(`${this.name}.add: the model already has a layer named '${layer.name}'`);
    if (this.stack.length > 0 && layer.batchInputShape) throw new Error(`${this.name}.add: only the first layer takes an inputShape ('${layer.name}' has one)`);
    const input = this.stack.length === 0 ? layer.batchInputShape ?? singleShape(layer.inputShape) : singleShape(this.inputShape);
    this.stack.push(layer);
    if (input) this.buildFrom(input);
  }

  /** tfjs' Sequential config: the name and each layer's {className, config}. */
  override getConfig(): Config {
    return { name: this.name, layers: this.stack.map((l) => serialize(l)) } as unknown as Config;
  }

  protected outputShapeOf(layer: Layer): SymbolicShape | null {
    let shape = singleShape(this.inputShape);
    for (const l of this.stack) {
      if (!shape) return null;
      shape = singleShape(l.computeOutputShape(shape));
      if (l === layer) return shape;
    }
    return null;
  }

  protected override build(inputShape: Shapes): void {
    if (isShapeList(inputShape)) throw new RangeError(`${this.name}: a sequential model takes one input, got ${inputShape.length}`);
    this.buildFrom(inputShape);
  }

  override computeOutputShape(inputShape: Shapes): Shapes {
    let shape = inputShape;
    for (const l of this.stack) shape = l.computeOutputShape(shape);
    return shape;
  }

  /** Builds every layer along the stack from the input shape (symbolically: no data runs). */
  private buildFrom(inputShape: SymbolicShape): void {
    let shape: Shapes = inputShape;
    for (const l of this.stack) {
      shape = l.buildFor(shape);
      if (isShapeList(shape)) throw new RangeError(`${this.name}: layer '${l.name}' returns ${shape.length} outputs; in a sequential model each layer returns one (use et.model for several)`);
    }
    this.inputShape = inputShape.slice();
  }

  /** A stack of dense layers (dropout passes through in inference) runs as one DenseStack kernel. */
  protected override infer(xs: Tensor[]): Tensor[] {
    const layers = xs.length === 1 ? this.denseStackLayers(xs[0]) : null;
    return layers ? [denseStack(xs[0], layers)] : super.infer(xs);
  }

  /** The layers as DenseStack layers, or null when one has not opted in (denseStackStep) or x does not fit the first. */
  private denseStackLayers(x: Tensor): DenseStackLayerSpec[] | null {
    if (x.rank !== 2 || x.dtype !== 'float32') return null;
    const layers: DenseStackLayerSpec[] = [];
    for (const layer of this.stack) {
      const step = layer.denseStackStep();
      if (step === null) return null;
      if (step !== 'identity') layers.push(step);
    }
    return layers.length > 0 && layers[0].kernel.shape[0] === x.shape[1] ? layers : null;
  }

  protected run(xs: Tensor[], training: boolean, logitsOf?: LogitActivation): ModelOutput[] {
    if (xs.length !== 1) throw new RangeError(`${this.name}: a sequential model takes one input, got ${xs.length}`);
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers; add some with model.add(layer)`);
    if (!this.built) this.buildFrom([null, ...xs[0].shape.slice(1)]);
    let h = xs[0];
    let mask: Masks = null;
    const last = this.stack.length - 1;
    for (let i = 0; i < last; i++) {
      const layer = this.stack[i];
      const y = layer.apply(h, { training, ...(mask ? { mask } : {}) }) as Tensor;
      const nextMask = layer.computeMask(h, mask);
      // Each output is read by the next layer only: freed once that has run (a tape keeps its own views).
      if (h !== xs[0] && h !== y) h.dispose();
      if (mask && mask !== nextMask) (mask as Tensor).dispose();
      h = y;
      mask = nextMask;
    }
    const logits = logitsOf ? this.stack[last].outputLogits(h, logitsOf) : null;
    return [logits ? { logits, activation: logitsOf! } : { value: this.stack[last].apply(h, { training, ...(mask ? { mask } : {}) }) as Tensor }];
  }
}

/** The shape, where it is one (not a list of them). */
function singleShape(shape: Shapes | null): SymbolicShape | null {
  return shape === null || isShapeList(shape) ? null : shape;
}

// Keras 1 / tfjs also wrote a Sequential's config as the bare list of its layers.
registerDeserializer('Sequential', (config) => {
  const layers = Array.isArray(config) ? config : config.layers;
  if (!Array.isArray(layers)) throw new TypeError(`Sequential config: expected {name, layers: [...]}, got ${JSON.stringify(config).slice(0, 200)}`);
  return new Sequential({
    name: Array.isArray(config) ? undefined : (config.name as string | undefined),
    layers: layers.map((l, i) => deserialize<Layer>(l, `Sequential config: layers[${i}]`)),
  });
});
