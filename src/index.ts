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
export * as models from './zoo/index.js';
export * as layers from './nn/index.js';
export * as serialization from './io/serialization.js';
export * as io from './io/index.js';
export { loadLayersModel, type SaveConfig } from './io/layers_model.js';
export { exportOnnx } from './io/onnx/export.js';
export { input, InputLayer, type InputArgs } from './nn/layers/input.js';
export { SymbolicTensor, type SymbolicShape } from './nn/symbolic.js';
export { sequential, model, callbacks, Model, Sequential, Functional, History, EarlyStopping,
  type CompileArgs, type FitArgs, type BatchArgs, type Callback, type Logs, type SequentialArgs, type FunctionalArgs, type EarlyStoppingArgs } from './models/index.js';
export * as metrics from './metrics/index.js';
export * as initializers from './nn/initializers.js';
export * as regularizers from './nn/regularizers.js';
export * as data from './data/index.js';
