/**
 * Mini-batches over a dataset without copying it per epoch: each epoch is an index permutation
 * (seeded: the same order on every backend), and each batch gathers its rows into new tensors.
 * The data stays where it is: typed arrays (e.g. mnistArrays()' pixel bytes, scaled on the fly)
 * or tensors (rows gathered by the backend's gather kernel).
 */
import type { Tensor } from '../tensor.js';
import { Tensor as TensorClass } from '../tensor.js';
import { tensor } from '../ops/creation.js';
import { gather } from '../ops/gather.js';
import { slice } from '../ops/slice.js';
import { generatorFor, Random } from '../ops/random.js';
import { byteTable, PIXEL_SCALE, type ImageDataArrays } from './image_data.js';
import { epochSeed, shuffleInPlace } from './shuffle.js';

/** Rows in a typed array: `shape[0]` samples of shape `shape.slice(1)`. */
export interface ArraySource {
  data: Float32Array | Int32Array | Uint8Array;
  /** [numSamples, ...sampleShape]; the product must be data.length. */
  shape: number[];
  /** Multiply the values by this (the batch is then float32), e.g. 1/255 for pixel bytes. */
  scale?: number;
  /** The batch dtype: default float32 for Float32Array or with a scale, else int32. */
  dtype?: 'float32' | 'int32';
}

export type DataSource = Tensor | ArraySource;

export interface BatchOptions {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Visit the samples in a random order (default false: in order). */
  shuffle?: boolean;
  /** Seed of the order; the same seed and epoch give the same order on every backend. Without one, the global stream (et.setSeed) is used. */
  seed?: number;
  /** With a seed, the epoch number (default 0): each epoch gets its own reproducible order. */
  epoch?: number;
  /** Drop the last batch when it has fewer than batchSize samples (default false: yield it smaller). */
  dropRemainder?: boolean;
}

export interface Batch {
  x: Tensor;
  y: Tensor;
  /** The sample indices of this batch, in order (a view of the epoch's permutation: do not modify). */
  indices: Int32Array;
}

interface Rows {
  n: number;
  gather(indices: Int32Array, contiguous: boolean): Tensor;
}

/**
 * The samples (rows along axis 0) of t at `indices` as a new tensor; `contiguous` says the
 * indices are consecutive, so a slice does.
 */
export function takeRows(t: Tensor, indices: Int32Array, contiguous: boolean): Tensor {
  if (contiguous) return slice(t, [indices[0], ...t.shape.slice(1).map(() => 0)], [indices.length, ...t.shape.slice(1).map(() => -1)]);
  const idx = tensor(indices, [indices.length], 'int32');
  try {
    return gather(t, idx, 0);
  } finally {
    idx.dispose();
  }
}

function tensorRows(t: Tensor, name: string): Rows {
  t.assertLive();
  if (t.rank < 1) throw new Error(`Dataset: ${name} must have at least 1 dimension (samples first), got a scalar`);
  return { n: t.shape[0], gather: (indices, contiguous) => takeRows(t, indices, contiguous) };
}

