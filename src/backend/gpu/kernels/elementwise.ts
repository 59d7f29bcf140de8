/**
 * Elementwise kernels on the gpu: unary, binary and Where with NumPy broadcasting, and Cast.
 * One program per function: the inputs are read at strided offsets of the output coordinates
 * (broadcast dimensions have stride 0), after merging the dimensions that allow it, so any
 * broadcast of up to 4 distinct dimensions is one program; inputs of the output's own size
 * take a flat variant.
 */
import {
  ARITHMETIC_BINARY_KERNELS,
  COMPARISON_BINARY_KERNELS,
  FLOAT_UNARY_KERNELS,
  INT_PRESERVING_UNARY_KERNELS,
  type TensorInfo,
  type UnaryKernelName,
} from '../../kernel.js';
import type { KernelConfig } from '../../registry.js';
import { broadcastShapes, broadcastStrides, sizeOf } from '../../../shape.js';
import type { DType } from '../../../types.js';
import type { GpuData } from '../backend.js';
import { gpuKernel, onHost } from '../kernel_config.js';
import { coordinates, launch, program, type ArgumentType } from '../program.js';

type Info = TensorInfo<GpuData>;
const MAX_RANK = 4;

/** exp(v) - 1 without cancellation near 0: Taylor terms to v^6 below 0.1 (error < v^7 / 5040). */
const expm1 = (v: string) =>
  `(Math.abs(${v}) < 0.1 ? ${v} * (1 + ${v} * (0.5 + ${v} * (0.16666666666666666 + ${v} * (0.041666666666666664 + ${v} * (0.008333333333333333 + ${v} * 0.001388888888888889))))) : Math.exp(${v}) - 1)`;
/**
 * Statements declaring `out` = log(1 + v). Below |v| = 0.5, where rounding 1 + v would lose
 * v's low bits, it is 2 atanh(s) with s = v / (2 + v), written v - s (v - R) with
 * R = 2 s^2 (1/3 + s^2/5 + ...) (fdlibm's form: v is exact and the rest is O(v^2), so the
 * rounding of s hardly matters); |s| <= 1/3 there, and terms to s^15 leave a truncation
 * error below 2e-9. A correction like v / ((1 + v) - 1) cannot be used: shader compilers
 * fold (1 + v) - 1 to v.
 */
const log1p = (v: string, out: string) => `let ${out} = 0;
if (Math.abs(${v}) < 0.5) {
  const s = ${v} / (2 + ${v});
  const z = s * s;
  const r = z * (0.6666666666666666 + z * (0.4 + z * (0.2857142857142857 + z * (0.2222222222222222 + z * (0.18181818181818182 + z * (0.15384615384615385 + z * 0.13333333333333333))))));
  ${out} = ${v} - s * (${v} - r);
} else {
  ${out} = Math.log(1 + ${v});
}`;

/**
 * Sin and Cos run on the CPU: float32 needs exact range reduction (Payne-Hanek) for large
 * arguments, and WGSL's sin / cos promise only absolute accuracy on [-pi, pi].
 */
const HOST_UNARY = ['Sin', 'Cos'] as const;
type GpuUnaryName = Exclude<UnaryKernelName, (typeof HOST_UNARY)[number]>;

/** The activations a GEMM applies in its epilogue, as expressions of a variable (also their unary kernels). */
export const ACTIVATION_EXPRESSIONS = {
  Relu: (v: string) => `Math.max(${v}, 0)`,
  Relu6: (v: string) => `Math.min(Math.max(${v}, 0), 6)`,
  LeakyRelu: (v: string) => `(${v} < 0 ? p0 * ${v} : ${v})`,
  Elu: (v: string) => `(${v} < 0 ? ${expm1(v)} : ${v})`,
  Sigmoid: (v: string) => `(${v} >= 0 ? 1 / (1 + Math.exp(-${v})) : Math.exp(${v}) / (1 + Math.exp(${v})))`,
  // tanh is +-1 in float32 beyond 15 (and exp inside tanh could overflow there); below 1e-4
  // it is x to float32 precision, which keeps tiny inputs exact.
  Tanh: (v: string) => `(Math.abs(${v}) < 0.0001 ? ${v} : (${v} > 15 ? 1 : (${v} < -15 ? -1 : Math.tanh(${v}))))`,
} as const;

