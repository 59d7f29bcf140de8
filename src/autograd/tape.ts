/**
 * The tape: while one is recording, every kernel whose inputs depend on a watched tensor is
 * written down with what its gradient needs; `backprop` walks the record in reverse.
 * Tapes nest: the backward pass of an inner tape runs ops that an outer tape records, which is
 * how second-order gradients work.
 */
import { add, cast, zerosLike, onesLike } from '../ops/index.js';
import { disposeTensor, makeSavedView, setKernelObserver, tidy, type KernelRecord } from '../engine.js';
import { shapeToString } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { findGradient, type GradientConfig, type GradientNode } from './gradients.js';

/** A recorded kernel; backprop fills in `needs` and `recorded` and hands the entry itself to the gradient. */
interface TapeEntry extends GradientNode {
  gradient: GradientConfig;
  inputIds: number[];
  outputIds: number[];
}

export class Tape {
  readonly entries: TapeEntry[] = [];
  /** Ids of tensors that depend on a watched tensor. */
  readonly connected = new Set<number>();
  /** Views this tape keeps for the backward pass; disposed with the tape. */
  private readonly saved: Tensor[] = [];

  watch(t: Tensor): void {
    this.connected.add(t.id);
  }

  keep(t: Tensor): Tensor {
    const view = makeSavedView(t);
    this.saved.push(view);
    // Other (outer) tapes must see the view as the tensor it stands for, so an inner backward
    // pass that reads it stays differentiable. This tape's own entries name the original.
    for (const tape of recording) {
      if (tape !== this && tape.connected.has(t.id)) tape.linkIdentity(t, view);
    }
    return view;
  }

  private linkIdentity(source: Tensor, view: Tensor): void {
    this.entries.push({
      gradient: IDENTITY,
      inputIds: [source.id],
      outputIds: [view.id],
      inputs: [],
      outputs: [],
      inputShapes: [source.shape.slice()],
      attrs: {},
      needs: [],
      recorded: false,
    });
    this.connected.add(view.id);
  }

  record(rec: KernelRecord): void {
    if (!rec.inputs.some((t) => this.connected.has(t.id))) return;
    const gradient = findGradient(rec.kernelName);
    // No gradient (comparisons, argMax): the outputs are constants for this tape.
    if (!gradient) return;
    // Int and bool outputs (indices) are constants too: their id here is one no tensor has, so
    // no gradient reaches them, and they do not make later kernels depend on a watched tensor.
    const outputIds: number[] = [];
    let floats = 0;
    for (const o of rec.outputs) {
      const isFloat = o.dtype === 'float32';
      if (isFloat) floats++;
      outputIds.push(isFloat ? o.id : CONSTANT);
    }
    if (floats === 0) return;
    // The single form has one dy, output 0's: a gradient into any other output would be lost.
    if (gradient.gradFnMulti === undefined && (floats > 1 || outputIds[0] === CONSTANT)) {
      throw new Error(`internal error: the ${rec.kernelName} kernel has a float output other than output 0, so its gradient must be registered with gradFnMulti`);
    }
    this.entries.push({
      gradient,
      inputIds: rec.inputs.map((t) => t.id),
      outputIds,
      inputs: gradient.saveInputs ? rec.inputs.map((t) => this.keep(t)) : [],
      outputs: gradient.saveOutputs ? rec.outputs.map((t) => this.keep(t)) : [],
      inputShapes: rec.inputs.map((t) => t.shape.slice()),
      attrs: rec.attrs,
      needs: [],
      recorded: false,
    });
    for (const id of outputIds) if (id !== CONSTANT) this.connected.add(id);
  }

  dispose(): void {
    this.saved.forEach(disposeTensor);
    this.saved.length = 0;
    this.entries.length = 0;
  }
}

const CONSTANT = -1;

const IDENTITY: GradientConfig = { kernelName: 'Identity', saveInputs: false, saveOutputs: false, gradFn: (dy) => [dy] };

/** Tapes currently recording, innermost last. */
const recording: Tape[] = [];
let paused = 0;

