/** model.summary()'s table, laid out as Keras prints it (parameter counts as Keras counts them). */
import type { Variable } from '../autograd/variable.js';
import type { Layer } from '../nn/layer.js';
import { symbolicShapeToString, type SymbolicShape } from '../nn/symbolic.js';

const COLUMNS = [34, 26, 12];

function row(cells: string[]): string {
  return cells.map((c, i) => (i === cells.length - 1 ? c.padStart(COLUMNS[i]) : c.padEnd(COLUMNS[i]))).join(' ');
}

function count(weights: Variable[]): number {
  return weights.reduce((n, w) => n + w.size, 0);
}

/** 55,050 (215.04 KB): the count and its float32 size. */
function sized(params: number): string {
  const bytes = params * 4;
  const units: [number, string][] = [[1024 ** 3, 'GB'], [1024 ** 2, 'MB'], [1024, 'KB'], [1, 'B']];
  const [scale, unit] = units.find(([s]) => bytes >= s) ?? [1, 'B'];
  return `${params.toLocaleString('en-US')} (${(bytes / scale).toFixed(2)} ${unit})`;
}

export function formatSummary(name: string, layers: { layer: Layer; outputShape: SymbolicShape | null }[], trainable: Variable[], nonTrainable: Variable[]): string[] {
  const width = COLUMNS.reduce((a, b) => a + b + 1, -1);
  const lines = [`Model: "${name}"`, '_'.repeat(width), row(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  layers.forEach(({ layer, outputShape }, i) => {
    lines.push(row([`${layer.name} (${layer.className})`, outputShape ? symbolicShapeToString(outputShape) : '?', layer.countParams().toLocaleString('en-US')]));
    if (i < layers.length - 1) lines.push('');
  });
  lines.push('='.repeat(width));
  lines.push(`Total params: ${sized(count(trainable) + count(nonTrainable))}`);
  lines.push(`Trainable params: ${sized(count(trainable))}`);
  lines.push(`Non-trainable params: ${sized(count(nonTrainable))}`);
  lines.push('_'.repeat(width));
  return lines;
}
