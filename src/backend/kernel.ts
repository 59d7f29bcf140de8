/**
 * The kernel contract every backend implements. A kernel receives tensors as
 * `TensorInfo` (shape, dtype and the backend's storage) plus plain attributes, and returns
 * new TensorInfo(s); it never sees Tensor objects, autograd or other backends.
 *
 * Canonical forms keep backends small: the ops layer (src/ops) reshapes and transposes so
 * that, for example, reductions always arrive as [outer, reduce, inner] and softmax as
 * [rows, cols]. See KERNELS below for each kernel's exact contract.
 */
import type { DType, TypedArray } from '../types.js';

export interface TensorInfo<Data = unknown> {
  shape: number[];
  dtype: DType;
  data: Data;
}

/** TensorInfo on the CPU backends (js, native): storage is a typed array of `size` elements. */
export type CpuTensor = TensorInfo<TypedArray>;

export type KernelFn<Data = unknown> = (
  inputs: TensorInfo<Data>[],
  attrs: Record<string, unknown>,
) => TensorInfo<Data> | TensorInfo<Data>[];

/** Unary kernels whose output has the input's shape. Float-only ones get float32 inputs. */
export const FLOAT_UNARY_KERNELS = [
  'Exp', 'Log', 'Log1p', 'Sqrt', 'Rsqrt', 'Reciprocal', 'Floor', 'Round', 'Relu6', 'LeakyRelu',
  'Elu', 'Selu', 'Gelu', 'Sigmoid', 'Tanh', 'Softplus', 'Sin', 'Cos', 'ClipByValue',
] as const;
/** Unary kernels that keep int32 inputs int32 (and also accept float32). */
export const INT_PRESERVING_UNARY_KERNELS = ['Neg', 'Abs', 'Square', 'Sign', 'Relu'] as const;
export const ARITHMETIC_BINARY_KERNELS = ['Add', 'Sub', 'Mul', 'Div', 'FloorDiv', 'Pow', 'Maximum', 'Minimum'] as const;
export const COMPARISON_BINARY_KERNELS = ['Equal', 'NotEqual', 'Greater', 'GreaterEqual', 'Less', 'LessEqual'] as const;
export const REDUCE_KERNELS = ['Sum', 'Prod', 'Max', 'Min', 'ArgMax', 'ArgMin', 'LogSumExp'] as const;

export type UnaryKernelName = (typeof FLOAT_UNARY_KERNELS)[number] | (typeof INT_PRESERVING_UNARY_KERNELS)[number];
export type BinaryKernelName = (typeof ARITHMETIC_BINARY_KERNELS)[number] | (typeof COMPARISON_BINARY_KERNELS)[number];
export type ReduceKernelName = (typeof REDUCE_KERNELS)[number];

