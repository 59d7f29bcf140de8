// The gpu backend's device thread (a worker_threads Worker). WebGPU has no synchronous readback
// and Dawn delivers its callbacks on the event loop of the thread that owns the device, so the
// device lives here: the main thread sends batches of commands and, for a synchronous read,
// blocks on Atomics.wait until this thread has copied the values into shared memory.
//
// Commands run strictly in the order they were sent. Buffers are named by integer ids chosen
// by the main thread. Kernels are gpu.js kernels (WebGPU mode) compiled from source sent once
// per program name, with dynamic output and argument sizes, so one compiled kernel serves
// every shape. The first error is kept and reported by the next read, then cleared.
//
// Plain JavaScript (not TypeScript): a Worker runs a file as it is, from src/ under the tests
// and from dist/ when installed.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const STATUS_DONE = 1;
const STATUS_FAILED = 2;
const GPU_BUFFER_USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, STORAGE: 0x80 };

let device = null;
let context = null;
let gpu = null;
let WebGPUBufferResult = null;
/** id -> { buffer: GPUBuffer, length: number (float32 elements) } */
const buffers = new Map();
/** program name -> gpu.js kernel */
const programs = new Map();
let firstError = null;
let bytesInUse = 0;

function fail(error) {
  firstError ??= error instanceof Error ? error : new Error(String(error));
}

async function openDevice() {
  const webgpu = require('webgpu');
  Object.assign(globalThis, webgpu.globals);
  Object.defineProperty(globalThis, 'navigator', { value: { gpu: webgpu.create(workerData?.dawnFlags ?? []) }, configurable: true });
  const gpujs = require('gpu.js');
  const { WebGPUContext } = require('gpu.js/src/backend/web-gpu/context.js');
  WebGPUBufferResult = gpujs.WebGPUBufferResult;
  // Asked here first so that the error says what is missing in our words, not gpu.js' (which
  // are about browsers).
  if (!(await navigator.gpu.requestAdapter())) throw new Error('Dawn found no adapter (navigator.gpu.requestAdapter() gave null)');
  context = await WebGPUContext.acquire();
  device = context.device;
  gpu = new gpujs.GPU({ mode: 'webgpu' });
  const info = context.adapter.info ?? {};
  return info.description || info.device || info.vendor || 'unknown adapter';
}

function allocate(id, length) {
  if (buffers.has(id)) throw new Error(`gpu device: buffer ${id} exists already`);
  // WebGPU buffers cannot be empty; a zero-length tensor still gets 4 bytes.
  const buffer = device.createBuffer({ size: Math.max(4, length * 4), usage: GPU_BUFFER_USAGE.STORAGE | GPU_BUFFER_USAGE.COPY_SRC | GPU_BUFFER_USAGE.COPY_DST });
  buffer._refs = 1;
  buffers.set(id, { buffer, length });
  bytesInUse += buffer.size;
  return buffer;
}

function release(id) {
  const entry = buffers.get(id);
  if (!entry) return;
  buffers.delete(id);
  bytesInUse -= entry.buffer.size;
  if (--entry.buffer._refs === 0) entry.buffer.destroy();
}

function bufferOf(id) {
  const entry = buffers.get(id);
  if (!entry) throw new Error(`gpu device: buffer ${id} does not exist (disposed?)`);
  return entry;
}

/** A gpu.js pipeline handle over one of our buffers, as a flat array of its length. */
function handleOf(id) {
  const { buffer, length } = bufferOf(id);
  return new WebGPUBufferResult({ buffer, output: [Math.max(1, length)], context, kernel: null });
}

function programOf(cmd) {
  let kernel = programs.get(cmd.program);
  if (!kernel) {
    if (cmd.source === undefined) throw new Error(`gpu device: program ${cmd.program} was never sent`);
    kernel = gpu.createKernel(cmd.source, {
      ...cmd.settings,
      output: cmd.output,
      pipeline: true,
      immutable: true,
      dynamicOutput: true,
      dynamicArguments: true,
      tactic: 'precision',
      // gpu.js caps every loop at this many iterations (1000 by default): above any loop
      // bound of ours, which are tensor sizes (the gpu kernels take at most 2^24 elements).
      loopMaxIterations: 2 ** 24 + 1,
    });
    programs.set(cmd.program, kernel);
  }
  return kernel;
}

