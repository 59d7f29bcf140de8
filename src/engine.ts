/**
 * The engine: tensor bookkeeping (live tensors, shared storage, tidy scopes) and kernel
 * dispatch. Ops call `runKernel`; it picks the inputs' backend, finds the kernel in the
 * registry (or the js kernel, with a one-time notice) and wraps the results as tensors.
 */
import { performance } from 'node:perf_hooks';
import type { Backend } from './backend/backend.js';
import type { KernelFn, TensorInfo } from './backend/kernel.js';
import { runOnHost } from './backend/host_fallback.js';
import { gpuMemory } from './backend/gpu/index.js';
import { findKernel } from './backend/registry.js';
import { getBackend, getBackendInstance } from './backend/selector.js';
import { shapeToString, sizeOf } from './shape.js';
import { Tensor } from './tensor.js';
import { BYTES_PER_ELEMENT, type BackendName, type DType, type TypedArray } from './types.js';
import { warnOnce } from './util/warn.js';

/** Storage shared by a tensor and its views (reshape); freed when the last one is disposed. */
export interface DataHandle {
  readonly backendName: BackendName;
  readonly backend: Backend;
  readonly data: unknown;
  readonly bytes: number;
  refs: number;
}

const live = { tensors: 0, buffers: 0, bytes: 0 };

/** What ran: a kernel, or 'Reshape' for a view. The autograd tape listens to these. */
export interface KernelRecord {
  kernelName: string;
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  attrs: Record<string, unknown>;
}
let kernelObserver: ((record: KernelRecord) => void) | null = null;

/** Installs the one listener told about every kernel run (src/autograd installs the tape). */
export function setKernelObserver(observer: ((record: KernelRecord) => void) | null): void {
  kernelObserver = observer;
}
const scopes: Set<Tensor>[] = [];
const kept = new WeakSet<Tensor>();

function track(t: Tensor): Tensor {
  live.tensors++;
  scopes[scopes.length - 1]?.add(t);
  return t;
}

/** A new tensor holding `values` (a typed array the caller hands over) on that backend. */
export function makeTensorFromValues(shape: number[], dtype: DType, values: TypedArray, backendName: BackendName): Tensor {
  return makeTensorFromData(shape, dtype, getBackendInstance(backendName).upload(values, dtype), backendName);
}

/** Wraps storage the backend already holds as a new tensor. */
export function makeTensorFromData(shape: number[], dtype: DType, data: unknown, backendName: BackendName): Tensor {
  const backend = getBackendInstance(backendName);
  const handle: DataHandle = { backendName, backend, data, bytes: sizeOf(shape) * BYTES_PER_ELEMENT[dtype], refs: 1 };
  live.buffers++;
  live.bytes += handle.bytes;
  return track(new Tensor(shape, dtype, handle));
}

/**
 * A tensor of another shape over the same storage (reshape, squeeze, expandDims). Untracked
 * views belong to no tidy scope: their owner (the autograd tape) disposes them.
 */
export function makeView(source: Tensor, shape: number[], tracked = true): Tensor {
  source.assertLive();
  const handle = source.handle;
  handle.refs++;
  live.tensors++;
  const view = new Tensor(shape, source.dtype, handle);
  if (tracked) scopes[scopes.length - 1]?.add(view);
  kernelObserver?.({ kernelName: 'Reshape', inputs: [source], outputs: [view], attrs: { shape } });
  return view;
}

/**
 * A view the autograd tape keeps of a tensor it needs for the backward pass: it keeps the
 * storage alive if the tensor itself is disposed, belongs to no tidy scope and is not
 * reported to the tape (which disposes it).
 */
export function makeSavedView(source: Tensor): Tensor {
  source.assertLive();
  source.handle.refs++;
  live.tensors++;
  return new Tensor(source.shape.slice(), source.dtype, source.handle);
}

/** Accounts for a tensor object made over another's storage outside any tidy scope (a Variable). */
export function adoptStorage<T extends Tensor>(t: T): T {
  t.handle.refs++;
  live.tensors++;
  return t;
}

