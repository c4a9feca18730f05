import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng.js';
import type { CrossValidateResult } from '../eval/cv.js';
import { barChart, horizontalBarChart } from './charts.js';
import { escapeHtml } from './html.js';
import { countRecommended, popularityProfile, rankingReportHtml } from './ranking-report.js';
import { ratingReportHtml } from './rating-report.js';
import { EpochRecorder, learningCurveSection } from './sections.js';
import { tabularReportHtml } from './tabular-report.js';

const summary = (folds: number[]) => ({ mean: folds.reduce((a, b) => a + b, 0) / folds.length, std: 0, folds });

function cvResult(algo: string, rmse: number[]): CrossValidateResult {
  return { algo, params: { factors: 10, seed: 1 }, metrics: { rmse: summary(rmse), mae: summary(rmse.map((v) => v * 0.8)) }, fitSeconds: summary([0.1, 0.2, 0.1]), testSeconds: summary([0.01, 0.02, 0.01]) };
}

/** Every <svg> of a page with at least one drawn path/rect/text inside. */
function svgCount(html: string): number {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].filter((m) => /<(path|rect|text)\b/.test(m[0])).length;
}

function selfContained(html: string): void {
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/(src|href)="https?:/i);
  expect(html).not.toMatch(/<link\b/i);
}

describe('charts', () => {
  it('render an SVG string with one bar path per value', () => {
    const svg = barChart('t', ['a', 'b', 'c'], [{ name: 's', values: [1, 2, 3] }]);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>a<');
    expect((svg.match(/<path d="M[^"]*"[^>]*fill="#3b6fb6"/g) ?? []).length).toBe(3);
  });

  it('escape HTML', () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
  });
});

describe('ratingReportHtml', () => {
  it('has parameters, data, per-fold tables, comparison and timing charts, and no external resource', () => {
    const html = ratingReportHtml({
      source: 'ratings.csv',
      format: 'csv',
      data: { users: 10, items: 20, ratings: 50, scale: [1, 5] },
      results: [cvResult('svd', [0.9, 0.95, 0.92]), cvResult('baseline', [0.97, 0.99, 0.98])],
      cv: 3,
      seed: 0,
    });
    selfContained(html);
    expect(html).toContain('<td class="num">0.9500</td>');
    expect(html).toContain('Model comparison');
    expect(html).toContain('svd: metrics per fold');
    expect(html).toContain('1 .. 5');
    // comparison: 2 metric charts; per-fold: 2 charts; timing: 1
    expect(svgCount(html)).toBe(5);
  });
});

describe('rankingReportHtml', () => {
  it('adds popularity distribution and coverage when recommendation counts are given', () => {
    const popularity = Int32Array.from({ length: 20 }, (_, i) => 20 - i);
    const recommended = countRecommended(Int32Array.from([0, 1, 2, 0, 1, -1]), 20);
    const html = rankingReportHtml(
      [
        {
          algo: 'popular',
          protocol: 'p',
          k: 3,
          seed: 0,
          params: {},
          trainInteractions: 100,
          testInteractions: 20,
          fitSeconds: 0.01,
          evaluateSeconds: 0.02,
          metrics: { 'ndcg@3': 0.2, 'precision@3': 0.1 },
          recommendations: { recommended, popularity, users: 2, k: 3 },
        },
      ],
      'data.csv',
    );
    selfContained(html);
    expect(html).toContain('catalog coverage');
    expect(svgCount(html)).toBe(3);
  });
});

describe('popularityProfile', () => {
  it('measures coverage, Gini and decile shares', () => {
    // 10 items, popularity descending by index; recommendations all go to item 0
    const p = popularityProfile({ recommended: [4, 0, 0, 0, 0, 0, 0, 0, 0, 0], popularity: [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], users: 4, k: 1 });
    expect(p.coverage).toBeCloseTo(0.1, 12);
    expect(p.deciles.recommendations[0]).toBeCloseTo(1, 12);
    expect(p.deciles.interactions[0]).toBeCloseTo(10 / 55, 12);
    // one item takes everything among n = 10: Gini = 1 - 1/n
    expect(p.gini).toBeCloseTo(0.9, 12);
    const even = popularityProfile({ recommended: [1, 1, 1, 1], popularity: [4, 3, 2, 1], users: 4, k: 1 });
    expect(even.gini).toBeCloseTo(0, 12);
    expect(even.coverage).toBe(1);
  });
});

describe('tabularReportHtml', () => {
  it('draws ROC, PR, calibration, confusion matrix, importance and fold charts for a binary task', () => {
    const rng = new Rng(3);
    const n = 300;
    const y = new Float64Array(n);
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.uniform() < 0.4 ? 1 : 0;
      p[i] = Math.min(1, Math.max(0, 0.3 * y[i]! + 0.7 * rng.uniform()));
    }
    const html = tabularReportHtml({
      model: 'gbdt',
      params: { learningRate: 0.1 },
      task: 'binary',
      data: { rows: n, features: 3 },
      folds: { auc: [0.8, 0.82], logloss: [0.5, 0.48] },
      yTrue: y,
      scores: p,
      importances: [
        { name: 'age', value: 0.2 },
        { name: 'income', value: 0.7 },
      ],
      compare: [{ name: 'logistic', metrics: { auc: 0.78, logloss: 0.52 } }],
    });
    selfContained(html);
    for (const t of ['ROC (AUC', 'Precision-recall (AP', 'Calibration', 'Confusion matrix', 'Feature importance', 'Model comparison']) expect(html).toContain(t);
    // fold bars 1 + ROC, PR, calibration, confusion 4 + importance 1 + comparison 2
    expect(svgCount(html)).toBe(8);
    // importance sorted: income first
    expect(html.indexOf('<td>income</td>')).toBeLessThan(html.indexOf('<td>age</td>'));
  });

  it('draws per-fold learning curves with the unit on the x axis, one chart per series', () => {
    const html = tabularReportHtml({
      model: 'gbdt',
      params: {},
      task: 'regression',
      data: { rows: 10 },
      folds: { rmse: [1, 1.1] },
      learningCurves: [
        { name: 'fold 1', epochs: [1, 2, 3], metrics: { 'train rmse': [3, 2, 1], 'held-out rmse': [3.1, 2.5, 2.4] } },
        { name: 'fold 2', epochs: [1, 2, 3], metrics: { 'train rmse': [3, 2.1, 1.2], 'held-out rmse': [3, 2.6] } },
      ],
      learningCurveUnit: 'boosting round',
    });
    selfContained(html);
    for (const t of ['Learning curves', 'train rmse', 'held-out rmse', 'boosting round', 'fold 2']) expect(html).toContain(t);
    expect(html).not.toContain('>epoch<');
    // fold bars 1 + learning curves 2
    expect(svgCount(html)).toBe(3);
  });
});

