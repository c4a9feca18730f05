// Renders the JSON lines of a tabular bench run (bench/out/tabular-*.jsonl) as the markdown tables of bench/results/tabular.md:
//   node bench/tabular-table.mjs bench/out/tabular-run1.jsonl
import { readFileSync } from 'node:fs';
const rows = readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
const f = (x, d = 3) => (x === undefined ? '–' : Number(x).toFixed(d));
console.log('| side | model | threads | fit s (wall) | fit s (CPU, all threads) | predict s | ROC AUC |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows.filter((r) => r.task === 'synthetic' && r.model !== 'read-csv')) console.log(`| ${r.side === 'ours' ? 'Reckon' : 'peer'} | ${r.model} | ${r.threads} | ${f(r.fit_s, 2)} | ${f(r.fit_cpu_s, 2)} | ${f(r.predict_s, 3)} | ${f(r.auc, 4)} |`);
const tel = rows.filter((r) => r.task === 'telco');
if (tel.length) {
  console.log('\n| side | model | 5-fold AUC | std | folds | mean fit s/fold |');
  console.log('|---|---|---|---|---|---|');
  for (const r of tel) console.log(`| ${r.side === 'ours' ? 'Reckon' : 'peer'} | ${r.model} | ${f(r.auc, 4)} | ${f(r.auc_std, 4)} | ${r.folds.map((v) => f(v, 4)).join(' ')} | ${f(r.fit_s, 2)} |`);
}
const rat = rows.filter((r) => r.ratio);
if (rat.length) {
  console.log('\n| pair | fit speed-up (wall) | fit speed-up (CPU) | predict speed-up | AUC ours − peer |');
  console.log('|---|---|---|---|---|');
  for (const r of rat) console.log(`| ${r.ratio} | ${f(r.fit_speedup_wall, 2)}x | ${f(r.fit_speedup_cpu, 2)}x | ${f(r.predict_speedup, 2)}x | ${r.auc_diff >= 0 ? '+' : ''}${f(r.auc_diff, 4)} |`);
}
