import { InvalidArgumentError } from '../../core/errors.js';
import { getSharedPool, kernelModuleUrl } from '../../core/pool.js';
import type { RunOptions } from '../../core/progress.js';
import { Rng } from '../../core/rng.js';
import { checkMetricName, greaterIsBetter } from '../metrics/index.js';
import { type TabularInput, inputRows } from '../schema.js';
import { type MetricSummary, crossValidate, summarize } from './cross-validate.js';
import { type Estimator, withParams } from './estimator.js';
import { type RegistrySpec, type SearchKernelArgs, buildEstimator, scoreCandidates, toPortable } from './search-kernel.js';
import { kFoldAssignment, splitsFromAssignment, stratifiedFoldAssignment } from './splits.js';

const KERNEL = kernelModuleUrl(import.meta.url, './search-kernel.js');

/** A distribution to sample a param from: a list (uniform choice) or a numeric range (log-uniform when `log`). */
export type ParamDistribution = readonly unknown[] | { low: number; high: number; log?: boolean; integer?: boolean };

/** One evaluated candidate. */
export interface SearchResult {
  params: Record<string, unknown>;
  score: MetricSummary;
}

/** Results sorted best first, the best params and the estimator refitted on all rows with them. */
export interface SearchOutcome {
  results: SearchResult[];
  bestParams: Record<string, unknown>;
  bestScore: number;
  bestEstimator: Estimator;
}

/** Every combination of a grid (row-major over the keys in order). */
export function expandGrid(grid: Record<string, readonly unknown[]>): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [k, values] of Object.entries(grid)) {
    if (values.length === 0) throw new InvalidArgumentError(`grid: param "${k}" has no values`);
    const next: Record<string, unknown>[] = [];
    for (const base of out) for (const v of values) next.push({ ...base, [k]: v });
    out = next;
  }
  return out;
}

/** `n` seeded draws from the distributions. */
export function sampleParams(dists: Record<string, ParamDistribution>, n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(seed);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const p: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(dists)) {
      if (Array.isArray(d)) p[k] = d[rng.int(d.length)];
      else {
        const r = d as { low: number; high: number; log?: boolean; integer?: boolean };
        let v = r.log ? Math.exp(rng.range(Math.log(r.low), Math.log(r.high))) : rng.range(r.low, r.high);
        if (r.integer) v = Math.min(r.high, Math.floor(v + (r.log ? 0 : 0.5)));
        p[k] = v;
      }
    }
    out.push(p);
  }
  return out;
}

interface SearchOptions extends RunOptions {
  cv?: number;
  metric?: string;
  /** Worker threads (0 = shared pool size). Parallel search needs a registry spec; estimators run here. */
  threads?: number;
  targetName?: string;
}

/**
 * Scores candidates by cross-validation (the same folds for all) and refits the best on all rows. With a registry
 * spec `{ model, task, pipeline }` candidates are spread over worker threads; with an estimator they run here.
 */
async function search(target: Estimator | RegistrySpec, X: TabularInput, y: ArrayLike<number>, candidates: Record<string, unknown>[], opts: SearchOptions): Promise<SearchOutcome> {
  const yy = Float64Array.from(y);
  const n = inputRows(X);
  const isSpec = 'model' in target && typeof (target as RegistrySpec).model === 'string' && !('fit' in target);
  const task = isSpec ? (target as RegistrySpec).task : (target as Estimator).task;
  const metric = checkMetricName(opts.metric ?? (task === 'classification' ? 'auc' : 'rmse'));
  const k = opts.cv ?? 5;
  const seed = opts.seed ?? 0;
  const folds = task === 'classification' ? stratifiedFoldAssignment(yy, k, seed) : kFoldAssignment(n, k, { seed });
  const splits = splitsFromAssignment(folds);
  let foldScores: number[][];
  const pool = getSharedPool();
  const threads = opts.threads ?? 0;
  if (isSpec && threads !== 1 && pool.size > 1 && candidates.length > 1) {
    const args: SearchKernelArgs = { spec: target as RegistrySpec, candidates, X: toPortable(X), y: yy, folds, metric, seed };
    const parts = await pool.run<SearchKernelArgs, number[][]>({ module: KERNEL, fn: 'scoreCandidates', args, total: candidates.length, chunks: candidates.length, maxWorkers: threads === 0 ? pool.size : Math.min(threads, pool.size) });
    foldScores = parts.flat();
  } else if (isSpec) {
    const args: SearchKernelArgs = { spec: target as RegistrySpec, candidates, X: toPortable(X), y: yy, folds, metric, seed };
    foldScores = await scoreCandidates(args, 0, candidates.length);
  } else {
    foldScores = [];
    for (const c of candidates) {
      const r = await crossValidate(withParams(target as Estimator, c), X, yy, { cv: splits, metrics: [metric], seed });
      foldScores.push(r.metrics[metric].folds);
    }
  }
  const sign = greaterIsBetter(metric) ? 1 : -1;
  const results = candidates.map((params, i) => ({ params, score: summarize(foldScores[i]) })).sort((a, b) => sign * (b.score.mean - a.score.mean));
  const best = results[0];
  const bestEstimator = isSpec ? buildEstimator(target as RegistrySpec, X, best.params) : withParams(target as Estimator, best.params);
  await bestEstimator.fit(X, yy, { seed, ...(opts.targetName !== undefined ? { targetName: opts.targetName } : {}) });
  return { results, bestParams: best.params, bestScore: best.score.mean, bestEstimator };
}

/** Exhaustive search over a grid (scikit-learn's GridSearchCV). */
export function gridSearchCV(target: Estimator | RegistrySpec, X: TabularInput, y: ArrayLike<number>, grid: Record<string, readonly unknown[]>, opts: SearchOptions = {}): Promise<SearchOutcome> {
  return search(target, X, y, expandGrid(grid), opts);
}

/** `nIter` seeded random candidates (scikit-learn's RandomizedSearchCV). */
export function randomizedSearchCV(target: Estimator | RegistrySpec, X: TabularInput, y: ArrayLike<number>, dists: Record<string, ParamDistribution>, opts: SearchOptions & { nIter?: number } = {}): Promise<SearchOutcome> {
  return search(target, X, y, sampleParams(dists, opts.nIter ?? 10, opts.seed ?? 0), opts);
}
