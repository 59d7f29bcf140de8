/** `et.io` (tfjs' names): IO handlers for model.save and et.loadLayersModel, and the artifacts they move. */
export { withSaveHandler, fromMemory } from './handlers.js';
export { modelArtifacts } from './layers_model.js';
export type { IOHandler, ModelArtifacts, SaveResult, WeightSpec, TrainingConfig } from './artifacts.js';
