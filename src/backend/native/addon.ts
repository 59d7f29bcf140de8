/**
 * Loads the C++ addon (build/Release/edgetensor.node, built by `npm install` through cmake-js
 * or by `npm run build:gyp`) and describes its functions. Every function validates its
 * arguments and throws a JS TypeError / RangeError; none keeps a pointer after it returns.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { TypedArray } from '../../types.js';

export type Isa = 'avx512' | 'avx2' | 'scalar';

export interface NativeAddon {
  // Runtime controls.
  isa(): Isa;
  bestIsa(): Isa;
  setIsa(isa: Isa): Isa;
  numThreads(): number;
  setNumThreads(n: number): number;
  availableCores(): number;
  /**
   * Whether loading the addon set glibc's malloc to keep freed memory for reuse (native/src/cpu/
   * heap_retention.h): false off glibc, or where MALLOC_TRIM_THRESHOLD_, MALLOC_MMAP_THRESHOLD_
   * or a glibc.malloc tunable says the user chose the settings.
   */
  readonly retainsFreedHeap: boolean;

  /**
   * c[b] = op(a[b]) x op(b[b]) for b in [0, batch): row-major; a is m x k (k x m when
   * transposeA), b is k x n (n x k when transposeB), c is m x n; aBatchStride / bBatchStride
   * are element offsets between batches (0 broadcasts one matrix). Overwrites c.
   */
  gemm(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, aBatchStride: number, bBatchStride: number): void;

  /**
   * y = act(op(a) op(b) + bias) with gemm's layout (bias [n] or null); activation is the index
   * in FUSED_ACTIVATIONS, alpha leakyRelu's slope.
   */
  denseForward(a: Float32Array, b: Float32Array, bias: Float32Array | null, y: Float32Array, m: number, n: number, k: number,
    transposeA: boolean, transposeB: boolean, activation: number, alpha: number): void;
  /**
   * A stack of dense layers in one call: x [m, dims[0]]; layer i is act(h kernel_i + bias_i)
   * with kernel_i [dims[i], dims[i + 1]] and bias_i [dims[i + 1]] or null, activations[i] the
   * index in DENSE_STACK_ACTIVATIONS, alphas[i] leakyRelu's slope; y [m, dims[L]] gets the last
   * layer's output. `layers` holds kernel0, bias0, kernel1, bias1, ...
   */
  denseStack(x: Float32Array, y: Float32Array, m: number, dims: Int32Array, activations: Int32Array, alphas: Float32Array,
    ...layers: (Float32Array | null)[]): void;
  /** The gradients of denseForward's a, b and bias from dy and its output y; a null output is skipped. */
  denseBackward(dy: Float32Array, a: Float32Array, b: Float32Array, y: Float32Array, da: Float32Array | null, db: Float32Array | null,
    dbias: Float32Array | null, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, activation: number, alpha: number): void;

  /** out[i] = op(x[i]) for i < n; alpha / beta are the op's parameters (LeakyRelu alpha, ClipByValue min / max). */
  unary(op: string, x: TypedArray, out: TypedArray, n: number, alpha: number, beta: number): void;
  /** out = a op b with NumPy broadcasting; outShape must be the broadcast of the two shapes. */
  binary(op: string, a: TypedArray, aShape: number[], b: TypedArray, bShape: number[], out: TypedArray, outShape: number[]): void;
  /** Converts element types (float->int truncates toward zero; to bool is x != 0). */
  cast(x: TypedArray, out: TypedArray, n: number): void;
  /** x viewed as [outer, reduce, inner] -> out [outer, inner]. */
  reduce(op: string, x: TypedArray, outer: number, reduce: number, inner: number, out: TypedArray): void;
  /** Row-wise softmax (or log-softmax) of x [rows, cols]. */
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number, log: boolean): void;
  transpose(x: TypedArray, shape: number[], perm: number[], out: TypedArray): void;
  slice(x: TypedArray, shape: number[], begin: number[], size: number[], out: TypedArray): void;
  /** inputs[i] viewed as [outer, inners[i]] concatenated along the second axis into out. */
  concat(inputs: TypedArray[], outer: number, inners: number[], out: TypedArray): void;
  /** x viewed as [outer, n, inner]; out[o, j, :] = x[o, indices[j], :]. */
  gather(x: TypedArray, outer: number, n: number, inner: number, indices: Int32Array, out: TypedArray): void;
  /**
   * x (Float32Array or Int32Array) viewed as [segmentIds.length, inner]; out [numSegments, inner]
   * of x's type: out[s, :] = sum of x[i, :] over i with segmentIds[i] = s (zeros where none is s).
   */
  unsortedSegmentSum(x: TypedArray, segmentIds: Int32Array, inner: number, numSegments: number, out: TypedArray): void;

  /**
   * loss[r] = logSumExp(logits[r]) - logits[r, labels[r]]; grad = softmax(logits) - onehot(labels).
   * With mean: loss[0] = the mean over the rows, and grad is divided by rows.
   */
  sparseSoftmaxCrossEntropy(logits: Float32Array, labels: Int32Array, loss: Float32Array, grad: Float32Array, rows: number, cols: number, mean: boolean): void;

  /**
   * Copies a block of `shape` elements from x[xOffset + i . xStrides] to out[outOffset + i . outStrides]
   * (stride 0 on x repeats: broadcast and tile; strided out writes into a larger tensor: pad).
   */
  stridedCopy(x: TypedArray, xOffset: number, xStrides: number[], out: TypedArray, outOffset: number, outStrides: number[], shape: number[]): void;
  /** out[i] = cond[i] ? a[i] : b[i] for i < n. */
  select(cond: Uint8Array, a: TypedArray, b: TypedArray, out: TypedArray, n: number): void;
  /** out [n, depth] = one-hot rows of indices (all zeros for an index outside [0, depth)). */
  oneHot(indices: Int32Array, n: number, depth: number, out: Int32Array): void;

  // In-place optimizer updates (formulas: OPTIMIZER_KERNELS in kernel.ts) of every parameter of a
  // step in one call: the hyperparameters, then [param, grad, ...slots] per parameter, group after
  // group, each updated over its param's length.
  sgdUpdate(lr: number, ...groups: Float32Array[]): void;
  momentumUpdate(lr: number, momentum: number, nesterov: boolean, ...groups: Float32Array[]): void;
  adamUpdate(lr: number, beta1: number, beta2: number, epsilon: number, iteration: number, weightDecay: number, ...groups: Float32Array[]): void;
  rmspropUpdate(lr: number, decay: number, momentumRate: number, epsilon: number, centered: boolean, ...groups: Float32Array[]): void;
}

