import { InvalidArgumentError, throwIfAborted } from '../core/errors.js';
import { IdMap } from '../core/ids.js';
import type { RunOptions } from '../core/progress.js';
import { WorkerPool, kernelModuleUrl } from '../core/pool.js';
import { Interactions } from '../data/interactions.js';
import { type Split, kFold, randomSplit } from '../data/splits.js';
import { type AnyRecommender, getAlgorithm } from '../recommenders/registry.js';
import { type RatingMetric, type RatingPredictions, lowerIsBetter, parseRatingMetrics, scorePredictions } from './rating.js';

/**
 * Cross-validation of rating predictors (after Surprise's `cross_validate`). Folds come from data/splits `kFold`, so
 * every algorithm given the same seed sees the same folds. Models are made by name through the algorithm registry
 * (recommenders/registry.ts, a leaf module: eval does not import any model). Folds run one after the other in this
 * thread, or on worker threads when `workers > 1` (each fold is fitted and scored inside one worker).
 */

/** Mean, population standard deviation (as numpy.std) and per-fold values. */
export interface MetricSummary {
  mean: number;
  std: number;
  folds: number[];
}

/** One fold's figures. */
export interface FoldResult {
  scores: Record<string, number>;
  fitSeconds: number;
  testSeconds: number;
  /** Test predictions that fell back (unknown user/item, not enough neighbours). */
  fallbacks: number;
  nTest: number;
  /** Per-epoch training figures the model reported while fitting (e.g. `trainRmse`), when it reported any. */
  curve?: EpochCurve;
}

/** One fit's learning curve: epoch numbers (1-based) and one value per epoch for each metric the model reported. */
export interface EpochCurve {
  epochs: number[];
  metrics: Record<string, number[]>;
}

/** What `crossValidate` returns (the CLI prints it as JSON unchanged). */
export interface CrossValidateResult {
  algo: string;
  params: Record<string, unknown>;
  metrics: Record<string, MetricSummary>;
  fitSeconds: MetricSummary;
  testSeconds: MetricSummary;
  /** Per-fold learning curves (index = fold), present when the model reported metrics on its `epoch` progress events. */
  curves?: EpochCurve[];
}

export interface CrossValidateOptions extends RunOptions {
  /** Number of folds (default 5). */
  cv?: number;
  /** Shuffle before cutting folds (default true). */
  shuffle?: boolean;
  /** Metric names (default ['rmse', 'mae']). */
  metrics?: readonly string[];
  /** Worker threads for folds (default 1 = this thread); a pool of this size is started and closed per call. */
  workers?: number;
  /** A running pool to run folds on instead (kept open; its threads keep the models' modules loaded). */
  pool?: WorkerPool;
}

/** Summary of per-fold values. */
export function summarize(values: readonly number[]): MetricSummary {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const v = values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / n;
  return { mean, std: Math.sqrt(v), folds: values.slice() };
}

interface IndexPredictor {
  predictIndex(u: number, i: number): number;
  readonly lastFallback: number;
}

function hasIndexPredict(m: unknown): m is IndexPredictor {
  return typeof (m as { predictIndex?: unknown }).predictIndex === 'function';
}

/**
 * Predicts every rating of `test` with a fitted model. `test` must share the training id maps (splits do); models
 * with `predictIndex` are called on dense indices, others through `predict(user, item)`.
 */
export function predictTest(model: AnyRecommender, test: Interactions): RatingPredictions {
  const n = test.nnz;
  const out: RatingPredictions = {
    users: new Int32Array(n),
    items: test.indices.slice(),
    actual: Float64Array.from(test.values),
    estimate: new Float64Array(n),
    fallback: new Uint8Array(n),
  };
  const fast = hasIndexPredict(model) ? model : undefined;
  if (fast === undefined && model.predict === undefined) throw new InvalidArgumentError(`${model.algorithm} does not predict ratings; use a rating algorithm`);
  for (let u = 0; u < test.nUsers; u++) {
    const e = test.indptr[u + 1]!;
    for (let k = test.indptr[u]!; k < e; k++) {
      out.users[k] = u;
      if (fast !== undefined) {
        out.estimate[k] = fast.predictIndex(u, test.indices[k]!);
        out.fallback[k] = fast.lastFallback;
      } else {
        const p = model.predict!(test.users.idAt(u), test.items.idAt(test.indices[k]!));
        out.estimate[k] = p.estimate;
        out.fallback[k] = p.fallback === undefined ? 0 : 5;
      }
    }
  }
  return out;
}

