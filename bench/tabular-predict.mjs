/**
 * Prediction-time driver for the tree ensembles on the cached synthetic set (bench/out/synthetic-N.csv, written by
 * `npm run bench -- tabular`): fits one model on the first 80% of rows, then times predictProba on the last 20%
 * (the first call of the process, then later calls with the event loop running between them, as a server would),
 * and on small batches (1, 100, 1000, 3000 rows; median microseconds a call). One JSON line; `checksum` compares
 * predictions across builds and thread counts.
 *
 *   RECKON_LIB=dist node bench/tabular-predict.mjs gbdt|forest [threads] [rows]   (after `npm run build`)
 */
import { performance } from 'node:perf_hooks';
import { loadSynthetic } from './tabular-synthetic.mjs';

const lib = process.env['RECKON_LIB'] === 'dist' ? '../dist' : '../src';
const { GBDTClassifier } = await import(`${lib}/tabular/gbdt/gbdt.js`);
const { RandomForestClassifier } = await import(`${lib}/tabular/tree/models.js`);
const model = process.argv[2] ?? 'gbdt';
const threads = Number(process.argv[3] ?? '2');
const rows = Number(process.argv[4] ?? '100000');
const { d, y, ntr, tr, te } = await loadSynthetic(lib, rows);
const m = model === 'forest' ? new RandomForestClassifier({ nEstimators: 100, threads }) : new GBDTClassifier({ nEstimators: 100, maxDepth: 6, learningRate: 0.1, threads });
await m.fit(tr, y.subarray(0, ntr));
const tick = () => new Promise((r) => globalThis.setTimeout(r, 5));
const calls = [];
let first;
for (let k = 0; k < 6; k++) {
  const t0 = performance.now();
  const p = m.predictProba(te);
  calls.push((performance.now() - t0) / 1000);
  if (k === 0) first = p;
  await tick();
}
let checksum = 0;
for (let i = 0; i < first.length; i++) checksum = (checksum * 31 + Math.round(first[i] * 1e9)) % 1000000007;
const median = (a) => [...a].sort((u, v) => u - v)[a.length >> 1];
const small = {};
for (const r of [1, 100, 1000, 3000]) {
  const b = { data: te.data.subarray(0, r * d), rows: r, cols: d };
  const reps = Math.max(15, Math.floor(20000 / r));
  const us = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    m.predictProba(b);
    us.push((performance.now() - t0) * 1000);
    if (i % 8 === 7) await tick();
  }
  small[`rows_${r}_us`] = Math.round(median(us.slice(Math.floor(reps / 3))));
}
console.log(JSON.stringify({ model, threads, rows: te.rows, first_call_s: calls[0], later_calls_s: calls.slice(1), checksum, ...small }));
process.exit(0);
