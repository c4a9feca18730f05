import { ParseError } from '../../core/errors.js';
import { Frame, numericColumn } from '../../data/frame.js';

/** A purchase log: one entry per purchase (customer index, day number, amount). */
export interface PurchaseLog {
  customer: Int32Array;
  /** Days since 1970-01-01. */
  day: Float64Array;
  amount: Float64Array;
  customers: string[];
}

function dayOf(yyyymmdd: string): number {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

/** Parses CDNOW_master.txt style logs: whitespace-separated `customer_id YYYYMMDD quantity amount`, one per line. */
export function parsePurchaseLog(text: string, file = 'purchases'): PurchaseLog {
  const ids = new Map<string, number>();
  const customers: string[] = [];
  const c: number[] = [];
  const dd: number[] = [];
  const a: number[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const f = lines[i].trim().split(/\s+/);
    if (f.length < 4 || f[0] === '') continue;
    if (i === 0 && !/^\d/.test(f[1])) continue; // header
    if (!/^\d{8}$/.test(f[1]) || !Number.isFinite(Number(f[3]))) throw new ParseError({ file, line: i + 1, text: lines[i] }, 'expected "customer YYYYMMDD quantity amount"');
    let id = ids.get(f[0]);
    if (id === undefined) {
      id = customers.length;
      ids.set(f[0], id);
      customers.push(f[0]);
    }
    c.push(id);
    dd.push(dayOf(f[1]));
    a.push(Number(f[3]));
  }
  return { customer: Int32Array.from(c), day: Float64Array.from(dd), amount: Float64Array.from(a), customers };
}

/**
 * RFM features at a cutoff day from purchases before it, and a churn label from the window after it:
 * recency (days since the last purchase), frequency (purchases), monetary (mean amount), tenure (days since the
 * first purchase), total spend; `churned` = 1 when the customer buys nothing in the `horizon` days after cutoff.
 * Only customers with a purchase before the cutoff appear. O(purchases + customers).
 */
export function rfmFrame(log: PurchaseLog, cutoff: number, horizon: number): { X: Frame; y: Float64Array; customers: string[] } {
  const k = log.customers.length;
  const first = new Float64Array(k).fill(Infinity);
  const last = new Float64Array(k).fill(-Infinity);
  const freq = new Float64Array(k);
  const spend = new Float64Array(k);
  const after = new Uint8Array(k);
  for (let i = 0; i < log.customer.length; i++) {
    const c = log.customer[i];
    const d = log.day[i];
    if (d < cutoff) {
      first[c] = Math.min(first[c], d);
      last[c] = Math.max(last[c], d);
      freq[c]++;
      spend[c] += log.amount[i];
    } else if (d < cutoff + horizon) after[c] = 1;
  }
  const rows: number[] = [];
  for (let c = 0; c < k; c++) if (freq[c] > 0) rows.push(c);
  const n = rows.length;
  const col = (f: (c: number) => number) => Float64Array.from(rows, f);
  const X = new Frame([
    numericColumn('recency', col((c) => cutoff - last[c])),
    numericColumn('frequency', col((c) => freq[c])),
    numericColumn('monetary', col((c) => spend[c] / freq[c])),
    numericColumn('tenure', col((c) => cutoff - first[c])),
    numericColumn('total', col((c) => spend[c])),
  ]);
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) y[r] = after[rows[r]] ? 0 : 1;
  return { X, y, customers: rows.map((c) => log.customers[c]) };
}

/** Cross-validated AUC of logistic regression and GBDT predicting the RFM churn label. */
export async function rfmChurnReport(log: PurchaseLog, cutoff: number, horizon: number, opts: { folds?: number; seed?: number } = {}): Promise<{ customers: number; churnRate: number; auc: Record<string, number> }> {
  const { crossValidate } = await import('../selection/cross-validate.js');
  const { defaultPipeline } = await import('../registry.js');
  const { X, y } = rfmFrame(log, cutoff, horizon);
  const auc: Record<string, number> = {};
  for (const [name, params] of [['logistic', {}], ['gbdt', { nEstimators: 150, learningRate: 0.05, maxDepth: 3 }]] as const) {
    const est = defaultPipeline(name, 'classification', X, params);
    const r = await crossValidate(est as never, X, y, { cv: opts.folds ?? 5, metrics: ['auc'], seed: opts.seed ?? 0 });
    auc[name] = r.metrics['auc'].mean;
  }
  let c = 0;
  for (const v of y) c += v;
  return { customers: y.length, churnRate: c / y.length, auc };
}
