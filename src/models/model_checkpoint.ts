/**
 * ModelCheckpoint (Keras): saves the model at the end of epochs, in tfjs' layers-model format,
 * to a path that may name the epoch and logs ('ckpt/epoch-{epoch:02d}-{val_loss:.3f}'); with
 * saveBestOnly, only when the monitored log improves. The optimizer's state is saved too (by
 * default), so et.loadLayersModel of a checkpoint resumes training where it was.
 */
import { warnOnce } from '../util/warn.js';
import { improves, monitorMode, type Callback, type Logs, type TrainedModel } from './callbacks.js';
import type { Model } from './model.js';

export interface ModelCheckpointArgs {
  /** A directory (or 'file://' URL) per save; {epoch} (1-based) and {logName} are replaced, with Python's :0Nd / :.Nf formats. */
  filepath: string;
  /** The log saveBestOnly watches (default 'val_loss'). */
  monitor?: string;
  /** Save only when the monitored log improves (default false: every epoch). */
  saveBestOnly?: boolean;
  /** 'min', 'max', or 'auto' (default: max for accuracy-like names, else min). */
  mode?: 'auto' | 'min' | 'max';
  /** Include the optimizer's state and compile settings (default true). */
  includeOptimizer?: boolean;
}

/** 'epoch-{epoch:02d}-{loss:.2f}' with epoch 3, loss 0.1234 -> 'epoch-03-0.12'. */
function formatPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::(0?)(\d*)(?:\.(\d+))?([df])?)?\}/g, (_, key: string, zero: string, width: string, precision: string | undefined, kind: string | undefined) => {
    const value = key === 'epoch' ? epoch : logs[key];
    if (value === undefined) throw new RangeError(`modelCheckpoint: the filepath names {${key}}, which the logs lack (they have epoch, ${Object.keys(logs).join(', ')})`);
    let text = kind === 'd' ? String(Math.round(value)) : precision !== undefined ? value.toFixed(Number(precision)) : String(value);
    if (width) text = text.padStart(Number(width), zero ? '0' : ' ');
    return text;
  });
}

export class ModelCheckpoint implements Callback {
  readonly filepath: string;
  readonly monitor: string;
  readonly saveBestOnly: boolean;
  readonly mode: 'min' | 'max';
  readonly includeOptimizer: boolean;
  /** Where the last save went (null before any). */
  lastSaved: string | null = null;
  private model: Model | null = null;
  private best = Infinity;

  constructor(args: ModelCheckpointArgs) {
    if (args === null || typeof args !== 'object' || typeof args.filepath !== 'string' || args.filepath === '') {
      throw new TypeError("modelCheckpoint: expected {filepath: 'dir/for/checkpoints', ...}");
    }
    this.filepath = args.filepath.startsWith('file://') ? args.filepath : `file://${args.filepath}`;
    this.monitor = args.monitor ?? 'val_loss';
    this.saveBestOnly = args.saveBestOnly ?? false;
    this.mode = monitorMode(args.mode, this.monitor, 'modelCheckpoint');
    this.includeOptimizer = args.includeOptimizer ?? true;
  }

  setModel(model: TrainedModel): void {
    if (typeof (model as Partial<Model>).save !== 'function') throw new TypeError('modelCheckpoint: the model cannot be saved (it has no save method)');
    this.model = model as Model;
  }

  onTrainBegin(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  async onEpochEnd(epoch: number, logs: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = logs[this.monitor];
      if (current === undefined) {
        warnOnce(`modelCheckpoint-${this.monitor}`, `modelCheckpoint: the logs have no '${this.monitor}' (they have ${Object.keys(logs).join(', ')}); saving nothing`);
        return;
      }
      if (!improves(this.mode, 0, current, this.best)) return;
      this.best = current;
    }
    const target = formatPath(this.filepath, epoch + 1, logs);
    await this.model!.save(target, { includeOptimizer: this.includeOptimizer && this.model!.optimizer !== null });
    this.lastSaved = target;
  }
}

export function modelCheckpoint(args: ModelCheckpointArgs): ModelCheckpoint {
  return new ModelCheckpoint(args);
}