/**
 * Every kernel name with its contract. (All tensors row-major and contiguous.)
 *
 * Unary (FLOAT_UNARY_KERNELS, INT_PRESERVING_UNARY_KERNELS): [x] -> same shape and dtype.
 *   attrs: LeakyRelu {alpha}, ClipByValue {min, max}; Round is half-to-even; Gelu is the exact
 *   erf form; Sign(0) = 0; Relu6 = min(max(x, 0), 6); Selu uses Keras' constants.
 * Cast {dtype}: [x] -> same shape, dtype attrs.dtype (float->int truncates toward zero,
 *   anything->bool is x != 0).
 * Binary (ARITHMETIC_BINARY_KERNELS, COMPARISON_BINARY_KERNELS): [a, b] of the same dtype and
 *   NumPy-broadcastable shapes -> the broadcast shape; comparisons give bool, the rest keep
 *   the dtype. Div is true division (float32 only); FloorDiv is floor(a / b) (int32: b = 0 gives 0).
 * Where: [cond (bool), a, b] broadcast together -> a's dtype.
 * MatMul {transposeA, transposeB}: [a, b] float32 rank 3, a = [Ba, M, K] ([Ba, K, M] when
 *   transposeA), b = [Bb, K, N] ([Bb, N, K] when transposeB), Ba == Bb or one of them is 1
 *   -> [max(Ba, Bb), M, N]; or both rank 2 (one matrix each) -> [M, N].
 * Reductions (REDUCE_KERNELS): [x] of shape [outer, reduce, inner] -> [outer, inner].
 *   Sum/Prod/Max/Min keep float32/int32; ArgMax/ArgMin give int32 (first index of the
 *   extreme; NaN counts as the extreme); LogSumExp is float32. Empty reduce: Sum 0, Prod 1,
 *   Max -Infinity, Min +Infinity, LogSumExp -Infinity.
 * Softmax, LogSoftmax: [x] float32 [rows, cols], normalised over cols -> same shape.
 * Transpose {perm}: [x] any dtype -> permuted shape.
 * Slice {begin, size}: [x] any dtype, begin/size fully resolved (no -1) -> shape size.
 * Concat {axis}: [x0, x1, ...] same dtype, same shape except along axis -> concatenated.
 * Gather {axis}: [x, indices (int32, any shape)] -> x.shape[:axis] ++ indices.shape ++
 *   x.shape[axis+1:]; an index outside [0, x.shape[axis]) is an error naming it.
 * UnsortedSegmentSum {numSegments}: [x float32 / int32 [n, ...rest], segmentIds (int32 [n])] ->
 *   x's dtype [numSegments, ...rest], out[s] = sum of x[i] over i with segmentIds[i] == s, in
 *   increasing i (0 for an id never used; int32 wraps like Int32Array); an id outside
 *   [0, numSegments) is an error naming it and its position. Gather's adjoint (its gradient).
 * Pad {paddings: [before, after][], value}: [x] -> padded with the constant value.
 * Tile {reps}: [x] -> shape[i] * reps[i].
 * OneHot {depth}: [indices int32] -> int32 [...indices.shape, depth]; out-of-range rows all 0.
 *
 * SparseSoftmaxCrossEntropy {reduction: 'none' | 'mean'}: [logits float32 [rows, cols],
 *   labels int32 [rows]] -> two outputs: loss [rows] = logSumExp(logits[r]) - logits[r, label]
 *   (exact for any finite logits) and dlogits [rows, cols] = softmax(logits[r]) - onehot(label),
 *   the loss's gradient; with 'mean', loss is the scalar mean over the rows (NaN for no rows)
 *   and dlogits is divided by rows. A label outside [0, cols) is an error naming it.
 *
 * FusedMatMul {transposeA, transposeB, activation, alpha}: [a, b] or [a, b, bias]: two float32
 *   matrices as MatMul's rank-2 form and an optional bias [N] -> y [M, N] =
 *   activation(op(a) op(b) + bias); activation is one of FUSED_ACTIVATIONS (alpha: leakyRelu's
 *   slope, >= 0).
 * FusedMatMulGrad {transposeA, transposeB, activation, alpha, needs: [a, b, bias] booleans}:
 *   [dy, a, b, y] (y the FusedMatMul output) -> the gradients of a, b and bias that `needs`
 *   asks for, in that order: with dz = dy * activation'(y), da = dz op(b)^T and db = op(a)^T dz
 *   (each in its operand's stored layout), dbias = column sums of dz.
 * DenseStack {activations, alphas, biases}: [x, kernel0, (bias0), kernel1, (bias1), ...]: a
 *   stack of dense layers in inference, one kernel for them all (what model.predict runs for a
 *   model of dense layers). x float32 [M, K0]; layer i: h = activation_i(h kernel_i + bias_i),
 *   kernel_i [K_i, K_{i+1}], bias_i [K_{i+1}] present where biases[i]; activations[i] is one of
 *   DENSE_STACK_ACTIVATIONS ('softmax' normalises each row), alphas[i] leakyRelu's slope (>= 0)
 *   -> the last layer's output [M, K_L]. No gradient: training runs the layers' own kernels.
 *
 * Optimizer updates (OPTIMIZER_KERNELS) work IN PLACE on float32 tensors and return nothing;
 * the engine first makes the storage they write exclusive (copy on write). One call updates
 * every parameter of a step: the inputs are OPTIMIZER_GROUP_SIZES[kernel] tensors per
 * parameter ([p, g, slots...] as below, one shape within a group), group after group, applied
 * in that order.
 * The native ones flush subnormal results to zero (moments that decay would otherwise turn
 * subnormal and slow every step; TensorFlow does the same), a difference below 1.2e-38:
 * SgdUpdate {lr}: [p, g]: p -= lr g.
 * MomentumUpdate {lr, momentum, nesterov}: [p, g, accum]: accum = momentum accum + g;
 *   p -= lr (nesterov ? g + momentum accum : accum).
 * AdamUpdate {lr, beta1, beta2, epsilon, iteration, weightDecay}: [p, g, m, v]:
 *   p -= lr weightDecay p (AdamW, decoupled; 0 for Adam); m = b1 m + (1 - b1) g;
 *   v = b2 v + (1 - b2) g^2; p -= lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + epsilon), t = iteration.
 * RmspropUpdate {lr, decay, momentum, epsilon, centered}: [p, g, ms, mom, mg]:
 *   ms = decay ms + (1 - decay) g^2; centered: mg = decay mg + (1 - decay) g and
 *   denom = sqrt(ms - mg^2 + epsilon), else denom = sqrt(ms + epsilon) (mg untouched);
 *   mom = momentum mom + lr g / denom; p -= mom.
 */
