import { describe, expect, it } from 'vitest';
import { accuracy, brierScore, confusionMatrix, logLoss, mae, mape, multiLogLoss, precisionRecallF1, prAuc, r2, rmse, rocAuc, scoreMetric } from './index.js';

// Every expected value below is computed by hand (shown in the comment); tolerance 1e-9.
describe('classification metrics', () => {
  it('ROC AUC: 3 of 4 positive-negative pairs ordered correctly', () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 9);
  });
  it('ROC AUC: a tie counts one half; a perfect ranking is 1', () => {
    expect(rocAuc([0, 1], [0.5, 0.5])).toBeCloseTo(0.5, 9);
    expect(rocAuc([0, 1, 0, 1], [0.1, 0.9, 0.2, 0.7])).toBe(1);
    // pairs (pos,neg): (0.5 vs 0.5 tie)=.5, (0.5 vs 0.1)=1, (0.9 vs both)=2 -> 3.5/4
    expect(rocAuc([1, 0, 1, 0], [0.5, 0.5, 0.9, 0.1])).toBeCloseTo(0.875, 9);
  });
  it('ROC AUC is undefined for one class', () => {
    expect(() => rocAuc([1, 1], [0.1, 0.2])).toThrow(/only one class/);
  });
  it('PR AUC as average precision: 0.5 * 1 + 0.5 * 2/3', () => {
    expect(prAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.5 + 1 / 3, 9);
  });
  it('log loss, multiclass log loss and Brier score', () => {
    expect(logLoss([1, 0], [0.9, 0.2])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 9);
    expect(multiLogLoss([0, 2], [0.7, 0.2, 0.1, 0.1, 0.3, 0.6], 3)).toBeCloseTo(-(Math.log(0.7) + Math.log(0.6)) / 2, 9);
    expect(brierScore([1, 0], [0.9, 0.2])).toBeCloseTo(0.025, 9);
  });
  it('accuracy, precision, recall, F1 (tp 2, fp 1, fn 1)', () => {
    const t = [1, 1, 0, 0, 1];
    const p = [1, 0, 1, 0, 1];
    expect(accuracy(t, p)).toBeCloseTo(0.6, 9);
    const r = precisionRecallF1(t, p);
    expect(r.precision).toBeCloseTo(2 / 3, 9);
    expect(r.recall).toBeCloseTo(2 / 3, 9);
    expect(r.f1).toBeCloseTo(2 / 3, 9);
    expect(precisionRecallF1([0, 0], [0, 0])).toEqual({ precision: 0, recall: 0, f1: 0 });
  });
  it('confusion matrix rows are true labels, columns predictions', () => {
    const c = confusionMatrix([1, 1, 0, 0, 1], [1, 0, 1, 0, 1]);
    expect(c.labels).toEqual([0, 1]);
    expect([...c.counts]).toEqual([1, 1, 1, 2]);
  });
  it('scoreMetric uses the last class as positive', () => {
    const p = { yTrue: Float64Array.of(0, 0, 1, 1), pred: Float64Array.of(0, 1, 0, 1), proba: Float64Array.of(0.9, 0.1, 0.6, 0.4, 0.65, 0.35, 0.2, 0.8), classes: [0, 1] };
    expect(scoreMetric('auc', p)).toBeCloseTo(0.75, 9);
    expect(scoreMetric('accuracy', p)).toBeCloseTo(0.5, 9);
    expect(scoreMetric('precision', p)).toBeCloseTo(0.5, 9);
  });
});

describe('regression metrics', () => {
  const t = [1, 2, 3];
  const p = [1, 2, 5];
  it('RMSE sqrt(4/3), MAE 2/3, MAPE (2/3)/3, R2 1 - 4/2', () => {
    expect(rmse(t, p)).toBeCloseTo(Math.sqrt(4 / 3), 9);
    expect(mae(t, p)).toBeCloseTo(2 / 3, 9);
    expect(mape(t, p)).toBeCloseTo(2 / 9, 9);
    expect(r2(t, p)).toBeCloseTo(-1, 9);
    expect(r2(t, t)).toBe(1);
  });
  it('rejects length mismatches', () => {
    expect(() => rmse([1], [1, 2])).toThrow(/1 entries but yPred has 2/);
  });
});
