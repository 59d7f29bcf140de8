/**
 * The documents' linear regression: y = 3x + noise fitted by gradient descent on the mean squared
 * error, learning rate 0.01, 1000 steps.
 *
 * Data: n = 100 samples, x uniform in [-2, 2), noise normal with mean 0 and std 0.1, seeded (the
 * same numbers on every backend). The x range is centred and wide on purpose: gradient descent on
 * the MSE contracts the error by (1 - 2 lr lambda) per step, lambda an eigenvalue of
 * [[mean(x^2), mean(x)], [mean(x), 1]]. For x in [-2, 2) those are about 4/3 and 1, so with
 * lr = 0.01 the error shrinks by ~0.97 per step and 1000 steps reach float32 precision:
 * without a bias w lands on the least-squares w* = (X^T y) / (X^T X), with a bias (w, b) on the
 * least-squares line, i.e. slope ~3 and intercept ~ the noise mean. (The documents' x in [0, 1)
 * has mean(x^2) = 1/3 and a poorly conditioned bias direction: 1000 steps would stop short.)
 *
 * The gradient is the true one, 2/n X^T (Xw + b - y) (the documents' numpy code used the residual
 * vector itself). Four routes give the same answer: 'analytic' (that formula with matMul),
 * 'grads' (et.grads of the loss), 'minimize' (et.train.sgd on variables) and 'tape'
 * (GradientTape on variables).
 */
import { tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { grads as gradsOf, GradientTape } from '../autograd/api.js';
import { variable } from '../autograd/variable.js';
import { add, matMul, mul, randomNormal, randomUniform, sub, sum, tensor, zeros } from '../ops/index.js';
import { meanSquaredError } from '../losses/index.js';
import { sgd } from '../optim/index.js';

export type LinearRegressionMethod = 'analytic' | 'grads' | 'minimize' | 'tape';

export interface LinearRegressionOptions {
  /** Fit an intercept too; default false (as in the documents). */
  useBias?: boolean;
  /** Default 0.01. */
  learningRate?: number;
  /** Gradient-descent steps; default 1000. */
  steps?: number;
  /** Number of samples; default 100. */
  n?: number;
  /** The slope that generates the data; default 3. */
  trueWeight?: number;
  /** Mean of the additive noise; default 0. */
  noiseMean?: number;
  /** Standard deviation of the additive noise; default 0.1. */
  noiseStd?: number;
  /** x is uniform in [xRange[0], xRange[1]); default [-2, 2]. */
  xRange?: [number, number];
  /** Seed of the data; default 42. */
  seed?: number;
  /** How the gradient is obtained; default 'analytic'. All four give the same fit. */
  method?: LinearRegressionMethod;
}

export interface LinearRegressionResult {
  /** The fitted slope. */
  weight: number;
  /** The fitted intercept (null without useBias). */
  bias: number | null;
  /** The loss (MSE) before each step: lossHistory[0] at the initial w = 0 (and b = 0). */
  lossHistory: number[];
  /** The loss after the last step. */
  finalLoss: number;
  /** The closed-form least-squares fit of the same data, in float64. */
  leastSquares: { weight: number; bias: number | null };
  /** The data: x and y, n values each. */
  data: { x: Float32Array; y: Float32Array };
  learningRate: number;
  steps: number;
  method: LinearRegressionMethod;
}

function checkNumber(value: number, name: string, ok: (v: number) => boolean, allowed: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) throw new RangeError(`linearRegression: ${name} must be ${allowed}, got ${value}`);
  return value;
}

/** x and y = trueWeight * x + noise, float32, the same on every backend. */
function makeData(n: number, trueWeight: number, noiseMean: number, noiseStd: number, xRange: [number, number], seed: number) {
  const x = tidy(() => randomUniform([n], xRange[0], xRange[1], seed).dataSync() as Float32Array).slice();
  const noise = tidy(() => randomNormal([n], noiseMean, noiseStd, seed + 1).dataSync() as Float32Array).slice();
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = trueWeight * x[i] + noise[i];
  return { x, y };
}

