/** History (tfjs): the logs of every epoch of a fit, by name. */
import type { Callback, Logs } from './callbacks.js';

export class History implements Callback {
  /** The epoch numbers that ran. */
  readonly epoch: number[] = [];
  /** Each log's value per epoch: history.loss[i] is the loss of epoch epoch[i]. */
  readonly history: Record<string, number[]> = {};
  /** What fit was asked to do. */
  params: Record<string, unknown> = {};

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (this.history[name] ??= []).push(value);
  }
}
