/**
 * The shape shared by the image-classification datasets (mnist, fashionMnist): raw typed arrays
 * (pixel bytes, int32 labels) and the tensors made from them.
 */
import type { Tensor } from '../tensor.js';
import { makeTensorFromValues } from '../engine.js';
import { getBackend } from '../backend/selector.js';

/** A dataset as raw arrays: what batching reads from without copying the dataset. */
export interface ImageDataArrays {
  /** Pixel bytes 0..255, row-major [numTrain, rows * cols]. */
  trainImages: Uint8Array;
  /** Class ids, [numTrain]. */
  trainLabels: Int32Array;
  /** Pixel bytes 0..255, row-major [numTest, rows * cols]. */
  testImages: Uint8Array;
  testLabels: Int32Array;
  numTrain: number;
  numTest: number;
  /** [rows, cols], e.g. [28, 28]. */
  imageShape: [number, number];
  numClasses: number;
}

/** The tensors of a dataset (the `et.data.mnist()` contract). */
export interface ImageData {
  /** float32 [numTrain, rows * cols], pixel / 255 in [0, 1]. */
  trainImages: Tensor;
  /** int32 [numTrain]. */
  trainLabels: Tensor;
  testImages: Tensor;
  testLabels: Tensor;
}

/** The float32 value of each pixel byte b: b * scale, as one table so every path agrees bit for bit. */
export function byteTable(scale: number): Float32Array {
  const table = new Float32Array(256);
  for (let b = 0; b < 256; b++) table[b] = b * scale;
  return table;
}

export const PIXEL_SCALE = 1 / 255;
const PIXEL_TABLE = byteTable(PIXEL_SCALE);

/** Pixel bytes as float32 in [0, 1] (b / 255). */
export function pixelsToFloat32(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = PIXEL_TABLE[bytes[i]];
  return out;
}

/** Tensors on the current backend from the arrays (fresh tensors each call; the arrays are not changed). */
export function toImageData(arrays: ImageDataArrays): ImageData {
  const pixels = arrays.imageShape[0] * arrays.imageShape[1];
  // Each buffer is new and handed over (as et.tensor does with its own copy), so the 188 MB of
  // Fashion-MNIST pixels are converted once, not converted and then copied again.
  const backend = getBackend();
  return {
    trainImages: makeTensorFromValues([arrays.numTrain, pixels], 'float32', pixelsToFloat32(arrays.trainImages), backend),
    trainLabels: makeTensorFromValues([arrays.numTrain], 'int32', arrays.trainLabels.slice(), backend),
    testImages: makeTensorFromValues([arrays.numTest, pixels], 'float32', pixelsToFloat32(arrays.testImages), backend),
    testLabels: makeTensorFromValues([arrays.numTest], 'int32', arrays.testLabels.slice(), backend),
  };
}

/** The first n training samples of a dataset (views, no copy); the test split unchanged. `where` names the caller in errors. */
export function firstTrainSamples(arrays: ImageDataArrays, n: number, where: string): ImageDataArrays {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${where}: trainSamples must be a positive integer, got ${String(n)}`);
  if (n > arrays.numTrain) throw new RangeError(`${where}: trainSamples (${n}) exceeds the ${arrays.numTrain} training images`);
  const pixels = arrays.imageShape[0] * arrays.imageShape[1];
  return { ...arrays, numTrain: n, trainImages: arrays.trainImages.subarray(0, n * pixels), trainLabels: arrays.trainLabels.subarray(0, n) };
}
