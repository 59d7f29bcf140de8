/**
 * Weight initializers (Keras names and formulas). Random ones draw from the global stream
 * (et.setSeed) unless given a seed, so a model's initial weights are reproducible.
 * Variance scaling: fanIn / fanOut of a kernel [..., in, out] count the receptive field (the
 * product of the leading dims); normal variants use a normal truncated at 2 standard
 * deviations with Keras' correction factor 0.87962566103423978.
 */
import { tensor } from '../ops/creation.js';
import { generatorFor, type Random } from '../ops/random.js';
import type { Tensor } from '../tensor.js';
import type { DType } from '../types.js';
import { deserialize, isSerialized, registerDeserializer, type Config, type Serialized } from '../io/serialization.js';

export interface Initializer {
  /** Keras' class name, e.g. 'GlorotUniform'. */
  readonly className: string;
  apply(shape: number[], dtype?: DType): Tensor;
  /** Keras' config for this class (what `{class_name, config}` serialization stores). */
  getConfig(): Record<string, number | string | null>;
}

type Sampler = (rng: Random) => number;

/** A tensor of `shape` filled by calling `value()` per element. */
function creationTensor(shape: number[], dtype: DType, value: () => number): Tensor {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`initializer: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const values = dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = value();
  return tensor(values, shape, dtype);
}

/** Values drawn one by one (uniform or truncated normal) from the seeded stream. */
function sampled(className: string, seed: number | null | undefined, config: Record<string, number | string>, sampler: (shape: number[]) => Sampler): Initializer {
  return {
    className,
    getConfig: () => ({ ...config, seed: seed ?? null }),
    apply: (shape, dtype = 'float32') => {
      // Integer draws would truncate to mostly zeros; Keras only samples floats too.
      if (dtype !== 'float32') throw new TypeError(`${className}: dtype must be 'float32', got ${JSON.stringify(dtype)}`);
      const draw = sampler(shape);
      const rng = generatorFor(seed ?? undefined, className);
      return creationTensor(shape, dtype, () => draw(rng));
    },
  };
}

const uniformIn = (lo: number, hi: number): Sampler => (rng) => lo + (hi - lo) * rng.uniform();
const normalWith = (mean: number, stddev: number): Sampler => (rng) => mean + stddev * rng.normal();
const truncatedNormalWith = (mean: number, stddev: number): Sampler => (rng) => {
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return mean + stddev * z;
  }
};

/** Keras' fans: [in, out] for a matrix, times the receptive field for conv kernels. */
export function fans(shape: number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

const TRUNCATED_NORMAL_STDDEV_CORRECTION = 0.87962566103423978;

function varianceScalingOf(className: string, scale: number, mode: VarianceScalingMode, distribution: VarianceScalingDistribution, seed: number | null | undefined, config: Record<string, number | string> = {}): Initializer {
  return sampled(className, seed, config, (shape) => {
    const { fanIn, fanOut } = fans(shape);
    const fan = mode === 'fanIn' ? fanIn : mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, fan);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return uniformIn(-limit, limit);
    }
    return truncatedNormalWith(0, Math.sqrt(variance) / TRUNCATED_NORMAL_STDDEV_CORRECTION);
  });
}

export interface SeedArgs {
  /** null (what getConfig gives for none) means the global stream, as undefined. */
  seed?: number | null;
}

export type VarianceScalingMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type VarianceScalingDistribution = 'uniform' | 'truncatedNormal';

/**
 * Keras' VarianceScaling: variance scale / fan (fan by mode), drawn uniform or truncated normal.
 * Modes and distributions take Keras' snake_case names too ('fan_in', 'truncated_normal').
 */
export function varianceScaling(args: { scale?: number; mode?: string; distribution?: string } & SeedArgs = {}): Initializer {
  const scale = args.scale ?? 1;
  if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`varianceScaling: scale must be a positive number, got ${String(args.scale)}`);
  const mode = camelCase(args.mode ?? 'fanIn');
  if (mode !== 'fanIn' && mode !== 'fanOut' && mode !== 'fanAvg') throw new RangeError(`varianceScaling: mode must be 'fanIn', 'fanOut' or 'fanAvg', got ${JSON.stringify(args.mode)}`);
  const distribution = camelCase(args.distribution ?? 'truncatedNormal');
  if (distribution !== 'uniform' && distribution !== 'truncatedNormal') throw new RangeError(`varianceScaling: distribution must be 'uniform' or 'truncatedNormal', got ${JSON.stringify(args.distribution)}`);
  const snakeCase = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  return varianceScalingOf('VarianceScaling', scale, mode, distribution, args.seed, { scale, mode: snakeCase(mode), distribution: snakeCase(distribution) });
}

export const glorotUniform = (args: SeedArgs = {}) => varianceScalingOf('GlorotUniform', 1, 'fanAvg', 'uniform', args.seed);
export const glorotNormal = (args: SeedArgs = {}) => varianceScalingOf('GlorotNormal', 1, 'fanAvg', 'truncatedNormal', args.seed);
export const heUniform = (args: SeedArgs = {}) => varianceScalingOf('HeUniform', 2, 'fanIn', 'uniform', args.seed);
export const heNormal = (args: SeedArgs = {}) => varianceScalingOf('HeNormal', 2, 'fanIn', 'truncatedNormal', args.seed);
export const lecunUniform = (args: SeedArgs = {}) => varianceScalingOf('LecunUniform', 1, 'fanIn', 'uniform', args.seed);
export const lecunNormal = (args: SeedArgs = {}) => varianceScalingOf('LecunNormal', 1, 'fanIn', 'truncatedNormal', args.seed);

export function constant(args: { value: number }): Initializer {
  if (args === null || typeof args !== 'object' || typeof args.value !== 'number') throw new TypeError('constant: expected {value: number}');
  return { className: 'Constant', getConfig: () => ({ value: args.value }), apply: (shape, dtype = 'float32') => creationTensor(shape, dtype, () => args.value) };
}
export const zeros = (): Initializer => ({ className: 'Zeros', getConfig: () => ({}), apply: (shape, dtype = 'float32') => creationTensor(shape, dtype, () => 0) });
export const ones = (): Initializer => ({ className: 'Ones', getConfig: () => ({}), apply: (shape, dtype = 'float32') => creationTensor(shape, dtype, () => 1) });

function checkSpread(value: number, name: string, where: string): void {
  if (!(value >= 0 && Number.isFinite(value))) throw new RangeError(`${where}: ${name} must be a finite number >= 0, got ${value}`);
}

export function randomNormal(args: { mean?: number; stddev?: number } & SeedArgs = {}): Initializer {
  const { mean = 0, stddev = 0.05, seed } = args;
  checkSpread(stddev, 'stddev', 'randomNormal');
  return sampled('RandomNormal', seed, { mean, stddev }, () => normalWith(mean, stddev));
}

export function truncatedNormal(args: { mean?: number; stddev?: number } & SeedArgs = {}): Initializer {
  const { mean = 0, stddev = 0.05, seed } = args;
  checkSpread(stddev, 'stddev', 'truncatedNormal');
  return sampled('TruncatedNormal', seed, { mean, stddev }, () => truncatedNormalWith(mean, stddev));
}

export function randomUniform(args: { minval?: number; maxval?: number } & SeedArgs = {}): Initializer {
  const { minval = -0.05, maxval = 0.05, seed } = args;
  if (!(maxval >= minval)) throw new RangeError(`randomUniform: maxval (${maxval}) must be >= minval (${minval})`);
  return sampled('RandomUniform', seed, { minval, maxval }, () => uniformIn(minval, maxval));
}

const BY_NAME: Record<string, () => Initializer> = {
  glorotUniform, glorotNormal, heUniform, heNormal, lecunUniform, lecunNormal, zeros, ones,
  randomNormal: () => randomNormal(), randomUniform: () => randomUniform(), truncatedNormal: () => truncatedNormal(),
  varianceScaling: () => varianceScaling(),
};

export type InitializerIdentifier = string | Initializer | Serialized;

/** 'glorot_uniform' -> 'glorotUniform'. */
const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** An initializer from a Keras name (camelCase or snake_case), an object or its `{className, config}`; `defaultName` when undefined. */
export function getInitializer(identifier: InitializerIdentifier | undefined, defaultName: string): Initializer {
  if (identifier !== undefined && typeof identifier === 'object' && identifier !== null && typeof (identifier as Initializer).apply === 'function') return identifier as Initializer;
  if (isSerialized(identifier)) return deserialize<Initializer>(identifier, 'initializer');
  const name = camelCase(identifier === undefined ? defaultName : typeof identifier === 'string' ? identifier : '');
  const factory = BY_NAME[name];
  if (!factory) throw new RangeError(`unknown initializer ${JSON.stringify(identifier ?? defaultName)}; expected an initializer object or one of ${Object.keys(BY_NAME).map((n) => `'${n}'`).join(', ')}`);
  return factory();
}

const seedOf = (config: Config) => ({ seed: (config.seed as number | null | undefined) ?? null });
const DESERIALIZERS: Record<string, (config: Config) => Initializer> = {
  GlorotUniform: (c) => glorotUniform(seedOf(c)),
  GlorotNormal: (c) => glorotNormal(seedOf(c)),
  HeUniform: (c) => heUniform(seedOf(c)),
  HeNormal: (c) => heNormal(seedOf(c)),
  LecunUniform: (c) => lecunUniform(seedOf(c)),
  LecunNormal: (c) => lecunNormal(seedOf(c)),
  // tfjs' (and Keras 2's) 'normal' distribution is the truncated normal.
  VarianceScaling: (c) => varianceScaling({ ...(c as { scale?: number; mode?: string }), distribution: c.distribution === 'normal' ? 'truncatedNormal' : (c.distribution as string | undefined), ...seedOf(c) }),
  Zeros: () => zeros(),
  Ones: () => ones(),
  Constant: (c) => constant(c as { value: number }),
  RandomNormal: (c) => randomNormal({ ...(c as { mean?: number; stddev?: number }), ...seedOf(c) }),
  TruncatedNormal: (c) => truncatedNormal({ ...(c as { mean?: number; stddev?: number }), ...seedOf(c) }),
  RandomUniform: (c) => randomUniform({ ...(c as { minval?: number; maxval?: number }), ...seedOf(c) }),
};
for (const [className, build] of Object.entries(DESERIALIZERS)) registerDeserializer(className, build);
