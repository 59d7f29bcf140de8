/**
 * A saved model in memory, as tfjs-core's io layer has it (ModelArtifacts): the topology, the
 * weights' specs (name, shape, dtype, and group 'optimizer' for optimizer state) and their bytes
 * concatenated in spec order, little-endian. IO handlers move these to and from storage.
 */
import type { ConfigValue } from './serialization.js';

export type WeightDType = 'float32' | 'int32';

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: WeightDType;
  /** 'optimizer' for optimizer state; absent for the model's own weights. */
  group?: string;
}

export interface TrainingConfig {
  loss: string;
  metrics?: string[];
  optimizer_config: { class_name: string; config: ConfigValue };
}

export interface ModelArtifacts {
  modelTopology?: ConfigValue;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer;
  trainingConfig?: TrainingConfig;
  userDefinedMetadata?: Record<string, unknown>;
}

export interface SaveResult {
  modelArtifactsInfo: { dateSaved: Date; modelTopologyType: 'JSON'; modelTopologyBytes: number; weightSpecsBytes: number; weightDataBytes: number };
}

/** Where a model is saved to or loaded from (tfjs' IOHandler). */
export interface IOHandler {
  save?(artifacts: ModelArtifacts): Promise<SaveResult>;
  load?(): Promise<ModelArtifacts>;
}

const BYTES_PER_ELEMENT: Record<WeightDType, number> = { float32: 4, int32: 4 };

function elementCount(shape: number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** The weight specs as a manifest lists them, checked: names, shapes and dtypes we can read. */
export function checkWeightSpecs(specs: unknown, where: string): WeightSpec[] {
  if (!Array.isArray(specs)) throw new TypeError(`${where}: the weights manifest must list {name, shape, dtype} entries, got ${JSON.stringify(specs)?.slice(0, 100)}`);
  return specs.map((s, i) => {
    const spec = s as WeightSpec;
    if (typeof spec?.name !== 'string') throw new TypeError(`${where}: weight ${i} of the manifest has no name`);
    if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) throw new TypeError(`${where}: weight '${spec.name}' has a bad shape ${JSON.stringify(spec.shape)}`);
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
      const quantized = (s as { quantization?: unknown }).quantization !== undefined ? ' (quantized weights are not supported yet)' : '';
      throw new TypeError(`${where}: weight '${spec.name}' has dtype ${JSON.stringify(spec.dtype)}; only 'float32' and 'int32' are read${quantized}`);
    }
    return spec;
  });
}

/** The values of each spec, cut from the bytes; the byte count must be exactly what the specs describe. */
export function decodeWeights(specs: WeightSpec[], data: ArrayBuffer, where: string): Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }> {
  const needed = specs.reduce((n, s) => n + elementCount(s.shape) * BYTES_PER_ELEMENT[s.dtype], 0);
  if (data.byteLength !== needed) {
    throw new RangeError(`${where}: the weights manifest describes ${needed} bytes (${specs.length} weights) but the weight files hold ${data.byteLength}${data.byteLength < needed ? ' (truncated?)' : ''}`);
  }
  const out = new Map<string, { spec: WeightSpec; values: Float32Array | Int32Array }>();
  let offset = 0;
  for (const spec of specs) {
    const n = elementCount(spec.shape);
    const bytes = data.slice(offset, offset + n * 4);
    offset += n * 4;
    const key = spec.group === 'optimizer' ? `optimizer:${spec.name}` : spec.name;
    if (out.has(key)) throw new RangeError(`${where}: the weights manifest names '${spec.name}' twice`);
    out.set(key, { spec, values: spec.dtype === 'int32' ? new Int32Array(bytes) : new Float32Array(bytes) });
  }
  return out;
}

/** Named typed arrays as specs and one buffer (in order). */
export function encodeWeights(weights: { name: string; shape: number[]; dtype: WeightDType; values: Float32Array | Int32Array; group?: string }[]): { specs: WeightSpec[]; data: ArrayBuffer } {
  const total = weights.reduce((n, w) => n + w.values.byteLength, 0);
  const data = new Uint8Array(total);
  let offset = 0;
  for (const w of weights) {
    data.set(new Uint8Array(w.values.buffer, w.values.byteOffset, w.values.byteLength), offset);
    offset += w.values.byteLength;
  }
  return { specs: weights.map(({ name, shape, dtype, group }) => ({ name, shape, dtype, ...(group ? { group } : {}) })), data: data.buffer };
}

export function saveResult(artifacts: ModelArtifacts): SaveResult {
  return {
    modelArtifactsInfo: {
      dateSaved: new Date(),
      modelTopologyType: 'JSON',
      modelTopologyBytes: JSON.stringify(artifacts.modelTopology ?? null).length,
      weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
      weightDataBytes: artifacts.weightData?.byteLength ?? 0,
    },
  };
}
