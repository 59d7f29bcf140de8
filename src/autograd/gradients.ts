/**
 * Gradients, one per kernel, registered next to the op that runs the kernel (src/ops/*).
 * A gradient is written with ops, so it runs on every backend and can itself be
 * differentiated (grad of grad).
 */
import type { Tensor } from '../tensor.js';

export interface GradientNode {
  /** The kernel's inputs and outputs as they were when it ran (kept alive by the tape). */
  inputs: Tensor[];
  outputs: Tensor[];
  inputShapes: number[][];
  attrs: Record<string, unknown>;
  /** Whether each input's gradient is wanted (it leads to a watched tensor); skip the others. */
  needs: boolean[];
  /**
   * Whether a tape records this backward pass (its gradients will be differentiated again).
   * Only then must a gradient stay within differentiable ops; otherwise it may call a fused
   * backward kernel.
   */
  recorded: boolean;
}

/**
 * Returns d(loss)/d(input i) for each input given dy = d(loss)/d(output); null where none flows.
 * The form for a kernel whose only float output is output 0 (its int or bool outputs, such as
 * indices, are constants).
 */
export type GradientFn = (dy: Tensor, node: GradientNode) => (Tensor | null)[];

/**
 * The same for a kernel with several float outputs: dys[k] = d(loss)/d(output k), null where
 * none flows (always for int and bool outputs); it runs when any of them is not null.
 */
export type MultiOutputGradientFn = (dys: readonly (Tensor | null)[], node: GradientNode) => (Tensor | null)[];

interface GradientConfigBase {
  kernelName: string;
  /** Whether the gradient reads the kernel's input / output tensors (else only shapes). */
  saveInputs: boolean;
  saveOutputs: boolean;
}

/** Exactly one of the two forms; the tape refuses `gradFn` for a kernel with a second float output. */
export type GradientConfig =
  | (GradientConfigBase & { gradFn: GradientFn; gradFnMulti?: undefined })
  | (GradientConfigBase & { gradFnMulti: MultiOutputGradientFn; gradFn?: undefined });

const gradients = new Map<string, GradientConfig>();

export function registerGradient(config: GradientConfig): void {
  if (gradients.has(config.kernelName)) throw new Error(`a gradient for ${config.kernelName} is registered twice`);
  gradients.set(config.kernelName, config);
}

export function findGradient(kernelName: string): GradientConfig | undefined {
  return gradients.get(kernelName);
}

export function registeredGradients(): string[] {
  return [...gradients.keys()].sort();
}
