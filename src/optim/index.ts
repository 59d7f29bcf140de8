/** `et.train`: optimizers (tfjs names and formulas), learning-rate schedules, gradient clipping. */
export { Optimizer, Slots, type NamedTensor, type UpdateStep, type OptimizerArgs, type OptimizerConfigDict } from './optimizer.js';
export { optimizerFromConfig } from './from_config.js';
export { sgd, SGDOptimizer, type SGDOptions } from './sgd.js';
export { momentum, MomentumOptimizer, type MomentumOptions } from './momentum.js';
export { adam, AdamOptimizer, type AdamOptions } from './adam.js';
export { adamw, AdamWOptimizer, type AdamWOptions } from './adamw.js';
export { rmsprop, RMSPropOptimizer, type RMSPropOptions } from './rmsprop.js';
export { exponentialDecay, piecewiseConstantDecay, cosineDecay, scheduleToConfig, scheduleFromConfig, type LearningRate, type LearningRateSchedule,
  type SerializedSchedule, type ExponentialDecayConfig, type PiecewiseConstantDecayConfig, type CosineDecayConfig } from './schedules.js';
export { clipByNorm, clipByGlobalNorm, globalNorm, type ClipOptions } from './clip.js';
