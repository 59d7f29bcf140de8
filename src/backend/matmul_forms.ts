/**
 * The algebra of op(a) op(b) that every backend and the autograd share: its sizes, and the
 * gradients of both operands written as products, the one place the four transpose cases live.
 */
import { shapeToString } from '../shape.js';

/** m, k, n of op(a) [m, k] x op(b) [k, n] for matrices stored as aShape and bShape. */
export function matMulDims(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): { m: number; k: number; n: number } {
  const [m, k] = transposeA ? [aShape[1], aShape[0]] : [aShape[0], aShape[1]];
  const [kB, n] = transposeB ? [bShape[1], bShape[0]] : [bShape[0], bShape[1]];
  if (k !== kB) {
    throw new RangeError(`matMul: inner dimensions do not match: a ${shapeToString(aShape)}${transposeA ? ' (transposed)' : ''} has ${k} columns, b ${shapeToString(bShape)}${transposeB ? ' (transposed)' : ''} has ${kB} rows`);
  }
  return { m, k, n };
}

/** A matrix product op(x) op(y) in whatever currency the caller computes with (tensors, arrays). */
export type MatrixProduct<T> = (x: T, y: T, transposeX: boolean, transposeY: boolean) => T;

/**
 * With z = op(a) op(b) and dz its gradient: d op(a) = dz op(b)^T and d op(b) = op(a)^T dz,
 * each returned in its operand's stored layout (a transposed operand gets the transposed
 * product). Only the operands `needs` asks for are computed.
 */
export function matMulOperandGradients<T>(dz: T, a: T, b: T, transposeA: boolean, transposeB: boolean,
  product: MatrixProduct<T>, needs: readonly [boolean, boolean]): [T | null, T | null] {
  const da = !needs[0] ? null : transposeA ? product(b, dz, transposeB, true) : product(dz, b, false, !transposeB);
  const db = !needs[1] ? null : transposeB ? product(dz, a, true, transposeA) : product(a, dz, !transposeA, false);
  return [da, db];
}