/** Fits `algo` with `params` on `train`, predicts `test`, and scores the predictions. */
export async function evaluateSplit(
  algo: string,
  params: Record<string, unknown>,
  split: Split,
  metrics: readonly RatingMetric[],
  opts: RunOptions = {},
): Promise<FoldResult & { predictions: RatingPredictions }> {
  const model = getAlgorithm(algo, 'rating').create(params);
  const t0 = performance.now();
  const fitOpts: RunOptions = {};
  if (opts.seed !== undefined) fitOpts.seed = opts.seed;
  if (opts.signal !== undefined) fitOpts.signal = opts.signal;
  const curve: EpochCurve = { epochs: [], metrics: {} };
  fitOpts.onProgress = (e) => {
    if (e.step !== 'epoch' || e.metrics === undefined) return;
    curve.epochs.push(e.done);
    for (const [k, v] of Object.entries(e.metrics)) (curve.metrics[k] ??= []).push(v);
  };
  await model.fit(split.train, fitOpts);
  const t1 = performance.now();
  const predictions = predictTest(model, split.test);
  const scores: Record<string, number> = {};
  for (const m of metrics) scores[m] = scorePredictions(m, predictions);
  const t2 = performance.now();
  let fallbacks = 0;
  for (let k = 0; k < predictions.fallback.length; k++) if (predictions.fallback[k] !== 0) fallbacks++;
  const out: FoldResult & { predictions: RatingPredictions } = { scores, fitSeconds: (t1 - t0) / 1000, testSeconds: (t2 - t1) / 1000, fallbacks, nTest: split.test.nnz, predictions };
  if (curve.epochs.length > 0) out.curve = curve;
  return out;
}

/** A split as plain arrays, for sending to a worker thread. */
export interface SplitArrays {
  users: string[];
  items: string[];
  train: { indptr: Int32Array; indices: Int32Array; values: Float32Array };
  test: { indptr: Int32Array; indices: Int32Array; values: Float32Array };
}

/** Packs splits that share id maps into plain arrays. */
export function packSplit(s: Split): SplitArrays {
  const pick = (x: Interactions): SplitArrays['train'] => ({ indptr: x.indptr, indices: x.indices, values: x.values });
  return { users: s.train.users.toArray(), items: s.train.items.toArray(), train: pick(s.train), test: pick(s.test) };
}

/** Rebuilds a split (with fresh, equal id maps) from {@link packSplit}'s arrays. */
export function unpackSplit(a: SplitArrays): Split {
  const users = IdMap.fromIds(a.users);
  const items = IdMap.fromIds(a.items);
  return {
    train: new Interactions(users, items, a.train.indptr, a.train.indices, a.train.values),
    test: new Interactions(users, items, a.test.indptr, a.test.indices, a.test.values),
  };
}

/** The fold jobs a worker runs. */
export interface FoldJobArgs {
  algo: string;
  params: Record<string, unknown>;
  metrics: RatingMetric[];
  splits: SplitArrays[];
  /** The run's seed, passed to every fit as in-thread folds do. */
  seed?: number;
}

const FOLD_KERNEL = kernelModuleUrl(import.meta.url, './cv-kernel.js');