/** Each unary function as a body over v0 (the input element) and p0, p1 (attributes). */
export const UNARY_BODIES: Record<GpuUnaryName, string> = {
  Exp: 'return Math.exp(v0);',
  Log: 'return Math.log(v0);',
  Log1p: `${log1p('v0', 'y')}
return y;`,
  Sqrt: 'return Math.sqrt(v0);',
  Rsqrt: 'return 1 / Math.sqrt(v0);',
  Reciprocal: 'return 1 / v0;',
  Floor: 'return Math.floor(v0);',
  Round: `const f = Math.floor(v0);
const d = v0 - f;
if (d > 0.5) return f + 1;
if (d < 0.5) return f;
const r = Math.abs(f % 2) === 1 ? f + 1 : f;
return r === 0 && v0 < 0 ? p0 : r;`,
  Relu6: `return ${ACTIVATION_EXPRESSIONS.Relu6('v0')};`,
  LeakyRelu: `return ${ACTIVATION_EXPRESSIONS.LeakyRelu('v0')};`,
  Elu: `return ${ACTIVATION_EXPRESSIONS.Elu('v0')};`,
  Selu: `return 1.0507009873554805 * (v0 < 0 ? 1.6732632423543772 * ${expm1('v0')} : v0);`,
  // x Phi(x) with Abramowitz & Stegun 7.1.26 for erfc (absolute error < 1.5e-7), written so
  // that the tail for x << 0 keeps its relative accuracy.
  Gelu: `if (v0 < -30) return 0;
const z = Math.abs(v0) * 0.7071067811865476;
const t = 1 / (1 + 0.3275911 * z);
const tail = 0.5 * t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-z * z);
return v0 < 0 ? v0 * tail : v0 * (1 - tail);`,
  Sigmoid: `return ${ACTIVATION_EXPRESSIONS.Sigmoid('v0')};`,
  Tanh: `return ${ACTIVATION_EXPRESSIONS.Tanh('v0')};`,
  Softplus: `const e = Math.exp(-Math.abs(v0));
${log1p('e', 'y')}
return y + Math.max(v0, 0);`,
  ClipByValue: 'return Math.min(Math.max(v0, p0), p1);',
  Neg: 'return -v0;',
  Abs: 'return Math.abs(v0);',
  Square: 'return v0 * v0;',
  Sign: 'return v0 > 0 ? 1 : (v0 < 0 ? -1 : 0);',
  Relu: `return ${ACTIVATION_EXPRESSIONS.Relu('v0')};`,
};

export const UNARY_PARAMS: Partial<Record<GpuUnaryName, (attrs: Record<string, unknown>) => number[]>> = {
  LeakyRelu: (a) => [a.alpha as number],
  ClipByValue: (a) => [a.min as number, a.max as number],
  // -0 for negative inputs that round to zero, as a parameter: a -0 literal would be folded to 0.
  Round: () => [-0],
};

type BinaryName = (typeof ARITHMETIC_BINARY_KERNELS)[number] | (typeof COMPARISON_BINARY_KERNELS)[number];

const BINARY_BODIES: Record<BinaryName, string> = {
  Add: 'return v0 + v1;',
  Sub: 'return v0 - v1;',
  Mul: 'return v0 * v1;',
  Div: 'return v0 / v1;',
  FloorDiv: 'return Math.floor(v0 / v1);',
  // C's pow: a negative base with an integral exponent, and 1 ** anything = 1.
  Pow: `if (v0 === 1) return 1;
if (v0 < 0 && Math.floor(v1) === v1) {
  const m = Math.pow(-v0, v1);
  return Math.abs(v1 % 2) === 1 ? -m : m;
}
return Math.pow(v0, v1);`,
  Maximum: 'return Math.max(v0, v1);',
  Minimum: 'return Math.min(v0, v1);',
  Equal: 'return v0 === v1 ? 1 : 0;',
  NotEqual: 'return v0 !== v1 ? 1 : 0;',
  Greater: 'return v0 > v1 ? 1 : 0;',
  GreaterEqual: 'return v0 >= v1 ? 1 : 0;',
  Less: 'return v0 < v1 ? 1 : 0;',
  LessEqual: 'return v0 <= v1 ? 1 : 0;',
};

/**
 * The output's dimensions and each input's strides with mergeable neighbours merged and size-1
 * dimensions dropped, or null when more than MAX_RANK dimensions remain.
 */
function mergedLayout(outShape: readonly number[], strides: number[][]): { dims: number[]; strides: number[][] } | null {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  outShape.forEach((d, axis) => {
    if (d === 1) return;
    const last = dims.length - 1;
    // Merging axis into the previous one works when, for every input, stepping the previous
    // axis by one equals stepping this one d times.
    if (last >= 0 && strides.every((s, j) => merged[j][last] === s[axis] * d)) {
      dims[last] *= d;
      strides.forEach((s, j) => (merged[j][last] = s[axis]));
    } else {
      dims.push(d);
      strides.forEach((s, j) => merged[j].push(s[axis]));
    }
  });
  if (dims.length > MAX_RANK) return null;
  while (dims.length < MAX_RANK) {
    dims.unshift(1);
    merged.forEach((m) => m.unshift(0));
  }
  return { dims, strides: merged };
}

/** An input read at `offset + sum(coordinate * stride)` of the output's coordinates. */
export interface StridedInput {
  data: GpuData;
  strides: number[];
  offset: number;
}