/** Least squares in float64: through the origin, or with an intercept. */
export function leastSquaresLine(x: ArrayLike<number>, y: ArrayLike<number>, useBias: boolean): { weight: number; bias: number | null } {
  const n = x.length;
  if (!useBias) {
    let xy = 0;
    let xx = 0;
    for (let i = 0; i < n; i++) {
      xy += x[i] * y[i];
      xx += x[i] * x[i];
    }
    return { weight: xy / xx, bias: null };
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const weight = sxy / sxx;
  return { weight, bias: my - weight * mx };
}

/** Fits y = w x (+ b) to the documents' data by gradient descent; see the module comment. */
export function linearRegression(options: LinearRegressionOptions = {}): LinearRegressionResult {
  const allowed = ['useBias', 'learningRate', 'steps', 'n', 'trueWeight', 'noiseMean', 'noiseStd', 'xRange', 'seed', 'method'];
  const unknown = Object.keys(options).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new TypeError(`linearRegression: unknown option(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  const useBias = options.useBias ?? false;
  if (typeof useBias !== 'boolean') throw new TypeError(`linearRegression: useBias must be true or false, got ${JSON.stringify(useBias)}`);
  const lr = checkNumber(options.learningRate ?? 0.01, 'learningRate', (v) => v > 0, 'a finite number > 0');
  const steps = checkNumber(options.steps ?? 1000, 'steps', (v) => Number.isInteger(v) && v >= 0, 'an integer >= 0');
  const n = checkNumber(options.n ?? 100, 'n', (v) => Number.isInteger(v) && v >= 1, 'an integer >= 1');
  const trueWeight = checkNumber(options.trueWeight ?? 3, 'trueWeight', () => true, 'a finite number');
  const noiseMean = checkNumber(options.noiseMean ?? 0, 'noiseMean', () => true, 'a finite number');
  const noiseStd = checkNumber(options.noiseStd ?? 0.1, 'noiseStd', (v) => v >= 0, 'a finite number >= 0');
  const xRange = options.xRange ?? [-2, 2];
  if (!Array.isArray(xRange) || xRange.length !== 2 || !(xRange[0] < xRange[1])) {
    throw new RangeError(`linearRegression: xRange must be [min, max] with min < max, got ${JSON.stringify(xRange)}`);
  }
  const seed = checkNumber(options.seed ?? 42, 'seed', (v) => Number.isInteger(v), 'an integer');
  const method = options.method ?? 'analytic';
  const methods: LinearRegressionMethod[] = ['analytic', 'grads', 'minimize', 'tape'];
  if (!methods.includes(method)) throw new RangeError(`linearRegression: method must be one of ${methods.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`);

  const data = makeData(n, trueWeight, noiseMean, noiseStd, xRange, seed);
  const X = tensor(data.x, [n, 1]);
  const Y = tensor(data.y, [n, 1]);
  const predict = (w: Tensor, b: Tensor | null) => (b ? add(matMul(X, w), b) : matMul(X, w));
  const loss = (w: Tensor, b: Tensor | null) => meanSquaredError(Y, predict(w, b));
  const lossHistory: number[] = [];
  // The parameters: plain tensors replaced each step ('analytic', 'grads', the documents' numpy
  // loop) or variables updated in place ('minimize', 'tape').
  let w: Tensor = zeros([1, 1]);
  let b: Tensor | null = useBias ? zeros([1]) : null;
  try {
    if (method === 'analytic' || method === 'grads') {
      const autograd = useBias ? gradsOf((wi, bi) => loss(wi, bi)) : gradsOf((wi) => loss(wi, null));
      for (let step = 0; step < steps; step++) {
        const [wi, bi] = [w, b];
        const next = tidy(() => {
          const current = bi ? [wi, bi] : [wi];
          let g: Tensor[];
          if (method === 'analytic') {
            const residual = sub(predict(wi, bi), Y); // [n, 1]
            // The true gradient of mean(residual^2): 2/n X^T residual (and 2/n sum(residual) for b).
            g = [mul(matMul(X, residual, true), 2 / n), ...(bi ? [mul(sum(residual, 0), 2 / n)] : [])];
            lossHistory.push(sum(mul(residual, residual)).dataSync()[0] / n);
          } else {
            g = autograd(current);
            lossHistory.push(loss(wi, bi).dataSync()[0]);
          }
          return current.map((p, i) => sub(p, mul(g[i], lr)));
        });
        wi.dispose();
        bi?.dispose();
        w = next[0];
        b = next[1] ?? null;
      }
    } else {
      const wv = variable(w, true);
      const bv = b ? variable(b, true) : null;
      w.dispose();
      b?.dispose();
      [w, b] = [wv, bv];
      const vars = bv ? [wv, bv] : [wv];
      const optimizer = sgd(lr);
      try {
        for (let step = 0; step < steps; step++) {
          tidy(() => {
            if (method === 'minimize') {
              const cost = optimizer.minimize(() => loss(wv, bv), true, vars)!;
              lossHistory.push(cost.dataSync()[0]);
            } else {
              const tape = new GradientTape({ watchAccessedVariables: false });
              tape.watch(vars);
              const value = tape.record(() => loss(wv, bv));
              const g = tape.gradient(value, vars) as Tensor[];
              lossHistory.push(value.dataSync()[0]);
              vars.forEach((v, i) => v.assign(sub(v, mul(g[i], lr))));
            }
          });
        }
      } finally {
        optimizer.dispose();
      }
    }
    const [wf, bf] = [w, b];
    const finalLoss = tidy(() => loss(wf, bf).dataSync()[0]);
    return {
      weight: wf.dataSync()[0],
      bias: bf ? bf.dataSync()[0] : null,
      lossHistory,
      finalLoss,
      leastSquares: leastSquaresLine(data.x, data.y, useBias),
      data,
      learningRate: lr,
      steps,
      method,
    };
  } finally {
    X.dispose();
    Y.dispose();
    w.dispose();
    b?.dispose();
  }
}
