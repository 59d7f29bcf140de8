/**
 * What the gpu backend promises beyond the shared conformance suites (which run on it too):
 * tensors stay on the device between kernels, device buffers are freed by dispose / tidy and
 * stay flat across training steps, training matches native, int32 data stays exact, and bad
 * labels give the same clear error. Runs where an adapter exists (always in CI); elsewhere its
 * tests are reported skipped, with the reason.
 */
import { Worker } from 'node:worker_threads';
import { expect, it, vi } from 'vitest';
import * as et from '../../src/index.js';
import { getBackendInstance } from '../../src/backend/selector.js';
import { runKernel } from '../../src/engine.js';
import { describeGpu } from '../helpers.js';

describeGpu('the gpu backend', () => {

  it('keeps tensors on the device between kernels: one readback, at dataSync', () => {
    const readSync = vi.spyOn(getBackendInstance('gpu'), 'readSync');
    const x = et.tensor([[1, -2], [3, 4]]);
    const y = et.tidy(() => et.sum(et.relu(et.matMul(x, x)), 1));
    expect(readSync).not.toHaveBeenCalled();
    // x x = [[-5, -10], [15, 10]]
    expect(Array.from(y.dataSync())).toEqual([0, 25]);
    expect(readSync).toHaveBeenCalledTimes(1);
    readSync.mockRestore();
    et.dispose([x, y]);
  });

  it('runs a long synchronous loop that never yields (commands go out in bounded batches)', () => {
    // 40,000 commands (a run and a free per step) with no microtask turn in between: they must
    // not wait for the loop's end and go out as one message (the device thread crashed on that).
    const postMessage = vi.spyOn(Worker.prototype, 'postMessage');
    let x = et.zeros([4]);
    for (let i = 0; i < 20_000; i++) {
      const next = et.add(x, 1);
      x.dispose();
      x = next;
    }
    const batches = postMessage.mock.calls.map(([batch]) => (batch as unknown[]).length);
    postMessage.mockRestore();
    expect(batches.length).toBeGreaterThanOrEqual(100);
    expect(Math.max(...batches)).toBeLessThanOrEqual(256);
    expect(Array.from(x.dataSync())).toEqual([20_000, 20_000, 20_000, 20_000]);
    x.dispose();
  }, 120_000);

  it('frees device buffers on dispose and tidy, and keeps them flat across training steps', () => {
    const gpuMemory = () => et.memory().gpu!;
    const before = gpuMemory();
    const w = et.tidy(() => et.variable(et.randomNormal([16, 4], 0, 0.1, 3), true, 'gpu_soak_w'));
    const b = et.tidy(() => et.variable(et.zeros([4]), true, 'gpu_soak_b'));
    const x = et.randomUniform([8, 16], 0, 1, 4);
    const labels = et.tensor([0, 1, 2, 3, 0, 1, 2, 3], [8], 'int32');
    const optimizer = et.train.adam(0.01);
    const loss = () => et.losses.sparseCategoricalCrossentropy(labels, et.fused.matMul({ a: x, b: w, bias: b, activation: 'linear' }), { fromLogits: true });
    optimizer.minimize(loss, false, [w, b]);
    const afterFirst = gpuMemory();
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const cost = optimizer.minimize(loss, true, [w, b])!;
      if (step % 25 === 0) losses.push(cost.dataSync()[0]);
      cost.dispose();
    }
    expect(gpuMemory()).toEqual(afterFirst);
    expect(losses[3]).toBeLessThan(losses[0]);
    optimizer.dispose();
    et.dispose([w, b, x, labels]);
    expect(gpuMemory()).toEqual(before);
  });

  it("trains the documents' MLP like native: the same loss each epoch and the same accuracy", async () => {
    const run = async (backend: et.BackendName) => {
      et.setBackend(backend);
      const r = await et.models.trainMlp({ epochs: 2, seed: 3, verbose: 0, trainSamples: 1536 });
      r.model.dispose();
      return r;
    };
    const native = await run(et.backends().includes('native') ? 'native' : 'js');
    const gpu = await run('gpu');
    const [nativeLoss, gpuLoss] = [native.history.history.loss as number[], gpu.history.history.loss as number[]];
    gpuLoss.forEach((l, epoch) => expect(Math.abs(l - nativeLoss[epoch]) / nativeLoss[epoch]).toBeLessThan(1e-3));
    expect(Math.abs(gpu.testAccuracy - native.testAccuracy)).toBeLessThanOrEqual(0.005);
  });

  it("trains the documents' GAN like native: the same D and G losses and D outputs each epoch", async () => {
    const run = async (backend: et.BackendName) => {
      et.setBackend(backend);
      const r = await et.models.trainGan({ epochs: 2, seed: 5, verbose: 0, trainSamples: 256 });
      r.gan.dispose();
      return r.epochs;
    };
    const native = await run(et.backends().includes('native') ? 'native' : 'js');
    const gpu = await run('gpu');
    expect(gpu).toHaveLength(2);
    gpu.forEach((log, epoch) => {
      for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'] as const) {
        expect(Math.abs(log[key] - native[epoch][key]) / Math.abs(native[epoch][key]), `${key} at epoch ${epoch + 1}`).toBeLessThan(1e-3);
      }
    });
  }, 120_000);

  it('keeps int32 data exact beyond 2^24 (int32 arithmetic runs on the CPU)', () => {
    const big = et.tensor([2 ** 31 - 1, -(2 ** 30) - 3, 16777217], [3], 'int32');
    expect(Array.from(big.dataSync())).toEqual([2 ** 31 - 1, -(2 ** 30) - 3, 16777217]);
    expect(Array.from(et.sub(big, et.tensor([1, 1, 1], [3], 'int32')).dataSync())).toEqual([2 ** 31 - 2, -(2 ** 30) - 4, 16777216]);
  });

  it('names a label outside the classes, in the loss and in the fused kernel itself', () => {
    const logits = et.zeros([2, 3]);
    const labels = et.tensor([0, 3], [2], 'int32');
    expect(() => et.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true })).toThrow(/label 3 .*out of range for 3 classes/);
    expect(() => runKernel('SparseSoftmaxCrossEntropy', [logits, labels], { reduction: 'mean' })).toThrow(
      /label 3 at position 1 is outside the classes \[0, 2\]/,
    );
    et.dispose([logits, labels]);
  });
});
