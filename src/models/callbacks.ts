/**
 * Training callbacks (tfjs / Keras): objects with any of onTrainBegin / onTrainEnd,
 * onEpochBegin / onEpochEnd, onBatchBegin / onBatchEnd (sync or async), and earlyStopping.
 */
import type { Tensor } from '../tensor.js';
import { warnOnce } from '../util/warn.js';

/** Loss and metric values by name ('loss', 'accuracy', 'val_loss', ...). */
export type Logs = Record<string, number>;

/** What a callback sees of the model being trained. */
export interface TrainedModel {
  /** Set to true to end fit after the current epoch. */
  stopTraining: boolean;
  getWeights(): Tensor[];
  setWeights(values: Tensor[]): void;
}

export interface Callback {
  /** Called by fit before training with the model it trains. */
  setModel?(model: TrainedModel): void;
  onTrainBegin?(logs: Logs): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number, logs: Logs): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onBatchBegin?(batch: number, logs: Logs): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

const HOOKS = ['setModel', 'onTrainBegin', 'onTrainEnd', 'onEpochBegin', 'onEpochEnd', 'onBatchBegin', 'onBatchEnd'] as const;

/** The callbacks of one fit, called in order. */
export class CallbackList {
  constructor(private readonly callbacks: Callback[]) {
    callbacks.forEach((c, i) => {
      if (c === null || typeof c !== 'object') throw new TypeError(`fit: callbacks[${i}] must be an object with hooks such as onEpochEnd, got ${c === null ? 'null' : typeof c}`);
      for (const hook of HOOKS) {
        if (c[hook] !== undefined && typeof c[hook] !== 'function') throw new TypeError(`fit: callbacks[${i}].${hook} must be a function`);
      }
    });
  }

  setModel(model: TrainedModel): void {
    this.callbacks.forEach((c) => c.setModel?.(model));
  }

  async trainBegin(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }

  async trainEnd(logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }

  async epochBegin(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }

  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }

  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }

  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
}

/** 'min' or 'max' for a monitored log: 'auto' is max for accuracy-like names, else min (Keras). */
export function monitorMode(mode: unknown, monitor: string, where: string): 'min' | 'max' {
  const given = mode ?? 'auto';
  if (given !== 'auto' && given !== 'min' && given !== 'max') throw new RangeError(`${where}: mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  return given === 'auto' ? (/acc/.test(monitor) ? 'max' : 'min') : given;
}

/** Whether value beats reference by more than minDelta in that direction. */
export function improves(mode: 'min' | 'max', minDelta: number, value: number, reference: number): boolean {
  return mode === 'min' ? value < reference - minDelta : value > reference + minDelta;
}

export interface EarlyStoppingArgs {
  /** The log to watch (default 'val_loss'). */
  monitor?: string;
  /** A change smaller than this is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max', or 'auto' (default: max for accuracy-like names, else min). */
  mode?: 'auto' | 'min' | 'max';
  /** Stop unless the monitored value beats this. */
  baseline?: number;
  /** At the end, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/** Keras' EarlyStopping: ends fit when the monitored value stops improving. */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  /** The epoch training stopped at (0 if it ran to the end). */
  stoppedEpoch = 0;
  private model: TrainedModel | null = null;
  private wait = 0;
  private best = Infinity;
  private bestEpoch = -1;
  private bestWeights: Tensor[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new RangeError(`earlyStopping: patience must be a non-negative integer, got ${String(args.patience)}`);
    if (!Number.isFinite(this.minDelta)) throw new RangeError(`earlyStopping: minDelta must be a finite number, got ${String(args.minDelta)}`);
    this.mode = monitorMode(args.mode, this.monitor, 'earlyStopping');
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  setModel(model: TrainedModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestEpoch = -1;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    this.releaseBestWeights();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      warnOnce(`earlyStopping-${this.monitor}`, `earlyStopping: the logs have no '${this.monitor}' (they have ${Object.keys(logs).join(', ')}); not stopping early`);
      return;
    }
    if (this.restoreBestWeights && this.bestWeights === null) this.keepWeights();
    this.wait++;
    if (this.improves(current, this.best)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.keepWeights();
      // Only an improvement over the baseline resets the wait.
      if (this.baseline === undefined || this.improves(current, this.baseline)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model!.stopTraining = true;
    }
  }

  onTrainEnd(): void {
    if (this.restoreBestWeights && this.bestWeights && this.bestEpoch >= 0) this.model!.setWeights(this.bestWeights);
    this.releaseBestWeights();
  }

  private improves(value: number, reference: number): boolean {
    return improves(this.mode, this.minDelta, value, reference);
  }

  private keepWeights(): void {
    this.releaseBestWeights();
    this.bestWeights = this.model!.getWeights();
  }

  private releaseBestWeights(): void {
    this.bestWeights?.forEach((t) => t.dispose());
    this.bestWeights = null;
  }
}

export function earlyStopping(args?: EarlyStoppingArgs): EarlyStopping {
  return new EarlyStopping(args);
}
