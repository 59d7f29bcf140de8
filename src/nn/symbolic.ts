/**
 * Symbolic tensors: what `et.input()` returns and what layers return when applied to one. They
 * carry a shape (null for the batch size) and the layer call that produced them, so
 * `et.model({inputs, outputs})` can trace the graph from outputs back to inputs.
 */
import type { Layer } from './layer.js';

/** A shape whose entries may be null (unknown until data arrives: the batch size). */
export type SymbolicShape = (number | null)[];

export class SymbolicTensor {
  private static nextId = 0;
  readonly id = SymbolicTensor.nextId++;

  constructor(
    readonly shape: SymbolicShape,
    /** The layer that produced it (an InputLayer for model inputs). */
    readonly sourceLayer: Layer,
    /** The symbolic tensors the layer was applied to (none for an input). */
    readonly inputs: SymbolicTensor[],
  ) {}

  get rank(): number {
    return this.shape.length;
  }
}

/** Keras' notation: (None, 784). */
export function symbolicShapeToString(shape: SymbolicShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return `(${dims.join(', ')}${dims.length === 1 ? ',' : ''})`;
}

/** Whether a concrete shape fits a symbolic one (same rank, equal wherever the symbolic one is known). */
export function fitsShape(actual: readonly number[], expected: SymbolicShape): boolean {
  return actual.length === expected.length && expected.every((d, i) => d === null || d === actual[i]);
}
