import { Frame, categoricalColumn, numericColumn } from '../../data/frame.js';
import { Rng } from '../../core/rng.js';
import { type MetricName, checkMetricName, greaterIsBetter, scoreMetric } from '../metrics/index.js';
import { isMatrix } from '../matrix.js';
import type { TabularInput } from '../schema.js';
import { predictionSet } from './cross-validate.js';
import type { Estimator } from './estimator.js';

/**
 * Permutation importance (Breiman 2001; scikit-learn's permutation_importance): the drop in `metric` when one
 * column's values are shuffled (seeded), averaged over `repeats`. Positive = the model relies on the column.
 * Returns per column (Matrix columns x0.. or Frame names) the mean and standard deviation of the drop.
 */
export function permutationImportance(model: Estimator, X: TabularInput, y: ArrayLike<number>, opts: { metric?: string; repeats?: number; seed?: number } = {}): { names: string[]; mean: Float64Array; std: Float64Array } {
  const yy = Float64Array.from(y);
  const metric = checkMetricName(opts.metric ?? (model.task === 'classification' ? 'auc' : 'rmse')) as MetricName;
  const sign = greaterIsBetter(metric) ? 1 : -1;
  const base = scoreMetric(metric, predictionSet(model, X, yy));
  const repeats = opts.repeats ?? 5;
  const rng = new Rng(opts.seed ?? 0);
  const names = isMatrix(X) ? Array.from({ length: X.cols }, (_, j) => `x${j}`) : X.names;
  const mean = new Float64Array(names.length);
  const std = new Float64Array(names.length);
  for (let j = 0; j < names.length; j++) {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const perm = rng.permutation(yy.length);
      let Xp: TabularInput;
      if (isMatrix(X)) {
        const data = Float64Array.from(X.data);
        for (let i = 0; i < X.rows; i++) data[i * X.cols + j] = X.data[perm[i] * X.cols + j];
        Xp = { data, rows: X.rows, cols: X.cols };
      } else {
        const c = X.columns[j];
        let col;
        if (c.kind === 'numeric') {
          const v = new Float64Array(c.values.length);
          for (let i = 0; i < v.length; i++) v[i] = c.values[perm[i]];
          col = numericColumn(c.name, v);
        } else {
          const v = new Int32Array(c.codes.length);
          for (let i = 0; i < v.length; i++) v[i] = c.codes[perm[i]];
          col = categoricalColumn(c.name, v, c.dictionary);
        }
        Xp = new Frame(X.columns.map((cc, q) => (q === j ? col : cc)));
      }
      drops.push(sign * (base - scoreMetric(metric, predictionSet(model, Xp, yy))));
    }
    const m = drops.reduce((a, b) => a + b, 0) / repeats;
    mean[j] = m;
    std[j] = Math.sqrt(drops.reduce((a, b) => a + (b - m) ** 2, 0) / repeats);
  }
  return { names, mean, std };
}
