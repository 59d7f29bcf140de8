/**
 * The model base class shared by sequential and functional models (Keras / tfjs API):
 * compile, fit, evaluate, predict, summary and the weights of all layers. Subclasses only say
 * how to run their layers (`run`). A model is a layer whose sub-layers are its layers, so it can
 * be a layer of another model.
 */
import { noGrad, variableGrads } from '../autograd/api.js';
import { keep, tidy } from '../engine.js';
import { takeRows } from '../data/dataset.js';
import { epochSeed, permutation } from '../data/shuffle.js';
import { Random } from '../ops/random.js';
import { add, concat, scalar, sigmoid, softmax } from '../ops/index.js';
import type { Optimizer } from '../optim/index.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { isShapeList, Layer, type CallKwargs, type CallOptions, type LogitActivation, type Tensors } from '../nn/layer.js';
import { SymbolicTensor, type SymbolicShape } from '../nn/symbolic.js';
import { CallbackList, type Callback, type Logs, type TrainedModel } from './callbacks.js';
import { resolveLoss, resolveMetrics, resolveOptimizer, type CompiledLoss, type CompiledMetric, type LossOrMetricFn } from './compile.js';
import { History } from './history.js';
import { toPythonic, type ConfigValue } from '../io/serialization.js';
import type { IOHandler, SaveResult } from '../io/artifacts.js';
import { saveModel, type SaveConfig } from '../io/layers_model.js';
import { EDGETENSOR_VERSION } from '../version.js';
import { ProgressLogger } from './progress.js';
import { formatSummary } from './summary.js';

export interface CompileArgs {
  optimizer: string | Optimizer;
  loss: string | LossOrMetricFn;
  metrics?: (string | LossOrMetricFn)[] | string;
}

export interface FitArgs {
  /** Default 1. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** The fraction of samples (the last ones, before shuffling) held out for validation. */
  validationSplit?: number;
  /** [x, y] to validate on after each epoch (takes precedence over validationSplit). */
  validationData?: [Tensor | Tensor[], Tensor | Tensor[]];
  /** Shuffle the training samples each epoch (default true). */
  shuffle?: boolean;
  /** The seed of the shuffling (default: the global stream, et.setSeed). */
  seed?: number;
  callbacks?: Callback | Callback[];
  /** 0: silent, 1: a progress bar on a terminal (else a line per epoch), 2: a line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** The epoch to start from (default 0): for resuming. */
  initialEpoch?: number;
}

export interface BatchArgs {
  /** Default 32. */
  batchSize?: number;
}

/** One output of a forward pass: the values, or the logits the output activation would turn into them. */
export type ModelOutput = { value: Tensor } | { logits: Tensor; activation: 'softmax' | 'sigmoid' };

