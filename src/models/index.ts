/** Models (Keras): sequential, functional, and what training uses (callbacks, History). */
import { Functional, type FunctionalArgs } from './functional.js';
import { Sequential, type SequentialArgs } from './sequential.js';

export { Model, type CompileArgs, type FitArgs, type BatchArgs } from './model.js';
export { Sequential, Functional, type SequentialArgs, type FunctionalArgs };
export { History } from './history.js';
import { earlyStopping } from './callbacks.js';
export { EarlyStopping, earlyStopping, type Callback, type EarlyStoppingArgs, type Logs } from './callbacks.js';

/** `et.callbacks` (tfjs): built-in callbacks for fit. */
export const callbacks = { earlyStopping };

export const sequential = (args?: SequentialArgs): Sequential => new Sequential(args);
export const model = (args: FunctionalArgs): Functional => new Functional(args);
