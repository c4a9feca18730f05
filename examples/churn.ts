/**
 * Churn prediction on IBM Telco (blank TotalCharges are missing values): logistic regression vs GBDT by 5-fold
 * stratified AUC, and the strongest churn drivers. Run: npx tsx examples/churn.ts
 */
import { join } from 'node:path';
import { readTable } from '../src/data/read.js';
import { churnReport } from '../src/tabular/usecases/churn.js';
import { dataDir } from './tabular-common.js';

const frame = await readTable(join(dataDir(), 'churn', 'WA_Fn-UseC_-Telco-Customer-Churn.csv'));
const r = await churnReport(frame, { target: 'Churn', folds: 5, seed: 0 });
console.log(`${r.rows} customers, churn rate ${(100 * r.churnRate).toFixed(1)}%`);
for (const [m, a] of Object.entries(r.auc)) console.log(`${m.padEnd(9)} AUC ${a.mean.toFixed(4)} ± ${a.std.toFixed(4)}`);
console.log('top drivers (GBDT gain):', r.topFeatures.map((f) => `${f.name} ${(100 * f.importance).toFixed(1)}%`).join(', '));
