/** Models (Keras): sequential, functional, and what training uses (callbacks, History). */
import { Functional, type FunctionalArgs } from './functional.js';
import { Sequential, type SequentialArgs } from './sequential.js';
import { Model } from './model.js';
import { deserialize, fromPythonic } from '../io/serialization.js';

export { Model, type CompileArgs, type FitArgs, type BatchArgs } from './model.js';
export { Sequential, Functional, type SequentialArgs, type FunctionalArgs };
export { History } from './history.js';
import { earlyStopping } from './callbacks.js';
import { modelCheckpoint } from './model_checkpoint.js';
export { EarlyStopping, earlyStopping, type Callback, type EarlyStoppingArgs, type Logs } from './callbacks.js';
export { ModelCheckpoint, modelCheckpoint, type ModelCheckpointArgs } from './model_checkpoint.js';

/** `et.callbacks` (tfjs / Keras): built-in callbacks for fit. */
export const callbacks = { earlyStopping, modelCheckpoint };

export const sequential = (args?: SequentialArgs): Sequential => new Sequential(args);
export const model = (args: FunctionalArgs): Functional => new Functional(args);

/**
 * A model (not yet with its weights) from the topology tfjs-layers writes: a model.json's
 * `modelTopology` ({class_name, config, ...}, snake_case), the model.json itself, or its text.
 */
export function modelFromJSON(json: unknown): Model {
  const parsed = typeof json === 'string' ? parseJSON(json) : json;
  const topology = typeof parsed === 'object' && parsed !== null && 'modelTopology' in parsed ? (parsed as { modelTopology: unknown }).modelTopology : parsed;
  const outer = fromPythonic(topology);
  // A Keras h5 conversion nests the model under model_config.
  const model = typeof outer === 'object' && outer !== null && !Array.isArray(outer) && 'modelConfig' in outer ? outer.modelConfig : outer;
  const built = deserialize<unknown>(model, 'modelFromJSON');
  if (!(built instanceof Model)) throw new TypeError(`modelFromJSON: the topology describes a ${(built as object)?.constructor?.name ?? typeof built}, not a model`);
  return built;
}

function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new SyntaxError(`modelFromJSON: not valid JSON (${(e as Error).message})`);
  }
}
