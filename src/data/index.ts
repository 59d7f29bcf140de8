/** `et.data`: datasets (mnist, fashionMnist), the IDX reader, and seeded, copy-free batching. */
export { mnist, mnistArrays } from './mnist.js';
export {
  fashionMnist, fashionMnistArrays, findFashionMnist, DEBIAN_FASHION_MNIST_DIR, FASHION_MNIST_FILES, FASHION_MNIST_CLASSES,
  type FashionMnistOptions,
} from './fashion_mnist.js';
export { parseIdx, readIdx, isGzip, type IdxArray, type IdxReadOptions, type IdxTensor, type IdxType } from './idx.js';
export { pixelsToFloat32, toImageData, type ImageData, type ImageDataArrays } from './image_data.js';
export { Dataset, batches, type ArraySource, type Batch, type BatchOptions, type DataSource } from './dataset.js';
export { permutation } from './shuffle.js';
