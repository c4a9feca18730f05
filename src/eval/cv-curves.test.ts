import { describe, expect, it } from 'vitest';
import '../recommenders/explicit/registry.js';
import { smallRatings } from '../recommenders/explicit/test-support/conformance.js';
import { ratingReportHtml } from '../report/rating-report.js';
import { crossValidate } from './cv.js';

describe('crossValidate learning curves', () => {
  const data = smallRatings(5, 80, 50, 0.3);

  it('collects one per-epoch training RMSE curve per fold for SVD (wasm and js engines), SVD++ and NMF', async () => {
    for (const [algo, params] of [
      ['svd', { epochs: 6, factors: 4 }],
      ['svd', { epochs: 6, factors: 4, engine: 'js' }],
      ['svd', { epochs: 6, factors: 3, biased: false }],
      ['svdpp', { epochs: 6, factors: 4 }],
      ['nmf', { epochs: 20, factors: 4 }],
    ] as const) {
      const r = await crossValidate(algo, params, data, { cv: 3, seed: 4 });
      expect(r.curves, `${algo} ${JSON.stringify(params)}`).toHaveLength(3);
      for (const c of r.curves!) {
        const n = params.epochs;
        expect(c.epochs).toEqual(Array.from({ length: n }, (_, e) => e + 1));
        const rmse = c.metrics['trainRmse']!;
        expect(rmse).toHaveLength(n);
        for (const v of rmse) expect(Number.isFinite(v) && v > 0 && v < 5).toBe(true);
        // training error falls over the epochs (NMF's multiplicative updates oscillate early, hence 20 epochs)
        expect(rmse[n - 1]!).toBeLessThan(rmse[0]!);
      }
    }
  });

  it('the wasm and js SVD engines report the same training error (1e-9 relative), in threads or not', async () => {
    const w = await crossValidate('svd', { epochs: 4, factors: 4 }, data, { cv: 3, seed: 2 });
    const j = await crossValidate('svd', { epochs: 4, factors: 4, engine: 'js' }, data, { cv: 3, seed: 2 });
    const t = await crossValidate('svd', { epochs: 4, factors: 4 }, data, { cv: 3, seed: 2, workers: 2 });
    for (let f = 0; f < 3; f++) {
      const a = w.curves![f]!.metrics['trainRmse']!;
      const b = j.curves![f]!.metrics['trainRmse']!;
      for (let e = 0; e < 4; e++) expect(Math.abs(a[e]! - b[e]!) / a[e]!).toBeLessThan(1e-9);
      expect(t.curves![f]).toEqual(w.curves![f]);
    }
  });

  it('models without epoch metrics leave curves out; the rating report draws one line per fold', async () => {
    const base = await crossValidate('baseline', {}, data, { cv: 3, seed: 1 });
    expect(base.curves).toBeUndefined();
    const svd = await crossValidate('svd', { epochs: 5, factors: 4 }, data, { cv: 3, seed: 1 });
    const html = ratingReportHtml({ source: 'synthetic', data: { users: data.nUsers, items: data.nItems, ratings: data.nnz }, results: [base, svd], cv: 3, seed: 1 });
    expect(html).toContain('Learning curves');
    const section = html.slice(html.indexOf('Learning curves'));
    const svg = /<svg[\s\S]*?<\/svg>/.exec(section)![0];
    for (let f = 1; f <= 3; f++) expect(svg).toContain(`svd fold ${f}`);
    expect(svg).not.toContain('baseline fold');
    const noCurves = ratingReportHtml({ source: 'synthetic', data: { users: 1, items: 1, ratings: 1 }, results: [base], cv: 3, seed: 1 });
    expect(noCurves).not.toContain('Learning curves');
  });
});
