/** `et.losses`: Keras losses; each returns a scalar, the mean over the batch. */
export { meanSquaredError, meanAbsoluteError, huberLoss } from './regression.js';
export { binaryCrossentropy, sigmoidCrossEntropyWithLogits } from './binary.js';
export { categoricalCrossentropy, sparseCategoricalCrossentropy } from './categorical.js';
export type { CrossentropyOptions } from './common.js';
