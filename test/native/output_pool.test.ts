/**
 * The native output pool: a freed kernel output is handed to the next output of its type and
 * length, only once no tensor (or view, or tape copy) refers to it; arrays that did not come
 * from the pool never enter it; and a training step in the steady state allocates nothing.
 */
import { describe, expect, it } from 'vitest';
import * as et from '../../src/index.js';
import { readValues } from '../../src/engine.js';
import { giveBack, outputPoolStats, takeOutput } from '../../src/backend/native/output_pool.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import { seeded } from '../helpers.js';

describe.skipIf(!loadAddon().addon)('native output pool', () => {
  const use = () => et.setBackend('native');

  it('hands a freed output to the next of its size, only after its last view is gone', () => {
    use();
    const x = et.tensor(seeded([64, 64], 1), [64, 64]);
    const y = et.relu(x);
    const storage = readValues(y);
    const view = et.reshape(y, [4096]);
    y.dispose();
    const z = et.exp(x);
    expect(readValues(z)).not.toBe(storage); // the view still holds it
    expect(Array.from(readValues(view).slice(0, 4))).toEqual(Array.from(seeded([64, 64], 1).slice(0, 4), (v) => Math.max(v, 0)));
    view.dispose();
    const w = et.neg(x);
    expect(readValues(w)).toBe(storage);
    expect(Array.from(w.dataSync().slice(0, 3))).toEqual(Array.from(seeded([64, 64], 1).slice(0, 3), (v) => -v));
    et.dispose([x, z, w]);
  });

  it('reuses small outputs too (a fresh one would be moved out of V8\'s heap by every addon call)', () => {
    const loss = takeOutput('float32', 1);
    giveBack(loss);
    expect(takeOutput('float32', 1)).toBe(loss);
    const biasGrad = takeOutput('float32', 10);
    giveBack(biasGrad);
    expect(takeOutput('int32', 10)).not.toBe(biasGrad);
    expect(takeOutput('float32', 10)).toBe(biasGrad);
  });

  it('never takes in an array it did not hand out', () => {
    const mine = new Float32Array(5000).fill(7);
    giveBack(mine);
    const out = takeOutput('float32', 5000);
    expect(out).not.toBe(mine);
    expect(mine[0]).toBe(7);
  });

  it('allocates nothing in the steady state of a training step', async () => {
    use();
    et.setSeed(3);
    const model = et.models.mlp();
    const x = et.tensor(seeded([64, 784], 2, 0, 1), [64, 784]);
    const y = et.tensor(Int32Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32');
    await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0, shuffle: false });
    const before = outputPoolStats();
    await model.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0, shuffle: false });
    const after = outputPoolStats();
    expect(after.allocated).toBe(before.allocated);
    // 10 steps, each reusing its batch, the hidden layers' outputs and the large gradients.
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(10 * 6);
    model.dispose();
    et.dispose([x, y]);
  });
});
