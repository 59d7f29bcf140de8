/**
 * Matrix products on the gpu: one strided, batched GEMM program serves MatMul in all four
 * transpose forms and the three products of a dense layer's forward and backward pass
 * (operand layouts are strides, a batch of 1 broadcasts with stride 0). FusedMatMul adds the
 * bias and the activation in the same program; FusedMatMulGrad is the activation's gradient,
 * two GEMMs and a column sum.
 */
import { FUSED_ACTIVATIONS, type FusedActivation, type TensorInfo } from '../../kernel.js';
import { matMulDims, matMulOperandGradients } from '../../matmul_forms.js';
import type { KernelConfig } from '../../registry.js';
import type { GpuData } from '../backend.js';
import { gpuKernel } from '../kernel_config.js';
import { coordinates, gpuBackend, launch, program } from '../program.js';
import { ACTIVATION_EXPRESSIONS, elementwise } from './elementwise.js';
import { reduce } from './reduce.js';

type Info = TensorInfo<GpuData>;

const FORWARD: Record<Exclude<FusedActivation, 'linear'>, keyof typeof ACTIVATION_EXPRESSIONS> = {
  relu: 'Relu', relu6: 'Relu6', leakyRelu: 'LeakyRelu', elu: 'Elu', sigmoid: 'Sigmoid', tanh: 'Tanh',
};

/** dy * activation'(x) written with v0 = dy, v1 = y = activation(x), p0 = leakyRelu's slope. */
const GRADIENT_BODIES: Record<FusedActivation, string> = {
  linear: 'return v0;',
  relu: 'return v1 > 0 ? v0 : 0;',
  relu6: 'return v1 > 0 && v1 < 6 ? v0 : 0;',
  leakyRelu: 'return v1 > 0 ? v0 : p0 * v0;',
  elu: 'return v1 > 0 ? v0 : v0 * (v1 + 1);',
  sigmoid: 'return v0 * v1 * (1 - v1);',
  tanh: 'return v0 * (1 - v1 * v1);',
};

interface Epilogue {
  bias: GpuData | null;
  activation: FusedActivation;
  alpha: number;
}

/**
 * op(a) op(b) for a [batchA, rows, cols] (or its transpose) and b likewise, batches equal or
 * one of them 1, with an optional bias and activation applied to every element.
 */
function gemm(a: Info, b: Info, transposeA: boolean, transposeB: boolean, epilogue: Epilogue = { bias: null, activation: 'linear', alpha: 0 }): Info {
  const rank3 = a.shape.length === 3;
  const aMatrix = rank3 ? a.shape.slice(1) : a.shape;
  const bMatrix = rank3 ? b.shape.slice(1) : b.shape;
  const batchA = rank3 ? a.shape[0] : 1;
  const batchB = rank3 ? b.shape[0] : 1;
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) throw new RangeError(`MatMul: batch sizes ${batchA} and ${batchB} differ and neither is 1`);
  const { m, k, n } = matMulDims(aMatrix, bMatrix, transposeA, transposeB);
  const batch = Math.max(batchA, batchB);
  // a's element (row i, step p) and b's (step p, column j) in their stored layouts.
  const [aRow, aStep] = transposeA ? [1, m] : [k, 1];
  const [bStep, bCol] = transposeB ? [1, k] : [n, 1];
  const { bias, activation, alpha } = epilogue;
  // Four consecutive columns per thread where they divide the row: one load of a serves four
  // products, and the four results are contiguous in the output.
  const columns = n % 4 === 0 ? 4 : 1;
  const lanes = Array.from({ length: columns }, (_, c) => c);
  const act = activation === 'linear' ? (v: string) => v : ACTIVATION_EXPRESSIONS[FORWARD[activation]];
  const p = program(`Gemm${columns}/${activation}/${bias ? 'bias' : 'nobias'}`, [
    ['a', 'Array'], ['b', 'Array'], ...(bias ? [['bias', 'Array'] as const] : []),
    ['M', 'Integer'], ['G', 'Integer'], ['K', 'Integer'],
    ['sab', 'Integer'], ['sar', 'Integer'], ['sap', 'Integer'], ['sbb', 'Integer'], ['sbp', 'Integer'], ['sbc', 'Integer'], ['p0', 'Float'],
  ], [
    // G column groups per row; c2 is this thread's group.
    coordinates('this.thread.x', ['B', 'M', 'G']),
    'const ao = c0 * sab + c1 * sar;',
    `const bo = c0 * sbb + c2 * ${columns} * sbc;`,
    ...lanes.map((c) => `let acc${c} = 0;`),
    'for (let p = 0; p < K; p++) {',
    '  const av = a[ao + p * sap];',
    '  const bp = bo + p * sbp;',
    ...lanes.map((c) => `  acc${c} = acc${c} + av * b[bp + ${c} * sbc];`),
    '}',
    ...lanes.map((c) => `const z${c} = acc${c}${bias ? ` + bias[c2 * ${columns} + ${c}]` : ''};`),
    columns === 1 ? `return ${act('z0')};` : `return [${lanes.map((c) => act(`z${c}`)).join(', ')}];`,
  ].join('\n'));
  const shape = rank3 ? [batch, m, n] : [m, n];
  const args = [a.data, b.data, ...(bias ? [bias] : []), m, n / columns, k, batchA === 1 ? 0 : m * k, aRow, aStep, batchB === 1 ? 0 : k * n, bStep, bCol, alpha];
  return launch(p, args, shape, 'float32', columns);
}

