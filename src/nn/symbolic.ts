/**
 * The symbolic graph of functional models (Keras' KerasTensor and Node): `et.input()` returns a
 * symbolic tensor, and applying a layer to symbolic tensors records a node (one application of
 * the layer: its inbound tensors and keyword arguments) whose outputs are new symbolic tensors.
 * `et.model({inputs, outputs})` runs the nodes between them; saving writes them as tfjs'
 * `inbound_nodes`.
 */
import type { Layer } from './layer.js';

/** A shape whose entries may be null (unknown until data arrives: the batch size). */
export type SymbolicShape = (number | null)[];

/** One application of a layer to symbolic inputs. */
export class Node {
  readonly outputs: SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    /** The tensors the layer was applied to, in order (none for an input). */
    readonly inbound: SymbolicTensor[],
    /** Whether they were passed as a list (a layer with one list input sees a list). */
    readonly inputsAreList: boolean,
    /** The keyword arguments of the call; a value may be a symbolic tensor (an attention mask, say). */
    readonly kwargs: Record<string, unknown>,
    outputShapes: SymbolicShape[],
  ) {
    this.outputs = outputShapes.map((shape, i) => new SymbolicTensor(shape, this, i));
  }

  /** Every symbolic tensor the node reads: its inbound tensors, then those among its keyword arguments. */
  get dependencies(): SymbolicTensor[] {
    return [...this.inbound, ...Object.values(this.kwargs).filter((v): v is SymbolicTensor => v instanceof SymbolicTensor)];
  }
}

export class SymbolicTensor {
  private static nextId = 0;
  readonly id = SymbolicTensor.nextId++;

  constructor(
    readonly shape: SymbolicShape,
    /** The node that produced it. */
    readonly node: Node,
    /** Which of the node's outputs it is. */
    readonly outputIndex: number,
  ) {}

  /** The layer that produced it (an InputLayer for model inputs). */
  get sourceLayer(): Layer {
    return this.node.layer;
  }

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

/** Like fitsShape, for two symbolic shapes (null on either side matches anything). */
export function fitsLoosely(actual: SymbolicShape, expected: SymbolicShape): boolean {
  return actual.length === expected.length && expected.every((d, i) => d === null || actual[i] === null || d === actual[i]);
}
