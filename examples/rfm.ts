/**
 * RFM feature engineering from the CDNOW purchase log: recency, frequency, monetary, tenure at a cutoff
 * (1997-09-30) from earlier purchases; churn = no purchase in the next 180 days. Run: npx tsx examples/rfm.ts
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePurchaseLog, rfmChurnReport } from '../src/tabular/usecases/rfm.js';
import { dataDir } from './tabular-common.js';

const log = parsePurchaseLog(await readFile(join(dataDir(), 'retail', 'CDNOW_master.txt'), 'utf8'), 'CDNOW_master.txt');
const cutoff = Date.UTC(1997, 8, 30) / 86_400_000;
const r = await rfmChurnReport(log, cutoff, 180, { folds: 5, seed: 0 });
console.log(`${log.customer.length} purchases; ${r.customers} customers active before the cutoff; churn rate ${(100 * r.churnRate).toFixed(1)}%`);
for (const [m, a] of Object.entries(r.auc)) console.log(`${m.padEnd(9)} 5-fold AUC ${a.toFixed(4)}`);
