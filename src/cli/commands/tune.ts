import { resolve } from 'node:path';
import type { Command } from 'commander';
import { saveArtifact } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { type ParamDistributions, type ParamGrid, type SearchResult, gridSearch, randomizedSearch } from '../../eval/search.js';
import { getAlgorithm } from '../../recommenders/index.js';
import { formatTable, printJson, progressBar } from '../output.js';
import { intFlag, paramsFromFlags, readRatingData } from './rating-data.js';

interface TuneFlags {
  data: string;
  format: string;
  algo: string;
  grid: string;
  random?: string;
  cv: string;
  seed: string;
  metric: string;
  workers: string;
  scale?: string;
  out?: string;
  json?: boolean;
}

/** `reckon tune`: grid or randomized search with k-fold CV; prints the ranking, saves the refit best with --out. */
export function registerTune(program: Command): void {
  program
    .command('tune')
    .description('hyperparameter search (grid, or randomized with --random N) by k-fold CV; refits the best')
    .requiredOption('--data <path>', 'ratings: a MovieLens folder/file or a CSV file')
    .option('--format <fmt>', 'ml-100k | ml-latest | ml-1m | csv', 'ml-100k')
    .requiredOption('--algo <name>', 'algorithm name')
    .requiredOption('--grid <json>', 'params to search, e.g. \'{"factors":[50,100],"learningRate":[0.005,0.01]}\'; with --random, ranges as {"low":a,"high":b,"log":true}')
    .option('--random <n>', 'randomized search: number of draws')
    .option('--cv <k>', 'number of folds', '5')
    .option('--seed <n>', 'seed of the folds (and of the draws)', '0')
    .option('--metric <name>', 'rmse | mae | mse | fcp', 'rmse')
    .option('--workers <n>', 'run folds on this many worker threads', '1')
    .option('--scale <min,max>', 'declared rating scale')
    .option('--out <dir>', 'save the refit best model here')
    .option('--json', 'print one JSON line')
    .action(async (flags: TuneFlags) => {
      const entry = getAlgorithm(flags.algo, 'rating');
      let space: Record<string, unknown>;
      try {
        space = JSON.parse(flags.grid) as Record<string, unknown>;
      } catch (e) {
        throw new InvalidArgumentError(`--grid: not valid JSON (${(e as Error).message}): ${flags.grid}`);
      }
      if (space === null || typeof space !== 'object' || Array.isArray(space)) throw new InvalidArgumentError(`--grid: expected a JSON object of param -> values, got ${flags.grid}`);
      const { data, scale } = await readRatingData(flags.data, flags.format, flags.scale, progressBar(flags.json === true));
      const fixed = paramsFromFlags(flags.algo, entry.specs, [], scale);
      for (const [k, v] of Object.entries(fixed)) if (!(k in space)) space[k] = [v];
      const bar = progressBar(flags.json === true);
      const opts = {
        cv: intFlag('cv', flags.cv, 2, Math.max(2, data.nnz)),
        seed: intFlag('seed', flags.seed, 0, 2 ** 32 - 1),
        metric: flags.metric,
        workers: intFlag('workers', flags.workers, 1, 256),
        refit: flags.out !== undefined,
        ...(bar === undefined ? {} : { onProgress: bar }),
      };
      const result =
        flags.random === undefined
          ? await gridSearch(flags.algo, space as ParamGrid, data, opts)
          : await randomizedSearch(flags.algo, space as ParamDistributions, intFlag('random', flags.random, 1, 100_000), data, opts);
      if (flags.out !== undefined && result.model !== undefined) await saveArtifact(resolve(flags.out), result.model.toArtifact());
      const { model: _model, ...plain } = result;
      if (flags.json) printJson(plain);
      else process.stdout.write(renderTune(result, Object.keys(space)));
    });
}

/** Candidates ranked by the metric, showing the searched params. */
export function renderTune(r: SearchResult, keys: readonly string[]): string {
  const shown = keys.filter((k) => k !== 'ratingMin' && k !== 'ratingMax');
  const rows = [...r.candidates]
    .sort((a, b) => a.rank - b.rank)
    .map((c) => [c.rank, ...shown.map((k) => JSON.stringify(c.params[k])), c.metrics[r.metric]!.mean.toFixed(4), c.metrics[r.metric]!.std.toFixed(4), c.fitSeconds.mean.toFixed(3)]);
  return `${r.algo}: ${r.candidates.length} candidates by ${r.metric}; best ${r.best.score.toFixed(4)} with ${JSON.stringify(Object.fromEntries(shown.map((k) => [k, r.best.params[k]])))}\n` +
    formatTable(['rank', ...shown, `${r.metric} mean`, 'std', 'fit s'], rows);
}
