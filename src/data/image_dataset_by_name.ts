/** The image datasets by the name the models' and the CLI's `dataset` option takes. */
import { fashionMnistArrays, type FashionMnistOptions } from './fashion_mnist.js';
import { firstTrainSamples, type ImageDataArrays } from './image_data.js';
import { mnistArrays } from './mnist.js';

export type ImageDatasetName = 'mnist' | 'fashion';

export interface ImageDatasetOptions {
  /** 'mnist' (the `mnist` package's 10,000 digits, split 8,000 / 2,000; the default) or 'fashion' (Fashion-MNIST IDX files). */
  dataset?: ImageDatasetName;
  /** Where Fashion-MNIST's files are (see et.data.fashionMnist). */
  fashion?: FashionMnistOptions;
  /** Train on the first n training images only (default: all). */
  trainSamples?: number;
}

/** The arrays of the named dataset, its training split cut to `trainSamples`; `where` names the caller in errors. */
export function imageDatasetArrays(options: ImageDatasetOptions, where: string): ImageDataArrays {
  const dataset = options.dataset ?? 'mnist';
  let arrays: ImageDataArrays;
  if (dataset === 'mnist') arrays = mnistArrays();
  else if (dataset === 'fashion') arrays = fashionMnistArrays(options.fashion);
  else throw new RangeError(`${where}: dataset must be 'mnist' or 'fashion', got ${JSON.stringify(dataset)}`);
  return options.trainSamples === undefined ? arrays : firstTrainSamples(arrays, options.trainSamples, where);
}
