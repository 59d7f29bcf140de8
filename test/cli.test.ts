/** The `edgetensor` command line: info, train linreg / mlp / gan, and errors for bad arguments. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as et from '../src/index.js';
import { buildProgram, run } from '../src/cli/program.js';

function captureLog(): string[] {
  const lines: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => { lines.push(args.join(' ')); });
  return lines;
}

describe('edgetensor CLI', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    et.setBackend(et.backends()[0]);
  });

  it('info names the version, the backends and the native ISA', async () => {
    const lines = captureLog();
    await run(['node', 'edgetensor', 'info']);
    expect(lines[0]).toMatch(/^edgetensor \d+\.\d+\.\d+ on Node/);
    expect(lines[1]).toContain(`backends: ${et.backends().join(', ')}`);
    if (et.backends().includes('native')) expect(lines[2]).toMatch(/native: (avx512|avx2|scalar) .* threads/);
    expect(lines[3]).toMatch(et.backends().includes('gpu') ? /^gpu: WebGPU adapter \S/ : /^gpu: no WebGPU device/);
  });

  it('trains the linear regression on the chosen backend', async () => {
    const lines = captureLog();
    await run(['node', 'edgetensor', 'train', 'linreg', '--backend', 'js']);
    expect(lines[0]).toMatch(/on js: w = 3\.00\d+ \(least squares 3\.00\d+\)/);
  });

  it('trains the MLP for the epochs asked', async () => {
    const lines = captureLog();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await run(['node', 'edgetensor', 'train', 'mlp', '--epochs', '1', '--batch-size', '128', '--seed', '3']);
    expect(lines.at(-1)).toMatch(/test accuracy 0\.\d{4} on 2000 mnist images; \d+ training samples\/s/);
  }, 60_000);

  it('trains the MLP with --save, writing a model that loads and has the accuracy printed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'edgetensor-mlp-cli-'));
    try {
      const lines = captureLog();
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      await run(['node', 'edgetensor', 'train', 'mlp', '--epochs', '1', '--batch-size', '128', '--seed', '3', '--save', dir]);
      expect(lines.at(-1)).toBe(`saved the model to ${join(dir, 'model.json')}`);
      const printed = Number(/test accuracy (0\.\d{4})/.exec(lines.at(-2)!)![1]);
      const model = await et.loadLayersModel(`file://${dir}`);
      const { testImages, testLabels } = et.data.mnist();
      const [, accuracy] = (await model.evaluate(testImages, testLabels)) as et.Tensor[];
      expect(accuracy.dataSync()[0]).toBeCloseTo(printed, 4);
      model.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('trains the GAN, writing a sample grid and a loss-log line per epoch to --out', async () => {
    const out = mkdtempSync(join(tmpdir(), 'edgetensor-gan-cli-'));
    try {
      const lines = captureLog();
      vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
      await run(['node', 'edgetensor', 'train', 'gan', '--epochs', '2', '--train-samples', '128', '--out', out, '--label-smoothing', '0.1', '--save', join(out, 'saved')]);
      expect(lines.at(-1)).toBe(`saved the generator and the discriminator to ${join(out, 'saved')}`);
      expect(lines.at(-2)).toMatch(new RegExp(`wrote 2 sample grids and losses.csv to ${out}; \\d+ training images/s`));
      expect(readdirSync(join(out, 'saved')).sort()).toEqual(['discriminator', 'generator']);
      rmSync(join(out, 'saved'), { recursive: true });
      expect(readdirSync(out).sort()).toEqual(['epoch_001.png', 'epoch_002.png', 'losses.csv']);
      expect(readFileSync(join(out, 'losses.csv'), 'utf8').trim().split('\n')).toHaveLength(3);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('rejects bad arguments naming them and the allowed values', async () => {
    const silent = { writeErr: () => {}, writeOut: () => {} };
    await expect(buildProgram(silent).parseAsync(['node', 'edgetensor', 'train', 'cnn'])).rejects.toThrow(/'cnn' is invalid for argument 'model'. Allowed choices are mlp, gan, linreg/);
    await expect(buildProgram(silent).parseAsync(['node', 'edgetensor', 'train', 'mlp', '--epochs', '0'])).rejects.toThrow(/--epochs must be a positive integer, got '0'/);
    await expect(buildProgram(silent).parseAsync(['node', 'edgetensor', 'train', 'mlp', '--backend', 'tpu'])).rejects.toThrow(/'tpu' is invalid.*native, js, gpu/);
    await expect(buildProgram(silent).parseAsync(['node', 'edgetensor', 'train', 'gan', '--label-smoothing', '1'])).rejects.toThrow(/--label-smoothing must be a number in \[0, 1\), got '1'/);
  });
});
