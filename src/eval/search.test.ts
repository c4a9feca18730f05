import { describe, expect, it } from 'vitest';
import '../recommenders/explicit/registry.js';
import { smallRatings } from '../recommenders/explicit/test-support/conformance.js';
import { crossValidate } from './cv.js';
import { expandGrid, gridSearch, randomizedSearch, sampleParams } from './search.js';

describe('search', () => {
  const data = smallRatings(6, 70, 40, 0.35);

  it('expandGrid is the cartesian product; sampleParams is seeded and in range', () => {
    expect(expandGrid({ a: [1, 2], b: ['x', 'y', 'z'] })).toHaveLength(6);
    expect(expandGrid({ a: [1, 2], b: [true] })).toEqual([{ a: 1, b: true }, { a: 2, b: true }]);
    const s1 = sampleParams({ lr: { low: 0.001, high: 0.1, log: true }, k: { low: 5, high: 50, integer: true }, sim: ['msd', 'cosine'] }, 20, 4);
    expect(sampleParams({ lr: { low: 0.001, high: 0.1, log: true }, k: { low: 5, high: 50, integer: true }, sim: ['msd', 'cosine'] }, 20, 4)).toEqual(s1);
    for (const p of s1) {
      expect(p['lr']).toBeGreaterThanOrEqual(0.001);
      expect(p['lr']).toBeLessThanOrEqual(0.1);
      expect(Number.isInteger(p['k'])).toBe(true);
    }
    expect(() => expandGrid({ a: [] })).toThrow(/non-empty list/);
  });

  it('gridSearch ranks candidates by the metric on shared folds and refits the best', async () => {
    const r = await gridSearch('knn-baseline', { k: [2, 30], similarity: ['msd', 'pearson_baseline'] }, data, { cv: 3, seed: 1 });
    expect(r.candidates).toHaveLength(4);
    const best = r.candidates.find((c) => c.rank === 1)!;
    for (const c of r.candidates) expect(best.metrics['rmse']!.mean).toBeLessThanOrEqual(c.metrics['rmse']!.mean);
    expect(r.best.params).toEqual(best.params);
    // each candidate's figures equal a plain crossValidate with the same seed (same folds)
    const again = await crossValidate('knn-baseline', { k: r.candidates[1]!.params['k'], similarity: r.candidates[1]!.params['similarity'] }, data, { cv: 3, seed: 1 });
    expect(again.metrics['rmse']!.folds).toEqual(r.candidates[1]!.metrics['rmse']!.folds);
    expect(r.model?.isFitted).toBe(true);
    expect(r.model?.getParams()).toEqual(r.best.params);
  });

  it('FCP is maximised; randomizedSearch is reproducible by seed', async () => {
    const r = await randomizedSearch('svd', { factors: [2, 8], epochs: { low: 2, high: 6, integer: true } }, 3, data, { cv: 3, seed: 2, metric: 'fcp', refit: false });
    const best = r.candidates.find((c) => c.rank === 1)!;
    for (const c of r.candidates) expect(best.metrics['fcp']!.mean).toBeGreaterThanOrEqual(c.metrics['fcp']!.mean);
    expect(r.model).toBeUndefined();
    const r2 = await randomizedSearch('svd', { factors: [2, 8], epochs: { low: 2, high: 6, integer: true } }, 3, data, { cv: 3, seed: 2, metric: 'fcp', refit: false });
    expect(r2.candidates.map((c) => c.params)).toEqual(r.candidates.map((c) => c.params));
  });

  it('unknown params and values fail before any work', async () => {
    await expect(gridSearch('svd', { factorz: [1] }, data)).rejects.toThrow(/unknown param "factorz"/);
    await expect(gridSearch('svd', { factors: [-1] }, data)).rejects.toThrow(/"factors" must be an integer >= 1, got -1/);
  });
});
