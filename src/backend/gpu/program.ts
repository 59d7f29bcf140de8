/**
 * gpu.js programs and their launch. A program is the source of a gpu.js kernel function with
 * declared argument types; the device thread compiles it once, with dynamic output and argument
 * sizes, so one compiled kernel serves every shape. Each thread computes one element of a flat
 * output (this.thread.x). gpu.js computes indices in float32, exact below 2^24, which bounds
 * the tensors the gpu kernels take (larger ones run on the CPU; see kernel_config.ts).
 */
import type { TensorInfo } from '../kernel.js';
import type { DType } from '../../types.js';
import { sizeOf } from '../../shape.js';
import type { GpuBackend, GpuData } from './backend.js';

export type ArgumentType = 'Array' | 'Float' | 'Integer';

export interface Program {
  readonly name: string;
  readonly source: string;
  readonly argumentTypes: Record<string, ArgumentType>;
}

/** Largest element count whose indices float32 represents exactly. */
export const MAX_GPU_ELEMENTS = 2 ** 24;

const programs = new Map<string, Program>();

/**
 * The program `name` (made on first use): a kernel function of the named parameters whose body
 * computes `return ...` for the output element this.thread.x.
 */
export function program(name: string, parameters: readonly (readonly [string, ArgumentType])[], body: string): Program {
  let p = programs.get(name);
  if (!p) {
    const source = `function (${parameters.map(([n]) => n).join(', ')}) {\n${body}\n}`;
    p = { name, source, argumentTypes: Object.fromEntries(parameters) };
    programs.set(name, p);
  }
  return p;
}

/** The programs made so far (bench/gpu.mjs runs one through gpu.js directly, to measure our overhead). */
export function madePrograms(): Program[] {
  return [...programs.values()];
}

let backend: GpuBackend | null = null;

/** Called once the gpu backend exists: programs launch on its device. */
export function setLaunchBackend(b: GpuBackend): void {
  backend = b;
}

export function gpuBackend(): GpuBackend {
  if (!backend) throw new Error('internal error: a gpu kernel ran before the gpu backend was opened');
  return backend;
}

/**
 * Runs a program over a new output buffer of `shape`, returning it as the kernel's output; a
 * program returning [v0, v1, ...] computes `perThread` consecutive elements per thread.
 */
export function launch(p: Program, args: readonly (GpuData | number)[], shape: number[], dtype: DType, perThread = 1): TensorInfo<GpuData> {
  return { shape, dtype, data: launchBuffer(p, args, sizeOf(shape), dtype, perThread) };
}

/** Runs a program over a new buffer of `length` elements (`perThread` of them per thread). */
export function launchBuffer(p: Program, args: readonly (GpuData | number)[], length: number, dtype: DType, perThread = 1): GpuData {
  const b = gpuBackend();
  const device = b.device;
  if (length === 0) return b.upload(new Float32Array(0), dtype);
  if (length > MAX_GPU_ELEMENTS) throw new RangeError(`gpu backend: an output of ${length} elements exceeds the ${MAX_GPU_ELEMENTS} the gpu kernels index exactly`);
  const outId = device.newBufferId();
  device.send({
    op: 'run',
    program: p.name,
    ...(device.hasProgram(p.name) ? {} : { source: p.source, settings: { argumentTypes: p.argumentTypes } }),
    output: [length / perThread],
    args: args.map((a) => (typeof a === 'number' ? a : { id: a.id })),
    outId,
    length,
  });
  return b.adopt(outId, length, dtype);
}

/**
 * Source lines that split `index` into the coordinates c0 ... c{dims.length - 1} of a row-major
 * shape whose sizes after the first are the named arguments dims[1...]. Float division can be
 * one off near a multiple; the remainder check corrects it.
 */
export function coordinates(index: string, dims: readonly string[]): string {
  const lines = [`let rest = ${index};`];
  for (let k = dims.length - 1; k >= 1; k--) {
    lines.push(
      `let q${k} = Math.floor(rest / ${dims[k]});`,
      `let c${k} = rest - q${k} * ${dims[k]};`,
      `if (c${k} < 0) { q${k} = q${k} - 1; c${k} = c${k} + ${dims[k]}; }`,
      `if (c${k} >= ${dims[k]}) { q${k} = q${k} + 1; c${k} = c${k} - ${dims[k]}; }`,
      `rest = q${k};`,
    );
  }
  lines.push('const c0 = rest;');
  return lines.join('\n');
}
