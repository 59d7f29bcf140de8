/**
 * The public autograd API (tfjs names): grad, grads, valueAndGrad, valueAndGrads,
 * variableGrads, noGrad, and a Keras-style GradientTape.
 */
import { tidy } from '../engine.js';
import { shapeToString } from '../shape.js';
import { nextTensorId, Tensor } from '../tensor.js';
import { backprop, recordOn, Tape, withoutRecording } from './tape.js';
import { trainableVariables, type Variable } from './variable.js';

function checkDifferentiable(xs: Tensor[], where: string): void {
  xs.forEach((x, i) => {
    if (!(x instanceof Tensor)) throw new TypeError(`${where}: argument ${i} must be a Tensor, got ${typeof x}`);
    x.assertLive();
    if (x.dtype !== 'float32') throw new TypeError(`${where}: can only differentiate with respect to float32 tensors; argument ${i} ${shapeToString(x.shape)} is ${x.dtype}`);
  });
}

function checkOutput(y: unknown, where: string): Tensor {
  if (!(y instanceof Tensor)) throw new TypeError(`${where}: f must return a Tensor, got ${y === null ? 'null' : typeof y}`);
  return y;
}

/**
 * Records f on a fresh tape watching xs, then backpropagates; returns value and gradients, and
 * whether f made the value (else it returned a tensor that already existed, such as one of
 * xs or a captured constant, which the caller must not dispose).
 */
function valueAndGradients(f: (...xs: Tensor[]) => Tensor, xs: Tensor[], dy: Tensor | undefined, where: string): { value: Tensor; grads: Tensor[]; fresh: boolean } {
  checkDifferentiable(xs, where);
  const tape = new Tape();
  xs.forEach((x) => tape.watch(x));
  const firstId = nextTensorId();
  try {
    return tidy(() => {
      const value = checkOutput(recordOn(tape, () => f(...xs)), where);
      const grads = backprop(tape, value, xs, dy);
      return { value, grads, fresh: value.id >= firstId };
    });
  } finally {
    tape.dispose();
  }
}

/** grad(f)(x, dy?) = df/dx for f of one tensor. */
export function grad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => Tensor {
  return (x, dy) => {
    const { value, grads, fresh } = valueAndGradients(f as (...xs: Tensor[]) => Tensor, [x], dy, 'grad');
    if (fresh) value.dispose();
    return grads[0];
  };
}

/** grads(f)([a, b], dy?) = [df/da, df/db]; f takes the tensors as separate arguments. */
export function grads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => Tensor[] {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new TypeError('grads: pass the tensors as an array, e.g. grads(f)([a, b])');
    const { value, grads: g, fresh } = valueAndGradients(f, xs, dy, 'grads');
    if (fresh) value.dispose();
    return g;
  };
}

export function valueAndGrad(f: (x: Tensor) => Tensor): (x: Tensor, dy?: Tensor) => { value: Tensor; grad: Tensor } {
  return (x, dy) => {
    const { value, grads: g } = valueAndGradients(f as (...xs: Tensor[]) => Tensor, [x], dy, 'valueAndGrad');
    return { value, grad: g[0] };
  };
}

export function valueAndGrads(f: (...xs: Tensor[]) => Tensor): (xs: Tensor[], dy?: Tensor) => { value: Tensor; grads: Tensor[] } {
  return (xs, dy) => {
    if (!Array.isArray(xs)) throw new TypeError('valueAndGrads: pass the tensors as an array');
    const { value, grads: g } = valueAndGradients(f, xs, dy, 'valueAndGrads');
    return { value, grads: g };
  };
}

/**
 * The value of f (a scalar loss) and its gradient for each variable: the given ones, or every
 * trainable variable.
 */
export function variableGrads(f: () => Tensor, varList?: Variable[]): { value: Tensor; grads: Record<string, Tensor> } {
  const vars = varList ?? trainableVariables();
  if (vars.length === 0) throw new Error('variableGrads: there are no trainable variables to differentiate with respect to');
  const { value, grads: g, fresh } = valueAndGradients(() => f(), vars, undefined, 'variableGrads');
  if (value.rank !== 0) {
    const shape = shapeToString(value.shape);
    if (fresh) value.dispose();
    g.forEach((t) => t.dispose());
    throw new RangeError(`variableGrads: f must return a scalar, got shape ${shape}`);
  }
  return { value, grads: Object.fromEntries(vars.map((v, i) => [v.name, g[i]])) };
}

/** Runs fn without recording on any tape: its results are constants. */
export function noGrad<T>(fn: () => T): T {
  return withoutRecording(fn);
}

/**
 * Keras' GradientTape: `tape.watch(x)`, `y = tape.record(() => f(x))`, `tape.gradient(y, [x])`.
 * Trainable variables are watched automatically. A tape gives gradients once unless persistent.
 */
export class GradientTape {
  private readonly tape = new Tape();
  private used = false;
  readonly persistent: boolean;

  constructor(options: { persistent?: boolean; watchAccessedVariables?: boolean } = {}) {
    this.persistent = options.persistent ?? false;
    if (options.watchAccessedVariables ?? true) trainableVariables().forEach((v) => this.tape.watch(v));
  }

  watch(...tensors: (Tensor | Tensor[])[]): void {
    const list = tensors.flat();
    checkDifferentiable(list, 'GradientTape.watch');
    list.forEach((t) => this.tape.watch(t));
  }

  record<T>(fn: () => T): T {
    if (this.used) throw new Error('GradientTape: this tape has given its gradients already; make a new one or use { persistent: true }');
    return recordOn(this.tape, fn);
  }

  /** d(target)/d(source) for each source (zeros where target does not depend on it). */
  gradient(target: Tensor, sources: Tensor | Tensor[], outputGradient?: Tensor): Tensor | Tensor[] {
    if (this.used) throw new Error('GradientTape.gradient: a non-persistent tape can give gradients only once');
    checkOutput(target, 'GradientTape.gradient');
    const list = Array.isArray(sources) ? sources : [sources];
    checkDifferentiable(list, 'GradientTape.gradient');
    const result = backprop(this.tape, target, list, outputGradient);
    if (!this.persistent) this.dispose();
    return Array.isArray(sources) ? result : result[0];
  }

  /** Frees what the tape keeps for the backward pass. */
  dispose(): void {
    this.used = true;
    this.tape.dispose();
  }
}
