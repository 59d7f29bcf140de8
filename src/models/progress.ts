/**
 * fit's progress output (verbose 1 and 2): on a terminal, a progress bar per epoch (cli-progress)
 * with the running loss, metrics and samples/s; elsewhere (or verbose 2), one line per epoch.
 */
import cliProgress from 'cli-progress';
import { performance } from 'node:perf_hooks';
import type { Callback, Logs } from './callbacks.js';

function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .filter(([name]) => name !== 'batch' && name !== 'size')
    .map(([name, value]) => `${name}: ${value.toFixed(4)}`)
    .join(' - ');
}

export class ProgressLogger implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private epochStart = 0;
  private samples = 0;
  private readonly useBar: boolean;

  constructor(
    private readonly epochs: number,
    private readonly batchesPerEpoch: number,
    verbose: number,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.useBar = verbose === 1 && process.stdout.isTTY === true;
  }

  onEpochBegin(epoch: number): void {
    this.epochStart = performance.now();
    this.samples = 0;
    if (!this.useBar) return;
    this.bar = new cliProgress.SingleBar({
      format: `Epoch ${epoch + 1}/${this.epochs} [{bar}] {value}/{total} - {rate} samples/s - {logs}`,
      hideCursor: true,
      barsize: 30,
    }, cliProgress.Presets.legacy);
    this.bar.start(this.batchesPerEpoch, 0, { rate: '-', logs: '' });
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.samples += logs.size ?? 0;
    this.bar?.update(batch + 1, { rate: this.rate().toFixed(0), logs: formatLogs(logs) });
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const seconds = (performance.now() - this.epochStart) / 1000;
    this.bar?.stop();
    this.bar = null;
    this.write(`Epoch ${epoch + 1}/${this.epochs} - ${seconds.toFixed(1)}s - ${this.rate().toFixed(0)} samples/s - ${formatLogs(logs)}`);
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private rate(): number {
    const seconds = (performance.now() - this.epochStart) / 1000;
    return seconds > 0 ? this.samples / seconds : 0;
  }
}
