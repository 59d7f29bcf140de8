/**
 * Saving and loading in tfjs' layers-model format: model.save(destination) and
 * et.loadLayersModel(source). Weights are stored under their local names; with includeOptimizer
 * the optimizer's state follows (group 'optimizer', tfjs' names) with the compile settings
 * (trainingConfig), so training resumes where it stopped. A load checks the weight bytes against
 * the manifest before it builds anything, and the model's weights against the file before it
 * sets any: on any error nothing is left behind.
 */
import type { Variable } from '../autograd/variable.js';
import { modelFromJSON } from '../models/index.js';
import type { Model } from '../models/model.js';
import { tensor } from '../ops/creation.js';
import { optimizerFromConfig } from '../optim/from_config.js';
import type { NamedTensor, OptimizerConfigDict } from '../optim/index.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { EDGETENSOR_VERSION } from '../version.js';
import { checkWeightSpecs, decodeWeights, encodeWeights, type IOHandler, type ModelArtifacts, type SaveResult, type TrainingConfig, type WeightDType } from './artifacts.js';
import { resolveHandler } from './handlers.js';

export interface SaveConfig {
  /** Save the optimizer's state and the compile settings too (default false, as tfjs). */
  includeOptimizer?: boolean;
}

/** The artifacts of a model: its topology, its weights and, if asked, its training state. */
export async function modelArtifacts(model: Model, config: SaveConfig = {}): Promise<ModelArtifacts> {
  const where = `${model.name}.save`;
  const named = model.namedWeights;
  const localName = new Map<Variable, string>(named.map((w) => [w.variable, w.name]));
  const topology = model.toJSON();
  const weights = await Promise.all(named.map(async ({ name, variable }) => ({
    name, shape: variable.shape.slice(), dtype: variable.dtype as WeightDType, values: (await variable.data()) as Float32Array | Int32Array,
  })));
  let trainingConfig: TrainingConfig | undefined;
  if (config.includeOptimizer) {
    const compiled = model.compiledNames;
    if (!compiled || !model.optimizer) throw new Error(`${where}: includeOptimizer needs a compiled model (model.compile({optimizer, loss}))`);
    const optimizerConfig = model.optimizer.getConfig();
    const custom = Object.entries(optimizerConfig).find(([, v]) => typeof v === 'function');
    if (custom) throw new Error(`${where}: the optimizer's ${custom[0]} is a function, which a file cannot hold; use a schedule from et.train (exponentialDecay, ...) to save it`);
    const state: NamedTensor[] = await model.optimizer.getWeights((v) => {
      const name = localName.get(v);
      if (!name) throw new Error(`${where}: the optimizer holds state for variable '${v.name}', which is not a weight of this model`);
      return name;
    });
    try {
      for (const { name, tensor: t } of state) weights.push({ name, shape: t.shape.slice(), dtype: t.dtype as WeightDType, values: (await t.data()) as Float32Array | Int32Array, group: 'optimizer' } as (typeof weights)[number]);
    } finally {
      state.forEach(({ tensor: t }) => t.dispose());
    }
    trainingConfig = { loss: compiled.loss, metrics: compiled.metrics, optimizer_config: { class_name: model.optimizer.className, config: optimizerConfig as TrainingConfig['optimizer_config']['config'] } };
  }
  const { specs, data } = encodeWeights(weights);
  return {
    modelTopology: topology,
    format: 'layers-model',
    generatedBy: `edgetensor ${EDGETENSOR_VERSION}`,
    convertedBy: null,
    weightSpecs: specs,
    weightData: data,
    ...(trainingConfig ? { trainingConfig } : {}),
  };
}

/** Saves the model to `file://dir` (model.json + weights.bin) or through an IO handler. */
export async function saveModel(model: Model, destination: string | IOHandler, config: SaveConfig = {}): Promise<SaveResult> {
  const handler = resolveHandler(destination, 'save', `${model.name}.save`);
  return handler.save!(await modelArtifacts(model, config));
}

/**
 * A model from `file://dir/model.json` (or the directory) or an IO handler (et.io.fromMemory),
 * with its weights; compiled with its optimizer's state when the file has a trainingConfig.
 */
export async function loadLayersModel(source: string | IOHandler): Promise<Model> {
  const where = 'loadLayersModel';
  const artifacts = await resolveHandler(source, 'load', where).load!();
  if (artifacts === null || typeof artifacts !== 'object' || artifacts.modelTopology === undefined) throw new TypeError(`${where}: the handler gave no modelTopology`);
  const specs = checkWeightSpecs(artifacts.weightSpecs ?? [], where);
  const values = decodeWeights(specs, artifacts.weightData ?? new ArrayBuffer(0), where);
  const model = modelFromJSON(artifacts.modelTopology);
  const made: Tensor[] = [];
  const asTensor = (key: string): Tensor => {
    const { spec, values: v } = values.get(key)!;
    const t = tensor(v, spec.shape, spec.dtype);
    made.push(t);
    return t;
  };
  try {
    const named = model.namedWeights;
    const problems: string[] = [];
    for (const { name, variable } of named) {
      const stored = values.get(name);
      if (!stored) problems.push(`'${name}' ${shapeToString(variable.shape)} is missing`);
      else if (shapeToString(stored.spec.shape) !== shapeToString(variable.shape)) problems.push(`'${name}' has shape ${shapeToString(stored.spec.shape)} in the file, ${shapeToString(variable.shape)} in the model`);
    }
    const known = new Set(named.map((w) => w.name));
    const extra = specs.filter((s) => s.group !== 'optimizer' && !known.has(s.name)).map((s) => `'${s.name}'`);
    if (extra.length > 0) problems.push(`the file has weights the model does not: ${extra.join(', ')}`);
    if (problems.length > 0) throw new RangeError(`${where}: the weights do not fit the model: ${problems.join('; ')}`);
    model.setWeights(named.map(({ name }) => asTensor(name)));
    if (artifacts.trainingConfig) await restoreTraining(model, artifacts.trainingConfig, specs.filter((s) => s.group === 'optimizer').map((s) => ({ name: s.name, tensor: asTensor(`optimizer:${s.name}`) })), where);
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    made.forEach((t) => t.dispose());
  }
  return model;
}

async function restoreTraining(model: Model, training: TrainingConfig, state: NamedTensor[], where: string): Promise<void> {
  const serialized = training.optimizer_config;
  if (typeof serialized !== 'object' || serialized === null || typeof serialized.class_name !== 'string') throw new TypeError(`${where}: trainingConfig has no optimizer_config {class_name, config}`);
  const optimizer = optimizerFromConfig({ className: serialized.class_name, config: (serialized.config ?? {}) as OptimizerConfigDict });
  model.compile({ optimizer, loss: training.loss, metrics: training.metrics });
  if (state.length === 0) return;
  const byName = new Map<string, Variable>(model.namedWeights.map((w) => [w.name, w.variable]));
  await optimizer.setWeights(state, (name) => byName.get(name));
}
