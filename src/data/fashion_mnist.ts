/**
 * Fashion-MNIST (Zalando, 60,000 training / 10,000 test 28x28 grey images of 10 clothing
 * classes) from its four IDX files, raw or gzipped. Looked for in, in order: the `dir` option
 * (only there, when given), else `$EDGETENSOR_DATA` (and `$EDGETENSOR_DATA/fashion-mnist`), then
 * where Debian's `dataset-fashion-mnist` package installs them.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readIdx } from './idx.js';
import { toImageData, type ImageData, type ImageDataArrays } from './image_data.js';

/** Where `apt-get install dataset-fashion-mnist` puts the files. */
export const DEBIAN_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

/** The class names, by label. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
] as const;

export interface FashionMnistOptions {
  /** The directory holding the four files (then only it is searched). */
  dir?: string;
}

type FileKey = keyof typeof FASHION_MNIST_FILES;

interface Candidate {
  dir: string;
  why: string;
}

function candidates(options: FashionMnistOptions): Candidate[] {
  if (options.dir !== undefined) return [{ dir: resolve(options.dir), why: 'the dir option' }];
  const list: Candidate[] = [];
  const env = process.env.EDGETENSOR_DATA;
  if (env) {
    list.push({ dir: resolve(env), why: 'EDGETENSOR_DATA' });
    list.push({ dir: resolve(env, 'fashion-mnist'), why: 'EDGETENSOR_DATA' });
  }
  list.push({ dir: DEBIAN_FASHION_MNIST_DIR, why: 'Debian package dataset-fashion-mnist' });
  return list;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The path of each file in `dir` (raw preferred over .gz), or the names missing there. */
function locate(dir: string): { paths: Record<FileKey, string> } | { missing: string[] } {
  const paths: Partial<Record<FileKey, string>> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(FASHION_MNIST_FILES) as [FileKey, string][]) {
    const found = [join(dir, name), join(dir, `${name}.gz`)].find(isFile);
    if (found) paths[key] = found;
    else missing.push(`${name}(.gz)`);
  }
  return missing.length ? { missing } : { paths: paths as Record<FileKey, string> };
}

/** The directory fashionMnist() would read, or a clear error naming every place it looked. */
export function findFashionMnist(options: FashionMnistOptions = {}): Record<FileKey, string> {
  const looked: string[] = [];
  for (const c of candidates(options)) {
    if (!existsSync(c.dir)) {
      looked.push(`  - ${c.dir} (${c.why}): no such directory`);
      continue;
    }
    const r = locate(c.dir);
    if ('paths' in r) return r.paths;
    looked.push(`  - ${c.dir} (${c.why}): missing ${r.missing.join(', ')}`);
  }
  throw new Error(
    `data.fashionMnist: Fashion-MNIST files not found. Looked in:\n${looked.join('\n')}\n` +
    `Each place needs ${Object.values(FASHION_MNIST_FILES).map((n) => `${n}(.gz)`).join(', ')}. ` +
    `To get them: \`apt-get install dataset-fashion-mnist\` (Debian/Ubuntu; installs to ${DEBIAN_FASHION_MNIST_DIR}), ` +
    'or download them from https://github.com/zalandoresearch/fashion-mnist and pass {dir} or set EDGETENSOR_DATA to their directory.',
  );
}

const cache = new Map<string, ImageDataArrays>();

function readPair(imagesPath: string, labelsPath: string): { images: Uint8Array; labels: Int32Array; n: number; rows: number; cols: number } {
  const images = readIdx(imagesPath, { expectType: 'ubyte', expectRank: 3 });
  const labels = readIdx(labelsPath, { expectType: 'ubyte', expectRank: 1 });
  const [n, rows, cols] = images.shape;
  if (labels.shape[0] !== n) {
    throw new Error(`data.fashionMnist: ${imagesPath} has ${n} images but ${labelsPath} has ${labels.shape[0]} labels`);
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = labels.data[i];
    if (out[i] > 9) throw new Error(`data.fashionMnist: ${labelsPath}: label ${out[i]} at ${i} is not a class id 0..9`);
  }
  return { images: images.data as Uint8Array, labels: out, n, rows, cols };
}

/**
 * Fashion-MNIST as raw arrays (pixel bytes, int32 labels), read once per directory and cached
 * in-process: treat them as read-only.
 */
export function fashionMnistArrays(options: FashionMnistOptions = {}): ImageDataArrays {
  const paths = findFashionMnist(options);
  const key = Object.values(paths).join('\n');
  const hit = cache.get(key);
  if (hit) return hit;
  const train = readPair(paths.trainImages, paths.trainLabels);
  const test = readPair(paths.testImages, paths.testLabels);
  if (train.rows !== test.rows || train.cols !== test.cols) {
    throw new Error(`data.fashionMnist: training images are ${train.rows}x${train.cols} but test images ${test.rows}x${test.cols}`);
  }
  const arrays: ImageDataArrays = {
    trainImages: train.images,
    trainLabels: train.labels,
    testImages: test.images,
    testLabels: test.labels,
    numTrain: train.n,
    numTest: test.n,
    imageShape: [train.rows, train.cols],
    numClasses: FASHION_MNIST_CLASSES.length,
  };
  cache.set(key, arrays);
  return arrays;
}

/**
 * Fashion-MNIST as tensors on the current backend, the structure of mnist():
 * trainImages float32 [60000, 784] in [0, 1], trainLabels int32 [60000], testImages [10000, 784],
 * testLabels [10000].
 */
export function fashionMnist(options: FashionMnistOptions = {}): ImageData {
  return toImageData(fashionMnistArrays(options));
}
