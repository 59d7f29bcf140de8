import { describe, expect, it, vi } from 'vitest';
import * as et from '../src/index.js';
import { KERNEL_NAMES } from '../src/backend/kernel.js';
import { CpuBackend } from '../src/backend/backend.js';
import { installBackend } from '../src/backend/selector.js';

describe('engine: memory, tidy, backends', () => {
  it('tidy disposes intermediates and keeps the result', () => {
    et.setBackend('js');
    const before = et.memory().numTensors;
    const x = et.tensor([1, 2, 3]);
    const y = et.tidy(() => x.add(1).mul(2).sum());
    expect(y.dataSync()[0]).toBe(18);
    expect(et.memory().numTensors).toBe(before + 2);
    y.dispose();
    x.dispose();
    expect(et.memory().numTensors).toBe(before);
    expect(() => x.dataSync()).toThrow(/disposed/);
  });

  it('ops leave no intermediate tensors behind', () => {
    et.setBackend('js');
    const x = et.tensor([[1, 2], [3, 4]]);
    const before = et.memory();
    const out = [et.variance(x, 0), et.softmax(x, 0), et.matMul(x, x, true), et.add(x, 3), et.gelu(x, true), et.mean(x)];
    expect(et.memory().numTensors).toBe(before.numTensors + out.length);
    et.dispose(out);
    expect(et.memory()).toEqual(before);
  });

  it('reshape shares storage; the buffer lives until its last view is disposed', () => {
    et.setBackend('js');
    const before = et.memory();
    const x = et.zeros([4, 4]);
    const v = x.reshape([16]);
    expect(et.memory().numDataBuffers).toBe(before.numDataBuffers + 1);
    x.dispose();
    expect(et.memory().numBytes).toBe(before.numBytes + 64);
    v.dispose();
    expect(et.memory()).toEqual(before);
  });

  it('keep() lets a tensor outlive its tidy scope', () => {
    let kept: et.Tensor | undefined;
    et.tidy(() => {
      kept = et.keep(et.ones([2]));
      et.ones([3]);
    });
    expect(kept!.isDisposed).toBe(false);
    kept!.dispose();
  });

  it('setBackend names the allowed values and explains unavailable backends', () => {
    expect(() => et.setBackend('cuda' as et.BackendName)).toThrow(/unknown backend "cuda"; expected one of 'native', 'gpu', 'js'/);
    // Where there is no adapter the reason is given (test/gpu/no-adapter.test.ts runs that case for real).
    if (et.backends().includes('gpu')) expect(() => et.setBackend('gpu')).not.toThrow();
    else expect(() => et.setBackend('gpu')).toThrow(/backend 'gpu' is not available: no WebGPU device/);
    et.setBackend('js');
    expect(et.backends()).toContain('js');
  });

  it('refuses to mix tensors of two backends and says which lives where', () => {
    if (!et.backends().includes('native')) return;
    et.setBackend('js');
    const a = et.ones([2]);
    et.setBackend('native');
    const b = et.ones([2]);
    expect(() => et.add(a, b)).toThrow(/input 0 \[2\] on 'js', input 1 \[2\] on 'native'/);
    expect(Array.from(et.add(a.to('native'), b).dataSync())).toEqual([2, 2]);
  });

  it('every kernel exists on js; a backend lacking kernels falls back to js with a one-time notice', () => {
    expect(et.implementedKernels('js')).toEqual([...KERNEL_NAMES].sort());
    // native lacks no kernel, so the fallback is shown on a host-memory backend with none of its own.
    const name = 'kernelless' as et.BackendName;
    const probe = (x: et.Tensor, v: et.Tensor) => [
      et.exp(x), et.add(x, v), et.matMul(x, x, false, true), et.sum(x, 1), et.softmax(x),
      et.tile(v, [2]), et.where(et.greater(x, 0), x, v), et.gather(x, [1, 0, 1], 1),
    ];
    et.setBackend('js');
    const x = et.tensor([[1, -2, 3], [0.5, 4, -1]]);
    const v = et.tensor([0.25, -1, 2]);
    const onJs = et.profile(() => probe(x, v));
    const expected = onJs.result.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }));
    const ran = onJs.kernels.map((k) => k.name);
    expect(ran).toEqual(expect.arrayContaining(['Exp', 'Add', 'MatMul', 'Sum', 'Softmax', 'Tile', 'Where', 'Gather']));
    const uninstall = installBackend(new CpuBackend(name));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const [xk, vk] = [x.to(name), v.to(name)];
    try {
      for (const pass of ['first', 'second']) {
        const out = probe(xk, vk);
        expect(out.map((t) => ({ shape: t.shape, dtype: t.dtype, values: Array.from(t.dataSync()) }))).toEqual(expected);
        expect(out.every((t) => t.backend === name)).toBe(true);
        const notices = warn.mock.calls.map((c) => String(c[0])).sort();
        const once = ran.map((k) => `edgetensor: backend '${name}' has no ${k} kernel; running the js kernel instead`).sort();
        expect(notices, `${pass} call`).toEqual(pass === 'first' ? once : []);
        warn.mockClear();
        et.dispose(out);
      }
    } finally {
      warn.mockRestore();
      et.dispose([...onJs.result, x, v, xk, vk]);
      uninstall();
    }
  });
});

describe('tidy when the function throws', () => {
  it('disposes what the scope made and rethrows', () => {
    et.setBackend('js');
    const before = et.memory();
    expect(() =>
      et.tidy(() => {
        et.ones([3]).add(1);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    const z = et.zeros([2]);
    // The op converts [[1, 2, 3]] to a tensor before the shapes fail to broadcast.
    expect(() => et.add(z, [[1, 2, 3]])).toThrow(/cannot be broadcast/);
    z.dispose();
    expect(et.memory()).toEqual(before);
  });
});

describe('profile', () => {
  it('splits wall time into kernel time and the rest, per kernel', () => {
    et.setBackend('js');
    const a = et.ones([64, 64]);
    const p = et.profile(() => et.tidy(() => et.matMul(a, a).add(1).sum()));
    expect(p.kernels.map((k) => k.name).sort()).toEqual(['Add', 'MatMul', 'Sum']);
    expect(p.kernels.every((k) => k.calls === 1 && k.ms >= 0)).toBe(true);
    expect(p.kernelMs).toBeLessThanOrEqual(p.wallMs);
    expect(p.result.dataSync()[0]).toBe(65 * 64 * 64);
    expect(p.newTensors).toBe(1);
    expect(() => et.profile(() => et.profile(() => 1))).toThrow(/do not nest/);
    et.dispose([a, p.result]);
  });
});
