/** Optimizers rebuilt from {className, config} (tfjs' class names; AdamW is Keras'). */
import { AdamOptimizer } from './adam.js';
import { AdamWOptimizer } from './adamw.js';
import { MomentumOptimizer } from './momentum.js';
import type { Optimizer, OptimizerConfigDict } from './optimizer.js';
import { RMSPropOptimizer } from './rmsprop.js';
import { SGDOptimizer } from './sgd.js';
import { registerDeserializer } from '../io/serialization.js';

const CLASSES: Record<string, { fromConfig(config: OptimizerConfigDict): Optimizer }> = Object.fromEntries(
  [SGDOptimizer, MomentumOptimizer, AdamOptimizer, AdamWOptimizer, RMSPropOptimizer].map((c) => [c.className, c]),
);

/** The optimizer `{className: opt.className, config: opt.getConfig()}` describes (fresh state: restore it with setWeights). */
export function optimizerFromConfig(serialized: { className: string; config?: OptimizerConfigDict }): Optimizer {
  if (serialized === null || typeof serialized !== 'object') {
    throw new TypeError(`optimizerFromConfig: expected {className, config}, got ${serialized === null ? 'null' : typeof serialized}`);
  }
  const { className, config = {} } = serialized;
  const cls = typeof className === 'string' && Object.hasOwn(CLASSES, className) ? CLASSES[className] : undefined;
  if (!cls) throw new TypeError(`optimizerFromConfig: unknown optimizer class ${JSON.stringify(className)}; known: ${Object.keys(CLASSES).join(', ')}`);
  return cls.fromConfig(config);
}

// The one registry of class names knows them too (et.serialization.deserialize).
for (const className of Object.keys(CLASSES)) registerDeserializer(className, (config) => optimizerFromConfig({ className, config: config as OptimizerConfigDict }));
