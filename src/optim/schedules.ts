/**
 * Learning-rate schedules (Keras semantics): functions of the optimizer's step (0 for the first
 * update) to a learning rate, accepted wherever a learning rate is.
 */

/** A learning rate as a function of the step: 0 for the first update, 1 for the second, ... */
export type LearningRateSchedule = (step: number) => number;
/** A fixed learning rate or a schedule. */
export type LearningRate = number | LearningRateSchedule;

/** A schedule of this module as data (an optimizer's config holds it as its learningRate): Keras' class name, the options with defaults filled in. */
export interface SerializedSchedule {
  className: string;
  config: Record<string, unknown>;
}

// Schedules are plain functions (callable wherever a learning rate is); their configs ride alongside.
const serialized = new WeakMap<LearningRateSchedule, SerializedSchedule>();

function serializable(schedule: LearningRateSchedule, className: string, config: Record<string, unknown>): LearningRateSchedule {
  serialized.set(schedule, { className, config });
  return schedule;
}

/** The schedule as data, or undefined for a function not made by this module. */
export function scheduleToConfig(schedule: LearningRateSchedule): SerializedSchedule | undefined {
  const s = serialized.get(schedule);
  return s && structuredClone(s);
}

function finite(value: unknown, name: string, where: string, check: (v: number) => boolean, allowed: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !check(value)) {
    throw new RangeError(`${where}: ${name} must be ${allowed}, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
  }
  return value;
}

function checkStep(step: number, where: string): number {
  if (typeof step !== 'number' || Number.isNaN(step) || step < 0) throw new RangeError(`${where}: step must be a number >= 0, got ${step}`);
  return step;
}

function checkKeys(config: object, allowed: string[], where: string): void {
  if (config === null || typeof config !== 'object') throw new TypeError(`${where}: expected an options object with ${allowed.join(', ')}`);
  const unknown = Object.keys(config).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new TypeError(`${where}: unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${allowed.join(', ')}`);
}

export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  /** Decay in whole intervals of decaySteps (floor of step / decaySteps); default false. */
  staircase?: boolean;
}

/** initialLearningRate * decayRate ^ (step / decaySteps) (the exponent floored when staircase). */
export function exponentialDecay(config: ExponentialDecayConfig): LearningRateSchedule {
  const where = 'exponentialDecay';
  checkKeys(config, ['initialLearningRate', 'decaySteps', 'decayRate', 'staircase'], where);
  const initial = finite(config.initialLearningRate, 'initialLearningRate', where, (v) => v >= 0, 'a finite number >= 0');
  const decaySteps = finite(config.decaySteps, 'decaySteps', where, (v) => v > 0, 'a finite number > 0');
  const decayRate = finite(config.decayRate, 'decayRate', where, (v) => v > 0, 'a finite number > 0');
  const staircase = config.staircase ?? false;
  if (typeof staircase !== 'boolean') throw new TypeError(`${where}: staircase must be true or false, got ${JSON.stringify(staircase)}`);
  return serializable((step) => {
    let p = checkStep(step, where) / decaySteps;
    if (staircase) p = Math.floor(p);
    return initial * decayRate ** p;
  }, 'ExponentialDecay', { initialLearningRate: initial, decaySteps, decayRate, staircase });
}

export interface PiecewiseConstantDecayConfig {
  /** Increasing step boundaries. */
  boundaries: number[];
  /** One more value than boundaries: values[i] for boundaries[i-1] < step <= boundaries[i]. */
  values: number[];
}

/** values[0] while step <= boundaries[0], values[1] while step <= boundaries[1], ..., then the last value. */
export function piecewiseConstantDecay(config: PiecewiseConstantDecayConfig): LearningRateSchedule {
  const where = 'piecewiseConstantDecay';
  checkKeys(config, ['boundaries', 'values'], where);
  const { boundaries, values } = config;
  if (!Array.isArray(boundaries) || !Array.isArray(values)) throw new TypeError(`${where}: boundaries and values must be arrays of numbers`);
  if (values.length !== boundaries.length + 1) {
    throw new RangeError(`${where}: values must have one more element than boundaries; got ${values.length} values for ${boundaries.length} boundaries`);
  }
  boundaries.forEach((b, i) => {
    finite(b, `boundaries[${i}]`, where, (v) => i === 0 || v > boundaries[i - 1], i === 0 ? 'a finite number' : `a finite number > boundaries[${i - 1}] (${boundaries[i - 1]}): boundaries must increase`);
  });
  values.forEach((v, i) => finite(v, `values[${i}]`, where, (x) => x >= 0, 'a finite number >= 0'));
  const b = boundaries.slice();
  const vals = values.slice();
  return serializable((step) => {
    checkStep(step, where);
    const i = b.findIndex((boundary) => step <= boundary);
    return vals[i === -1 ? vals.length - 1 : i];
  }, 'PiecewiseConstantDecay', { boundaries: b.slice(), values: vals.slice() });
}

export interface CosineDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  /** The floor, as a fraction of the rate decayed from; default 0. */
  alpha?: number;
  /** With warm-up: the rate reached linearly from initialLearningRate after warmupSteps; default none. */
  warmupTarget?: number | null;
  /** Steps of linear warm-up; default 0. */
  warmupSteps?: number;
}

/**
 * Keras' CosineDecay. Without warm-up: initialLearningRate * ((1 - alpha) * c + alpha) with
 * c = 0.5 (1 + cos(pi min(step, decaySteps) / decaySteps)). With warmupTarget: a linear ramp
 * from initialLearningRate to warmupTarget over warmupSteps, then the cosine decay of warmupTarget
 * over the next decaySteps.
 */
export function cosineDecay(config: CosineDecayConfig): LearningRateSchedule {
  const where = 'cosineDecay';
  checkKeys(config, ['initialLearningRate', 'decaySteps', 'alpha', 'warmupTarget', 'warmupSteps'], where);
  const initial = finite(config.initialLearningRate, 'initialLearningRate', where, (v) => v >= 0, 'a finite number >= 0');
  const decaySteps = finite(config.decaySteps, 'decaySteps', where, (v) => v > 0, 'a finite number > 0');
  const alpha = finite(config.alpha ?? 0, 'alpha', where, (v) => v >= 0 && v <= 1, 'a number in [0, 1]');
  const warmupTarget = config.warmupTarget ?? null;
  if (warmupTarget !== null) finite(warmupTarget, 'warmupTarget', where, (v) => v >= 0, 'a finite number >= 0 (or null for no warm-up)');
  const warmupSteps = finite(config.warmupSteps ?? 0, 'warmupSteps', where, (v) => v >= 0, 'a finite number >= 0');
  if (warmupTarget !== null && warmupSteps === 0) throw new RangeError(`${where}: warmupTarget needs warmupSteps > 0`);
  const decay = (step: number, from: number) => {
    const cosine = 0.5 * (1 + Math.cos((Math.PI * step) / decaySteps));
    return from * ((1 - alpha) * cosine + alpha);
  };
  return serializable((step) => {
    checkStep(step, where);
    if (warmupTarget === null) return decay(Math.min(step, decaySteps), initial);
    const s = Math.min(step, decaySteps + warmupSteps);
    if (s < warmupSteps) return (warmupTarget - initial) * (s / warmupSteps) + initial;
    return decay(s - warmupSteps, warmupTarget);
  }, 'CosineDecay', { initialLearningRate: initial, decaySteps, alpha, warmupTarget, warmupSteps });
}

const SCHEDULES: Record<string, (config: never) => LearningRateSchedule> = {
  ExponentialDecay: exponentialDecay,
  PiecewiseConstantDecay: piecewiseConstantDecay,
  CosineDecay: cosineDecay,
};

/** The schedule scheduleToConfig described. */
export function scheduleFromConfig(s: SerializedSchedule): LearningRateSchedule {
  const make = s !== null && typeof s === 'object' && Object.hasOwn(SCHEDULES, s.className) ? SCHEDULES[s.className] : undefined;
  if (!make) {
    const got = s !== null && typeof s === 'object' ? `'${String(s.className)}'` : JSON.stringify(s);
    throw new TypeError(`scheduleFromConfig: unknown learning-rate schedule ${got}; known: ${Object.keys(SCHEDULES).join(', ')}`);
  }
  return make(s.config as never);
}
