/**
 * The gpu soak test: 2,000 training steps of the documents' MLP (batch 32) on the gpu backend,
 * with the device's buffer count and bytes sampled along the way: they stay flat.
 */
import { expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { describeGpu } from '../helpers.js';

const STEPS = 2000;

describeGpu('soak on gpu', () => {

  it(`trains the MLP ${STEPS} steps with device buffers and bytes flat`, async () => {
    et.setSeed(5);
    const model = et.models.mlp();
    const x = et.randomUniform([32, 784], 0, 1, 6);
    const y = et.tensor(Int32Array.from({ length: 32 }, (_, i) => (i * 7) % 10));
    const samples: { numBuffers: number; numBytes: number }[] = [];
    const losses: number[] = [];
    for (let step = 1; step <= STEPS; step++) {
      const logs = await model.trainOnBatch(x, y);
      if (step % 500 === 0) {
        samples.push(et.memory().gpu!);
        losses.push((logs as number[])[0]);
      }
    }
    expect(samples.every((s) => s.numBuffers === samples[0].numBuffers && s.numBytes === samples[0].numBytes)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    model.dispose();
    et.dispose([x, y]);
    console.log(`gpu soak: ${STEPS} steps, device memory every 500 steps ${JSON.stringify(samples)}, loss ${losses.map((l) => l.toFixed(4)).join(' -> ')}`);
  }, 300_000);
});
