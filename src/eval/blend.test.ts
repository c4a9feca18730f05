import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import '../recommenders/explicit/registry.js';
import { smallRatings } from '../recommenders/explicit/test-support/conformance.js';
import { crossValidateBlend, ridgeFit } from './blend.js';
import { crossValidate } from './cv.js';

describe('blend', () => {
  it('ridgeFit recovers planted weights and intercept (lambda 0) to 1e-9', () => {
    const rng = new Rng(1);
    const n = 200;
    const m = 3;
    const X = Float64Array.from({ length: n * m }, () => rng.normal());
    const y = new Float64Array(n);
    for (let r = 0; r < n; r++) y[r] = 0.5 + 0.2 * X[r * m]! - 1.5 * X[r * m + 1]! + 0.7 * X[r * m + 2]!;
    const f = ridgeFit(X, y, n, m, 0);
    expect(f.intercept).toBeCloseTo(0.5, 9);
    expect(Array.from(f.weights).map((w) => +w.toFixed(9))).toEqual([0.2, -1.5, 0.7]);
    expect(() => ridgeFit(new Float64Array(n * 2).fill(1), y, n, 2, 0)).toThrow(/singular/);
  });

  it('a blend fit on held-out training ratings is at least about as good as its best member', async () => {
    const data = smallRatings(12, 120, 60, 0.3);
    const members = [
      { algo: 'baseline', params: { ratingMin: 1, ratingMax: 5 } },
      { algo: 'knn-baseline', params: { ratingMin: 1, ratingMax: 5, userBased: false } },
      { algo: 'svd', params: { ratingMin: 1, ratingMax: 5, factors: 4, epochs: 20 } },
    ];
    const b = await crossValidateBlend(members, data, { cv: 3, seed: 4, scale: [1, 5] });
    expect(b.weights).toHaveLength(3);
    expect(b.weights[0]).toHaveLength(3);
    let best = Infinity;
    for (const m of members) best = Math.min(best, (await crossValidate(m.algo, m.params, data, { cv: 3, seed: 4 })).metrics['rmse']!.mean);
    expect(b.metrics['rmse']!.mean).toBeLessThan(best * 1.01);
  });
});
