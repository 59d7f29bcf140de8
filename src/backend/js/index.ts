/**
 * Registers the js backend: the pure-TypeScript reference kernels every other backend is
 * tested against, and the fallback for kernels a backend lacks.
 */
import { composedDenseStack } from '../dense_stack.js';
import { registerKernels } from '../registry.js';
import { kernels as binary } from './kernels/binary.js';
import { kernels as cast } from './kernels/cast.js';
import { kernels as concat } from './kernels/concat.js';
import { kernels as fusedMatMul } from './kernels/fused_matmul.js';
import { kernels as gather } from './kernels/gather.js';
import { kernels as matMul } from './kernels/matmul.js';
import { kernels as oneHot } from './kernels/one_hot.js';
import { kernels as optimizerUpdates } from './kernels/optimizer_updates.js';
import { kernels as pad } from './kernels/pad.js';
import { kernels as reduce } from './kernels/reduce.js';
import { kernels as slice } from './kernels/slice.js';
import { kernels as softmax } from './kernels/softmax.js';
import { kernels as sparseSoftmaxCrossEntropy } from './kernels/sparse_softmax_cross_entropy.js';
import { kernels as tile } from './kernels/tile.js';
import { kernels as transpose } from './kernels/transpose.js';
import { kernels as unary } from './kernels/unary.js';
import { kernels as where } from './kernels/where.js';

let registered = false;

/** Registers every js kernel; later calls do nothing. */
export function registerJsKernels(): void {
  if (registered) return;
  registered = true;
  registerKernels([
    ...unary, ...cast, ...binary, ...where, ...matMul, ...fusedMatMul, ...reduce, ...softmax, ...sparseSoftmaxCrossEntropy,
    ...transpose, ...slice, ...concat, ...gather, ...pad, ...tile, ...oneHot, ...optimizerUpdates,
    // Typed arrays need no freeing: the garbage collector takes the hidden layers' outputs.
    composedDenseStack('js', () => {}),
  ]);
}
