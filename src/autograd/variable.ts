/** Variables: tensors whose values change in place (training), watched by every tape. */
import { adoptStorage, disposeTensor, replaceStorage, runKernel1 } from '../engine.js';
import { shapeToString } from '../shape.js';
import { Tensor } from '../tensor.js';
import { toTensor, type TensorLike } from '../ops/convert.js';

const registered = new Map<string, Variable>();
let unnamed = 0;

export class Variable extends Tensor {
  /** @internal Use et.variable(). */
  constructor(initial: Tensor, readonly trainable: boolean, readonly name: string) {
    super(initial.shape.slice(), initial.dtype, initial.handle);
  }

  /** Replaces the value; the new one must have the same shape and dtype. */
  assign(newValue: TensorLike): void {
    const t = toTensor(newValue, 'newValue', `${this.name}.assign`, this);
    if (t.dtype !== this.dtype || t.shape.length !== this.shape.length || t.shape.some((d, i) => d !== this.shape[i])) {
      throw new RangeError(`${this.name}.assign: the new value has shape ${shapeToString(t.shape)} and dtype ${t.dtype}, the variable ${shapeToString(this.shape)} and ${this.dtype}`);
    }
    if (t.backend !== this.backend) throw new Error(`${this.name}.assign: the new value lives on '${t.backend}', the variable on '${this.backend}'`);
    replaceStorage(this, t);
  }

  override dispose(): void {
    registered.delete(this.name);
    super.dispose();
  }
}

/** A variable holding a copy of initialValue (never disposed by tidy; dispose() frees it). */
export function variable(initialValue: TensorLike, trainable = true, name?: string, dtype?: Tensor['dtype']): Variable {
  const name_ = name ?? `variable_${unnamed++}`;
  if (registered.has(name_)) throw new Error(`variable: a variable named '${name_}' already exists`);
  const initial = toTensor(initialValue, 'initialValue', 'variable');
  const copy = runKernel1('Cast', [initial], { dtype: dtype ?? initial.dtype });
  // The variable takes over the copy's storage and, unlike the copy, belongs to no tidy scope.
  const v = adoptStorage(new Variable(copy, trainable, name_));
  disposeTensor(copy);
  registered.set(name_, v);
  return v;
}

export function trainableVariables(): Variable[] {
  return [...registered.values()].filter((v) => v.trainable && !v.isDisposed);
}

/** The live variable with this name, if any. */
export function findVariable(name: string): Variable | undefined {
  const v = registered.get(name);
  return v && !v.isDisposed ? v : undefined;
}
