/**
 * The main thread's side of the gpu device thread (device_server.mjs): opens it, sends it
 * commands in batches (one postMessage per microtask turn, or at once before a read) and reads
 * buffers back, asynchronously or synchronously (Atomics.wait on shared memory: WebGPU itself
 * can only read asynchronously, and only on the device's own thread).
 */
import { Worker } from 'node:worker_threads';

/** A command for the device thread (see device_server.mjs for what each does). */
export type DeviceCommand =
  | { op: 'upload'; id: number; values: Float32Array }
  | { op: 'run'; program: string; source?: string; settings?: Record<string, unknown>; output: number[]; args: ({ id: number } | number)[]; outId: number; length: number }
  | { op: 'free'; ids: number[] };

export interface DeviceStats {
  buffers: number;
  bytes: number;
  programs: number;
}

const STATUS_DONE = 1;
/** How long opening the device may take before the gpu backend counts as unavailable. */
const OPEN_TIMEOUT_MS = 15_000;
const MESSAGE_ROOM = 4096;
/**
 * A synchronous training loop never yields to the microtask queue, so without these limits its
 * commands would pile up unsent (a 3 s loop of MLP steps made one message of ~10^5 commands, and
 * the device thread crashed on it): a batch goes out once it holds MAX_BATCH commands, and the
 * main thread waits while more than MAX_BATCHES_IN_FLIGHT sent batches have not yet run.
 */
const MAX_BATCH = 256;
const MAX_BATCHES_IN_FLIGHT = 8;

function textFrom(shared: SharedArrayBuffer): string {
  const header = new Int32Array(shared, 0, 2);
  return new TextDecoder().decode(new Uint8Array(shared, 8, header[1]).slice());
}

export class GpuDevice {
  private pending: DeviceCommand[] = [];
  private flushScheduled = false;
  private nextId = 1;
  private nextRequest = 1;
  private readonly replies = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly sentPrograms = new Set<string>();
  /** Why the device thread died, if it did: every later use reports it. */
  private failure: Error | null = null;
  private batchesSent = 0;

  private constructor(
    private readonly worker: Worker,
    /** [0]: how many batches the device thread has run (it counts up and notifies). */
    private readonly batchesRun: Int32Array,
    /** What the adapter calls itself, e.g. 'mesa llvmpipe'. */
    readonly adapterDescription: string,
  ) {
    worker.on('error', (e) => {
      this.failure = e;
      this.replies.forEach((w) => w.reject(new Error(`gpu backend: the device thread failed: ${e.message}`)));
      this.replies.clear();
    });
    worker.on('message', (m: { reply: number; values: Float32Array | null; error: string | null }) => {
      const waiter = this.replies.get(m.reply);
      if (!waiter) return;
      this.replies.delete(m.reply);
      if (m.error) waiter.reject(new Error(`gpu backend: ${m.error}`));
      else waiter.resolve(m.values);
      if (this.replies.size === 0) worker.unref();
    });
    // After the listeners, which ref the worker: an idle device thread keeps no process alive.
    worker.unref();
  }

  /** Starts the device thread and waits (blocking) until it has a device, or throws why not. */
  static open(): GpuDevice {
    const opened = new SharedArrayBuffer(8 + MESSAGE_ROOM);
    const progress = new SharedArrayBuffer(4);
    // execArgv: [] so that the parent's flags (--input-type, test runners' loaders) stay out of it.
    const worker = new Worker(new URL('./device_server.mjs', import.meta.url), { workerData: { opened, progress }, execArgv: [] });
    worker.unref();
    const header = new Int32Array(opened, 0, 2);
    if (Atomics.wait(header, 0, 0, OPEN_TIMEOUT_MS) === 'timed-out') {
      void worker.terminate();
      throw new Error(`no WebGPU device opened within ${OPEN_TIMEOUT_MS / 1000} s`);
    }
    const text = textFrom(opened);
    if (Atomics.load(header, 0) !== STATUS_DONE) {
      void worker.terminate();
      throw new Error(text);
    }
    return new GpuDevice(worker, new Int32Array(progress), text);
  }

  newBufferId(): number {
    return this.nextId++;
  }

  /** Whether the device thread already has this program (its source is sent once). */
  hasProgram(name: string): boolean {
    return this.sentPrograms.has(name);
  }

  send(command: DeviceCommand): void {
    if (command.op === 'run' && command.source !== undefined) this.sentPrograms.add(command.program);
    this.pending.push(command);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.failure) throw new Error(`gpu backend: the device thread failed: ${this.failure.message}`);
    if (this.pending.length === 0) return;
    this.worker.postMessage(this.pending);
    this.pending = [];
    this.batchesSent++;
    for (let run = Atomics.load(this.batchesRun, 0); this.batchesSent - run > MAX_BATCHES_IN_FLIGHT; run = Atomics.load(this.batchesRun, 0)) {
      Atomics.wait(this.batchesRun, 0, run);
    }
  }

  /** The float32 contents of a buffer, blocking until every command before has run. */
  readSync(id: number, length: number): Float32Array {
    const shared = this.waitFor({ op: 'readSync', id }, length * 4);
    return new Float32Array(shared, 8, length).slice();
  }

  /** Sends `command` with shared memory for its answer and blocks until it has come. */
  private waitFor(command: Record<string, unknown>, bytes: number): SharedArrayBuffer {
    const shared = new SharedArrayBuffer(8 + Math.max(bytes, MESSAGE_ROOM));
    this.pending.push({ ...command, shared } as unknown as DeviceCommand);
    this.flush();
    const header = new Int32Array(shared, 0, 2);
    // The device thread always answers: it catches every error and reports it here.
    Atomics.wait(header, 0, 0);
    if (Atomics.load(header, 0) !== STATUS_DONE) throw new Error(`gpu backend: ${textFrom(shared)}`);
    return shared;
  }

  private waitForText(command: Record<string, unknown>): string {
    return textFrom(this.waitFor(command, 0));
  }

  read(id: number): Promise<Float32Array> {
    return this.request({ op: 'read', id }) as Promise<Float32Array>;
  }

  /** Buffers and bytes the device holds once every command sent so far has run (blocking). */
  stats(): DeviceStats {
    return JSON.parse(this.waitForText({ op: 'stats' })) as DeviceStats;
  }

  private request(command: Record<string, unknown>): Promise<unknown> {
    const requestId = this.nextRequest++;
    const reply = new Promise((resolve, reject) => this.replies.set(requestId, { resolve, reject }));
    // A pending reply keeps the process alive until it arrives.
    this.worker.ref();
    this.pending.push({ ...command, requestId } as unknown as DeviceCommand);
    this.flush();
    return reply;
  }
}
