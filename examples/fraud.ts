/**
 * Fraud-style imbalanced classification (1% positives, synthetic transactions): balanced class weights, PR AUC,
 * and the alert threshold for 80% precision chosen on validation, checked on test. Run: npx tsx examples/fraud.ts
 */
import { fraudReport, syntheticTransactions } from '../src/tabular/usecases/fraud.js';

const { X, y } = syntheticTransactions(50_000, 0.01, 7);
const r = await fraudReport(X, y, { targetPrecision: 0.8, seed: 0 });
console.log(`${X.rows} transactions, ${r.positives} frauds`);
for (const [m, s] of Object.entries(r.models)) {
  console.log(`${m.padEnd(9)} ROC AUC ${s.rocAuc.toFixed(4)}  PR AUC ${s.prAuc.toFixed(4)}  threshold ${s.threshold.toFixed(4)} -> test precision ${s.testPrecision.toFixed(3)}, recall ${s.testRecall.toFixed(3)}`);
}
