/** `et.models`: ready-made models of the project's documents. */
export { linearRegression, leastSquaresLine, type LinearRegressionOptions, type LinearRegressionResult, type LinearRegressionMethod } from './linear_regression.js';
