/** Elementwise binary ops with NumPy broadcasting; inputs are promoted to a common dtype. */
import { runKernel1, tidy } from '../engine.js';
import { Tensor } from '../tensor.js';
import type { BinaryKernelName } from '../backend/kernel.js';
import type { DType } from '../types.js';
import { asType, toTensor, upcastType, type TensorLike } from './convert.js';

/** Both operands as tensors of one dtype (plain numbers take the other side's backend). */
export function alignOperands(a: TensorLike, b: TensorLike, opName: string, minDType: DType = 'bool'): [Tensor, Tensor] {
  const ta = toTensor(a, 'a', opName, b instanceof Tensor ? b : undefined);
  const tb = toTensor(b, 'b', opName, ta);
  const dtype = upcastType(upcastType(ta.dtype, tb.dtype), minDType);
  return [asType(ta, dtype), asType(tb, dtype)];
}

/** Two tensors of one dtype, at least minDType: no conversion (and no tidy scope) is needed. */
function aligned(a: TensorLike, b: TensorLike, minDType: DType): boolean {
  return a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && upcastType(a.dtype, minDType) === a.dtype;
}

function arithmetic(kernel: BinaryKernelName, opName: string) {
  // bool arithmetic runs in int32, as in tfjs.
  return (a: TensorLike, b: TensorLike): Tensor =>
    aligned(a, b, 'int32')
      ? runKernel1(kernel, alignOperands(a, b, opName, 'int32'))
      : tidy(() => runKernel1(kernel, alignOperands(a, b, opName, 'int32')));
}

function comparison(kernel: BinaryKernelName, opName: string) {
  return (a: TensorLike, b: TensorLike): Tensor => tidy(() => runKernel1(kernel, alignOperands(a, b, opName)));
}

export const add = arithmetic('Add', 'add');
export const sub = arithmetic('Sub', 'sub');
export const mul = arithmetic('Mul', 'mul');
export const maximum = arithmetic('Maximum', 'maximum');
export const minimum = arithmetic('Minimum', 'minimum');
export const equal = comparison('Equal', 'equal');
export const notEqual = comparison('NotEqual', 'notEqual');
export const greater = comparison('Greater', 'greater');
export const greaterEqual = comparison('GreaterEqual', 'greaterEqual');
export const less = comparison('Less', 'less');
export const lessEqual = comparison('LessEqual', 'lessEqual');

/** True division for floats; int32 / int32 floors, as in tfjs. */
export function div(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const [ta, tb] = alignOperands(a, b, 'div', 'int32');
    return runKernel1(ta.dtype === 'int32' ? 'FloorDiv' : 'Div', [ta, tb]);
  });
}

export function floorDiv(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => runKernel1('FloorDiv', alignOperands(a, b, 'floorDiv', 'int32')));
}

/** a ** b, computed in float32; int32 ** int32 is cast back to int32. */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  return tidy(() => {
    const [ta, tb] = alignOperands(a, b, 'pow', 'int32');
    const result = runKernel1('Pow', [asType(ta, 'float32'), asType(tb, 'float32')]);
    return ta.dtype === 'int32' ? asType(result, 'int32') : result;
  });
}
