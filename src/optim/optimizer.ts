/**
 * The optimizer base class (tfjs API): minimize, applyGradients, per-variable slot tensors,
 * learning-rate schedules, Keras-style gradient clipping, getConfig and getWeights / setWeights
 * (tfjs' names and order). Subclasses describe their update (an in-place kernel of
 * OPTIMIZER_KERNELS, their slots, their attributes per step); a step updates every variable in
 * ONE kernel call, so a backend crosses into native code once per step.
 */
import { keep, runInPlaceKernel, tidy } from '../engine.js';
import type { OptimizerKernelName } from '../backend/kernel.js';
import { shapesEqual, shapeToString } from '../shape.js';
import { nextTensorId, Tensor } from '../tensor.js';
import { variableGrads } from '../autograd/api.js';
import { findVariable, trainableVariables, Variable } from '../autograd/variable.js';
import { cast, clone, scalar, zerosLike } from '../ops/index.js';
import type { BackendName } from '../types.js';
import { checkClipOptions, clipGradients, type ClipOptions } from './clip.js';
import { scheduleFromConfig, scheduleToConfig, type LearningRate, type LearningRateSchedule, type SerializedSchedule } from './schedules.js';

/** A gradient for the variable of that name (the array form of applyGradients). */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
}

/** What an update's attributes depend on besides the optimizer's own settings. */
export interface UpdateStep {
  /** The learning rate of this step (a schedule evaluated at `iteration - 1`). */
  learningRate: number;
  /** 1 for the first update, 2 for the second, ... (Adam's bias-correction exponent). */
  iteration: number;
}

/** The state an optimizer keeps for one variable (Adam's m and v, ...), created as zeros on first use. */
export class Slots {
  private readonly values = new Map<string, Tensor>();

  constructor(readonly variable: Variable) {}

  /** The slot's current value (zeros like the variable the first time). */
  get(name: string): Tensor {
    let t = this.values.get(name);
    if (!t) {
      t = keep(zerosLike(this.variable));
      this.values.set(name, t);
    }
    return t;
  }

  /** Makes t (which the slots then own) the slot's value. */
  set(name: string, t: Tensor): void {
    this.values.get(name)?.dispose();
    this.values.set(name, t);
  }

  names(): string[] {
    return [...this.values.keys()];
  }

  dispose(): void {
    this.values.forEach((t) => t.dispose());
    this.values.clear();
  }
}

/** A subclass's update: the kernel, its slots in the kernel's input order, what it writes. */
export interface UpdateRule {
  kernelName: OptimizerKernelName;
  /** The slots after [variable, gradient] in each parameter's group of inputs. */
  slotNames: readonly string[];
  /** Indices within a group ([variable, gradient, ...slots]) that the kernel overwrites. */
  written: readonly number[];
}

export interface OptimizerConfig extends ClipOptions {
  learningRate: LearningRate;
}

/**
 * getConfig's result: tfjs' hyperparameter names, then any clipping option. A learning-rate schedule
 * of et.train is a SerializedSchedule; any other schedule function is kept as is (not JSON).
 */
export type OptimizerConfigDict = Record<string, number | boolean | SerializedSchedule | LearningRateSchedule>;

/** The factory options a getConfig result stands for (its learning-rate schedule rebuilt). */
export function optionsFromConfig(config: OptimizerConfigDict, className: string): Record<string, unknown> {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new TypeError(`${className}.fromConfig: expected a config object such as getConfig() returns, got ${config === null ? 'null' : typeof config}`);
  }
  const lr = config.learningRate;
  return lr !== null && typeof lr === 'object' ? { ...config, learningRate: scheduleFromConfig(lr) } : { ...config };
}

/** A float32 copy of t on that backend: a slot must be private, the update writes it in place. */
function slotCopy(t: Tensor, backend: BackendName): Tensor {
  if (t.backend === backend) return cast(t, 'float32');
  const moved = t.to(backend);
  if (moved.dtype === 'float32') return moved;
  const copy = cast(moved, 'float32');
  moved.dispose();
  return copy;
}

export abstract class Optimizer {
  /** Updates applied so far (the step a learning-rate schedule sees next). */
  iterations = 0;
  readonly learningRate: LearningRate;
  readonly clipOptions: ClipOptions;
  private readonly state = new Map<Variable, Slots>();
  private disposed = false;

  constructor(config: OptimizerConfig, readonly className: string) {
    this.learningRate = config.learningRate;
    this.clipOptions = checkClipOptions(config, className);
  }

  protected abstract readonly rule: UpdateRule;

  /** The kernel attributes of one step. */
  protected abstract updateAttrs(step: UpdateStep): Record<string, number | boolean>;

  /** The settings besides the learning rate and clipping, under tfjs' names. */
  protected abstract hyperparameters(): Record<string, number | boolean>;