/** Points `target` (a Variable) at `source`'s storage, releasing its own. */
export function replaceStorage(target: Tensor, source: Tensor): void {
  source.assertLive();
  target.assertLive();
  const old = target.handle;
  source.handle.refs++;
  target.handle = source.handle;
  releaseHandle(old);
}

function releaseHandle(handle: DataHandle): void {
  if (--handle.refs === 0) {
    live.buffers--;
    live.bytes -= handle.bytes;
    handle.backend.dispose(handle.data);
  }
}

export function disposeTensor(t: Tensor): void {
  if (t.isDisposed) return;
  t.markDisposed();
  live.tensors--;
  releaseHandle(t.handle);
}

function infoOf(t: Tensor): TensorInfo {
  t.assertLive();
  return { shape: t.shape.slice(), dtype: t.dtype, data: t.handle.data };
}

function commonBackend(kernelName: string, inputs: readonly Tensor[]): BackendName {
  if (inputs.length === 0) return getBackend();
  const first = inputs[0].backend;
  if (inputs.some((t) => t.backend !== first)) {
    const where = inputs.map((t, i) => `input ${i} ${shapeToString(t.shape)} on '${t.backend}'`).join(', ');
    throw new Error(`${kernelName}: tensors live on different backends (${where}); move them with tensor.to(backendName) first`);
  }
  return first;
}

export function runKernel(kernelName: string, inputs: readonly Tensor[], attrs: Record<string, unknown> = {}): Tensor[] {
  const backendName = commonBackend(kernelName, inputs);
  let kernel = findKernel(kernelName, backendName);
  if (!kernel && backendName !== 'js') {
    kernel = findKernel(kernelName, 'js');
    if (kernel) warnOnce(`fallback-${backendName}-${kernelName}`, `backend '${backendName}' has no ${kernelName} kernel; running the js kernel instead`);
  }
  if (!kernel) throw new Error(`no kernel named ${kernelName} is registered (backend '${backendName}')`);
  const infos = inputs.map(infoOf);
  const backend = getBackendInstance(backendName);
  const found = kernel;
  const kernelFunc: KernelFn =
    found.backendName === backendName || backend.hostMemory ? found.kernelFunc : (i, a) => runOnHost(backend, found, i, a);
  let outputs: ReturnType<KernelFn>;
  if (profiler) {
    const start = performance.now();
    outputs = kernelFunc(infos, attrs);
    profiler.record(kernelName, performance.now() - start);
  } else {
    outputs = kernelFunc(infos, attrs);
  }
  const list = Array.isArray(outputs) ? outputs : [outputs];
  const tensors = list.map((o) => makeTensorFromData(o.shape, o.dtype, o.data, backendName));
  kernelObserver?.({ kernelName, inputs, outputs: tensors, attrs });
  return tensors;
}

/**
 * Runs an in-place kernel (the optimizer updates), which writes the inputs at `written`.
 * Storage shared with another tensor (a view, a tape's saved copy) is first replaced by a
 * private copy, so no one else sees the write.
 */
export function runInPlaceKernel(kernelName: string, inputs: readonly Tensor[], written: readonly number[], attrs: Record<string, unknown>): void {
  for (const i of written) {
    const t = inputs[i];
    if (t.handle.refs > 1) {
      const copy = runKernel1('Cast', [t], { dtype: t.dtype });
      replaceStorage(t, copy);
      disposeTensor(copy);
    }
  }
  runKernel(kernelName, inputs, attrs);
}

/** A tensor's values for reading only: the storage itself on CPU backends (no copy), else a copy. */
export function readValues(t: Tensor): TypedArray {
  t.assertLive();
  return t.handle.backend.cpuView(t.handle.data) ?? t.handle.backend.readSync(t.handle.data);
}

/** runKernel for the common single-output case. */
export function runKernel1(kernelName: string, inputs: readonly Tensor[], attrs: Record<string, unknown> = {}): Tensor {
  return runKernel(kernelName, inputs, attrs)[0];
}

