import { runKernel1, tidy } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { toIndexTensor, toTensor, type TensorLike } from './convert.js';

/**
 * Rows of x summed by segment (tfjs unsortedSegmentSum): x [n, ...rest] and int32 segmentIds [n]
 * give [numSegments, ...rest], row s the sum of the rows i with segmentIds[i] == s (zeros where
 * no id is s). An id outside [0, numSegments) is an error naming it and its position.
 */
export function unsortedSegmentSum(x: TensorLike, segmentIds: TensorLike, numSegments: number): Tensor {
  return tidy(() => {
    const t = toTensor(x, 'x', 'unsortedSegmentSum');
    const ids = toIndexTensor(segmentIds, 'segmentIds', 'unsortedSegmentSum', t);
    if (!Number.isInteger(numSegments) || numSegments < 0) {
      throw new RangeError(`unsortedSegmentSum: numSegments must be a non-negative integer, got ${numSegments}`);
    }
    if (t.dtype === 'bool') throw new TypeError('unsortedSegmentSum: x must be float32 or int32, got bool');
    if (t.rank === 0) throw new RangeError('unsortedSegmentSum: x must have an axis of rows to sum, got a scalar');
    if (ids.rank !== 1 || ids.shape[0] !== t.shape[0]) {
      throw new RangeError(
        `unsortedSegmentSum: segmentIds must hold one id per row of x (shape [${t.shape[0]}]), ` +
        `got segmentIds ${shapeToString(ids.shape)} for x ${shapeToString(t.shape)}`,
      );
    }
    return runKernel1('UnsortedSegmentSum', [t, ids], { numSegments });
  });
}
