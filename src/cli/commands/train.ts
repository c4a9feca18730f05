import { resolve } from 'node:path';
import type { Command } from 'commander';
import { saveArtifact } from '../../core/artifact.js';
import { getAlgorithm } from '../../recommenders/index.js';
import { printJson, progressBar } from '../output.js';
import { collect, intFlag, paramsFromFlags, readRatingData } from './rating-data.js';

interface TrainFlags {
  data: string;
  format: string;
  algo: string;
  set: string[];
  seed: string;
  out: string;
  scale?: string;
  json?: boolean;
}

/** `reckon train`: fits an algorithm on all the ratings and saves the model folder. */
export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('fit an algorithm on all the ratings and save the model (model.json + weights.safetensors)')
    .requiredOption('--data <path>', 'ratings: a MovieLens folder/file or a CSV file')
    .option('--format <fmt>', 'ml-100k | ml-latest | ml-1m | csv', 'ml-100k')
    .requiredOption('--algo <name>', 'algorithm name')
    .option('--set <key=value>', 'set a param (repeatable)', collect, [])
    .option('--seed <n>', 'seed of the fit (overrides the seed param)')
    .requiredOption('--out <dir>', 'model folder to write')
    .option('--scale <min,max>', 'declared rating scale')
    .option('--json', 'print one JSON line')
    .action(async (flags: TrainFlags) => {
      const entry = getAlgorithm(flags.algo);
      const { data, scale } = await readRatingData(flags.data, flags.format, flags.scale, progressBar(flags.json === true));
      const params = paramsFromFlags(flags.algo, entry.specs, flags.set, scale);
      const model = entry.create(params);
      const bar = progressBar(flags.json === true);
      const t0 = performance.now();
      await model.fit(data, { ...(flags.seed === undefined ? {} : { seed: intFlag('seed', flags.seed, 0, 2 ** 32 - 1) }), ...(bar === undefined ? {} : { onProgress: bar }) });
      const fitSeconds = (performance.now() - t0) / 1000;
      const out = resolve(flags.out);
      await saveArtifact(out, model.toArtifact());
      const report = { algo: flags.algo, params: model.getParams(), users: data.nUsers, items: data.nItems, ratings: data.nnz, fitSeconds, out };
      if (flags.json) printJson(report);
      else process.stdout.write(`trained ${flags.algo} on ${data.nnz} ratings (${data.nUsers} users, ${data.nItems} items) in ${fitSeconds.toFixed(2)} s -> ${out}\n`);
    });
}
