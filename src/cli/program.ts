/**
 * The `edgetensor` command's program: `train mlp|gan|linreg`, `bench` (one training step of the
 * MLP per backend) and `info` (version, backends, ISA, threads, gpu adapter).
 */
import { gpuAdapterDescription, gpuUnavailableReason } from '../backend/gpu/index.js';
import { Argument, Command, InvalidArgumentError, Option, type OutputConfiguration } from 'commander';
import path from 'node:path';
import * as et from '../index.js';
import { EDGETENSOR_VERSION } from '../version.js';


function positiveInteger(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got '${value}'`);
    return n;
  };
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`the seed must be an integer, got '${value}'`);
  return n;
}

function fraction(name: string) {
  return (value: string): number => {
    const x = Number(value);
    if (value.trim() === '' || !(x >= 0 && x < 1)) throw new InvalidArgumentError(`${name} must be a number in [0, 1), got '${value}'`);
    return x;
  };
}

interface TrainOptions {
  backend?: et.BackendName;
  epochs?: number;
  batchSize?: number;
  dataset: 'mnist' | 'fashion';
  out: string;
  score?: boolean;
  labelSmoothing?: number;
  discriminatorBatchNorm?: boolean;
  trainSamples?: number;
  seed: number;
  save?: string;
}

/**
 * The command-line program. It throws a CommanderError instead of exiting (on a bad argument,
 * --help or --version) so callers decide; `output` redirects what commander prints.
 */
export function buildProgram(output?: OutputConfiguration): Command {
  const program = new Command('edgetensor').version(EDGETENSOR_VERSION).description('edgetensor: train, benchmark and inspect').exitOverride();
  if (output) program.configureOutput(output);
  const backendOption = () => new Option('--backend <name>', 'the backend to run on').choices(['native', 'js', 'gpu']);

  program
    .command('train')
    .description("train one of the documents' models")
    .addArgument(new Argument('<model>', 'the model').choices(['mlp', 'gan', 'linreg']))
    .addOption(backendOption())
    .option('--epochs <n>', 'epochs (default: mlp 5, gan 20)', positiveInteger('--epochs'))
    .option('--batch-size <n>', 'samples per batch (default: mlp 32, gan 64)', positiveInteger('--batch-size'))
    .addOption(new Option('--dataset <name>', 'the data (mlp, gan)').choices(['mnist', 'fashion']).default('mnist'))
    .option('--out <dir>', 'gan: where to write the sample grids (epoch_NNN.png) and losses.csv', 'gan-output')
    .option('--score', 'gan: score each epoch\'s samples with a trained mlp (confident share, classes covered)')
    .option('--label-smoothing <x>', 'gan: one-sided label smoothing, real targets 1 - x (default 0)', fraction('--label-smoothing'))
    .option('--discriminator-batch-norm', "gan: BatchNorm in the discriminator as in the documents (it does not learn; see et.models.gan)")
    .option('--train-samples <n>', 'mlp, gan: train on the first n training images only', positiveInteger('--train-samples'))
    .option('--seed <n>', 'seeds the weights and the shuffling', integer, 1)
    .option('--save <dir>', "mlp, gan: save the trained model there in tfjs' layers-model format (mlp: dir/model.json with the optimizer's state; gan: dir/generator and dir/discriminator)")
    .action(async (modelName: 'mlp' | 'gan' | 'linreg', options: TrainOptions) => {
      if (options.backend) et.setBackend(options.backend);
      if (modelName === 'linreg') {
        et.setSeed(options.seed);
        const r = et.models.linearRegression();
        console.log(`linear regression (y = 3x + noise, lr 0.01, 1000 steps) on ${et.getBackend()}: w = ${r.weight.toFixed(6)} (least squares ${r.leastSquares.weight.toFixed(6)}), final MSE ${r.finalLoss.toFixed(6)}`);
        return;
      }
      if (modelName === 'gan') {
        const result = await et.models.trainGan({
          dataset: options.dataset, epochs: options.epochs, batchSize: options.batchSize, seed: options.seed, out: options.out,
          score: options.score === true, labelSmoothing: options.labelSmoothing, discriminatorBatchNorm: options.discriminatorBatchNorm === true,
          trainSamples: options.trainSamples,
        });
        console.log(`wrote ${result.epochs.length} sample grids and losses.csv to ${options.out}; ${Math.round(result.samplesPerSecond)} training images/s on ${et.getBackend()}`);
        if (options.save) {
          await result.gan.generator.save(`file://${path.join(options.save, 'generator')}`);
          await result.gan.discriminator.save(`file://${path.join(options.save, 'discriminator')}`);
          console.log(`saved the generator and the discriminator to ${options.save}`);
        }
        result.gan.dispose();
        return;
      }
      const result = await et.models.trainMlp({ dataset: options.dataset, epochs: options.epochs, batchSize: options.batchSize, seed: options.seed, trainSamples: options.trainSamples });
      console.log(`test accuracy ${result.testAccuracy.toFixed(4)} on ${result.testSamples} ${options.dataset} images; ${Math.round(result.samplesPerSecond)} training samples/s on ${et.getBackend()}`);
      if (options.save) {
        await result.model.save(`file://${options.save}`, { includeOptimizer: true });
        console.log(`saved the model to ${path.join(options.save, 'model.json')}`);
      }
      result.model.dispose();
    });

  program
    .command('bench')
    .description("time one training step (model.trainOnBatch) of the documents' MLP at batch 32 on each backend")
    .option('--steps <n>', 'steps to time per backend', positiveInteger('--steps'), 200)
    .action(async (options: { steps: number }) => {
      for (const backend of et.backends()) {
        et.setBackend(backend);
        et.setSeed(1);
        const model = et.models.mlp();
        const x = et.randomUniform([32, 784], 0, 1, 2);
        const y = et.tensor(Int32Array.from({ length: 32 }, (_, i) => i % 10));
        for (let i = 0; i < 10; i++) await model.trainOnBatch(x, y);
        const start = performance.now();
        for (let i = 0; i < options.steps; i++) await model.trainOnBatch(x, y);
        const ms = (performance.now() - start) / options.steps;
        console.log(`${backend.padEnd(7)} ${ms.toFixed(3)} ms/step  ${Math.round((32 * 1000) / ms)} samples/s`);
        model.dispose();
        et.dispose([x, y]);
      }
    });

  program
    .command('info')
    .description('version, backends, native instruction set and threads, gpu adapter')
    .action(() => {
      console.log(`edgetensor ${EDGETENSOR_VERSION} on Node ${process.versions.node} (${process.platform}-${process.arch})`);
      console.log(`backends: ${et.backends().join(', ')} (default ${et.getBackend()})`);
      const isa = et.getIsa();
      console.log(isa ? `native: ${isa} (best on this CPU: ${et.getBestIsa()}), ${et.getNumThreads()} threads` : 'native: the addon is not loaded (npm run build:native)');
      const adapter = gpuAdapterDescription();
      console.log(adapter ? `gpu: WebGPU adapter ${adapter}` : `gpu: ${gpuUnavailableReason()}`);
    });

  return program;
}

/** Runs the command line (argv as process.argv: node, script, ...args). */
export async function run(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
