/** `et.models`: the ready-made models of the project's documents (mlp, gan, linearRegression), and modelFromJSON (tfjs' name). */
export { modelFromJSON } from '../models/index.js';
export { linearRegression, leastSquaresLine, type LinearRegressionOptions, type LinearRegressionResult, type LinearRegressionMethod } from './linear_regression.js';
export { gan, Gan, GAN_LATENT_DIM, GAN_EPOCHS, GAN_BATCH_SIZE, GAN_LEARNING_RATE, GAN_BETA1, GAN_LOG_NAMES, type GanOptions, type GanStepOptions, type GanStepLogs } from './gan.js';
export { mlp, trainMlp, MLP_EPOCHS, MLP_BATCH_SIZE, type MlpDataset, type TrainMlpOptions, type TrainMlpResult } from './mlp.js';
export { trainGan, type TrainGanOptions, type TrainGanResult, type GanEpochLog } from './train_gan.js';
export { scoreDigits, type DigitScore, type DigitScoreOptions } from './digit_score.js';