  /** The settings that rebuild this optimizer with optimizerFromConfig({className, config}). */
  getConfig(): OptimizerConfigDict {
    const lr = this.learningRate;
    const learningRate = typeof lr === 'function' ? scheduleToConfig(lr) ?? lr : lr;
    return { learningRate, ...this.hyperparameters(), ...(this.clipOptions as Record<string, number>) };
  }

  /** The slots that carry state from step to step, in tfjs' order: those the update writes (uncentered RMSProp never writes mg). */
  private stateSlotNames(): string[] {
    const { slotNames, written } = this.rule;
    return written.filter((k) => k >= 2).map((k) => slotNames[k - 2]);
  }

  /**
   * The state as tfjs saves it: {name: 'iter', tensor: int32 scalar} first, then slot by slot every
   * variable's value of it (Adam: all `${name}/m`, then all `${name}/v`), variables in the order of
   * their first update. nameOf gives the name a variable is saved under (default: its own).
   * Unlike tfjs the tensors are copies, which the caller owns: the slots change in place at each step.
   */
  async getWeights(nameOf: (v: Variable) => string = (v) => v.name): Promise<NamedTensor[]> {
    this.assertLive();
    // Named before any copy is made, so a throwing nameOf leaves nothing behind.
    const named = [...this.state].map(([v, slots]) => [nameOf(v), slots] as const);
    const weights: NamedTensor[] = [{ name: 'iter', tensor: scalar(this.iterations, 'int32') }];
    for (const slot of this.stateSlotNames()) {
      for (const [name, slots] of named) weights.push({ name: `${name}/${slot}`, tensor: clone(slots.get(slot)) });
    }
    return weights;
  }

  /**
   * Replaces the state with what getWeights returned (from this optimizer or one with the same
   * config): the iterations from 'iter', every slot of each variable named (copied: the tensors stay
   * the caller's); variables not named start afresh. variableFor finds the variable a saved name
   * stands for (default: the live variable of that name). Everything is checked before anything changes.
   */
  async setWeights(weights: NamedTensor[], variableFor: (name: string) => Variable | undefined = findVariable): Promise<void> {
    this.assertLive();
    const where = `${this.className}.setWeights`;
    if (!Array.isArray(weights)) throw new TypeError(`${where}: expected an array of {name, tensor} as getWeights returns`);
    const slotNames = this.stateSlotNames();
    const kept = ['iter', ...slotNames.map((s) => `<variable>/${s}`)].join(', ');
    let iter: Tensor | undefined;
    const given = new Map<Variable, Map<string, Tensor>>();
    const seen = new Set<string>();
    weights.forEach((w, i) => {
      if (w === null || typeof w !== 'object' || typeof w.name !== 'string' || !(w.tensor instanceof Tensor)) {
        throw new TypeError(`${where}: element ${i} must be {name, tensor}`);
      }
      if (seen.has(w.name)) throw new RangeError(`${where}: '${w.name}' is given twice`);
      seen.add(w.name);
      w.tensor.assertLive();
      if (w.name === 'iter') {
        if (w.tensor.size !== 1) throw new RangeError(`${where}: 'iter' must be a scalar, got shape ${shapeToString(w.tensor.shape)}`);
        iter = w.tensor;
        return;
      }
      const cut = w.name.lastIndexOf('/');
      const slot = w.name.slice(cut + 1);
      if (cut === -1 || !slotNames.includes(slot)) throw new RangeError(`${where}: unknown weight '${w.name}'; this optimizer keeps ${kept}`);
      const varName = w.name.slice(0, cut);
      const v = variableFor(varName);
      if (!v) throw new RangeError(`${where}: no variable '${varName}' for the weight '${w.name}'`);
      if (!shapesEqual(w.tensor.shape, v.shape)) {
        throw new RangeError(`${where}: '${w.name}' has shape ${shapeToString(w.tensor.shape)}, the variable '${v.name}' ${shapeToString(v.shape)}`);
      }
      let slots = given.get(v);
      if (!slots) given.set(v, (slots = new Map()));
      if (slots.has(slot)) throw new RangeError(`${where}: two weights stand for slot '${slot}' of the variable '${v.name}'`);
      slots.set(slot, w.tensor);
    });
    if (!iter) throw new RangeError(`${where}: the weights lack 'iter' (the step count), which getWeights puts first`);
    given.forEach((slots, v) => {
      const missing = slotNames.filter((s) => !slots.has(s));
      if (missing.length > 0) throw new RangeError(`${where}: the variable '${v.name}' lacks ${missing.map((s) => `'${s}'`).join(', ')}`);
    });
    const iterations = (await iter.data())[0];
    if (!Number.isInteger(iterations) || iterations < 0) throw new RangeError(`${where}: 'iter' must be an integer >= 0, got ${iterations}`);
    this.assertLive();
    const state = new Map<Variable, Slots>();
    try {
      given.forEach((slots, v) => {
        const s = new Slots(v);
        state.set(v, s);
        slots.forEach((t, name) => s.set(name, keep(slotCopy(t, v.backend))));
      });
    } catch (e) {
      state.forEach((s) => s.dispose());
      throw e;
    }
    this.state.forEach((s) => s.dispose());
    this.state.clear();
    state.forEach((s, v) => this.state.set(v, s));
    this.iterations = iterations;
  }

