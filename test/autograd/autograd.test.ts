/**
 * Autograd behaviour on every target: broadcast gradients, second-order gradients, memory over
 * training steps, GradientTape, variableGrads, noGrad, constants, and the errors of bad input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { TARGETS, expectClose, seeded, useTarget } from '../helpers.js';

const close = (t: et.Tensor, values: ArrayLike<number>, shape: number[], rtol = 1e-5, atol = 1e-6) =>
  expectClose(t, { values: Array.from(values), shape }, rtol, atol);

/** Row-major [r, c] product of plain arrays in float64. */
function matmul(a: ArrayLike<number>, b: ArrayLike<number>, r: number, k: number, c: number): number[] {
  const out = new Array<number>(r * c).fill(0);
  for (let i = 0; i < r; i++) for (let p = 0; p < k; p++) for (let j = 0; j < c; j++) out[i * c + j] += a[i * k + p] * b[p * c + j];
  return out;
}
function transpose2(a: ArrayLike<number>, r: number, c: number): number[] {
  return Array.from({ length: r * c }, (_, idx) => a[(idx % r) * c + Math.floor(idx / r)]);
}

describe.each(TARGETS)('autograd on $name', (target) => {
  useTarget(target);
  const made: et.Variable[] = [];
  /** A variable with a name unique to this target, disposed after the test. */
  const variable = (init: et.Tensor, name: string, trainable = true) => {
    const v = et.variable(init, trainable, `${target.name}/${name}`);
    made.push(v);
    return v;
  };
  afterEach(() => {
    made.splice(0).forEach((v) => v.dispose());
  });

  describe('broadcasting', () => {
    it('sums the gradient of a broadcast operand back to its shape', () => {
      const a = et.tensor(seeded([2, 3, 4], 1), [2, 3, 4]);
      const b = et.tensor(seeded([3, 1], 2), [3, 1]);
      const c = et.tensor(seeded([4], 3), [4]);
      const s = et.scalar(0.5);
      const [ga, gb, gc, gs] = et.grads((x, y, z, w) => et.sum(et.mul(et.add(et.mul(x, y), z), w)))([a, b, c, s]);
      expect(ga.shape).toEqual([2, 3, 4]);
      expect(gb.shape).toEqual([3, 1]);
      expect(gc.shape).toEqual([4]);
      expect(gs.shape).toEqual([]);
      const av = a.dataSync();
      const bv = b.dataSync();
      const cv = c.dataSync();
      // d/da = b w; d/db[j] = sum over i, k of a w; d/dc[k] = sum over i, j of w = 6 w; d/dw = sum(a b + c).
      close(ga, Array.from(av, (_, i) => bv[Math.floor(i / 4) % 3] * 0.5), [2, 3, 4]);
      close(gb, [0, 1, 2].map((j) => 0.5 * [0, 1].reduce((p, i) => p + [0, 1, 2, 3].reduce((q, k) => q + av[i * 12 + j * 4 + k], 0), 0)), [3, 1]);
      close(gc, new Array(4).fill(3), [4]);
      let total = 0;
      for (let i = 0; i < 24; i++) total += av[i] * bv[Math.floor(i / 4) % 3] + cv[i % 4];
      close(gs, [total], [], 1e-5, 1e-5);
    });

    it('broadcasts through sub, div, pow, maximum and where with the right reductions', () => {
      const a = et.tensor(seeded([2, 3], 4, 0.5, 2), [2, 3]);
      const b = et.tensor([1.5, -0.5, 2], [3]);
      const [, gbSub] = et.grads((x, y) => et.sum(et.sub(x, y)))([a, b]);
      close(gbSub, [-2, -2, -2], [3]);
      const [, gbDiv] = et.grads((x, y) => et.sum(et.div(x, y)))([a, b]);
      const av = a.dataSync();
      const bv = b.dataSync();
      close(gbDiv, [0, 1, 2].map((j) => -(av[j] + av[3 + j]) / bv[j] ** 2), [3]);
      const [gaMax, gbMax] = et.grads((x, y) => et.sum(et.maximum(x, y)))([a, b]);
      close(gaMax, Array.from(av, (v, i) => (v >= bv[i % 3] ? 1 : 0)), [2, 3]);
      close(gbMax, [0, 1, 2].map((j) => (av[j] < bv[j] ? 1 : 0) + (av[3 + j] < bv[j] ? 1 : 0)), [3]);
      const cond = et.tensor([[true], [false]]);
      const [gw1, gw2] = et.grads((x, y) => et.sum(et.where(cond, x, y)))([et.ones([3]), et.ones([2, 1])]);
      close(gw1, [1, 1, 1], [3]);
      close(gw2, [0, 3], [2, 1]);
    });
  });

  describe('second-order gradients', () => {
    const x0 = seeded([7], 5, -1.5, 1.5);
    const d2 = (f: (t: et.Tensor) => et.Tensor) => et.grad((t) => et.grad(f)(t))(et.tensor(x0, [7]));

    it.each([
      ['x^3 via pow', (t: et.Tensor) => et.pow(t, 3), (x: number) => 6 * x],
      ['x^3 via mul', (t: et.Tensor) => et.mul(t, et.mul(t, t)), (x: number) => 6 * x],
      ['sin', (t: et.Tensor) => et.sin(t), (x: number) => -Math.sin(x)],
      ['cos', (t: et.Tensor) => et.cos(t), (x: number) => -Math.cos(x)],
      ['tanh', (t: et.Tensor) => et.tanh(t), (x: number) => -2 * Math.tanh(x) * (1 - Math.tanh(x) ** 2)],
      ['sigmoid', (t: et.Tensor) => et.sigmoid(t), (x: number) => {
        const s = 1 / (1 + Math.exp(-x));
        return s * (1 - s) * (1 - 2 * s);
      }],
      ['exp', (t: et.Tensor) => et.exp(t), (x: number) => Math.exp(x)],
      ['square', (t: et.Tensor) => et.square(t), () => 2],
      ['softplus', (t: et.Tensor) => et.softplus(t), (x: number) => {
        const s = 1 / (1 + Math.exp(-x));
        return s * (1 - s);
      }],
      ['log1p(x^2)', (t: et.Tensor) => et.log1p(et.square(t)), (x: number) => (2 - 2 * x * x) / (1 + x * x) ** 2],
    ] as const)('d2/dx2 of %s', (_, f, expected) => {
      close(d2(f), Array.from(x0, expected), [7], 1e-5, 1e-5);
    });

    it('third derivative of x^4 is 24x', () => {
      const x = et.tensor(x0, [7]);
      const f = (t: et.Tensor) => et.pow(t, 4);
      const d3 = et.grad((t) => et.grad((u) => et.grad(f)(u))(t))(x);
      close(d3, Array.from(x0, (v) => 24 * v), [7], 1e-5, 1e-5);
    });

    it('the Hessian-vector product of sum((xW)^2) is 2 v W W^T (and its W-derivative)', () => {
      const [n, d, h] = [2, 3, 4];
      const xv = seeded([n, d], 6);
      const wv = seeded([d, h], 7);
      const vv = seeded([n, d], 8);
      const x = et.tensor(xv, [n, d]);
      const w = et.tensor(wv, [d, h]);
      const v = et.tensor(vv, [n, d]);
      const f = (a: et.Tensor, b: et.Tensor) => et.sum(et.square(et.matMul(a, b)));
      const gradX = (a: et.Tensor, b: et.Tensor) => et.grads(f)([a, b])[0];
      // The gradient itself: 2 (xW) W^T.
      const wwt = matmul(wv, transpose2(wv, d, h), d, h, d);
      close(gradX(x, w), matmul(xv, wwt, n, d, d).map((q) => 2 * q), [n, d]);
      // d/dx sum(gradX * v) = 2 v W W^T; d/dW = 2 (x^T v + v^T x) W.
      const [hx, hw] = et.grads((a, b) => et.sum(et.mul(gradX(a, b), v)))([x, w]);
      close(hx, matmul(vv, wwt, n, d, d).map((q) => 2 * q), [n, d], 1e-5, 1e-5);
      const xtv = matmul(transpose2(xv, n, d), vv, d, n, d);
      const sym = xtv.map((q, i) => q + xtv[(i % d) * d + Math.floor(i / d)]);
      close(hw, matmul(sym, wv, d, d, h).map((q) => 2 * q), [d, h], 1e-5, 1e-5);
    });

    it('a GradientTape inside a GradientTape gives the second derivative', () => {
      const x = et.tensor([0.5, -1, 2]);
      const outer = new et.GradientTape();
      outer.watch(x);
      const [dydx, target] = outer.record(() => {
        const inner = new et.GradientTape();
        inner.watch(x);
        const y = inner.record(() => et.sum(et.pow(x, 3)));
        const g = inner.gradient(y, x) as et.Tensor;
        return [g, et.sum(g)];
      });
      close(dydx, [0.75, 3, 12], [3]);
      close(outer.gradient(target, x) as et.Tensor, [3, -6, 12], [3]);
    });
  });

  describe('memory', () => {
    it('numTensors and numBytes do not grow over 50 training steps of a small MLP', () => {
      const [n, d, h, k] = [8, 4, 6, 3];
      const x = et.tensor(seeded([n, d], 9), [n, d]);
      const labels = et.oneHot(et.tensor([0, 1, 2, 0, 1, 2, 1, 0], [n], 'int32'), k).cast('float32');
      const w1 = variable(et.tensor(seeded([d, h], 10, -0.5, 0.5), [d, h]), 'w1');
      const b1 = variable(et.zeros([h]), 'b1');
      const w2 = variable(et.tensor(seeded([h, k], 11, -0.5, 0.5), [h, k]), 'w2');
      const b2 = variable(et.zeros([k]), 'b2');
      const vars = [w1, b1, w2, b2];
      const loss = () => {
        const logits = et.add(et.matMul(et.relu(et.add(et.matMul(x, w1), b1)), w2), b2);
        // Cross-entropy twice: from logSoftmax and from log(softmax); their mean.
        const ce1 = et.neg(et.mean(et.sum(et.mul(labels, et.logSoftmax(logits)), 1)));
        const ce2 = et.neg(et.mean(et.sum(et.mul(labels, et.log(et.softmax(logits))), 1)));
        return et.mul(et.add(ce1, ce2), 0.5);
      };
      const step = (): number =>
        et.tidy(() => {
          const { value, grads } = et.variableGrads(loss, vars);
          for (const v of vars) v.assign(et.sub(v, et.mul(grads[v.name], 0.5)));
          return value.dataSync()[0];
        });
      const first = step();
      const after1 = et.memory();
      let last = first;
      for (let i = 1; i < 50; i++) last = step();
      const after50 = et.memory();
      expect(after50.numTensors).toBe(after1.numTensors);
      expect(after50.numBytes).toBe(after1.numBytes);
      expect(after50.numDataBuffers).toBe(after1.numDataBuffers);
      expect(last).toBeLessThan(first * 0.5);
      x.dispose();
      labels.dispose();
    });

    it('grad, grads, valueAndGrad and GradientTape leave nothing behind but their results', () => {
      const x = et.tensor(seeded([3, 4], 12), [3, 4]);
      const w = et.tensor(seeded([4, 2], 13), [4, 2]);
      const f = (a: et.Tensor, b: et.Tensor) => et.sum(et.softmax(et.tanh(et.matMul(a, b))));
      const before = et.memory();
      et.grad((a) => f(a, w))(x).dispose();
      et.grads(f)([x, w]).forEach((t) => t.dispose());
      const { value, grad } = et.valueAndGrad((a) => f(a, w))(x);
      value.dispose();
      grad.dispose();
      et.grad((a) => et.grad((b) => f(b, w))(a))(x).dispose();
      const tape = new et.GradientTape({ persistent: true });
      tape.watch(x);
      const y = tape.record(() => et.tidy(() => f(x, w)));
      (tape.gradient(y, x) as et.Tensor).dispose();
      (tape.gradient(y, [x]) as et.Tensor[])[0].dispose();
      y.dispose();
      tape.dispose();
      expect(et.memory()).toEqual(before);
    });

    it('a failing gradient leaks nothing', () => {
      const x = et.tensor([1, 2]);
      const dy = et.ones([3]);
      const before = et.memory().numTensors;
      expect(() => et.grad((t) => et.exp(t))(x, dy)).toThrow();
      expect(() => et.grad(() => 3 as unknown as et.Tensor)(x)).toThrow();
      expect(et.memory().numTensors).toBe(before);
    });
  });

  describe('GradientTape', () => {
    it('watch, record, gradient', () => {
      const x = et.tensor([1, 2, 3]);
      const tape = new et.GradientTape();
      tape.watch(x);
      const y = tape.record(() => et.sum(et.mul(x, x)));
      close(tape.gradient(y, x) as et.Tensor, [2, 4, 6], [3]);
    });

    it('a non-persistent tape gives gradients once; a persistent one twice', () => {
      const x = et.tensor([1, 2, 3]);
      const tape = new et.GradientTape();
      tape.watch(x);
      const y = tape.record(() => et.sum(et.exp(x)));
      tape.gradient(y, x);
      expect(() => tape.gradient(y, x)).toThrow(/only once/);
      expect(() => tape.record(() => et.exp(x))).toThrow(/persistent/);

      const p = new et.GradientTape({ persistent: true });
      p.watch(x);
      const z = p.record(() => et.sum(et.square(x)));
      const w = p.record(() => et.sum(et.mul(z, x)));
      close(p.gradient(z, x) as et.Tensor, [2, 4, 6], [3]);
      // w = sum(x^2) sum(x): dw/dx = 2x sum(x) + sum(x^2)
      close((p.gradient(w, [x]) as et.Tensor[])[0], [26, 38, 50], [3]);
      close(p.gradient(z, x) as et.Tensor, [2, 4, 6], [3]);
      p.dispose();
      expect(() => p.gradient(z, x)).toThrow();
    });

    it('watches trainable variables automatically, not untrainable ones or unwatched tensors', () => {
      const v = variable(et.tensor([1, 2]), 'v');
      const frozen = variable(et.tensor([3, 4]), 'frozen', false);
      const c = et.tensor([5, 6]);
      const tape = new et.GradientTape({ persistent: true });
      const y = tape.record(() => et.sum(et.mul(et.mul(v, frozen), c)));
      const [gv, gf, gc] = tape.gradient(y, [v, frozen, c]) as et.Tensor[];
      close(gv, [15, 24], [2]);
      close(gf, [0, 0], [2]);
      close(gc, [0, 0], [2]);
      tape.dispose();
      const noAuto = new et.GradientTape({ watchAccessedVariables: false });
      const y2 = noAuto.record(() => et.sum(et.mul(v, v)));
      close(noAuto.gradient(y2, v) as et.Tensor, [0, 0], [2]);
    });

    it('runs only the backward kernels that lead to the sources asked for', () => {
      const a = et.tensor(seeded([3, 4], 21), [3, 4]);
      const b = et.tensor(seeded([3, 4], 22), [3, 4]);
      const w = et.tensor(seeded([4, 5], 23), [4, 5]);
      const tape = new et.GradientTape({ persistent: true });
      tape.watch(a, b);
      const y = tape.record(() => et.add(et.sum(et.matMul(a, w)), et.sum(et.exp(et.matMul(b, w)))));
      // d/da: one MatMul (dy w^T); b's branch (the Exp gradient's Mul, b's MatMul) never runs.
      const run = et.profile(() => tape.gradient(y, [a]) as et.Tensor[]);
      expect(run.kernels.find((k) => k.name === 'MatMul')?.calls).toBe(1);
      expect(run.kernels.some((k) => k.name === 'Mul')).toBe(false);
      const rowSums = Array.from({ length: 4 }, (_, i) => Array.from(w.dataSync().slice(i * 5, i * 5 + 5)).reduce((s, v) => s + v, 0));
      close(run.result[0], Array.from({ length: 12 }, (_, k) => rowSums[k % 4]), [3, 4]);
      const both = tape.gradient(y, [a, b]) as et.Tensor[];
      expectClose(both[0], { values: Array.from(run.result[0].dataSync()), shape: [3, 4] });
      tape.dispose();
    });

    it('dispose frees the tensors it saved', () => {
      const x = et.tensor(seeded([4, 4], 14), [4, 4]);
      const before = et.memory();
      const tape = new et.GradientTape({ persistent: true });
      tape.watch(x);
      et.tidy(() => {
        tape.record(() => et.sum(et.sigmoid(et.matMul(x, x))));
      });
      const recorded = et.memory();
      expect(recorded.numTensors).toBeGreaterThan(before.numTensors);
      tape.dispose();
      expect(et.memory()).toEqual(before);
    });

    it('reports bad arguments', () => {
      const tape = new et.GradientTape();
      expect(() => tape.watch(et.tensor([1, 2], [2], 'int32'))).toThrow(/float32.*int32/);
      expect(() => tape.gradient(3 as unknown as et.Tensor, et.tensor([1]))).toThrow(/must return a Tensor|Tensor/);
    });
  });

  describe('variableGrads', () => {
    it('defaults to every trainable variable', () => {
      const a = variable(et.tensor([1, 2]), 'a');
      const b = variable(et.tensor([[3]]), 'b');
      const frozen = variable(et.tensor([4, 5]), 'frozen', false);
      const { value, grads } = et.variableGrads(() => et.sum(et.mul(et.mul(a, b), frozen)));
      close(value, [3 * 4 + 6 * 5], []);
      expect(Object.keys(grads).sort()).toEqual([a.name, b.name].sort());
      close(grads[a.name], [12, 15], [2]);
      close(grads[b.name], [14], [1, 1]);
      const only = et.variableGrads(() => et.sum(et.mul(a, b)), [b]);
      expect(Object.keys(only.grads)).toEqual([b.name]);
    });

    it('throws a clear error when f is not a scalar, and leaves the variables alone', () => {
      const a = variable(et.tensor([1, 2]), 'a');
      expect(() => et.variableGrads(() => et.mul(a, 2))).toThrow(/must return a scalar, got shape \[2\]/);
      expect(() => et.variableGrads(() => a)).toThrow(/must return a scalar/);
      expect(a.isDisposed).toBe(false);
      close(a, [1, 2], [2]);
    });
  });

  describe('noGrad and constants', () => {
    it('noGrad results are constants: their gradient is zero', () => {
      const x = et.tensor([1, 2, 3]);
      const g = et.grad((t) => et.add(et.sum(et.noGrad(() => et.mul(t, t))), et.sum(t)))(x);
      close(g, [1, 1, 1], [3]);
      close(et.grad((t) => et.sum(et.noGrad(() => et.exp(t))))(x), [0, 0, 0], [3]);
    });

    it('the gradient of a function that does not depend on x is zeros of x\'s shape', () => {
      const x = et.tensor(seeded([2, 3], 15), [2, 3]);
      const c = et.tensor([1, 2]);
      close(et.grad(() => et.sum(et.mul(c, 2)))(x), new Array(6).fill(0), [2, 3]);
      close(et.grad(() => c)(x), new Array(6).fill(0), [2, 3]);
      expect(c.isDisposed).toBe(false); // f returned a tensor it did not make: not disposed
      const [gx, gy] = et.grads((a) => et.sum(a))([x, et.tensor([1])]);
      close(gx, new Array(6).fill(1), [2, 3]);
      close(gy, [0], [1]);
      // Comparisons and int outputs cut the graph.
      close(et.grad((t) => et.sum(et.cast(et.greater(t, 0), 'float32')))(x), new Array(6).fill(0), [2, 3]);
    });

    it('f may return its own input (the identity)', () => {
      const x = et.tensor([1, 2]);
      close(et.grad((t) => t)(x), [1, 1], [2]);
      expect(x.isDisposed).toBe(false);
      close(et.grads((a, b) => b)([x, x.mul(2)])[1], [1, 1], [2]);
      expect(x.isDisposed).toBe(false);
    });
  });

  describe('results are tensors of their own', () => {
    it('two sources never share a gradient tensor, and dy is never returned as a gradient', () => {
      const x = et.tensor([1, 2]);
      const y = et.tensor([3, 4]);
      const [ga, gb] = et.grads((a, b) => et.add(a, b))([x, y]);
      expect(ga).not.toBe(gb);
      ga.dispose();
      close(gb, [1, 1], [2]);
      const dy = et.tensor([5, 6]);
      const g = et.grad((t) => et.add(t, 1))(x, dy);
      expect(g).not.toBe(dy);
      g.dispose();
      expect(dy.isDisposed).toBe(false);
      close(et.grad((t) => t)(x, dy), [5, 6], [2]);
      const tape = new et.GradientTape();
      tape.watch([x, y]);
      const z = tape.record(() => et.add(x, y));
      const [tx, ty] = tape.gradient(z, [x, y], dy) as et.Tensor[];
      tx.dispose();
      close(ty, [5, 6], [2]);
      expect(dy.isDisposed).toBe(false);
      // The same tensor passed twice gets the whole gradient in both places.
      const [h1, h2] = et.grads((a, b) => et.sum(et.mul(a, b)))([x, x]);
      expect(h1).not.toBe(h2);
      close(h1, [2, 4], [2]);
      close(h2, [2, 4], [2]);
    });
  });

  describe('errors name what was wrong', () => {
    const x = et.tensor([1, 2]);
    it('differentiating with respect to an int32 tensor', () => {
      expect(() => et.grad((t) => et.sum(t))(et.tensor([1, 2], [2], 'int32'))).toThrow(/grad: .*float32.*argument 0 \[2\] is int32/);
      expect(() => et.grads((a, b) => et.add(a, b))([x, et.tensor([1, 0], [2], 'bool')])).toThrow(/grads: .*argument 1 \[2\] is bool/);
    });

    it('f returning a non-tensor', () => {
      expect(() => et.grad(() => 3 as unknown as et.Tensor)(x)).toThrow(/grad: f must return a Tensor, got number/);
      expect(() => et.valueAndGrads(() => null as unknown as et.Tensor)([x])).toThrow(/valueAndGrads: f must return a Tensor, got null/);
    });

    it('dy of the wrong shape', () => {
      expect(() => et.grad((t) => et.exp(t))(x, et.ones([3]))).toThrow(/dy has shape \[3\] but y has shape \[2\]/);
      expect(() => et.grads((t) => et.sum(t))([x], et.ones([1]))).toThrow(/dy has shape \[1\] but y has shape \[\]/);
    });

    it('grads without an array, and a disposed or non-tensor argument', () => {
      expect(() => et.grads((t) => t)(x as unknown as et.Tensor[])).toThrow(/pass the tensors as an array/);
      expect(() => et.grad((t) => t)([1, 2] as unknown as et.Tensor)).toThrow(/argument 0 must be a Tensor, got object/);
      const gone = et.tensor([1]);
      gone.dispose();
      expect(() => et.grad((t) => t)(gone)).toThrow(/disposed/);
    });
  });
});