function toList(x: Tensor | Tensor[], what: string): Tensor[] {
  const list = Array.isArray(x) ? x : [x];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new TypeError(`${what}${Array.isArray(x) ? `[${i}]` : ''} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    t.assertLive();
    if (t.rank < 1) throw new RangeError(`${what} must have a batch axis (rank >= 1), got a scalar`);
  });
  return list;
}

function checkPositiveInteger(value: unknown, name: string, where: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new RangeError(`${where}: ${name} must be a positive integer, got ${String(value)}`);
  return value as number;
}

function valueOf(output: ModelOutput): Tensor {
  if ('value' in output) return output.value;
  return output.activation === 'softmax' ? softmax(output.logits, -1) : sigmoid(output.logits);
}

/** Model.apply's options: a layer's, and `logits` (return the output activation's logits). */
export interface ModelCallOptions extends CallOptions {
  logits?: LogitActivation;
}

export abstract class Model extends Layer implements TrainedModel {
  stopTraining = false;
  optimizer: Optimizer | null = null;
  private loss: CompiledLoss | null = null;
  private metrics: CompiledMetric[] = [];

  constructor(name: string | undefined, className: string) {
    super(name === undefined ? {} : { name }, className);
  }

  /** The model's layers, in the order they run. */
  abstract get layers(): Layer[];

  override get subLayers(): readonly Layer[] {
    return this.layers;
  }

  /** The shapes of the model's inputs (batch axis null), or null before the model is built. */
  get inputShapes(): SymbolicShape[] | null {
    const shape = this.inputShape;
    return shape === null ? null : isShapeList(shape) ? shape : [shape];
  }

  /**
   * The layers run on xs. When `logitsOf` names an activation, an output layer that applies it
   * returns its logits instead (for a cross-entropy loss that takes logits).
   */
  protected abstract run(xs: Tensor[], training: boolean, logitsOf?: 'softmax' | 'sigmoid'): ModelOutput[];

  /** Each layer's output shape (for summary), in layer order. */
  protected abstract outputShapeOf(layer: Layer): SymbolicShape | null;

  protected override get prefixesSubLayerWeights(): boolean {
    return false;
  }

  /**
   * Saves the model in tfjs' layers-model format: to 'file://dir' (dir/model.json and
   * dir/weights.bin, replaced only once both are written) or through an IO handler
   * (et.io.withSaveHandler). With includeOptimizer, the optimizer's state and the compile settings too.
   */
  async save(destination: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
    return saveModel(this, destination, config);
  }

  /** The model's topology as tfjs-layers writes it in model.json (`modelTopology`: snake_case keys). */
  toJSON(): ConfigValue {
    return { class_name: this.className, config: toPythonic(this.getConfig()), keras_version: `edgetensor ${EDGETENSOR_VERSION}`, backend: 'edgetensor' };
  }

  /** Whether apply and predict return a list (the model's outputs were given as one), else the one output. */
  protected get outputsAreList(): boolean {
    return false;
  }

  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (!layer) throw new Error(`${this.name}: no layer named '${name}' (layers: ${this.layers.map((l) => l.name).join(', ')})`);
    return layer;
  }

  /** Frees every layer's weights and the optimizer's state. */
  override dispose(): void {
    super.dispose();
    this.optimizer?.dispose();
  }

  // ---- inference ----

  /**
   * The model on a batch (inference mode unless {training: true}), or on symbolic tensors (a
   * node of another model: the model used as a layer). With {logits: 'sigmoid'} (or 'softmax')
   * it gives z where the output is sigmoid(z): what a fromLogits loss takes, exact where the
   * probabilities would round to 0 or 1 (Keras 3 computes the cross-entropy of a sigmoid or
   * softmax output from its logits the same way).
   */
  override apply(inputs: SymbolicTensor | SymbolicTensor[], options?: ModelCallOptions): SymbolicTensor | SymbolicTensor[];
  override apply(inputs: Tensor | Tensor[], options?: ModelCallOptions): Tensor | Tensor[];
  override apply(...args: (SymbolicTensor | ModelCallOptions | undefined)[]): SymbolicTensor | SymbolicTensor[];
  override apply(...args: (Tensor | ModelCallOptions | undefined)[]): Tensor | Tensor[];
  override apply(...args: unknown[]): Tensors | SymbolicTensor | SymbolicTensor[] {
    const [x, options = {}] = args as [Tensor | Tensor[] | SymbolicTensor | SymbolicTensor[], ModelCallOptions?];
    const symbolic = x instanceof SymbolicTensor || (Array.isArray(x) && x[0] instanceof SymbolicTensor);
    if (symbolic || args.length > 2) return super.apply(...(args as (Tensor | CallOptions)[]));
    this.assertLive();
    const xs = toList(x as Tensor | Tensor[], `${this.name}.apply: x`);
    return tidy(() => this.call(Array.isArray(x) ? xs : xs[0], { ...options, training: options.training === true }));
  }

  protected call(inputs: Tensors, kwargs: CallKwargs & { logits?: LogitActivation }): Tensors {
    const where = `${this.name}.apply`;
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const logits = kwargs.logits;
    if (logits !== undefined && logits !== 'sigmoid' && logits !== 'softmax') throw new RangeError(`${where}: logits must be 'sigmoid' or 'softmax', got ${JSON.stringify(logits)}`);
    const outputs = this.run(xs, kwargs.training, logits).map((o, i) => {
      if (logits === undefined) return valueOf(o);
      if ('logits' in o) return o.logits;
      o.value.dispose();
      throw new Error(`${where}: output ${i} does not end in a layer with activation '${logits}', so it has no ${logits} logits`);
    });
    return this.outputsAreList ? outputs : outputs[0];
  }

  /** The model's outputs for x in inference mode, computed batch by batch. */
  predict(x: Tensor | Tensor[], args: BatchArgs = {}): Tensor | Tensor[] {
    const xs = toList(x, `${this.name}.predict: x`);
    const batchSize = checkPositiveInteger(args.batchSize ?? 32, 'batchSize', `${this.name}.predict`);
    const n = this.sampleCount(xs, `${this.name}.predict`);
    const outputs = tidy(() => {
      if (n <= batchSize) return this.infer(xs);
      const parts: Tensor[][] = [];
      for (const indices of this.batchIndices(n, batchSize, null)) {
        const batch = xs.map((t) => takeRows(t, indices, true));
        parts.push(this.infer(batch));
      }
      return parts[0].map((_, o) => concat(parts.map((p) => p[o]), 0));
    });
    return this.outputsAreList ? outputs : outputs[0];
  }

  /** The outputs for one batch in inference mode (a subclass may know a faster way). */
  protected infer(xs: Tensor[]): Tensor[] {
    return this.run(xs, false).map(valueOf);
  }

  // ---- training ----

  compile(args: CompileArgs): void {
    if (args === null || typeof args !== 'object') throw new TypeError(`${this.name}.compile: expected {optimizer, loss, metrics?}`);
    if (args.loss === undefined) throw new TypeError(`${this.name}.compile: a loss is required, e.g. {loss: 'sparseCategoricalCrossentropy'}`);
    if (args.optimizer === undefined) throw new TypeError(`${this.name}.compile: an optimizer is required, e.g. {optimizer: 'adam'}`);
    this.loss = resolveLoss(args.loss);
    this.metrics = resolveMetrics(args.metrics, this.loss);
    this.optimizer = resolveOptimizer(args.optimizer);
  }

  /** The names compile was given (the loss, the metrics' log keys), or null before compile. */
  get compiledNames(): { loss: string; metrics: string[] } | null {
    return this.loss ? { loss: this.loss.name, metrics: this.metrics.map((m) => m.name) } : null;
  }

  /** The mean loss and metrics over x, y in inference mode: a scalar, or [loss, ...metrics] with metrics. */
  async evaluate(x: Tensor | Tensor[], y: Tensor | Tensor[], args: BatchArgs = {}): Promise<Tensor | Tensor[]> {
    const values = await this.evaluateLogs(x, y, args, `${this.name}.evaluate`);
    const scalars = values.map((v) => scalar(v));
    return scalars.length === 1 ? scalars[0] : scalars;
  }

  async fit(x: Tensor | Tensor[], y: Tensor | Tensor[], args: FitArgs = {}): Promise<History> {
    const where = `${this.name}.fit`;
    this.assertCompiled(where);
    let xs = toList(x, `${where}: x`);
    let ys = toList(y, `${where}: y`);
    const epochs = checkPositiveInteger(args.epochs ?? 1, 'epochs', where);
    const batchSize = checkPositiveInteger(args.batchSize ?? 32, 'batchSize', where);
    const initialEpoch = args.initialEpoch ?? 0;
    if (!Number.isInteger(initialEpoch) || initialEpoch < 0) throw new RangeError(`${where}: initialEpoch must be a non-negative integer, got ${String(initialEpoch)}`);
    const verbose = args.verbose ?? 1;
    if (![0, 1, 2].includes(verbose)) throw new RangeError(`${where}: verbose must be 0, 1 or 2, got ${String(verbose)}`);
    if (args.seed !== undefined && !Number.isFinite(args.seed)) throw new TypeError(`${where}: seed must be a finite number, got ${String(args.seed)}`);
    this.sampleCount([...xs, ...ys], where);

    // Validation data: given, or the last validationSplit of the samples (before shuffling, as Keras).
    let validation: [Tensor[], Tensor[]] | null = null;
    const owned: Tensor[] = [];
    if (args.validationData !== undefined) {
      if (!Array.isArray(args.validationData) || args.validationData.length !== 2) throw new TypeError(`${where}: validationData must be [x, y]`);
      validation = [toList(args.validationData[0], `${where}: validationData x`), toList(args.validationData[1], `${where}: validationData y`)];
    } else if (args.validationSplit !== undefined) {
      const split = args.validationSplit;
      if (typeof split !== 'number' || !(split >= 0 && split < 1)) throw new RangeError(`${where}: validationSplit must be in [0, 1), got ${String(split)}`);
      const n = xs[0].shape[0];
      const at = Math.floor(n * (1 - split));
      if (split > 0) {
        if (at === 0 || at === n) throw new RangeError(`${where}: validationSplit ${split} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
        const head = Int32Array.from({ length: at }, (_, i) => i);
        const tail = Int32Array.from({ length: n - at }, (_, i) => at + i);
        const cut = (list: Tensor[]) => [list.map((t) => takeRows(t, head, true)), list.map((t) => takeRows(t, tail, true))];
        const [xTrain, xVal] = cut(xs);
        const [yTrain, yVal] = cut(ys);
        owned.push(...xTrain, ...xVal, ...yTrain, ...yVal);
        xs = xTrain;
        ys = yTrain;
        validation = [xVal, yVal];
      }
    }

    const n = xs[0].shape[0];
    const batchesPerEpoch = Math.ceil(n / batchSize);
    const history = new History();
    history.params = { epochs, batchSize, samples: n, steps: batchesPerEpoch, verbose, metrics: ['loss', ...this.metrics.map((m) => m.name)] };
    const userCallbacks = args.callbacks === undefined ? [] : Array.isArray(args.callbacks) ? args.callbacks : [args.callbacks];
    const callbacks = new CallbackList([
      ...(verbose > 0 ? [new ProgressLogger(epochs, batchesPerEpoch, verbose)] : []),
      ...userCallbacks,
      history,
    ]);
    callbacks.setModel(this);
    this.stopTraining = false;
    const shuffleRandom = args.seed === undefined ? null : args.seed;
    try {
      await callbacks.trainBegin({});
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await callbacks.epochBegin(epoch, {});
        const order = args.shuffle === false ? null
          : permutation(n, shuffleRandom === null ? undefined : new Random(epochSeed(shuffleRandom, epoch)));
        const sums = await this.trainEpoch(xs, ys, batchSize, order, epoch, callbacks);
        const logs = this.namedLogs(sums.map((s) => s / n));
        if (validation) {
          const valValues = await this.evaluateLogs(validation[0], validation[1], { batchSize }, `${where} (validation)`);
          Object.entries(this.namedLogs(valValues)).forEach(([name, v]) => { logs[`val_${name}`] = v; });
        }
        await callbacks.epochEnd(epoch, logs);
      }
      await callbacks.trainEnd({});
    } finally {
      owned.forEach((t) => t.dispose());
    }
    return history;
  }

  /** One optimizer step on one batch (Keras' train_on_batch): the loss, or [loss, ...metrics] with metrics. */
  async trainOnBatch(x: Tensor | Tensor[], y: Tensor | Tensor[]): Promise<number | number[]> {
    const where = `${this.name}.trainOnBatch`;
    this.assertCompiled(where);
    const xs = toList(x, `${where}: x`);
    const ys = toList(y, `${where}: y`);
    const n = this.sampleCount([...xs, ...ys], where);
    const values = await this.trainStep(xs, ys, 0, 0, Int32Array.from({ length: n }, (_, i) => i));
    return values.length === 1 ? values[0] : values;
  }

  /** Prints a Keras-style table of the layers, their output shapes and parameter counts. */
  summary(printFn: (line: string) => void = (line) => console.log(line)): void {
    if (this.inputShapes === null) {
      throw new Error(`${this.name}.summary: the model is not built yet; give the first layer an inputShape (e.g. {inputShape: [784]}) or run it on data first`);
    }
    formatSummary(this.name, this.layers.map((layer) => ({ layer, outputShape: this.outputShapeOf(layer) })), this.trainableWeights, this.nonTrainableWeights).forEach((line) => printFn(line));
  }

  // ---- internals ----

  private assertCompiled(where: string): void {
    if (!this.loss || !this.optimizer) throw new Error(`${where}: compile the model first, e.g. model.compile({optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy']})`);
  }

  private namedLogs(values: number[]): Logs {
    const logs: Logs = { loss: values[0] };
    this.metrics.forEach((m, i) => { logs[m.name] = values[i + 1]; });
    return logs;
  }

  /** The samples every tensor has (they must agree). */
  private sampleCount(list: Tensor[], where: string): number {
    const n = list[0].shape[0];
    const other = list.find((t) => t.shape[0] !== n);
    if (other) throw new RangeError(`${where}: every input and target needs the same number of samples; got ${list.map((t) => shapeToString(t.shape)).join(', ')}`);
    return n;
  }

  /** The sample indices of each batch: in order (order null), or along a permutation. */
  private *batchIndices(n: number, batchSize: number, order: Int32Array | null): Generator<Int32Array> {
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(start + batchSize, n);
      yield order ? order.subarray(start, end) : Int32Array.from({ length: end - start }, (_, i) => start + i);
    }
  }

  /**
   * The loss (plus regularization) and the metric values of one batch, as tensors; the metrics
   * are computed without recording, from the same forward pass.
   */
  private lossAndMetrics(xs: Tensor[], ys: Tensor[], training: boolean): { loss: Tensor; metrics: Tensor[] } {
    const lossSpec = this.loss!;
    const outputs = this.run(xs, training, lossSpec.logits?.activation);
    if (outputs.length !== ys.length) throw new RangeError(`${this.name}: the model has ${outputs.length} outputs but ${ys.length} targets were given`);
    const losses = outputs.map((o, i) => ('logits' in o && lossSpec.logits ? lossSpec.logits.fn(ys[i], o.logits) : lossSpec.fn(ys[i], valueOf(o))));
    const penalties = this.layers.flatMap((l) => l.regularizationLosses());
    const loss = [...losses, ...penalties].reduce((a, b) => add(a, b));
    const metrics = this.metrics.length === 0 ? [] : noGrad(() => {
      const output = outputs[0];
      let prediction: Tensor | null = null;
      return this.metrics.map((m) => {
        const onLogits = 'logits' in output && m.sameOnLogitsOf === output.activation;
        return keep(m.fn(ys[0], onLogits ? output.logits : (prediction ??= valueOf(output))));
      });
    });
    return { loss, metrics };
  }

  /**
   * The batches of one epoch of fit, in `order` (null: as stored); returns the sums over samples
   * of [loss, ...metrics]. Kept apart from fit so that the loop V8 optimizes is this small one.
   */
  private async trainEpoch(xs: Tensor[], ys: Tensor[], batchSize: number, order: Int32Array | null, epoch: number, callbacks: CallbackList): Promise<number[]> {
    const sums = new Array<number>(1 + this.metrics.length).fill(0);
    let batch = 0;
    for (const indices of this.batchIndices(xs[0].shape[0], batchSize, order)) {
      await callbacks.batchBegin(batch, { batch, size: indices.length });
      const xb = xs.map((t) => takeRows(t, indices, order === null));
      const yb = ys.map((t) => takeRows(t, indices, order === null));
      let values: number[];
      try {
        values = await this.trainStep(xb, yb, epoch, batch, indices);
      } finally {
        xb.forEach((t) => t.dispose());
        yb.forEach((t) => t.dispose());
      }
      values.forEach((v, i) => { sums[i] += v * indices.length; });
      await callbacks.batchEnd(batch, { batch, size: indices.length, ...this.namedLogs(values) });
      batch++;
    }
    return sums;
  }

  /** One optimizer step on a batch; returns [loss, ...metrics]. The weights are left alone if the loss is not finite. */
  private async trainStep(xs: Tensor[], ys: Tensor[], epoch: number, batch: number, indices: Int32Array): Promise<number[]> {
    let metricTensors: Tensor[] = [];
    const { value, grads } = variableGrads(() => {
      const { loss, metrics } = this.lossAndMetrics(xs, ys, true);
      metricTensors = metrics;
      return loss;
    }, this.trainableWeights);
    try {
      const values = await Promise.all([value, ...metricTensors].map(async (t) => (await t.data())[0]));
      if (!Number.isFinite(values[0])) {
        throw new Error(`${this.name}.fit: the loss is ${values[0]} at epoch ${epoch + 1}, batch ${batch + 1} (samples ${indices[0]}..., ${indices.length} in the batch); ` +
          'training stopped before applying it. Lower the learning rate, check the inputs for NaN or infinity, or clip the gradients (clipnorm).');
      }
      this.optimizer!.applyGradients(grads);
      return values;
    } finally {
      value.dispose();
      metricTensors.forEach((t) => t.dispose());
      Object.values(grads).forEach((g) => g.dispose());
    }
  }

  private async evaluateLogs(x: Tensor | Tensor[], y: Tensor | Tensor[], args: BatchArgs, where: string): Promise<number[]> {
    this.assertCompiled(where);
    const xs = toList(x, `${where}: x`);
    const ys = toList(y, `${where}: y`);
    const batchSize = checkPositiveInteger(args.batchSize ?? 32, 'batchSize', where);
    const n = this.sampleCount([...xs, ...ys], where);
    const sums = new Array<number>(1 + this.metrics.length).fill(0);
    for (const indices of this.batchIndices(n, batchSize, null)) {
      const tensors = tidy(() => {
        const { loss, metrics } = this.lossAndMetrics(xs.map((t) => takeRows(t, indices, true)), ys.map((t) => takeRows(t, indices, true)), false);
        return [loss, ...metrics];
      });
      const values = await Promise.all(tensors.map(async (t) => (await t.data())[0]));
      tensors.forEach((t) => t.dispose());
      values.forEach((v, i) => { sums[i] += v * indices.length; });
    }
    return sums.map((s) => s / n);
  }
}
