import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { Lasso, LinearRegression, Ridge } from './regression.js';
import { LogisticRegression } from './logistic.js';

interface Case { name: string; params: Record<string, unknown>; target: 'binary' | 'multi' | 'reg'; coef: number[][]; intercept: number[] }
const fixture = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sklearn-linear.json'), 'utf8')) as {
  X: number[][]; binary: number[]; multi: number[]; reg: number[]; cases: Case[];
};
const X = fromRows(fixture.X);

// Reference: scikit-learn 1.2.1 (bench/peers/logistic_fixture.py). Smooth problems agree to 1e-4; L1/elastic net
// (FISTA vs saga) to 2e-3.
describe('linear models against scikit-learn', () => {
  for (const c of fixture.cases) {
    it(c.name, async () => {
      const tol = c.name.includes('l1') || c.name.includes('elastic') || c.name.includes('lasso') ? 2e-3 : 1e-4;
      if (c.target === 'reg') {
        const Ctor = c.name.includes('ridge') ? Ridge : c.name.includes('lasso') ? Lasso : LinearRegression;
        const m = new Ctor(c.params as never);
        await m.fit(X, fixture.reg);
        const { coef, intercept } = m.coefficients;
        for (let j = 0; j < coef.length; j++) expect(Math.abs(coef[j] - c.coef[0][j])).toBeLessThan(tol);
        expect(Math.abs(intercept - c.intercept[0])).toBeLessThan(tol);
        return;
      }
      const m = new LogisticRegression({ ...c.params, tol: 1e-9, maxIter: 5000 } as never);
      await m.fit(X, c.target === 'binary' ? fixture.binary : fixture.multi);
      const { coef, intercept, cols } = m.coefficients;
      for (let r = 0; r < c.coef.length; r++) {
        for (let j = 0; j < cols; j++) expect(Math.abs(coef[r * cols + j] - c.coef[r][j])).toBeLessThan(tol);
        expect(Math.abs(intercept[r] - c.intercept[r])).toBeLessThan(tol);
      }
    });
  }

  it('predictProba rows sum to 1 and predict returns class values', async () => {
    const m = await new LogisticRegression().fit(X, fixture.multi.map((v) => v * 10));
    const p = m.predictProba(X);
    for (let i = 0; i < X.rows; i++) expect(p[3 * i] + p[3 * i + 1] + p[3 * i + 2]).toBeCloseTo(1, 12);
    expect(new Set(m.predict(X))).toEqual(new Set([0, 10, 20]));
  });
});
