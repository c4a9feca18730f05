import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { type CrossValidateResult, crossValidate } from '../../eval/cv.js';
import { getAlgorithm, listAlgorithms } from '../../recommenders/index.js';
import { formatTable, printJson, progressBar } from '../output.js';
import { collect, intFlag, paramsFromFlags, readRatingData } from './rating-data.js';
import { evaluateRankingWithReport } from './evaluate-ranking-report.js';
import { ratingReport, writeReport } from './report.js';
import { addItemFeatureOptions } from './item-features.js';

/** Flags of `reckon evaluate`. */
export interface EvaluateFlags {
  data: string;
  format: string;
  algo: string;
  set: string[];
  cv: string;
  seed: string;
  metrics: string;
  workers: string;
  task: string;
  scale?: string;
  /** Ranking task: named split protocol, cut-off and AUC (see evaluate-ranking.ts). */
  protocol?: string;
  k?: string;
  auc?: boolean;
  sampledNegatives?: string;
  json?: boolean;
  report?: string;
}

/**
 * Evaluation back ends by task. 'rating' is k-fold CV of rating predictions (this module); other areas add theirs
 * (e.g. 'ranking') by setting an entry here before the program runs.
 */
export const EVALUATE_TASKS: Record<string, (flags: EvaluateFlags) => Promise<void>> = {
  rating: evaluateRating,
};

/** `reckon evaluate`: cross-validates an algorithm on a data set and prints a table or JSON. */
export function registerEvaluate(program: Command): void {
  addItemFeatureOptions(program.command('evaluate'))
    .description('k-fold cross-validation of an algorithm (RMSE, MAE, MSE, FCP; fit and test seconds)')
    .requiredOption('--data <path>', 'ratings: a MovieLens folder/file or a CSV file')
    .option('--format <fmt>', 'ml-100k | ml-latest | ml-1m | csv', 'ml-100k')
    .requiredOption('--algo <name>', `rating algorithm: ${listAlgorithms('rating').map((a) => a.name).join(', ')}`)
    .option('--set <key=value>', 'set a param (repeatable)', collect, [])
    .option('--cv <k>', 'number of folds', '5')
    .option('--seed <n>', 'seed of the fold assignment', '0')
    .option('--metrics <list>', 'comma-separated metrics', 'rmse,mae')
    .option('--workers <n>', 'run folds on this many worker threads', '1')
    .option('--task <task>', 'rating | ranking', 'rating')
    .option('--scale <min,max>', 'declared rating scale (default: the format’s, or the data’s min/max)')
    .option('--protocol <name>', 'ranking task: msr-stratified-75 | msr-stratified-75-v2 | msr-random-75 | recbole-811 | leave-last-1', 'msr-stratified-75')
    .option('-k, --k <n>', 'ranking task: cut-off of the top-k metrics (default: the protocol’s, 10)')
    .option('--auc', 'ranking task: also compute AUC over the full candidate set')
    .option('--sampled-negatives <n>', 'ranking task: ALSO report sampled metrics (test items vs n random negatives), labelled sampled<n>-*')
    .option('--json', 'print one JSON line')
    .option('--report <file.html>', 'also write a self-contained HTML report with charts (several --algo a,b: comparison)')
    .action(async (flags: EvaluateFlags) => {
      if (flags.task === 'ranking' && flags.report !== undefined) {
        await evaluateRankingWithReport({ ...flags, report: flags.report });
        return;
      }
      const run = EVALUATE_TASKS[flags.task];
      if (run === undefined) throw new InvalidArgumentError(`--task: unknown task "${flags.task}"; expected one of: ${Object.keys(EVALUATE_TASKS).join(', ')}`, { task: flags.task });
      await run(flags);
    });
}

async function evaluateRating(flags: EvaluateFlags): Promise<void> {
  const algos = flags.algo.split(',').map((a) => a.trim()).filter((a) => a !== '');
  const { data, scale } = await readRatingData(flags.data, flags.format, flags.scale, progressBar(flags.json === true));
  const cv = intFlag('cv', flags.cv, 2, Math.max(2, data.nnz));
  const seed = intFlag('seed', flags.seed, 0, 2 ** 32 - 1);
  const results: CrossValidateResult[] = [];
  for (const algo of algos) {
    const entry = getAlgorithm(algo, 'rating');
    const params = paramsFromFlags(algo, entry.specs, flags.set, scale);
    const bar = progressBar(flags.json === true);
    const result = await crossValidate(algo, params, data, {
      cv,
      seed,
      metrics: flags.metrics.split(','),
      workers: intFlag('workers', flags.workers, 1, 256),
      ...(bar === undefined ? {} : { onProgress: bar }),
    });
    results.push(result);
    if (flags.json) printJson(result);
    else process.stdout.write(renderEvaluate(result, flags.data));
  }
  if (flags.report !== undefined) writeReport(flags.report, ratingReport(results, data, scale, { data: flags.data, format: flags.format, cv, seed }));
}

/** The human table of a cross-validation result: one row per metric, one column per fold, then mean and std. */
export function renderEvaluate(r: CrossValidateResult, source: string): string {
  const k = r.fitSeconds.folds.length;
  const headers = ['', ...Array.from({ length: k }, (_, f) => `fold ${f + 1}`), 'mean', 'std'];
  const rows: (string | number)[][] = [];
  for (const [name, s] of Object.entries(r.metrics)) rows.push([name.toUpperCase(), ...s.folds.map(f4), f4(s.mean), f4(s.std)]);
  rows.push(['fit s', ...r.fitSeconds.folds.map(f3), f3(r.fitSeconds.mean), f3(r.fitSeconds.std)]);
  rows.push(['test s', ...r.testSeconds.folds.map(f3), f3(r.testSeconds.mean), f3(r.testSeconds.std)]);
  return `${r.algo} on ${source}, ${k}-fold CV\n${formatTable(headers, rows)}`;
}

const f4 = (x: number): string => x.toFixed(4);
const f3 = (x: number): string => x.toFixed(3);
