import { throwIfAborted } from '../../core/errors.js';
import type { RunOptions } from '../../core/progress.js';
import { type MetricName, type PredictionSet, checkMetricName, scoreMetric } from '../metrics/index.js';
import type { TabularLearningCurve } from '../base.js';
import { takeVector } from '../matrix.js';
import { type TabularInput, inputRows } from '../schema.js';
import { type Estimator, takeInput, withParams } from './estimator.js';
import { type Split, kFold, stratifiedKFold } from './splits.js';

/** Mean, population standard deviation and per-fold values of one metric. */
export interface MetricSummary {
  mean: number;
  std: number;
  folds: number[];
}

/** What crossValidate returns: a summary per metric and per-fold fit/predict seconds. */
export interface CrossValidateResult {
  metrics: Record<string, MetricSummary>;
  fitSeconds: number[];
  predictSeconds: number[];
  /** Out-of-fold predictions (positive-class probability for binary classifiers, predictions otherwise). */
  oof: Float64Array;
  /**
   * With `learningCurves: true`, each fold's learning curve with the fold's held-out rows (index = fold; undefined
   * for a fold whose model has none). Absent otherwise.
   */
  curves?: (TabularLearningCurve | undefined)[];
}

export function summarize(v: number[]): MetricSummary {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std, folds: v };
}

/** Predictions of a fitted estimator on X as a PredictionSet for scoring. */
export function predictionSet(e: Estimator, X: TabularInput, yTrue: Float64Array): PredictionSet {
  if (e.task === 'regression') return { yTrue, pred: e.predict(X) };
  const proba = e.predictProba(X);
  const k = e.classes.length;
  const pred = new Float64Array(yTrue.length);
  for (let i = 0; i < pred.length; i++) {
    let b = 0;
    for (let c = 1; c < k; c++) if (proba[i * k + c] > proba[i * k + b]) b = c;
    pred[i] = e.classes[b];
  }
  return { yTrue, pred, proba, classes: e.classes };
}

/**
 * Fits a fresh copy of `estimator` per split and scores every metric on the held-out rows. `cv` is a fold count
 * (stratified K-fold for classifiers, K-fold otherwise; shuffled with `seed`) or explicit splits. `learningCurves`
 * asks each fold's fitted model for its learning curve on the fold's held-out rows (after the fold is scored).
 */
export async function crossValidate(
  estimator: Estimator,
  X: TabularInput,
  y: ArrayLike<number>,
  opts: RunOptions & { cv?: number | Split[]; metrics?: readonly string[]; targetName?: string; learningCurves?: boolean } = {},
): Promise<CrossValidateResult> {
  const n = inputRows(X);
  const yy = Float64Array.from(y);
  const metrics = (opts.metrics ?? [estimator.task === 'classification' ? 'auc' : 'rmse']).map(checkMetricName);
  const cv = opts.cv ?? 5;
  const splits = typeof cv === 'number' ? (estimator.task === 'classification' ? stratifiedKFold(yy, cv, opts.seed ?? 0) : kFold(n, cv, { seed: opts.seed ?? 0 })) : cv;
  const scores: Record<string, number[]> = {};
  for (const m of metrics) scores[m] = [];
  const fitSeconds: number[] = [];
  const predictSeconds: number[] = [];
  const oof = new Float64Array(n).fill(NaN);
  const curves: (TabularLearningCurve | undefined)[] = [];
  for (let s = 0; s < splits.length; s++) {
    throwIfAborted(opts.signal, 'cross-validation');
    const { train, test } = splits[s];
    const model = withParams(estimator, {});
    const t0 = performance.now();
    await model.fit(takeInput(X, train), takeVector(yy, train), {
      ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
      ...(opts.targetName !== undefined ? { targetName: opts.targetName } : {}),
      ...(opts.learningCurves === true ? { learningCurve: true } : {}),
    });
    const t1 = performance.now();
    const testX = takeInput(X, test);
    const testY = takeVector(yy, test);
    const ps = predictionSet(model, testX, testY);
    predictSeconds.push((performance.now() - t1) / 1000);
    fitSeconds.push((t1 - t0) / 1000);
    if (opts.learningCurves === true) curves.push(model.learningCurve?.({ X: testX, y: testY }));
    const k = ps.classes?.length ?? 0;
    for (let i = 0; i < test.length; i++) oof[test[i]] = ps.proba !== undefined && k === 2 ? ps.proba[2 * i + 1] : ps.pred[i];
    for (const m of metrics) scores[m].push(scoreMetric(m as MetricName, ps));
    opts.onProgress?.({ step: 'fold', done: s + 1, total: splits.length });
  }
  const out: Record<string, MetricSummary> = {};
  for (const m of metrics) out[m] = summarize(scores[m]);
  return { metrics: out, fitSeconds, predictSeconds, oof, ...(opts.learningCurves === true ? { curves } : {}) };
}
