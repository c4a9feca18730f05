import { InvalidArgumentError } from '../../core/errors.js';
import { accuracy, brierScore, logLoss, multiLogLoss, precisionRecallF1, prAuc, rocAuc } from './classification.js';
import { mae, mape, r2, rmse } from './regression.js';

export * from './classification.js';
export * from './regression.js';

/** Names accepted by {@link scoreMetric} (and the CLI's `--metrics`). */
export const METRIC_NAMES = ['auc', 'prauc', 'logloss', 'accuracy', 'precision', 'recall', 'f1', 'brier', 'rmse', 'mae', 'mape', 'r2'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

/** Whether a larger value of the metric is better (for search and early stopping). */
export function greaterIsBetter(name: MetricName): boolean {
  return !(name === 'logloss' || name === 'brier' || name === 'rmse' || name === 'mae' || name === 'mape');
}

/** Checks a metric name, with a clear error listing the known ones. */
export function checkMetricName(name: string): MetricName {
  if (!(METRIC_NAMES as readonly string[]).includes(name)) {
    throw new InvalidArgumentError(`unknown metric "${name}"; expected one of: ${METRIC_NAMES.join(', ')}`, { name });
  }
  return name as MetricName;
}

/**
 * What a model produced on a test set, enough to score any metric: `pred` (class values or regression outputs)
 * and, for classifiers, `proba` (row-major n x k over `classes`).
 */
export interface PredictionSet {
  yTrue: Float64Array;
  pred: Float64Array;
  proba?: Float64Array;
  classes?: readonly number[];
}

/**
 * Scores one metric. Binary metrics (auc, prauc, logloss, brier, precision, recall, f1) treat the last class as the
 * positive one; for more than two classes auc is one-vs-rest macro averaged and logloss is the multiclass form.
 */
export function scoreMetric(name: MetricName, p: PredictionSet): number {
  switch (name) {
    case 'rmse': return rmse(p.yTrue, p.pred);
    case 'mae': return mae(p.yTrue, p.pred);
    case 'mape': return mape(p.yTrue, p.pred);
    case 'r2': return r2(p.yTrue, p.pred);
    case 'accuracy': return accuracy(p.yTrue, p.pred);
    default: break;
  }
  const classes = p.classes;
  if (classes === undefined || p.proba === undefined) throw new InvalidArgumentError(`metric "${name}" needs class probabilities; the model is a regressor`);
  const k = classes.length;
  const n = p.yTrue.length;
  const yIdx = new Int32Array(n);
  for (let i = 0; i < n; i++) yIdx[i] = classes.indexOf(p.yTrue[i]);
  if (name === 'logloss' && k > 2) return multiLogLoss(yIdx, p.proba, k);
  if (name === 'auc' && k > 2) {
    let s = 0;
    for (let c = 0; c < k; c++) {
      const yb = new Float64Array(n);
      const sc = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        yb[i] = yIdx[i] === c ? 1 : 0;
        sc[i] = p.proba[i * k + c];
      }
      s += rocAuc(yb, sc);
    }
    return s / k;
  }
  const pos = k - 1;
  const yb = new Float64Array(n);
  const sc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yb[i] = yIdx[i] === pos ? 1 : 0;
    sc[i] = p.proba[i * k + pos];
  }
  const positive = classes[pos];
  switch (name) {
    case 'auc': return rocAuc(yb, sc);
    case 'prauc': return prAuc(yb, sc);
    case 'logloss': return logLoss(yb, sc);
    case 'brier': return brierScore(yb, sc);
    case 'precision': return precisionRecallF1(p.yTrue, p.pred, positive).precision;
    case 'recall': return precisionRecallF1(p.yTrue, p.pred, positive).recall;
    case 'f1': return precisionRecallF1(p.yTrue, p.pred, positive).f1;
  }
  throw new InvalidArgumentError(`metric "${name}" is not defined here`);
}
