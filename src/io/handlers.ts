/**
 * IO handlers (tfjs' names): `file://dir` (what tfjs-node writes: dir/model.json and
 * dir/weights.bin), `withSaveHandler(fn)` and `fromMemory(artifacts)`. A file save never leaves
 * a half-written model where a good one was: both files are written under temporary names, then
 * renamed into place, weights first.
 */
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkWeightSpecs, saveResult, type IOHandler, type ModelArtifacts, type SaveResult, type WeightSpec } from './artifacts.js';

const FILE_SCHEME = 'file://';
const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/** tfjs-node's model.json: the artifacts, with the weights' specs under the file that holds their bytes. */
interface ModelJSON {
  modelTopology: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  trainingConfig?: unknown;
  userDefinedMetadata?: unknown;
}

function fileHandler(target: string): IOHandler {
  return {
    async save(artifacts: ModelArtifacts): Promise<SaveResult> {
      const dir = target.endsWith(MODEL_FILE) ? path.dirname(target) : target;
      await mkdir(dir, { recursive: true });
      const json: ModelJSON = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        weightsManifest: [{ paths: [`./${WEIGHTS_FILE}`], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
      };
      const suffix = `.tmp-${process.pid}-${Date.now()}`;
      const [modelPath, weightsPath] = [path.join(dir, MODEL_FILE), path.join(dir, WEIGHTS_FILE)];
      try {
        await writeFile(weightsPath + suffix, new Uint8Array(artifacts.weightData ?? new ArrayBuffer(0)));
        await writeFile(modelPath + suffix, JSON.stringify(json));
        await rename(weightsPath + suffix, weightsPath);
        await rename(modelPath + suffix, modelPath);
      } finally {
        await rm(weightsPath + suffix, { force: true });
        await rm(modelPath + suffix, { force: true });
      }
      return saveResult(artifacts);
    },

    async load(): Promise<ModelArtifacts> {
      const modelPath = (await isDirectory(target)) ? path.join(target, MODEL_FILE) : target;
      let text: string;
      try {
        text = await readFile(modelPath, 'utf8');
      } catch (e) {
        throw new Error(`loadLayersModel: cannot read ${modelPath} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
      let json: ModelJSON;
      try {
        json = JSON.parse(text);
      } catch (e) {
        throw new SyntaxError(`loadLayersModel: ${modelPath} is not valid JSON (${(e as Error).message})`);
      }
      if (typeof json !== 'object' || json === null || json.modelTopology === undefined) throw new TypeError(`loadLayersModel: ${modelPath} has no modelTopology; is it a tfjs layers model.json?`);
      if (!Array.isArray(json.weightsManifest)) throw new TypeError(`loadLayersModel: ${modelPath} has no weightsManifest list`);
      const specs: WeightSpec[] = [];
      const parts: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        if (!Array.isArray(group?.paths)) throw new TypeError(`loadLayersModel: ${modelPath}: a weightsManifest entry has no paths list`);
        specs.push(...checkWeightSpecs(group.weights, `loadLayersModel: ${modelPath}`));
        for (const p of group.paths) {
          const file = path.resolve(path.dirname(modelPath), p);
          try {
            parts.push(await readFile(file));
          } catch (e) {
            throw new Error(`loadLayersModel: cannot read the weight file ${file} that ${modelPath} names (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
          }
        }
      }
      const data = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let offset = 0;
      for (const p of parts) {
        data.set(p, offset);
        offset += p.byteLength;
      }
      return {
        modelTopology: json.modelTopology as ModelArtifacts['modelTopology'],
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
        weightSpecs: specs,
        weightData: data.buffer,
        trainingConfig: json.trainingConfig as ModelArtifacts['trainingConfig'],
        userDefinedMetadata: json.userDefinedMetadata as ModelArtifacts['userDefinedMetadata'],
      };
    },
  };
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** The handler a destination or source names: an IOHandler as it is, or a `file://` path. */
export function resolveHandler(where: string | IOHandler, what: 'save' | 'load', caller: string): IOHandler {
  if (typeof where === 'string') {
    if (!where.startsWith(FILE_SCHEME)) throw new RangeError(`${caller}: unsupported destination ${JSON.stringify(where)}; use 'file://path/to/dir' or an IO handler (et.io.withSaveHandler, et.io.fromMemory)`);
    return fileHandler(where.slice(FILE_SCHEME.length));
  }
  if (typeof where !== 'object' || where === null || typeof where[what] !== 'function') {
    throw new TypeError(`${caller}: expected a 'file://' path or an IO handler with a ${what}() method`);
  }
  return where;
}

/** A handler whose save calls fn with the artifacts (tfjs' tf.io.withSaveHandler). */
export function withSaveHandler(fn: (artifacts: ModelArtifacts) => Promise<SaveResult> | SaveResult | void): IOHandler {
  if (typeof fn !== 'function') throw new TypeError('withSaveHandler: expected a function (artifacts) => SaveResult');
  return { save: async (artifacts) => (await fn(artifacts)) ?? saveResult(artifacts) };
}

/** A handler whose load gives these artifacts (tfjs' tf.io.fromMemory), or a topology, its weights' specs and bytes. */
export function fromMemory(artifactsOrTopology: ModelArtifacts | ModelArtifacts['modelTopology'], weightSpecs?: WeightSpec[], weightData?: ArrayBuffer): IOHandler {
  const artifacts: ModelArtifacts = weightSpecs !== undefined || weightData !== undefined || !(typeof artifactsOrTopology === 'object' && artifactsOrTopology !== null && 'modelTopology' in artifactsOrTopology)
    ? { modelTopology: artifactsOrTopology as ModelArtifacts['modelTopology'], weightSpecs, weightData }
    : (artifactsOrTopology as ModelArtifacts);
  return { load: async () => artifacts };
}
