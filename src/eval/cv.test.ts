import { describe, expect, it } from 'vitest';
import '../recommenders/explicit/registry.js';
import { smallRatings } from '../recommenders/explicit/test-support/conformance.js';
import { WorkerPool } from '../core/pool.js';
import { crossValidate, summarize, trainTestSplit } from './cv.js';

describe('crossValidate', () => {
  const data = smallRatings(5, 80, 50, 0.3);

  it('reports per-fold metrics, mean and std, fit and test seconds', async () => {
    const r = await crossValidate('baseline', {}, data, { cv: 4, seed: 1, metrics: ['rmse', 'mae', 'fcp'] });
    expect(r.algo).toBe('baseline');
    expect(r.params['regUser']).toBe(15);
    expect(Object.keys(r.metrics)).toEqual(['rmse', 'mae', 'fcp']);
    expect(r.metrics['rmse']!.folds).toHaveLength(4);
    const s = summarize(r.metrics['rmse']!.folds);
    expect(r.metrics['rmse']!.mean).toBeCloseTo(s.mean, 12);
    expect(r.metrics['rmse']!.mean).toBeGreaterThan(0.3);
    expect(r.metrics['rmse']!.mean).toBeLessThan(1.5);
    expect(r.fitSeconds.folds).toHaveLength(4);
    expect(r.testSeconds.mean).toBeGreaterThanOrEqual(0);
  });

  it('the same seed gives the same folds for every algorithm; another seed differs', async () => {
    const a = await crossValidate('svd', { epochs: 3, factors: 4 }, data, { cv: 3, seed: 9 });
    const b = await crossValidate('svd', { epochs: 3, factors: 4 }, data, { cv: 3, seed: 9 });
    const c = await crossValidate('svd', { epochs: 3, factors: 4 }, data, { cv: 3, seed: 10 });
    expect(b.metrics['rmse']!.folds).toEqual(a.metrics['rmse']!.folds);
    expect(c.metrics['rmse']!.folds).not.toEqual(a.metrics['rmse']!.folds);
  });

  it('parallel folds on worker threads give the same figures as in-thread folds', async () => {
    const one = await crossValidate('knn-means', {}, data, { cv: 3, seed: 2 });
    const two = await crossValidate('knn-means', {}, data, { cv: 3, seed: 2, workers: 2 });
    expect(two.metrics['rmse']!.folds).toEqual(one.metrics['rmse']!.folds);
    expect(two.metrics['mae']!.folds).toEqual(one.metrics['mae']!.folds);
    const pool = new WorkerPool({ size: 2 });
    try {
      const three = await crossValidate('knn-means', {}, data, { cv: 3, seed: 2, pool });
      expect(three.metrics['rmse']!.folds).toEqual(one.metrics['rmse']!.folds);
      expect(pool.isClosed).toBe(false);
    } finally {
      await pool.close();
    }
  });

  it('bad input: folds larger than the data, unknown algorithm, unknown param, unknown metric', async () => {
    await expect(crossValidate('baseline', {}, data, { cv: data.nnz + 1 })).rejects.toThrow(new RegExp(`cv \\(number of folds\\) must be an integer in \\[2, ${data.nnz}\\].*got ${data.nnz + 1}`));
    await expect(crossValidate('sdv', {}, data)).rejects.toThrow(/unknown algorithm "sdv".*expected one of: normal, baseline, svd/);
    await expect(crossValidate('svd', { lr: 0.1 }, data)).rejects.toThrow(/unknown param "lr"; expected one of: factors/);
    await expect(crossValidate('svd', {}, data, { metrics: ['auc'] })).rejects.toThrow(/unknown rating metric "auc"/);
  });

  it('trainTestSplit holds out the requested share and shares id maps', () => {
    const s = trainTestSplit(data, { testRatio: 0.25, seed: 3 });
    expect(s.test.nnz).toBe(Math.round(0.25 * data.nnz));
    expect(s.train.nnz + s.test.nnz).toBe(data.nnz);
    expect(s.train.users).toBe(s.test.users);
  });
});