/**
 * Activations a FusedMatMul applies in its epilogue; their gradients are read from the output
 * (y > 0 decides relu's branch, sigmoid' = y (1 - y), ...). The order is the native addon's.
 */
export const FUSED_ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyRelu', 'elu', 'sigmoid', 'tanh'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];
/** Activations a DenseStack layer applies: the fused ones, and softmax (the native addon's order). */
export const DENSE_STACK_ACTIVATIONS = [...FUSED_ACTIVATIONS, 'softmax'] as const;
export type DenseStackActivation = (typeof DENSE_STACK_ACTIVATIONS)[number];

export const OPTIMIZER_KERNELS = ['SgdUpdate', 'MomentumUpdate', 'AdamUpdate', 'RmspropUpdate'] as const;
export type OptimizerKernelName = (typeof OPTIMIZER_KERNELS)[number];
/** Tensors per parameter in an optimizer update's inputs: the parameter, its gradient, its slots. */
export const OPTIMIZER_GROUP_SIZES: Record<OptimizerKernelName, number> = { SgdUpdate: 2, MomentumUpdate: 3, AdamUpdate: 4, RmspropUpdate: 5 };

/** Checks that an optimizer update has whole groups of inputs; returns the group size. */
export function checkOptimizerInputCount(kernelName: OptimizerKernelName, count: number): number {
  const size = OPTIMIZER_GROUP_SIZES[kernelName];
  if (count === 0 || count % size !== 0) {
    throw new RangeError(`${kernelName}: expected groups of ${size} tensors (parameter, gradient, slots), got ${count} inputs`);
  }
  return size;
}

/** The inputs of an optimizer update split into its per-parameter groups. */
export function optimizerGroups<T>(kernelName: OptimizerKernelName, inputs: readonly T[]): T[][] {
  const size = checkOptimizerInputCount(kernelName, inputs.length);
  const groups: T[][] = [];
  for (let i = 0; i < inputs.length; i += size) groups.push(inputs.slice(i, i + size));
  return groups;
}

export const KERNEL_NAMES = [
  ...FLOAT_UNARY_KERNELS,
  ...INT_PRESERVING_UNARY_KERNELS,
  'Cast',
  ...ARITHMETIC_BINARY_KERNELS,
  ...COMPARISON_BINARY_KERNELS,
  'Where',
  'MatMul',
  'FusedMatMul',
  'FusedMatMulGrad',
  'DenseStack',
  ...REDUCE_KERNELS,
  'Softmax',
  'LogSoftmax',
  'SparseSoftmaxCrossEntropy',
  'Transpose',
  'Slice',
  'Concat',
  'Gather',
  'UnsortedSegmentSum',
  'Pad',
  'Tile',
  'OneHot',
  ...OPTIMIZER_KERNELS,
] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];