const attrsOf = (attrs: Record<string, unknown>) => ({
  transposeA: attrs.transposeA === true,
  transposeB: attrs.transposeB === true,
  activation: (attrs.activation ?? 'linear') as FusedActivation,
  alpha: (attrs.alpha as number | undefined) ?? 0,
});

const matMulKernel = gpuKernel('MatMul', ([a, b], attrs) => {
  if (a.shape.length !== b.shape.length || (a.shape.length !== 2 && a.shape.length !== 3)) {
    throw new RangeError(`MatMul: needs two rank-3 or two rank-2 inputs, got [${a.shape}] and [${b.shape}]`);
  }
  const { transposeA, transposeB } = attrsOf(attrs);
  return gemm(a, b, transposeA, transposeB);
});

const fusedMatMulKernel = gpuKernel('FusedMatMul', ([a, b, bias], attrs) => {
  const { transposeA, transposeB, activation, alpha } = attrsOf(attrs);
  if (!FUSED_ACTIVATIONS.includes(activation)) throw new RangeError(`FusedMatMul: unknown activation '${activation}'; expected one of ${FUSED_ACTIVATIONS.join(', ')}`);
  return gemm(a, b, transposeA, transposeB, { bias: bias?.data ?? null, activation, alpha });
});

const fusedMatMulGradKernel = gpuKernel('FusedMatMulGrad', ([dy, a, b, y], attrs) => {
  const { transposeA, transposeB, activation, alpha } = attrsOf(attrs);
  const needs = attrs.needs as [boolean, boolean, boolean];
  const dz = elementwise(`FusedGrad-${activation}`, GRADIENT_BODIES[activation], [dy, y], dy.shape.slice(), 'float32', [alpha])!;
  const product = (x: Info, w: Info, tx: boolean, tw: boolean) => gemm(x, w, tx, tw);
  const [da, db] = matMulOperandGradients(dz, a, b, transposeA, transposeB, product, [needs[0], needs[1]]);
  const outputs = [da, db].filter((g): g is Info => g !== null);
  if (needs[2]) {
    const [rows, cols] = dy.shape;
    outputs.push(reduce('Sum', dz.data, rows, cols, [cols], 'float32'));
  }
  gpuBackend().dispose(dz.data);
  return outputs;
});

export const kernels: KernelConfig[] = [matMulKernel, fusedMatMulKernel, fusedMatMulGradKernel];