function collectTensors(value: unknown, into: Set<Tensor>): void {
  if (value instanceof Tensor) into.add(value);
  else if (Array.isArray(value)) value.forEach((v) => collectTensors(v, into));
  else if (value && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    for (const v of Object.values(value)) collectTensors(v, into);
  }
}

/**
 * Runs fn and disposes every tensor it created, except those it returns and those passed to
 * keep(). fn must not return a promise: async work outlives the scope.
 */
export function tidy<T>(nameOrFn: string | (() => T), maybeFn?: () => T): T {
  const fn = typeof nameOrFn === 'function' ? nameOrFn : maybeFn;
  if (typeof fn !== 'function') throw new TypeError('tidy: expected a function, e.g. tidy(() => a.add(b))');
  const scope = new Set<Tensor>();
  scopes.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    // A failing op must not leak what it made before it failed.
    for (const t of scope) if (!kept.has(t)) disposeTensor(t);
    throw error;
  } finally {
    scopes.pop();
  }
  if (result instanceof Promise) {
    throw new Error('tidy: the function returned a Promise; tidy scopes are synchronous (await outside tidy)');
  }
  const survivors = new Set<Tensor>();
  collectTensors(result, survivors);
  const parent = scopes[scopes.length - 1];
  for (const t of scope) {
    if (survivors.has(t) || kept.has(t)) parent?.add(t);
    else disposeTensor(t);
  }
  return result;
}

/** Keeps a tensor alive past the tidy scope that created it. */
export function keep<T extends Tensor>(t: T): T {
  kept.add(t);
  return t;
}

export function dispose(value: unknown): void {
  const tensors = new Set<Tensor>();
  collectTensors(value, tensors);
  tensors.forEach(disposeTensor);
}

/** What et.profile measured: wall time, time inside kernels, and per-kernel figures. */
export interface ProfileInfo<T> {
  result: T;
  wallMs: number;
  /** Time spent inside kernel functions (the backend's own work). */
  kernelMs: number;
  kernels: { name: string; calls: number; ms: number }[];
  /** Tensors alive after fn that were not before. */
  newTensors: number;
}

class KernelProfiler {
  readonly byName = new Map<string, { calls: number; ms: number }>();
  record(name: string, ms: number): void {
    const entry = this.byName.get(name) ?? { calls: 0, ms: 0 };
    entry.calls++;
    entry.ms += ms;
    this.byName.set(name, entry);
  }
}
let profiler: KernelProfiler | null = null;

/**
 * Runs fn and reports how its time splits between kernels and everything else (op checks,
 * autograd, allocation): the framework overhead is wallMs - kernelMs.
 */
export function profile<T>(fn: () => T): ProfileInfo<T> {
  if (profiler) throw new Error('profile: already profiling (profile calls do not nest)');
  const before = live.tensors;
  profiler = new KernelProfiler();
  const start = performance.now();
  try {
    const result = fn();
    const wallMs = performance.now() - start;
    const kernels = [...profiler.byName].map(([name, e]) => ({ name, ...e })).sort((a, b) => b.ms - a.ms);
    return { result, wallMs, kernelMs: kernels.reduce((s, k) => s + k.ms, 0), kernels, newTensors: live.tensors - before };
  } finally {
    profiler = null;
  }
}

export interface MemoryInfo {
  /** Live (not disposed) tensors. */
  numTensors: number;
  /** Distinct storage buffers behind them (views share one). */
  numDataBuffers: number;
  /** Bytes in those buffers. */
  numBytes: number;
  /** Buffers and bytes on the gpu device (once the gpu backend is in use): every tensor's, and nothing else. */
  gpu?: { numBuffers: number; numBytes: number };
}

export function memory(): MemoryInfo {
  const gpu = gpuMemory();
  return { numTensors: live.tensors, numDataBuffers: live.buffers, numBytes: live.bytes, ...(gpu ? { gpu } : {}) };
}
