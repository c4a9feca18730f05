import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { Frame, encodeStrings, numericColumn } from '../../data/frame.js';
import { churnReport } from './churn.js';
import { forecastReport, lagFeatures } from './forecast.js';
import { fraudReport, syntheticTransactions } from './fraud.js';
import { parsePurchaseLog, rfmFrame } from './rfm.js';

// Each worked example on small synthetic data (the real data sets are only read by examples/*.ts).
describe('worked use cases', () => {
  it('churn: a Telco-like table with a blank numeric cell and an id column', async () => {
    const rng = new Rng(1);
    const n = 400;
    const ids: string[] = [];
    const contract: string[] = [];
    const tenure = new Float64Array(n);
    const total: string[] = [];
    const churn: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push(`C${i}`);
      const monthly = rng.float() < 0.5;
      contract.push(monthly ? 'Month-to-month' : 'Two year');
      tenure[i] = Math.floor(rng.float() * 72);
      total.push(i === 5 ? ' ' : String((tenure[i] * 50).toFixed(2)));
      const p = (monthly ? 0.5 : 0.1) * (tenure[i] < 12 ? 1.5 : 0.7);
      churn.push(rng.float() < p ? 'Yes' : 'No');
    }
    const f = new Frame([encodeStrings('customerID', ids), encodeStrings('Contract', contract), numericColumn('tenure', tenure), encodeStrings('TotalCharges', total), encodeStrings('Churn', churn)]);
    const r = await churnReport(f, { folds: 3, gbdt: { nEstimators: 30, threads: 1 } });
    expect(r.rows).toBe(n);
    expect(r.auc['logistic'].mean).toBeGreaterThan(0.6);
    expect(r.auc['gbdt'].mean).toBeGreaterThan(0.6);
    expect(r.topFeatures.map((t) => t.name)).not.toContain('customerID');
  });

  it('RFM: features and churn label from a tiny purchase log', () => {
    const text = ' customer_id  date number_of_cds  dollar_value\n 00001 19970101 1 10.00\n 00001 19970201 2 30.00\n 00002 19970115 1 5.00\n 00002 19970701 1 7.00\n 00003 19970601 1 1.00\n';
    const log = parsePurchaseLog(text);
    const cutoff = Date.UTC(1997, 2, 1) / 86_400_000; // 1997-03-01
    const { X, y, customers } = rfmFrame(log, cutoff, 180);
    expect(customers).toEqual(['00001', '00002']);
    expect([...X.numeric('recency').values]).toEqual([28, 45]);
    expect([...X.numeric('frequency').values]).toEqual([2, 1]);
    expect([...X.numeric('monetary').values]).toEqual([20, 5]);
    expect([...X.numeric('tenure').values]).toEqual([59, 45]);
    expect([...y]).toEqual([1, 0]); // 00001 never buys again; 00002 buys in July
    expect(() => parsePurchaseLog('x 1997 1 2\n')).toThrow(/purchases:1/);
  });

  it('fraud: imbalanced data, threshold for a target precision', async () => {
    const { X, y } = syntheticTransactions(6000, 0.03, 3);
    let pos = 0;
    for (const v of y) pos += v;
    expect(pos).toBe(180);
    const r = await fraudReport(X, y, { targetPrecision: 0.5, gbdt: { nEstimators: 40, threads: 1 } });
    expect(r.models['logistic'].rocAuc).toBeGreaterThan(0.9);
    expect(r.models['logistic'].prAuc).toBeGreaterThan(0.2);
    expect(r.models['gbdt'].threshold).toBeGreaterThan(0);
  });

  it('forecast: lag features and GBDT beating seasonal naive on a trending seasonal series', async () => {
    const y = Float64Array.from({ length: 96 }, (_, t) => (100 + 2 * t) * (1 + 0.2 * Math.sin((2 * Math.PI * t) / 12)));
    const f = lagFeatures(y);
    expect(f.X.rows).toBe(96 - 25);
    expect(f.target[0]).toBeCloseTo(Math.log(y[25]) - Math.log(y[13]), 12);
    const r = await forecastReport(y, { folds: 3, testSize: 12 });
    expect(r.gbdt.mape).toBeLessThan(r.seasonalNaive.mape);
  });
});
