import type { ProgressFn } from '../../core/progress.js';
import type { TabularLearningCurve } from '../../tabular/base.js';
import type { TabularData } from '../../tabular/task-data.js';
import { defaultPipeline } from '../../tabular/registry.js';
import { type TabularReportInput, tabularReportHtml } from '../../report/index.js';

/** What `reckon tabular evaluate` computed (its cross-validation result and inputs). */
export interface TabularRun {
  model: string;
  source: string;
  params: Record<string, unknown>;
  seed: number;
  data: TabularData;
  metrics: Record<string, { mean: number; std: number; folds: number[] }>;
  fitSeconds: number[];
  /** Out-of-fold predictions: positive-class probability for binary classifiers. */
  oof: Float64Array;
  /** Per-fold learning curves on the fold's held-out rows (crossValidate with `learningCurves: true`). */
  curves?: readonly (TabularLearningCurve | undefined)[];
  /** Progress of the extra fit on all rows (feature importances). */
  onProgress?: ProgressFn;
}

/**
 * The HTML report of `reckon tabular evaluate --report`: per-fold metrics and fit seconds, ROC/PR/calibration and a
 * confusion matrix from the out-of-fold probabilities (binary tasks), and feature importances from one extra fit on
 * all rows when the model has them (trees, forests, GBDT), and per-fold learning curves when the run has them (GBDT:
 * train and held-out loss per round; logistic: objective per iteration; forests: held-out error per tree count).
 */
export async function tabularRunReport(run: TabularRun): Promise<string> {
  const { data } = run;
  const binary = data.task === 'classification' && data.labels.length === 2;
  const folds: Record<string, readonly number[]> = {};
  for (const [k, v] of Object.entries(run.metrics)) folds[k] = v.folds;
  let positives = 0;
  if (binary) for (let i = 0; i < data.y.length; i++) positives += data.y[i] === 1 ? 1 : 0;
  const input: TabularReportInput = {
    model: run.model,
    params: run.params,
    task: binary ? 'binary' : data.task === 'classification' ? 'multiclass' : 'regression',
    data: {
      source: run.source,
      rows: data.y.length,
      'feature columns': data.X.nCols,
      target: data.target,
      ...(binary ? { 'positive class': data.labels[1], 'positive rate': positives / data.y.length } : {}),
      ...(data.dropped.length > 0 ? { 'dropped (id-like)': data.dropped.join(', ') } : {}),
      'fit s per fold (mean)': run.fitSeconds.reduce((a, b) => a + b, 0) / Math.max(1, run.fitSeconds.length),
    },
    folds,
  };
  if (binary) {
    let ok = true;
    for (let i = 0; i < run.oof.length; i++) if (!(run.oof[i]! >= 0 && run.oof[i]! <= 1)) ok = false;
    if (ok) {
      input.yTrue = data.y;
      input.scores = run.oof;
    }
  }
  const curves = (run.curves ?? []).flatMap((c, f) => (c === undefined || Object.keys(c.metrics).length === 0 ? [] : [{ name: `fold ${f + 1}`, epochs: c.steps, metrics: c.metrics, unit: c.unit }]));
  if (curves.length > 0) {
    input.learningCurves = curves.map(({ name, epochs, metrics }) => ({ name, epochs, metrics }));
    input.learningCurveUnit = curves[0]!.unit;
  }
  const pipe = defaultPipeline(run.model, data.task, data.X, run.params);
  const model = pipe.model as unknown as { featureImportance?: () => Float64Array; featureNames?: string[] };
  if (typeof model.featureImportance === 'function') {
    await pipe.fit(data.X, data.y, { seed: run.seed, ...(run.onProgress !== undefined ? { onProgress: run.onProgress } : {}) });
    const imp = model.featureImportance();
    const names = model.featureNames ?? [];
    input.importances = Array.from(imp, (value, j) => ({ name: names[j] ?? `f${j}`, value }));
  }
  return tabularReportHtml(input);
}
