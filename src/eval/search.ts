import { InvalidArgumentError, throwIfAborted } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { Interactions } from '../data/interactions.js';
import { kFold } from '../data/splits.js';
import { type AnyRecommender, getAlgorithm } from '../recommenders/registry.js';
import { type CrossValidateOptions, type MetricSummary, isBetter, runSplits, summarize } from './cv.js';
import { type RatingMetric, parseRatingMetrics } from './rating.js';

/**
 * Hyperparameter search over any registered rating algorithm (after Surprise's GridSearchCV / RandomizedSearchCV):
 * every candidate is cross-validated on the same folds, ranked by one metric, and the best is refit on all the data.
 */

/** Grid: every param maps to the list of values to try; the search tries the cartesian product. */
export type ParamGrid = Record<string, readonly unknown[]>;

/** A continuous range for randomized search: uniform, or log-uniform when `log`; rounded when `integer`. */
export interface ParamRange {
  low: number;
  high: number;
  log?: boolean;
  integer?: boolean;
}

/** Randomized search space: a list (sampled uniformly) or a range per param. */
export type ParamDistributions = Record<string, readonly unknown[] | ParamRange>;

export interface SearchOptions extends CrossValidateOptions {
  /** Metric that ranks candidates (default 'rmse'; must be among `metrics`, added when missing). */
  metric?: string;
  /** Refit the best params on all of `data` and return the model (default true). */
  refit?: boolean;
}

/** One candidate's cross-validated figures. */
export interface CandidateResult {
  params: Record<string, unknown>;
  metrics: Record<string, MetricSummary>;
  fitSeconds: MetricSummary;
  /** 1 = best by the ranking metric. */
  rank: number;
}

export interface SearchResult {
  algo: string;
  metric: RatingMetric;
  best: { params: Record<string, unknown>; score: number };
  candidates: CandidateResult[];
  /** The best params refit on all the data (when `refit`). */
  model?: AnyRecommender;
}

/** The cartesian product of a grid, in the order of the grid's keys (last key varies fastest). */
export function expandGrid(grid: ParamGrid): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    if (!Array.isArray(values) || values.length === 0) throw new InvalidArgumentError(`grid: param "${name}" needs a non-empty list of values, got ${JSON.stringify(values)}`);
    const next: Record<string, unknown>[] = [];
    for (const base of out) for (const v of values) next.push({ ...base, [name]: v });
    out = next;
  }
  return out;
}

/** `n` seeded draws from a search space. */
export function sampleParams(space: ParamDistributions, n: number, seed: number): Record<string, unknown>[] {
  const rng = new Rng(seed);
  const out: Record<string, unknown>[] = [];
  for (let t = 0; t < n; t++) {
    const p: Record<string, unknown> = {};
    for (const [name, d] of Object.entries(space)) {
      if (Array.isArray(d)) {
        if (d.length === 0) throw new InvalidArgumentError(`search space: param "${name}" has an empty list`);
        p[name] = d[rng.int(d.length)];
      } else {
        const r = d as ParamRange;
        if (!(Number.isFinite(r.low) && Number.isFinite(r.high) && r.low <= r.high) || (r.log === true && r.low <= 0)) {
          throw new InvalidArgumentError(`search space: param "${name}" needs low <= high${r.log ? ' and low > 0 for log' : ''}, got ${JSON.stringify(d)}`);
        }
        let v = r.log === true ? Math.exp(rng.range(Math.log(r.low), Math.log(r.high))) : rng.range(r.low, r.high);
        if (r.integer === true) v = Math.round(v);
        p[name] = v;
      }
    }
    out.push(p);
  }
  return out;
}

/** Cross-validates each candidate on the same folds and ranks them. */
export async function searchCandidates(
  algo: string,
  candidates: readonly Record<string, unknown>[],
  data: Interactions,
  opts: SearchOptions = {},
): Promise<SearchResult> {
  const entry = getAlgorithm(algo, 'rating');
  if (candidates.length === 0) throw new InvalidArgumentError('search: no candidate params to try');
  const metric = parseRatingMetrics([opts.metric ?? 'rmse'])[0]!;
  const metrics = parseRatingMetrics(opts.metrics ?? ['rmse', 'mae']);
  if (!metrics.includes(metric)) metrics.push(metric);
  // validate every candidate before any work: unknown names and bad values fail fast
  const full = candidates.map((c) => entry.create(c).getParams() as Record<string, unknown>);
  const k = opts.cv ?? 5;
  if (!Number.isInteger(k) || k < 2 || k > data.nnz) throw new InvalidArgumentError(`search: cv must be an integer in [2, ${data.nnz}], got ${k}`, { cv: k });
  const splits = kFold(data, k, { seed: opts.seed ?? 0, shuffle: opts.shuffle ?? true });
  const results: CandidateResult[] = [];
  for (let c = 0; c < candidates.length; c++) {
    throwIfAborted(opts.signal, 'search');
    const cvOpts: CrossValidateOptions = {};
    if (opts.workers !== undefined) cvOpts.workers = opts.workers;
    if (opts.pool !== undefined) cvOpts.pool = opts.pool;
    if (opts.signal !== undefined) cvOpts.signal = opts.signal;
    const folds = await runSplits(algo, candidates[c]!, splits, metrics, cvOpts);
    const m: Record<string, MetricSummary> = {};
    for (const name of metrics) m[name] = summarize(folds.map((f) => f.scores[name]!));
    results.push({ params: full[c]!, metrics: m, fitSeconds: summarize(folds.map((f) => f.fitSeconds)), rank: 0 });
    opts.onProgress?.({ step: 'candidate', done: c + 1, total: candidates.length, metrics: { [metric]: m[metric]!.mean } });
  }
  const order = results.map((_, i) => i).sort((a, b) => {
    const x = results[a]!.metrics[metric]!.mean;
    const y = results[b]!.metrics[metric]!.mean;
    return isBetter(metric, x, y) ? -1 : isBetter(metric, y, x) ? 1 : a - b;
  });
  order.forEach((idx, r) => (results[idx]!.rank = r + 1));
  const best = results[order[0]!]!;
  const out: SearchResult = { algo, metric, best: { params: best.params, score: best.metrics[metric]!.mean }, candidates: results };
  if (opts.refit !== false) {
    const model = entry.create(best.params);
    await model.fit(data, opts.signal === undefined ? {} : { signal: opts.signal });
    out.model = model;
  }
  return out;
}

/** GridSearchCV: every combination of `grid` cross-validated on the same folds; the best refit on all the data. */
export async function gridSearch(algo: string, grid: ParamGrid, data: Interactions, opts: SearchOptions = {}): Promise<SearchResult> {
  return searchCandidates(algo, expandGrid(grid), data, opts);
}

/** RandomizedSearchCV: `nIter` seeded draws from `space` (seed `opts.seed`), cross-validated and ranked likewise. */
export async function randomizedSearch(algo: string, space: ParamDistributions, nIter: number, data: Interactions, opts: SearchOptions = {}): Promise<SearchResult> {
  if (!Number.isInteger(nIter) || nIter < 1) throw new InvalidArgumentError(`randomizedSearch: nIter must be a positive integer, got ${nIter}`);
  return searchCandidates(algo, sampleParams(space, nIter, opts.seed ?? 0), data, opts);
}
