/**
 * Gradient clipping, Keras style: `clipvalue` (each element to [-v, v]), `clipnorm` (each
 * gradient to L2 norm <= v), `globalClipnorm` (all gradients scaled together so that their
 * global norm is <= v). Written with ops, so the clipping runs on the tensors' backend.
 */
import { tidy } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { add, clipByValue, div, maximum, mul, sqrt, square, sum } from '../ops/index.js';

export interface ClipOptions {
  /** Clip each gradient element to [-clipvalue, clipvalue]. */
  clipvalue?: number | null;
  /** Rescale each gradient whose L2 norm exceeds clipnorm to that norm. */
  clipnorm?: number | null;
  /** Rescale all gradients together when their global L2 norm exceeds globalClipnorm. */
  globalClipnorm?: number | null;
}

export const CLIP_OPTION_NAMES = ['clipvalue', 'clipnorm', 'globalClipnorm'] as const;

/** Validated clipping options: at most one, a finite number > 0. */
export function checkClipOptions(options: ClipOptions, where: string): ClipOptions {
  const given = CLIP_OPTION_NAMES.filter((k) => options[k] !== undefined && options[k] !== null);
  if (given.length > 1) throw new RangeError(`${where}: set at most one of clipvalue, clipnorm and globalClipnorm, got ${given.join(' and ')}`);
  for (const k of given) {
    const v = options[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new RangeError(`${where}: ${k} must be a finite number > 0, got ${v}`);
  }
  return Object.fromEntries(given.map((k) => [k, options[k]]));
}

/** The L2 norm of one tensor, a scalar. */
function l2Norm(t: Tensor): Tensor {
  return sqrt(sum(square(t)));
}

/** The global L2 norm of a list of tensors: sqrt(sum of all their squares), a scalar. */
export function globalNorm(tensors: Tensor[]): Tensor {
  return tidy(() => sqrt(tensors.map((t) => sum(square(t))).reduce((a, b) => add(a, b))));
}

/** Each tensor times clipNorm / max(norm, clipNorm): rescaled to L2 norm <= clipNorm. */
export function clipByNorm(t: Tensor, clipNorm: number): Tensor {
  return tidy(() => div(mul(t, clipNorm), maximum(l2Norm(t), clipNorm)));
}

/** All tensors times clipNorm / max(globalNorm, clipNorm) (tf.clip_by_global_norm). */
export function clipByGlobalNorm(tensors: Tensor[], clipNorm: number): Tensor[] {
  if (tensors.length === 0) return [];
  return tidy(() => {
    const scale = div(clipNorm, maximum(globalNorm(tensors), clipNorm));
    return tensors.map((t) => mul(t, scale));
  });
}

/** Applies the (validated) clipping options to a list of gradients; new tensors (or the same ones when no clipping). */
export function clipGradients(gradients: Tensor[], options: ClipOptions): Tensor[] {
  if (options.clipvalue != null) {
    const v = options.clipvalue;
    return gradients.map((g) => clipByValue(g, -v, v));
  }
  if (options.clipnorm != null) {
    const v = options.clipnorm;
    return gradients.map((g) => clipByNorm(g, v));
  }
  if (options.globalClipnorm != null) return clipByGlobalNorm(gradients, options.globalClipnorm);
  return gradients;
}
