/**
 * edgetensor: `import * as et from 'edgetensor'`. Names follow TensorFlow.js / Keras.
 */
import './ops/chain.js';

export { Tensor } from './tensor.js';
export type { BackendName, DType, NestedArray, Shape, TypedArray } from './types.js';
export * from './ops/index.js';
export { tidy, keep, dispose, memory, profile, type MemoryInfo, type ProfileInfo } from './engine.js';
export { grad, grads, valueAndGrad, valueAndGrads, variableGrads, noGrad, GradientTape } from './autograd/api.js';
export { variable, Variable } from './autograd/variable.js';
export { setBackend, getBackend, ready, backends, implementedKernels } from './backend/selector.js';
export { setNumThreads, getNumThreads, getIsa, getBestIsa, setIsa } from './backend/native/runtime.js';
export { KERNEL_NAMES, type KernelName } from './backend/kernel.js';
export * as losses from './losses/index.js';
export * as train from './optim/index.js';
export * as models from './models/index.js';
export * as data from './data/index.js';
