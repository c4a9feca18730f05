import { Rng } from '../../core/rng.js';
import { GBDTClassifier } from '../gbdt/gbdt.js';
import { LogisticRegression } from '../linear/logistic.js';
import type { Matrix } from '../matrix.js';
import { precisionRecallF1, prAuc, rocAuc } from '../metrics/index.js';
import { trainTestSplit } from '../selection/splits.js';
import { chooseThreshold } from '../selection/threshold.js';
import { takeRows, takeVector } from '../matrix.js';

/**
 * Synthetic card transactions with rare fraud (`rate`, e.g. 0.01): amount, hour, distance from home, merchant
 * risk, velocity and noise features; fraud is more likely for large amounts at night far from home at risky
 * merchants with high velocity. Seeded.
 */
export function syntheticTransactions(n: number, rate: number, seed: number): { X: Matrix; y: Float64Array; names: string[] } {
  const rng = new Rng(seed);
  const d = 8;
  const x = new Float64Array(n * d);
  const score = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const amount = Math.exp(rng.normal(3, 1));
    const hour = rng.int(24);
    const dist = Math.exp(rng.normal(1, 1.2));
    const risk = rng.float();
    const vel = rng.int(10);
    const row = [Math.log(amount), hour, Math.log(dist), risk, vel, rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < d; j++) x[i * d + j] = row[j];
    const night = hour < 6 ? 1 : 0;
    score[i] = 0.9 * (row[0] - 3) + 1.2 * night + 0.7 * (row[2] - 1) + 2 * risk * risk + 0.25 * vel + rng.normal() * 0.8;
  }
  // Threshold so that `rate` of rows are fraud.
  const sorted = Float64Array.from(score).sort();
  const cut = sorted[Math.floor((1 - rate) * n)];
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) y[i] = score[i] >= cut ? 1 : 0;
  return { X: { data: x, rows: n, cols: d }, y, names: ['log_amount', 'hour', 'log_distance', 'merchant_risk', 'velocity', 'noise1', 'noise2', 'noise3'] };
}

/** Per model: ROC AUC, PR AUC, and the recall reached at the threshold picked for `targetPrecision` on validation. */
export interface FraudReport {
  positives: number;
  models: Record<string, { rocAuc: number; prAuc: number; threshold: number; testPrecision: number; testRecall: number }>;
}

/**
 * Imbalanced classification in the fraud style: stratified train/validation/test split; balanced class weights;
 * models judged by PR AUC (ROC AUC flatters rare classes); the alert threshold chosen on validation for a target
 * precision, then checked on test.
 */
export async function fraudReport(X: Matrix, y: Float64Array, opts: { targetPrecision?: number; seed?: number; gbdt?: Record<string, unknown> } = {}): Promise<FraudReport> {
  const seed = opts.seed ?? 0;
  const outer = trainTestSplit(X.rows, { testSize: 0.3, stratify: y, seed });
  const yRest = takeVector(y, outer.train);
  const inner = trainTestSplit(outer.train.length, { testSize: 0.3, stratify: yRest, seed: seed + 1 });
  const tr = Int32Array.from(inner.train, (i) => outer.train[i]);
  const va = Int32Array.from(inner.test, (i) => outer.train[i]);
  const models = {
    logistic: new LogisticRegression({ classWeight: 'balanced' }),
    gbdt: new GBDTClassifier({ classWeight: 'balanced', nEstimators: 200, learningRate: 0.05, maxDepth: 4, ...(opts.gbdt ?? {}) }),
  };
  const out: FraudReport['models'] = {};
  const pos = (p: Float64Array) => Float64Array.from({ length: p.length / 2 }, (_, i) => p[2 * i + 1]);
  for (const [name, m] of Object.entries(models)) {
    await m.fit(takeRows(X, tr), takeVector(y, tr), { seed });
    const sv = pos(m.predictProba(takeRows(X, va)));
    const st = pos(m.predictProba(takeRows(X, outer.test)));
    const yt = takeVector(y, outer.test);
    const t = chooseThreshold(takeVector(y, va), sv, { minPrecision: opts.targetPrecision ?? 0.8 });
    const pred = Float64Array.from(st, (s) => (s >= t.threshold ? 1 : 0));
    const prf = precisionRecallF1(yt, pred);
    out[name] = { rocAuc: rocAuc(yt, st), prAuc: prAuc(yt, st), threshold: t.threshold, testPrecision: prf.precision, testRecall: prf.recall };
  }
  let p = 0;
  for (const v of y) p += v;
  return { positives: p, models: out };
}