describe('learning curves', () => {
  it('record epoch metrics from progress events and chart them', () => {
    const rec = new EpochRecorder();
    const seen: string[] = [];
    const fn = rec.listener((e) => seen.push(e.step));
    fn({ step: 'epoch', done: 1, total: 2, metrics: { loss: 2 } });
    fn({ step: 'read', done: 1, total: 1 });
    fn({ step: 'epoch', done: 2, total: 2, metrics: { loss: 1 } });
    expect(rec.curve('m')).toEqual({ name: 'm', epochs: [1, 2], metrics: { loss: [2, 1] } });
    expect(seen).toEqual(['epoch', 'read', 'epoch']);
    expect(learningCurveSection([rec.curve('m')])?.html).toContain('<svg');
    expect(learningCurveSection([{ name: 'x', epochs: [], metrics: {} }])).toBeUndefined();
  });
});

describe('horizontalBarChart', () => {
  it('leaves room for long labels instead of cutting them', () => {
    const label = 'PaymentMethod=Bank transfer (automatic)';
    const svg = horizontalBarChart('importance', [label, 'tenure'], [0.3, 0.1]);
    expect(svg).toContain(escapeHtml(label));
    expect(svg).not.toMatch(/PaymentMethod=Bank[^<]*\.\.\./);
  });
});
