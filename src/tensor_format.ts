import type { DType, TypedArray } from './types.js';

/** Rows / items shown per axis before eliding the middle with "...". */
const EDGE_ITEMS = 3;
const MAX_FULL_AXIS = 8;

function formatValue(v: number, dtype: DType): string {
  if (dtype === 'bool') return v ? 'true' : 'false';
  if (dtype === 'int32') return String(v);
  if (Number.isNaN(v) || !Number.isFinite(v)) return String(v);
  return Number.isInteger(v) && Math.abs(v) < 1e15 ? String(v) : v.toPrecision(6).replace(/\.?0+(e|$)/, '$1');
}

/** tfjs-style printing: "Tensor\n    [[1, 2],\n     [3, 4]]". */
export function formatTensor(values: TypedArray, shape: readonly number[], dtype: DType, backend: string | null): string {
  const header = backend === null ? 'Tensor' : `Tensor\n  dtype: ${dtype}\n  rank: ${shape.length}\n  shape: [${shape}]\n  backend: ${backend}\n  values:`;
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  const indexes = (n: number) =>
    n > MAX_FULL_AXIS
      ? [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), -1, ...Array.from({ length: EDGE_ITEMS }, (_, i) => n - EDGE_ITEMS + i)]
      : Array.from({ length: n }, (_, i) => i);
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return formatValue(values[offset], dtype);
    const parts = indexes(shape[axis]).map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * strides[axis], indent + ' ')));
    const sep = axis === shape.length - 1 ? ', ' : `,\n${indent} `;
    return `[${parts.join(sep)}]`;
  };
  return `${header}\n    ${render(0, 0, '    ')}`;
}