async function run(cmd) {
  const kernel = programOf(cmd);
  kernel.setOutput(cmd.output);
  const args = cmd.args.map((a) => (typeof a === 'number' ? a : handleOf(a.id)));
  const result = await kernel(...args);
  args.forEach((a) => typeof a === 'object' && a.delete());
  // The kernel's fresh output buffer becomes ours; the handle's reference passes to the id.
  const entry = { buffer: result.buffer, length: cmd.length };
  if (buffers.has(cmd.outId)) throw new Error(`gpu device: buffer ${cmd.outId} exists already`);
  buffers.set(cmd.outId, entry);
  bytesInUse += result.buffer.size;
  // The kernel keeps a reference to its last output until its next call; that is the
  // gpu.js kernel's, not ours: the id owns the one the result handle took.
}

async function readInto(id) {
  const { buffer, length } = bufferOf(id);
  const bytes = length * 4;
  if (bytes === 0) return new Float32Array(0);
  const staging = device.createBuffer({ size: bytes, usage: GPU_BUFFER_USAGE.MAP_READ | GPU_BUFFER_USAGE.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(1);
    return new Float32Array(staging.getMappedRange().slice(0));
  } finally {
    staging.destroy();
  }
}

/** Writes a reply into shared memory and wakes the waiting main thread: values, or a text. */
function reportSync(cmd, values, error, text) {
  const header = new Int32Array(cmd.shared, 0, 2);
  if (error || text !== undefined) {
    const message = new TextEncoder().encode(error ? error.message : text);
    const room = new Uint8Array(cmd.shared, 8);
    const n = Math.min(message.length, room.length);
    room.set(message.subarray(0, n));
    header[1] = n;
    Atomics.store(header, 0, error ? STATUS_FAILED : STATUS_DONE);
  } else {
    new Float32Array(cmd.shared, 8, values.length).set(values);
    Atomics.store(header, 0, STATUS_DONE);
  }
  Atomics.notify(header, 0);
}

async function execute(cmd) {
  switch (cmd.op) {
    case 'upload': {
      const buffer = allocate(cmd.id, cmd.values.length);
      if (cmd.values.length > 0) device.queue.writeBuffer(buffer, 0, cmd.values);
      return;
    }
    case 'run':
      return run(cmd);
    case 'free':
      cmd.ids.forEach(release);
      return;
    case 'read':
    case 'readSync': {
      let values = null;
      let error = firstError;
      firstError = null;
      if (!error) {
        try {
          values = await readInto(cmd.id);
        } catch (e) {
          error = e;
        }
      }
      if (cmd.op === 'readSync') reportSync(cmd, values, error);
      else parentPort.postMessage({ reply: cmd.requestId, values, error: error ? error.message : null });
      return;
    }
    case 'stats':
      // Answered in shared memory, as text: memory() is synchronous.
      reportSync(cmd, null, null, JSON.stringify({ buffers: buffers.size, bytes: bytesInUse, programs: programs.size }));
      return;
    default:
      throw new Error(`gpu device: unknown command ${cmd.op}`);
  }
}

// An error outside a command (a Dawn callback, say) must not end this thread: the main thread
// may be blocked waiting for an answer. It is kept and reported by the next read instead.
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);

/** Tells the main thread, blocked in Atomics.wait, whether a device opened (and which). */
function reportOpened(outcome) {
  reportSync({ shared: workerData.opened }, null, outcome.error ? new Error(outcome.error) : null, outcome.adapter);
}

const opened = openDevice().then(
  (adapter) => reportOpened({ adapter }),
  (e) => reportOpened({ error: e instanceof Error ? e.message : String(e) }),
);
let queue = opened;
const batchesRun = new Int32Array(workerData.progress);
parentPort.on('message', (batch) => {
  queue = queue.then(async () => {
    for (const cmd of batch) {
      try {
        await execute(cmd);
      } catch (e) {
        fail(e);
      }
    }
    // The main thread may be waiting for the device to catch up (see MAX_BATCHES_IN_FLIGHT).
    Atomics.add(batchesRun, 0, 1);
    Atomics.notify(batchesRun, 0);
  });
});