const packageRoot = fileURLToPath(new URL('../../../', import.meta.url));

export const ADDON_BUILD_HINT =
  'build it with `npm run build:native` (cmake-js, needs cmake and a C++17 compiler) or `npm run build:gyp` (node-gyp)';

export interface AddonLoadResult {
  addon: NativeAddon | null;
  /** The file it was loaded from. */
  file: string | null;
  /** Why the addon is missing, when it is. */
  error: string | null;
}

let loaded: AddonLoadResult | null = null;

/** Loads the addon once; never throws (a missing addon leaves the js backend working). */
export function loadAddon(): AddonLoadResult {
  if (loaded) return loaded;
  // EDGETENSOR_ADDON names the one file to load instead of the build output.
  const candidates = process.env.EDGETENSOR_ADDON ? [process.env.EDGETENSOR_ADDON] : [path.join(packageRoot, 'build', 'Release', 'edgetensor.node')];
  const require = createRequire(import.meta.url);
  const problems: string[] = [];
  for (const file of candidates) {
    if (!existsSync(file)) {
      problems.push(`${file} does not exist`);
      continue;
    }
    try {
      loaded = { addon: require(file) as NativeAddon, file, error: null };
      return loaded;
    } catch (e) {
      problems.push(`${file} failed to load: ${(e as Error).message}`);
    }
  }
  loaded = { addon: null, file: null, error: problems.join('; ') };
  return loaded;
}
