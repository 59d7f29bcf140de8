/** `et.train`: optimizers (tfjs names and formulas), learning-rate schedules, gradient clipping. */
export { Optimizer, Slots, type NamedTensor, type UpdateStep, type OptimizerArgs } from './optimizer.js';
export { sgd, SGDOptimizer, type SGDOptions } from './sgd.js';
export { momentum, MomentumOptimizer, type MomentumOptions } from './momentum.js';
export { adam, AdamOptimizer, type AdamOptions } from './adam.js';
export { adamw, AdamWOptimizer, type AdamWOptions } from './adamw.js';
export { rmsprop, RMSPropOptimizer, type RMSPropOptions } from './rmsprop.js';
export { exponentialDecay, piecewiseConstantDecay, cosineDecay, type LearningRate, type LearningRateSchedule,
  type ExponentialDecayConfig, type PiecewiseConstantDecayConfig, type CosineDecayConfig } from './schedules.js';
export { clipByNorm, clipByGlobalNorm, globalNorm, type ClipOptions } from './clip.js';
