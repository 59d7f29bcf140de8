/**
 * Optimizer updates on the gpu. A gpu.js kernel writes a new buffer rather than its inputs, so
 * an update computes each written tensor's new values (slots first, then the parameter from
 * the new slots) and points the tensor's storage at them; the engine has made that storage
 * exclusive beforehand, so no one else sees the change (the contract of an in-place kernel).
 */
import { optimizerGroups, type OptimizerKernelName, type TensorInfo } from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import type { GpuData } from '../backend.js';
import { gpuKernel } from '../kernel_config.js';
import { gpuBackend, launchBuffer, program } from '../program.js';

type Info = TensorInfo<GpuData>;
type Attrs = Record<string, unknown>;

/** Computes `body` (over v0, v1, ... = the given tensors' elements, and p0, p1, ...) for one tensor's shape. */
function update(name: string, body: string, tensors: readonly Info[], params: readonly number[]): GpuData {
  const p = program(name, [
    ...tensors.map((_, j) => [`x${j}`, 'Array'] as const), ...params.map((_, k) => [`p${k}`, 'Float'] as const),
  ], [...tensors.map((_, j) => `const v${j} = x${j}[this.thread.x];`), body].join('\n'));
  return launchBuffer(p, [...tensors.map((t) => t.data), ...params], tensors[0].data.length, 'float32');
}

/** Points each tensor at its new buffer, once every new value is computed from the old ones. */
function commit(writes: [Info, GpuData][]): void {
  const backend = gpuBackend();
  writes.forEach(([t, fresh]) => backend.replaceBuffer(t.data, fresh));
}

/** A tensor's new values, not yet committed, as an input of a later program. */
const pending = (t: Info, fresh: GpuData): Info => ({ ...t, data: fresh });

const RULES: Record<OptimizerKernelName, (group: Info[], a: Attrs) => [Info, GpuData][]> = {
  SgdUpdate: ([p, g], a) => [[p, update('SgdUpdate', 'return v0 - p0 * v1;', [p, g], [a.lr as number])]],
  MomentumUpdate: ([p, g, accum], a) => {
    const acc = update('MomentumAccumulate', 'return p0 * v0 + v1;', [accum, g], [a.momentum as number]);
    const direction = a.nesterov ? 'v1 + p1 * v2' : 'v2';
    const next = update(`MomentumStep/${a.nesterov ? 'nesterov' : 'plain'}`, `return v0 - p0 * (${direction});`, [p, g, pending(accum, acc)], [a.lr as number, a.momentum as number]);
    return [[accum, acc], [p, next]];
  },
  AdamUpdate: ([p, g, m, v], a) => {
    const [b1, b2, t] = [a.beta1 as number, a.beta2 as number, a.iteration as number];
    const m2 = update('AdamFirstMoment', 'return p0 * v0 + (1 - p0) * v1;', [m, g], [b1]);
    const v2 = update('AdamSecondMoment', 'return p0 * v0 + (1 - p0) * v1 * v1;', [v, g], [b2]);
    const lr = a.lr as number;
    const next = update('AdamStep', 'const decayed = v0 - p3 * v0;\nreturn decayed - p0 * v1 / (Math.sqrt(v2 * p1) + p2);',
      [p, pending(m, m2), pending(v, v2)], [lr / (1 - b1 ** t), 1 / (1 - b2 ** t), a.epsilon as number, lr * (a.weightDecay as number)]);
    return [[m, m2], [v, v2], [p, next]];
  },
  RmspropUpdate: ([p, g, ms, mom, mg], a) => {
    const [decay, momentum, lr, eps] = [a.decay as number, a.momentum as number, a.lr as number, a.epsilon as number];
    const ms2 = update('RmspropMeanSquare', 'return p0 * v0 + (1 - p0) * v1 * v1;', [ms, g], [decay]);
    const writes: [Info, GpuData][] = [[ms, ms2]];
    let mom2: GpuData;
    if (a.centered) {
      const mg2 = update('RmspropMeanGradient', 'return p0 * v0 + (1 - p0) * v1;', [mg, g], [decay]);
      writes.push([mg, mg2]);
      mom2 = update('RmspropCenteredMomentum', 'return p0 * v0 + p1 * v1 / Math.sqrt(v2 - v3 * v3 + p2);', [mom, g, pending(ms, ms2), pending(mg, mg2)], [momentum, lr, eps]);
    } else {
      mom2 = update('RmspropMomentum', 'return p0 * v0 + p1 * v1 / Math.sqrt(v2 + p2);', [mom, g, pending(ms, ms2)], [momentum, lr, eps]);
    }
    writes.push([mom, mom2], [p, update('RmspropStep', 'return v0 - v1;', [p, pending(mom, mom2)], [])]);
    return writes;
  },
};

export const kernels: KernelConfig[] = (Object.keys(RULES) as OptimizerKernelName[]).map((name) =>
  gpuKernel(name, (inputs, attrs) => {
    for (const group of optimizerGroups(name, inputs)) commit(RULES[name](group, attrs));
    return [];
  }),
);
