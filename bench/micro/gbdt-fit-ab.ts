/**
 * Whole-fit A/B companion of gbdt-kernels.ts: fits GBDTClassifier (100 trees, depth 6, 1 thread; or the random
 * forest) on the first 80% of bench/out/synthetic-100000.csv with the library loaded from a given src directory, and
 * prints wall and CPU seconds of fit and the test AUC. Alternate runs of two copies for back-to-back comparisons:
 *
 *   git archive <rev> src | tar -x -C /tmp/base
 *   for i in 1 2 3; do npx tsx bench/micro/gbdt-fit-ab.ts /tmp/base/src; npx tsx bench/micro/gbdt-fit-ab.ts src; done
 *   npx tsx bench/micro/gbdt-fit-ab.ts src forest
 */
import { resolve } from 'node:path';
import { readTable } from '../../src/data/read.js';
import type * as gbdtModule from '../../src/tabular/gbdt/gbdt.js';
import type * as metricsModule from '../../src/tabular/metrics/index.js';
import type * as modelsModule from '../../src/tabular/tree/models.js';

const root = resolve(process.argv[2] ?? 'src');
const model = process.argv[3] ?? 'gbdt';
const { GBDTClassifier } = (await import(`${root}/tabular/gbdt/gbdt.ts`)) as typeof gbdtModule;
const { RandomForestClassifier } = (await import(`${root}/tabular/tree/models.ts`)) as typeof modelsModule;
const { rocAuc } = (await import(`${root}/tabular/metrics/index.ts`)) as typeof metricsModule;
const frame = await readTable(new URL('../out/synthetic-100000.csv', import.meta.url).pathname);
const n = frame.nRows;
const d = frame.nCols - 1;
const X = new Float64Array(n * d);
for (let j = 0; j < d; j++) {
  const v = frame.numeric(`f${j}`).values;
  for (let i = 0; i < n; i++) X[i * d + j] = v[i]!;
}
const y = Float64Array.from(frame.numeric('target').values);
const ntr = Math.floor(n * 0.8);
const m = model === 'forest' ? new RandomForestClassifier({ nEstimators: 100, threads: 1 }) : new GBDTClassifier({ nEstimators: 100, maxDepth: 6, learningRate: 0.1, threads: 1 });
const c0 = process.cpuUsage();
const t0 = performance.now();
await m.fit({ data: X.subarray(0, ntr * d), rows: ntr, cols: d }, y.subarray(0, ntr));
const wall = (performance.now() - t0) / 1000;
const cu = process.cpuUsage(c0);
const p = m.predictProba({ data: X.subarray(ntr * d), rows: n - ntr, cols: d });
const pos = new Float64Array(n - ntr);
for (let i = 0; i < pos.length; i++) pos[i] = p[2 * i + 1]!;
console.log(JSON.stringify({ root, model, fit_s: +wall.toFixed(3), fit_cpu_s: +((cu.user + cu.system) / 1e6).toFixed(3), auc: +rocAuc(y.subarray(ntr), pos).toFixed(5) }));
process.exit(0);