/**
 * Runs `body` (over v0, v1, ... and the parameters p0, p1, ...) for every element of outShape,
 * input j read at its strides. Returns null when more dimensions remain than the program has.
 */
export function stridedMap(name: string, body: string, inputs: readonly StridedInput[], outShape: number[], dtype: DType, params: readonly number[] = []): Info | null {
  const layout = mergedLayout(outShape, inputs.map((t) => t.strides));
  if (!layout) return null;
  const dimNames = ['n0', 'n1', 'n2', 'n3'];
  const paramList = params.map((_, k) => [`p${k}`, 'Float'] as const);
  const strideList = inputs.flatMap((_, j) => [...dimNames.map((__, k) => [`s${j}_${k}`, 'Integer'] as const), [`o${j}`, 'Integer'] as const]);
  const parameters: (readonly [string, ArgumentType])[] = [
    ...inputs.map((_, j) => [`x${j}`, 'Array'] as const), ...dimNames.slice(1).map((d) => [d, 'Integer'] as const), ...strideList, ...paramList,
  ];
  const p = program(`${name}/strided${inputs.length}/${params.length}`, parameters, [
    coordinates('this.thread.x', dimNames),
    ...inputs.map((_, j) => `const v${j} = x${j}[o${j} + c0 * s${j}_0 + c1 * s${j}_1 + c2 * s${j}_2 + c3 * s${j}_3];`),
    body,
  ].join('\n'));
  const strideArgs = inputs.flatMap((t, j) => [...layout.strides[j], t.offset]);
  return launch(p, [...inputs.map((t) => t.data), ...layout.dims.slice(1), ...strideArgs, ...params], outShape, dtype);
}

/**
 * `body` for every element of outShape with the inputs broadcast to it (see stridedMap); inputs
 * of the output's own size take a flat program.
 */
export function elementwise(name: string, body: string, inputs: readonly Info[], outShape: number[], dtype: DType, params: readonly number[] = []): Info | null {
  const n = sizeOf(outShape);
  if (inputs.every((t) => sizeOf(t.shape) === n)) {
    const p = program(`${name}/flat${inputs.length}/${params.length}`, [
      ...inputs.map((_, j) => [`x${j}`, 'Array'] as const), ...params.map((_, k) => [`p${k}`, 'Float'] as const),
    ], [...inputs.map((_, j) => `const v${j} = x${j}[this.thread.x];`), body].join('\n'));
    return launch(p, [...inputs.map((t) => t.data), ...params], outShape, dtype);
  }
  return stridedMap(name, body, inputs.map((t) => ({ data: t.data, strides: broadcastStrides(t.shape, outShape), offset: 0 })), outShape, dtype, params);
}

const gpuUnary = [...FLOAT_UNARY_KERNELS, ...INT_PRESERVING_UNARY_KERNELS].filter((n): n is GpuUnaryName => !(HOST_UNARY as readonly string[]).includes(n));
const unaryKernels: KernelConfig[] = gpuUnary.map((name) =>
  gpuKernel(name, ([x], attrs) => elementwise(name, UNARY_BODIES[name], [x], x.shape.slice(), x.dtype, UNARY_PARAMS[name]?.(attrs))!),
);

const binaryKernels: KernelConfig[] = [...ARITHMETIC_BINARY_KERNELS, ...COMPARISON_BINARY_KERNELS].map((name) => {
  const comparison = (COMPARISON_BINARY_KERNELS as readonly string[]).includes(name);
  return gpuKernel(name, (inputs, attrs) => {
    const [a, b] = inputs;
    const outShape = broadcastShapes(a.shape, b.shape, name);
    return elementwise(name, BINARY_BODIES[name], [a, b], outShape, comparison ? 'bool' : a.dtype) ?? onHost(name, inputs, attrs);
  });
});

const whereKernel = gpuKernel('Where', (inputs, attrs) => {
  const [cond, a, b] = inputs;
  const outShape = broadcastShapes(broadcastShapes(cond.shape, a.shape, 'where'), b.shape, 'where');
  return elementwise('Where', 'return v0 !== 0 ? v1 : v2;', [cond, a, b], outShape, a.dtype) ?? onHost('Where', inputs, attrs);
});

const CAST_BODIES: Record<DType, string> = {
  float32: 'return v0;',
  int32: 'return Math.trunc(v0);',
  bool: 'return v0 !== 0 ? 1 : 0;',
};

// An int32 input converts exactly: Cast takes it on the gpu.
const castKernel = gpuKernel('Cast', ([x], attrs) => {
  const dtype = attrs.dtype as DType;
  return elementwise(`Cast-${dtype}`, CAST_BODIES[dtype], [x], x.shape.slice(), dtype)!;
}, { indexInputs: [0] });

export const kernels: KernelConfig[] = [...unaryKernels, ...binaryKernels, whereKernel, castKernel];