setKernelObserver((rec) => {
  if (paused > 0) return;
  // Recording cannot start or stop tapes, so the list is stable during this loop.
  for (let i = 0; i < recording.length; i++) recording[i].record(rec);
});

/** Runs fn with the tape recording. */
export function recordOn<T>(tape: Tape, fn: () => T): T {
  recording.push(tape);
  try {
    return fn();
  } finally {
    recording.splice(recording.lastIndexOf(tape), 1);
  }
}

/** Runs fn with no tape recording (its results are constants to every tape). */
export function withoutRecording<T>(fn: () => T): T {
  paused++;
  try {
    return fn();
  } finally {
    paused--;
  }
}

/**
 * The ids of the watched sources and of every tensor the tape saw computed from them: only these
 * need a gradient (an unwatched source gets zeros). Everything else that is watched (a GAN's
 * other network, say) is skipped, whole backward passes of it included.
 */
function dependingOn(tape: Tape, sources: readonly Tensor[]): Set<number> {
  const ids = new Set(sources.filter((s) => tape.connected.has(s.id)).map((s) => s.id));
  for (const entry of tape.entries) {
    if (entry.inputIds.some((id) => ids.has(id))) for (const id of entry.outputIds) ids.add(id);
  }
  return ids;
}

/** Fills in what the entry's gradient reads of this pass; false if no input needs a gradient. */
function prepare(entry: TapeEntry, wanted: Set<number>, recorded: boolean): boolean {
  // Filled in here, not when recorded: which inputs need a gradient depends on the sources asked for.
  entry.needs = entry.inputIds.map((id) => wanted.has(id));
  if (!entry.needs.includes(true)) return false;
  entry.recorded = recorded;
  return true;
}

/**
 * d(y)/d(source) for each source, with dy (default ones) as the seed. Gradients of sources y
 * does not depend on are zeros. The result tensors are new; intermediates are disposed.
 */
export function backprop(tape: Tape, y: Tensor, sources: Tensor[], dy?: Tensor): Tensor[] {
  if (dy && (dy.shape.length !== y.shape.length || dy.shape.some((d, i) => d !== y.shape[i]))) {
    throw new RangeError(`gradient: dy has shape ${shapeToString(dy.shape)} but y has shape ${shapeToString(y.shape)}`);
  }
  const recorded = paused === 0 && recording.length > 0;
  const wanted = dependingOn(tape, sources);
  return tidy(() => {
    const grads = new Map<number, Tensor>();
    grads.set(y.id, dy ?? onesLike(y));
    for (let i = tape.entries.length - 1; i >= 0; i--) {
      const entry = tape.entries[i];
      const { gradient } = entry;
      let inputGrads: (Tensor | null)[];
      if (gradient.gradFnMulti === undefined) {
        const upstream = grads.get(entry.outputIds[0]);
        if (!upstream || !prepare(entry, wanted, recorded)) continue;
        inputGrads = gradient.gradFn(upstream, entry);
      } else {
        const upstreams = entry.outputIds.map((id) => grads.get(id) ?? null);
        if (!upstreams.some((g) => g !== null) || !prepare(entry, wanted, recorded)) continue;
        inputGrads = gradient.gradFnMulti(upstreams, entry);
      }
      entry.inputIds.forEach((id, k) => {
        const g = inputGrads[k];
        if (!g || !wanted.has(id)) return;
        if (g.shape.length !== entry.inputShapes[k].length || g.shape.some((d, j) => d !== entry.inputShapes[k][j])) {
          throw new Error(`internal error: the ${entry.gradient.kernelName} gradient for input ${k} has shape ${shapeToString(g.shape)}, expected ${shapeToString(entry.inputShapes[k])}`);
        }
        const previous = grads.get(id);
        grads.set(id, previous ? add(previous, g) : g);
      });
    }
    // Each result is a tensor of its own: never the caller's dy, nor one shared by two sources
    // (Add routes one dy to both operands), so that disposing one result frees nothing else.
    const given = new Set<Tensor>(dy ? [dy] : []);
    return sources.map((s) => {
      const g = grads.get(s.id) ?? zerosLike(s);
      const own = given.has(g) ? cast(g, g.dtype) : g;
      given.add(own);
      return own;
    });
  });
}
