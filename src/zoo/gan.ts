/**
 * The documents' MLP GAN, built with the public layers API only.
 * Generator: z (100) -> dense 128 -> 256 -> 512 -> 1024, each with LeakyReLU (0.2) then
 * BatchNorm -> dense 784 sigmoid. Discriminator: 784 -> dense 1024 -> 512 -> 256 -> 128 with
 * LeakyReLU (0.2) -> dense 1 sigmoid. Adam (2e-4, beta1 0.5) for each.
 *
 * The losses are the standard ones (the documents' code has their signs wrong): the
 * discriminator minimises BCE(D(x), 1) + BCE(D(G(z)), 0), the generator BCE(D(G(z)), 1), the
 * non-saturating form of Goodfellow et al. (2014). Both are computed from D's logits, exactly,
 * so the generator keeps a gradient when D(G(z)) rounds to 0.
 */
import { GradientTape, noGrad } from '../autograd/api.js';
import type { Variable } from '../autograd/variable.js';
import { keep, tidy } from '../engine.js';
import { binaryCrossentropy } from '../losses/binary.js';
import { add, full, mean, randomNormal, sigmoid, stack } from '../ops/index.js';
import { adam, type Optimizer } from '../optim/index.js';
import type { Tensor } from '../tensor.js';
import { batchNormalization, dense } from '../nn/index.js';
import type { Layer } from '../nn/layer.js';
import { Sequential } from '../models/sequential.js';

export const GAN_LATENT_DIM = 100;
export const GAN_EPOCHS = 20;
export const GAN_BATCH_SIZE = 64;
export const GAN_LEARNING_RATE = 2e-4;
export const GAN_BETA1 = 0.5;
/** PyTorch's Adam epsilon, as in the reference run the quality goals are measured against (Keras' is 1e-7). */
const GAN_ADAM_EPSILON = 1e-8;
/**
 * PyTorch's BatchNorm1d defaults, as in the same reference run: epsilon 1e-5 and a moving
 * average that keeps 0.9 of the old statistics (PyTorch's momentum 0.1); Keras' are 1e-3 and 0.99.
 */
const GAN_BATCH_NORM = { epsilon: 1e-5, momentum: 0.9 };
const IMAGE_SIZE = 784;
const GENERATOR_UNITS = [128, 256, 512, 1024];
const DISCRIMINATOR_UNITS = [1024, 512, 256, 128];

export interface GanOptions {
  /** Length of the noise vector z (default 100). */
  latentDim?: number;
  /**
   * BatchNorm after each of the discriminator's hidden layers, as the documents have it
   * (default false). Real and fake batches then go through D separately, each normalised by its
   * own statistics, which lets D tell them apart by their batch statistics alone: with PyTorch on
   * the MNIST split, this variant sat at D(real) = D(fake) = 0.50 for 20 epochs over 3 seeds and
   * the generator collapsed onto one or two digits.
   */
  discriminatorBatchNorm?: boolean;
  /** Adam's learning rate for both networks (default 2e-4). */
  learningRate?: number;
  /** Adam's beta1 for both networks (default 0.5). */
  beta1?: number;
}

export interface GanStepOptions {
  /**
   * One-sided label smoothing (Salimans et al., 2016): the discriminator's target for real
   * images is 1 - labelSmoothing (default 0: no smoothing). Fake targets stay 0.
   */
  labelSmoothing?: number;
}

/** One step's figures, as scalars on the backend (read them when needed, e.g. once per epoch). */
export interface GanStepLogs {
  /** [D loss, G loss, mean D(real), mean D(fake)]: a tensor of shape [4]. */
  values: Tensor;
}

export const GAN_LOG_NAMES = ['dLoss', 'gLoss', 'dReal', 'dFake'] as const;

function checkPositiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`gan: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

function checkRate(value: number, name: string, max: number): number {
  if (!(typeof value === 'number' && value >= 0 && value < max)) throw new RangeError(`gan: ${name} must be a number in [0, ${max}), got ${String(value)}`);
  return value;
}

function generatorLayers(latentDim: number): Layer[] {
  const layers: Layer[] = [];
  GENERATOR_UNITS.forEach((units, i) => {
    layers.push(dense({ units, activation: 'leakyRelu', ...(i === 0 ? { inputShape: [latentDim] } : {}) }));
    layers.push(batchNormalization(GAN_BATCH_NORM));
  });
  layers.push(dense({ units: IMAGE_SIZE, activation: 'sigmoid' }));
  return layers;
}

function discriminatorLayers(withBatchNorm: boolean): Layer[] {
  const layers: Layer[] = [];
  DISCRIMINATOR_UNITS.forEach((units, i) => {
    layers.push(dense({ units, activation: 'leakyRelu', ...(i === 0 ? { inputShape: [IMAGE_SIZE] } : {}) }));
    if (withBatchNorm) layers.push(batchNormalization(GAN_BATCH_NORM));
  });
  layers.push(dense({ units: 1, activation: 'sigmoid' }));
  return layers;
}

/** The two networks, their optimizers and the alternating training step. */
export class Gan {
  readonly generator: Sequential;
  readonly discriminator: Sequential;
  readonly generatorOptimizer: Optimizer;
  readonly discriminatorOptimizer: Optimizer;
  readonly latentDim: number;

  constructor(options: GanOptions = {}) {
    if (options === null || typeof options !== 'object') throw new TypeError('gan: options must be an object');
    this.latentDim = checkPositiveInteger(options.latentDim ?? GAN_LATENT_DIM, 'latentDim');
    const learningRate = options.learningRate ?? GAN_LEARNING_RATE;
    if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new RangeError(`gan: learningRate must be a positive number, got ${String(learningRate)}`);
    const beta1 = checkRate(options.beta1 ?? GAN_BETA1, 'beta1', 1);
    this.generator = new Sequential({ name: 'generator', layers: generatorLayers(this.latentDim) });
    this.discriminator = new Sequential({ name: 'discriminator', layers: discriminatorLayers(options.discriminatorBatchNorm ?? false) });
    this.generatorOptimizer = adam({ learningRate, beta1, epsilon: GAN_ADAM_EPSILON });
    this.discriminatorOptimizer = adam({ learningRate, beta1, epsilon: GAN_ADAM_EPSILON });
  }

  /** Noise vectors z ~ N(0, 1), [n, latentDim], from the global stream (et.setSeed). */
  noise(n: number): Tensor {
    return randomNormal([checkPositiveInteger(n, 'the sample count'), this.latentDim]);
  }

  /** Images G(z) in inference mode (BatchNorm uses its moving statistics): [n, 784] in [0, 1]. */
  generate(z: Tensor | number): Tensor {
    if (typeof z === 'number') return tidy(() => this.generator.predict(this.noise(z), { batchSize: 256 }) as Tensor);
    return this.generator.predict(z, { batchSize: 256 }) as Tensor;
  }

  /**
   * One step on a batch of real images [b, 784]: D is updated on the real batch and on G(z),
   * then G is updated through the updated D on the same G(z) (the alternating updates of
   * Goodfellow et al.). G's forward pass is recorded once, on G's tape; D's loss has a tape of
   * its own, released before D's update, so the update writes D's weights in place instead of
   * first copying what a tape still holds; likewise G's tape is released before G's update.
   */
  trainStep(real: Tensor, options: GanStepOptions = {}): GanStepLogs {
    const labelSmoothing = checkRate(options.labelSmoothing ?? 0, 'labelSmoothing', 1);
    if (real.rank !== 2 || real.shape[1] !== IMAGE_SIZE) throw new RangeError(`gan.trainStep: real images must have shape [batch, ${IMAGE_SIZE}], got [${real.shape.join(', ')}]`);
    const dVars = this.discriminator.trainableWeights;
    const gVars = this.generator.trainableWeights;
    return tidy(() => {
      const b = real.shape[0];
      const z = this.noise(b);
      const realTarget = full([b, 1], 1 - labelSmoothing);
      const fakeTarget = full([b, 1], 0);
      const gTape = new GradientTape({ watchAccessedVariables: false });
      const dTape = new GradientTape({ watchAccessedVariables: false });
      try {
        gTape.watch(gVars);
        dTape.watch(dVars);
        const fake = gTape.record(() => this.generator.apply(z, { training: true }) as Tensor);
        const d = dTape.record(() => {
          const realLogits = this.discriminator.apply(real, { training: true, logits: 'sigmoid' }) as Tensor;
          const fakeLogits = this.discriminator.apply(fake, { training: true, logits: 'sigmoid' }) as Tensor;
          return { realLogits, fakeLogits, loss: add(binaryCrossentropy(realTarget, realLogits, { fromLogits: true }), binaryCrossentropy(fakeTarget, fakeLogits, { fromLogits: true })) };
        });
        applyGradients(this.discriminatorOptimizer, dVars, dTape.gradient(d.loss, dVars) as Tensor[]);
        const gLoss = gTape.record(() => {
          const logits = this.discriminator.apply(fake, { training: true, logits: 'sigmoid' }) as Tensor;
          return binaryCrossentropy(full([b, 1], 1), logits, { fromLogits: true });
        });
        applyGradients(this.generatorOptimizer, gVars, gTape.gradient(gLoss, gVars) as Tensor[]);
        return { values: keep(noGrad(() => stack([d.loss, gLoss, mean(sigmoid(d.realLogits)), mean(sigmoid(d.fakeLogits))]))) };
      } finally {
        dTape.dispose();
        gTape.dispose();
      }
    });
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
    this.generatorOptimizer.dispose();
    this.discriminatorOptimizer.dispose();
  }
}

function applyGradients(optimizer: Optimizer, vars: Variable[], grads: Tensor[]): void {
  optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
}

/** The documents' GAN (see Gan), untrained. */
export function gan(options: GanOptions = {}): Gan {
  return new Gan(options);
}