/** Runs already-made splits, in this thread or on `workers` threads; results in split order. */
export async function runSplits(algo: string, params: Record<string, unknown>, splits: readonly Split[], metrics: readonly RatingMetric[], opts: CrossValidateOptions = {}): Promise<FoldResult[]> {
  const workers = opts.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new InvalidArgumentError(`crossValidate: workers must be a positive integer, got ${workers}`);
  const given = opts.pool !== undefined && opts.pool.size > 1 ? opts.pool : undefined;
  if ((given !== undefined || workers > 1) && splits.length > 1) {
    const pool = given ?? new WorkerPool({ size: Math.min(workers, splits.length) });
    try {
      const args: FoldJobArgs = { algo, params, metrics: metrics.slice(), splits: splits.map(packSplit) };
      if (opts.seed !== undefined) args.seed = opts.seed;
      const chunks = await pool.run<FoldJobArgs, FoldResult[]>({ module: FOLD_KERNEL, fn: 'runFolds', args, total: splits.length, chunks: splits.length });
      const out = chunks.flat();
      opts.onProgress?.({ step: 'fold', done: out.length, total: splits.length });
      return out;
    } finally {
      if (given === undefined) await pool.close();
    }
  }
  const out: FoldResult[] = [];
  for (let f = 0; f < splits.length; f++) {
    throwIfAborted(opts.signal, 'crossValidate');
    const r = await evaluateSplit(algo, params, splits[f]!, metrics, opts);
    out.push(foldFigures(r));
    opts.onProgress?.({ step: 'fold', done: f + 1, total: splits.length, metrics: r.scores });
  }
  return out;
}

/** A fold's figures without its predictions (what crosses thread boundaries and ends in results). */
export function foldFigures(r: FoldResult): FoldResult {
  const out: FoldResult = { scores: r.scores, fitSeconds: r.fitSeconds, testSeconds: r.testSeconds, fallbacks: r.fallbacks, nTest: r.nTest };
  if (r.curve !== undefined) out.curve = r.curve;
  return out;
}

/** Collects per-fold results into the summary shape. */
export function summarizeFolds(algo: string, params: Record<string, unknown>, metrics: readonly RatingMetric[], folds: readonly FoldResult[]): CrossValidateResult {
  const m: Record<string, MetricSummary> = {};
  for (const name of metrics) m[name] = summarize(folds.map((f) => f.scores[name]!));
  const out: CrossValidateResult = { algo, params, metrics: m, fitSeconds: summarize(folds.map((f) => f.fitSeconds)), testSeconds: summarize(folds.map((f) => f.testSeconds)) };
  if (folds.some((f) => f.curve !== undefined)) out.curves = folds.map((f) => f.curve ?? { epochs: [], metrics: {} });
  return out;
}

/**
 * K-fold cross-validation of a registered rating algorithm: per-fold metrics, fit and test seconds, mean and std.
 * `params` are checked against the algorithm's specs before any work (unknown names and bad values throw).
 * `cv` must be in [2, number of ratings].
 */
export async function crossValidate(algo: string, params: Record<string, unknown>, data: Interactions, opts: CrossValidateOptions = {}): Promise<CrossValidateResult> {
  const entry = getAlgorithm(algo, 'rating');
  const full = entry.create(params).getParams() as Record<string, unknown>;
  const metrics = parseRatingMetrics(opts.metrics ?? ['rmse', 'mae']);
  const k = opts.cv ?? 5;
  if (!Number.isInteger(k) || k < 2 || k > data.nnz) {
    throw new InvalidArgumentError(`crossValidate: cv (number of folds) must be an integer in [2, ${data.nnz}] (the number of ratings), got ${k}`, { cv: k });
  }
  const splits = kFold(data, k, { seed: opts.seed ?? 0, shuffle: opts.shuffle ?? true });
  const folds = await runSplits(algo, params, splits, metrics, opts);
  return summarizeFolds(algo, full, metrics, folds);
}

/** A seeded random train/test split of the ratings (Surprise's `train_test_split`), sharing id maps. */
export function trainTestSplit(data: Interactions, opts: { testRatio?: number; seed?: number } = {}): Split {
  return randomSplit(data, { testRatio: opts.testRatio ?? 0.2, seed: opts.seed ?? 0 });
}

/** True when score `a` beats `b` for `metric` (lower errors, higher FCP). */
export function isBetter(metric: RatingMetric, a: number, b: number): boolean {
  return lowerIsBetter(metric) ? a < b : a > b;
}
