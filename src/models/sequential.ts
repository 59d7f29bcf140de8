/** Sequential (Keras): a stack of layers, each applied to the previous one's output. */
import type { Tensor } from '../tensor.js';
import { denseStack, type DenseStackLayerSpec } from '../ops/dense_stack.js';
import { Layer, type LogitActivation } from '../nn/layer.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import type { SymbolicShape } from '../nn/symbolic.js';
import { Model, type ModelOutput } from './model.js';

export interface SequentialArgs {
  layers?: Layer[];
  name?: string;
}

let sequentialCount = 0;

export class Sequential extends Model {
  private readonly stack: Layer[] = [];

  constructor(args: SequentialArgs = {}) {
    super(args.name ?? (sequentialCount++ === 0 ? 'sequential' : `sequential_${sequentialCount - 1}`));
    (args.layers ?? []).forEach((l) => this.add(l));
  }

  get layers(): Layer[] {
    return this.stack.slice();
  }

  /** Appends a layer; with a known input shape, it is built at once (so a mismatch fails here). */
  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new TypeError(`${this.name}.add: expected a layer (e.g. et.layers.dense({units: 10})), got ${layer === null ? 'null' : typeof layer}`);
    if (this.stack.includes(layer)) throw new Error(`${this.name}.add: layer '${layer.name}' is already in the model`);
    if (this.stack.some((l) => l.name === layer.name)) throw new Error(`${this.name}.add: the model already has a layer named '${layer.name}'`);
    if (this.stack.length > 0 && layer.batchInputShape) throw new Error(`${this.name}.add: only the first layer takes an inputShape ('${layer.name}' has one)`);
    const shape = this.stack.length === 0 ? layer.batchInputShape : this.outputShapeOf(this.stack[this.stack.length - 1]);
    this.stack.push(layer);
    if (shape) this.buildFrom(shape);
  }

  get inputShapes(): SymbolicShape[] | null {
    const first = this.stack[0];
    return first?.inputShape ? [first.inputShape] : null;
  }

  protected outputShapeOf(layer: Layer): SymbolicShape | null {
    let shape = this.stack[0]?.inputShape ?? null;
    for (const l of this.stack) {
      if (!shape || !l.inputShape) return null;
      shape = l.computeOutputShape(shape);
      if (l === layer) return shape;
    }
    return null;
  }

  /** Builds every layer along the stack from the input shape (symbolically: no data runs). */
  private buildFrom(inputShape: SymbolicShape): void {
    let shape = inputShape;
    for (const l of this.stack) shape = l.buildFor(shape);
  }

  /** A stack of dense layers (dropout passes through in inference) runs as one DenseStack kernel. */
  protected override infer(xs: Tensor[]): Tensor[] {
    const layers = xs.length === 1 ? this.denseStackLayers(xs[0]) : null;
    return layers ? [denseStack(xs[0], layers)] : super.infer(xs);
  }

  /** The layers as DenseStack layers, or null when one is not a built Dense layer it can run or x does not fit the first. */
  private denseStackLayers(x: Tensor): DenseStackLayerSpec[] | null {
    if (x.rank !== 2 || x.dtype !== 'float32') return null;
    const layers: DenseStackLayerSpec[] = [];
    for (const layer of this.stack) {
      if (layer instanceof Dropout) continue;
      const spec = layer instanceof Dense ? layer.denseStackLayer() : null;
      if (!spec) return null;
      layers.push(spec);
    }
    return layers.length > 0 && layers[0].kernel.shape[0] === x.shape[1] ? layers : null;
  }

  protected run(xs: Tensor[], training: boolean, logitsOf?: LogitActivation): ModelOutput[] {
    if (xs.length !== 1) throw new RangeError(`${this.name}: a sequential model takes one input, got ${xs.length}`);
    if (this.stack.length === 0) throw new Error(`${this.name}: the model has no layers; add some with model.add(layer)`);
    let h = xs[0];
    const last = this.stack.length - 1;
    for (let i = 0; i < last; i++) h = this.stack[i].apply(h, { training });
    const logits = logitsOf ? this.stack[last].outputLogits(h, logitsOf) : null;
    return [logits ? { logits, activation: logitsOf! } : { value: this.stack[last].apply(h, { training }) }];
  }
}