  /** The learning rate the next update uses (a schedule evaluated at `iterations`). */
  currentLearningRate(): number {
    const lr = typeof this.learningRate === 'function' ? this.learningRate(this.iterations) : this.learningRate;
    if (typeof lr !== 'number' || !Number.isFinite(lr)) {
      throw new RangeError(`${this.className}: the learning-rate schedule gave ${String(lr)} at step ${this.iterations}; it must return a finite number`);
    }
    return lr;
  }

  /**
   * One step on f (a function returning a scalar loss): its gradients for varList (default: every
   * trainable variable) are computed and applied. Returns the loss when returnCost, else null.
   */
  minimize(f: () => Tensor, returnCost = false, varList?: Variable[]): Tensor | null {
    this.assertLive();
    if (varList !== undefined) {
      if (!Array.isArray(varList)) throw new TypeError(`${this.className}.minimize: varList must be an array of variables`);
      varList.forEach((v, i) => {
        if (!(v instanceof Variable)) throw new TypeError(`${this.className}.minimize: varList[${i}] is not a Variable (make one with et.variable)`);
      });
    }
    const vars = varList ?? trainableVariables();
    const firstId = nextTensorId();
    const { value, grads } = variableGrads(f, vars);
    try {
      this.applyPairs(vars.map((v) => [v, grads[v.name]]));
    } finally {
      Object.values(grads).forEach((g) => g.dispose());
    }
    if (returnCost) return value;
    // Only a loss f made is ours to free (f may return a variable or a captured tensor).
    if (value.id >= firstId) value.dispose();
    return null;
  }

  /**
   * Applies gradients given as `{[variableName]: Tensor}` (tfjs) or `[{name, tensor}, ...]`.
   * The gradients are not disposed.
   */
  applyGradients(gradients: Record<string, Tensor | null | undefined> | NamedTensor[]): void {
    this.assertLive();
    let entries: [string, Tensor | null | undefined][];
    if (Array.isArray(gradients)) {
      entries = gradients.map((g, i) => {
        if (g === null || typeof g !== 'object' || typeof g.name !== 'string') {
          throw new TypeError(`${this.className}.applyGradients: element ${i} must be {name, tensor}`);
        }
        return [g.name, g.tensor];
      });
    } else if (gradients !== null && typeof gradients === 'object') {
      entries = Object.entries(gradients);
    } else {
      throw new TypeError(`${this.className}.applyGradients: expected {[variableName]: Tensor} or [{name, tensor}], got ${gradients === null ? 'null' : typeof gradients}`);
    }
    const pairs = entries.map(([name, g]): [Variable, Tensor | null | undefined] => {
      const v = findVariable(name);
      if (!v) throw new Error(`${this.className}.applyGradients: there is no variable named '${name}'`);
      return [v, g];
    });
    this.applyPairs(pairs);
  }

  private applyPairs(pairs: [Variable, Tensor | null | undefined][]): void {
    // tfjs skips null gradients (variables f does not depend on get zero gradients from variableGrads).
    const live = pairs.filter((p): p is [Variable, Tensor] => p[1] !== null && p[1] !== undefined);
    live.forEach(([v, g]) => {
      if (!(g instanceof Tensor)) throw new TypeError(`${this.className}: the gradient for '${v.name}' is not a Tensor`);
      g.assertLive();
      v.assertLive();
      if (g.shape.length !== v.shape.length || g.shape.some((d, i) => d !== v.shape[i])) {
        throw new RangeError(`${this.className}: the gradient for '${v.name}' has shape ${shapeToString(g.shape)}, the variable ${shapeToString(v.shape)}`);
      }
      if (v.dtype !== 'float32') throw new TypeError(`${this.className}: can only update float32 variables; '${v.name}' is ${v.dtype}`);
    });
    if (live.length === 0) return;
    const step: UpdateStep = { learningRate: this.currentLearningRate(), iteration: this.iterations + 1 };
    tidy(() => {
      const clipped = clipGradients(live.map(([, g]) => (g.dtype === 'float32' ? g : g.cast('float32'))), this.clipOptions);
      const { kernelName, slotNames, written } = this.rule;
      const groupSize = 2 + slotNames.length;
      const inputs: Tensor[] = [];
      const writtenInputs: number[] = [];
      live.forEach(([v], i) => {
        const slots = this.slotsOf(v);
        written.forEach((k) => writtenInputs.push(i * groupSize + k));
        inputs.push(v, clipped[i], ...slotNames.map((n) => slots.get(n)));
      });
      runInPlaceKernel(kernelName, inputs, writtenInputs, this.updateAttrs(step));
    });
    this.iterations++;
  }

