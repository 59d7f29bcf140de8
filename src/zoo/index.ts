/** `et.models`: the ready-made models of the project's documents (mlp, gan, linearRegression). */
export { linearRegression, leastSquaresLine, type LinearRegressionOptions, type LinearRegressionResult, type LinearRegressionMethod } from './linear_regression.js';
export { mlp, trainMlp, MLP_EPOCHS, MLP_BATCH_SIZE, type MlpDataset, type TrainMlpOptions, type TrainMlpResult } from './mlp.js';
