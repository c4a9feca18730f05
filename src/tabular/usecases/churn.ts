import type { Frame } from '../../data/frame.js';
import { defaultPipeline } from '../registry.js';
import { crossValidate } from '../selection/cross-validate.js';
import type { Estimator } from '../selection/estimator.js';
import { prepareTabular } from '../task-data.js';

/** Cross-validated churn models and the strongest drivers found by the boosted model. */
export interface ChurnReport {
  rows: number;
  churnRate: number;
  auc: Record<string, { mean: number; std: number }>;
  topFeatures: { name: string; importance: number }[];
}

/**
 * Churn prediction on a customer table (e.g. IBM Telco): the target column holds Yes/No, ids are dropped, blank
 * numbers are missing. Logistic regression (one-hot + scaling) and GBDT are compared by stratified K-fold ROC AUC;
 * GBDT is refitted on all rows to rank features by gain.
 */
export async function churnReport(frame: Frame, opts: { target?: string; folds?: number; seed?: number; gbdt?: Record<string, unknown> } = {}): Promise<ChurnReport> {
  const data = prepareTabular(frame, opts.target ?? 'Churn');
  const auc: ChurnReport['auc'] = {};
  const gbdtParams = { nEstimators: 200, learningRate: 0.05, maxDepth: 3, ...(opts.gbdt ?? {}) };
  for (const [name, params] of [['logistic', {}], ['gbdt', gbdtParams]] as const) {
    const est = defaultPipeline(name, 'classification', data.X, params) as unknown as Estimator;
    const r = await crossValidate(est, data.X, data.y, { cv: opts.folds ?? 5, metrics: ['auc'], seed: opts.seed ?? 0 });
    auc[name] = { mean: r.metrics['auc'].mean, std: r.metrics['auc'].std };
  }
  const pipe = defaultPipeline('gbdt', 'classification', data.X, gbdtParams);
  await pipe.fit(data.X, data.y, { seed: opts.seed ?? 0 });
  const model = pipe.model as unknown as { featureImportance(): Float64Array; featureNames: string[] };
  const imp = model.featureImportance();
  const names = model.featureNames;
  const topFeatures = names.map((name, j) => ({ name, importance: imp[j] })).sort((a, b) => b.importance - a.importance).slice(0, 5);
  let pos = 0;
  for (const v of data.y) pos += v;
  return { rows: data.y.length, churnRate: pos / data.y.length, auc, topFeatures };
}