  private slotsOf(v: Variable): Slots {
    let slots = this.state.get(v);
    if (!slots) {
      slots = new Slots(v);
      this.state.set(v, slots);
    }
    return slots;
  }

  /** The slot tensors kept for each variable (by variable name), e.g. {w: {m, v}} for Adam. */
  getSlots(): Record<string, Record<string, Tensor>> {
    const out: Record<string, Record<string, Tensor>> = {};
    this.state.forEach((slots, v) => {
      out[v.name] = Object.fromEntries(slots.names().map((n) => [n, slots.get(n)]));
    });
    return out;
  }

  /** Frees every slot tensor; the optimizer cannot be used afterwards. */
  dispose(): void {
    this.state.forEach((s) => s.dispose());
    this.state.clear();
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error(`${this.className}: this optimizer was disposed`);
  }
}

// ---- Factory arguments: tfjs positional parameters, then an optional Keras-style options object ----

/** The positional parameters in order, any prefix of them, then optionally an options object. */
export type OptimizerArgs<P extends unknown[], O> = P extends [...infer Head, unknown] ? [...Partial<P>, O?] | OptimizerArgs<Head, O> : [O?];

type Check = 'learningRate' | 'unitOpen' | 'unitClosed' | 'nonNegative' | 'boolean';

export interface ParamSpec {
  name: string;
  check: Check;
  default?: number | boolean;
}

const ALLOWED: Record<Check, string> = {
  learningRate: 'a finite number >= 0 or a schedule (step) => number',
  unitOpen: 'a number in [0, 1)',
  unitClosed: 'a number in [0, 1]',
  nonNegative: 'a finite number >= 0',
  boolean: 'true or false',
};

function valid(check: Check, v: unknown): boolean {
  switch (check) {
    case 'learningRate':
      return typeof v === 'function' || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
    case 'unitOpen':
      return typeof v === 'number' && v >= 0 && v < 1;
    case 'unitClosed':
      return typeof v === 'number' && v >= 0 && v <= 1;
    case 'nonNegative':
      return typeof v === 'number' && Number.isFinite(v) && v >= 0;
    case 'boolean':
      return typeof v === 'boolean';
  }
}

const isOptionsObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Resolves a factory's arguments: positional values (tfjs order), then an options object holding
 * the same parameters by name and/or clipvalue / clipnorm / globalClipnorm. Every value is checked.
 */
export function parseOptimizerArgs<T>(factory: string, specs: ParamSpec[], args: unknown[]): T {
  const optionsIndex = args.findIndex(isOptionsObject);
  if (optionsIndex !== -1 && optionsIndex !== args.length - 1) {
    throw new TypeError(`${factory}: the options object must be the last argument`);
  }
  const positional = optionsIndex === -1 ? args : args.slice(0, optionsIndex);
  const options = optionsIndex === -1 ? {} : (args[optionsIndex] as Record<string, unknown>);
  if (positional.length > specs.length) {
    throw new TypeError(`${factory}: takes at most ${specs.length} positional arguments (${specs.map((s) => s.name).join(', ')}) and an options object, got ${args.length} arguments`);
  }
  const allowedKeys = [...specs.map((s) => s.name), 'clipvalue', 'clipnorm', 'globalClipnorm'];
  const unknown = Object.keys(options).filter((k) => !allowedKeys.includes(k));
  if (unknown.length > 0) throw new TypeError(`${factory}: unknown option(s) ${unknown.map((k) => `'${k}'`).join(', ')}; allowed: ${allowedKeys.join(', ')}`);
  const out: Record<string, unknown> = {};
  specs.forEach((spec, i) => {
    const fromPosition = positional[i];
    const fromOptions = options[spec.name];
    if (fromPosition !== undefined && fromOptions !== undefined) {
      throw new TypeError(`${factory}: ${spec.name} is given twice (as argument ${i + 1} and in the options)`);
    }
    const value = fromPosition ?? fromOptions ?? spec.default;
    if (value === undefined) throw new TypeError(`${factory}: ${spec.name} is required (${ALLOWED[spec.check]})`);
    if (!valid(spec.check, value)) {
      throw new RangeError(`${factory}: ${spec.name} must be ${ALLOWED[spec.check]}, got ${typeof value === 'number' ? value : JSON.stringify(value)}`);
    }
    out[spec.name] = value;
  });
  for (const k of ['clipvalue', 'clipnorm', 'globalClipnorm']) if (options[k] !== undefined) out[k] = options[k];
  checkClipOptions(out, factory);
  return out as T;
}