function arrayRows(src: ArraySource, name: string): Rows {
  const { data, shape } = src;
  if (!ArrayBuffer.isView(data) || !(data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint8Array)) {
    throw new TypeError(`Dataset: ${name}.data must be a Float32Array, Int32Array or Uint8Array`);
  }
  if (!Array.isArray(shape) || shape.length < 1 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`Dataset: ${name}.shape must be [numSamples, ...sampleShape] of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const total = shape.reduce((a, b) => a * b, 1);
  if (total !== data.length) {
    throw new Error(`Dataset: ${name}.shape [${shape.join(', ')}] needs ${total} values, ${name}.data has ${data.length}`);
  }
  const scale = src.scale;
  if (scale !== undefined && !Number.isFinite(scale)) throw new TypeError(`Dataset: ${name}.scale must be a finite number, got ${scale}`);
  const dtype = src.dtype ?? (scale !== undefined || data instanceof Float32Array ? 'float32' : 'int32');
  if (dtype !== 'float32' && dtype !== 'int32') throw new TypeError(`Dataset: ${name}.dtype must be 'float32' or 'int32', got ${String(dtype)}`);
  const sampleShape = shape.slice(1);
  const row = total === 0 ? sampleShape.reduce((a, b) => a * b, 1) : data.length / shape[0];
  const table = data instanceof Uint8Array && scale !== undefined ? byteTable(scale) : null;
  const plainCopy = scale === undefined && ((dtype === 'float32' && data instanceof Float32Array) || (dtype === 'int32' && data instanceof Int32Array));
  return {
    n: shape[0],
    gather(indices) {
      const b = indices.length;
      const out = dtype === 'float32' ? new Float32Array(b * row) : new Int32Array(b * row);
      for (let r = 0; r < b; r++) {
        const from = indices[r] * row;
        const to = r * row;
        if (plainCopy) out.set(data.subarray(from, from + row), to);
        else if (table) for (let k = 0; k < row; k++) out[to + k] = table[data[from + k]];
        else {
          const s = scale ?? 1;
          for (let k = 0; k < row; k++) out[to + k] = data[from + k] * s;
        }
      }
      return tensor(out, [b, ...sampleShape], dtype);
    },
  };
}

function toRows(src: DataSource, name: string): Rows {
  if (src instanceof TensorClass) return tensorRows(src, name);
  if (src === null || typeof src !== 'object') throw new TypeError(`Dataset: ${name} must be a tensor or {data, shape}, got ${src === null ? 'null' : typeof src}`);
  return arrayRows(src, name);
}

function checkBatchSize(batchSize: unknown): number {
  if (!Number.isInteger(batchSize) || (batchSize as number) < 1) {
    throw new RangeError(`Dataset: batchSize must be a positive integer, got ${String(batchSize)}`);
  }
  return batchSize as number;
}

/** Paired samples x[i], y[i] to batch: `for (const {x, y} of ds.batches({batchSize: 64, shuffle: true, seed, epoch})) ...`. */
export class Dataset {
  readonly size: number;
  private readonly xs: Rows;
  private readonly ys: Rows;

  constructor(x: DataSource, y: DataSource) {
    this.xs = toRows(x, 'x');
    this.ys = toRows(y, 'y');
    if (this.xs.n !== this.ys.n) {
      throw new Error(`Dataset: x has ${this.xs.n} samples but y has ${this.ys.n}`);
    }
    this.size = this.xs.n;
  }

  /** The training or test split of mnistArrays() / fashionMnistArrays(): x float32 [b, rows*cols] in [0, 1], y int32 [b]. */
  static fromImageArrays(arrays: ImageDataArrays, split: 'train' | 'test'): Dataset {
    if (split !== 'train' && split !== 'test') throw new TypeError(`Dataset.fromImageArrays: split must be 'train' or 'test', got ${String(split)}`);
    const n = split === 'train' ? arrays.numTrain : arrays.numTest;
    const pixels = arrays.imageShape[0] * arrays.imageShape[1];
    return new Dataset(
      { data: split === 'train' ? arrays.trainImages : arrays.testImages, shape: [n, pixels], scale: PIXEL_SCALE },
      { data: split === 'train' ? arrays.trainLabels : arrays.testLabels, shape: [n] },
    );
  }

  /** How many batches one epoch has. */
  numBatches(batchSize = 32, dropRemainder = false): number {
    const b = checkBatchSize(batchSize);
    return dropRemainder ? Math.floor(this.size / b) : Math.ceil(this.size / b);
  }

  /** The sample order of one epoch (0..size-1, permuted when shuffling). */
  order(options: Pick<BatchOptions, 'shuffle' | 'seed' | 'epoch'> = {}): Int32Array {
    const order = new Int32Array(this.size);
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (!options.shuffle) return order;
    let rng: Random;
    if (options.seed === undefined) rng = generatorFor(undefined, 'Dataset');
    else {
      if (!Number.isFinite(options.seed)) throw new TypeError(`Dataset: seed must be a finite number, got ${options.seed}`);
      const epoch = options.epoch ?? 0;
      if (!Number.isInteger(epoch) || epoch < 0) throw new RangeError(`Dataset: epoch must be a non-negative integer, got ${epoch}`);
      rng = new Random(epochSeed(options.seed, epoch));
    }
    return shuffleInPlace(order, rng);
  }

  /** The samples at `indices` as one batch. */
  batch(indices: ArrayLike<number>): Batch {
    const idx = Int32Array.from(indices);
    for (const i of idx) {
      if (i < 0 || i >= this.size) throw new RangeError(`Dataset: index ${i} is out of range [0, ${this.size})`);
    }
    return this.take(idx, false);
  }

  /** One epoch of batches (tensors created lazily, one batch at a time; dispose them, or run the step in et.tidy). */
  batches(options: BatchOptions = {}): Generator<Batch, void, undefined> {
    const batchSize = checkBatchSize(options.batchSize ?? 32);
    const order = this.order(options);
    const count = this.numBatches(batchSize, options.dropRemainder ?? false);
    const contiguous = !options.shuffle;
    const self = this;
    return (function* () {
      for (let b = 0; b < count; b++) {
        const idx = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, order.length));
        yield self.take(idx, contiguous);
      }
    })();
  }

  [Symbol.iterator](): Generator<Batch, void, undefined> {
    return this.batches();
  }

  private take(indices: Int32Array, contiguous: boolean): Batch {
    const x = this.xs.gather(indices, contiguous);
    let y: Tensor;
    try {
      y = this.ys.gather(indices, contiguous);
    } catch (e) {
      x.dispose();
      throw e;
    }
    return { x, y, indices };
  }
}

/** One epoch of {x, y} batches over paired samples: `new Dataset(x, y).batches(options)`. */
export function batches(x: DataSource, y: DataSource, options: BatchOptions = {}): Generator<Batch, void, undefined> {
  return new Dataset(x, y).batches(options);
}
