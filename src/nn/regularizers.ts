/** Weight regularizers (Keras): penalties added to the loss, l1 sum|w| and l2 sum w^2. */
import { tidy } from '../engine.js';
import { add, mul } from '../ops/binary.js';
import { sum } from '../ops/reduce.js';
import { abs, square } from '../ops/unary.js';
import type { Tensor } from '../tensor.js';
import { deserialize, isSerialized, registerDeserializer, type Serialized } from '../io/serialization.js';

export interface Regularizer {
  /** Keras' class name: 'L1', 'L2' or 'L1L2'. */
  readonly className: string;
  /** The penalty for these weights (a scalar). */
  apply(weights: Tensor): Tensor;
  /** Keras' config for this class, e.g. {l2: 0.01}. */
  getConfig(): Record<string, number>;
}

function checkFactor(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new RangeError(`regularizer: ${name} must be a finite number >= 0, got ${String(value)}`);
  return value;
}

/** Keras' default factor for the 'l1' / 'l2' / 'l1l2' names. */
const DEFAULT_FACTOR = 0.01;

/** l1 * sum|w| + l2 * sum w^2, leaving only the scalar behind (it may run outside a tidy). */
function penalty(className: string, l1: number, l2: number, config: Record<string, number>): Regularizer {
  return {
    className,
    getConfig: () => ({ ...config }),
    apply: (w) => tidy(() => {
      const parts = [...(l1 > 0 ? [mul(sum(abs(w)), l1)] : []), ...(l2 > 0 ? [mul(sum(square(w)), l2)] : [])];
      return parts.length === 0 ? mul(sum(w), 0) : parts.reduce((a, b) => add(a, b));
    }),
  };
}

export function l1l2(args: { l1?: number; l2?: number } = {}): Regularizer {
  const l1 = checkFactor(args.l1 ?? 0, 'l1');
  const l2 = checkFactor(args.l2 ?? 0, 'l2');
  return penalty('L1L2', l1, l2, { l1, l2 });
}

export function l1(args: { l1?: number } = {}): Regularizer {
  const l1 = checkFactor(args.l1 ?? DEFAULT_FACTOR, 'l1');
  return penalty('L1', l1, 0, { l1 });
}

export function l2(args: { l2?: number } = {}): Regularizer {
  const l2 = checkFactor(args.l2 ?? DEFAULT_FACTOR, 'l2');
  return penalty('L2', 0, l2, { l2 });
}

export type RegularizerIdentifier = 'l1' | 'l2' | 'l1l2' | 'l1_l2' | Regularizer | Serialized;

/** A regularizer from a name, an object or its `{className, config}`; undefined for none. */
export function getRegularizer(identifier: RegularizerIdentifier | undefined | null): Regularizer | undefined {
  if (identifier === undefined || identifier === null) return undefined;
  if (typeof identifier === 'object' && typeof (identifier as Regularizer).apply === 'function') return identifier as Regularizer;
  if (isSerialized(identifier)) return deserialize<Regularizer>(identifier, 'regularizer');
  switch (identifier) {
    case 'l1': return l1();
    case 'l2': return l2();
    case 'l1l2':
    case 'l1_l2': return l1l2({ l1: DEFAULT_FACTOR, l2: DEFAULT_FACTOR });
    default: throw new RangeError(`unknown regularizer ${JSON.stringify(identifier)}; expected 'l1', 'l2', 'l1l2', 'l1_l2' or a regularizer object (et.regularizers.l2({l2: 0.001}))`);
  }
}

registerDeserializer('L1L2', (c) => l1l2(c as { l1?: number; l2?: number }));
registerDeserializer('L1', (c) => l1(c as { l1?: number }));
registerDeserializer('L2', (c) => l2(c as { l2?: number }));
