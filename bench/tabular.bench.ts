/**
 * Tabular benchmark: Reckon vs scikit-learn 1.2.1 / XGBoost 1.7.4 (Debian, /usr/bin/python3) in one run.
 *
 *   npm run bench -- tabular [--rows N] [--threads T] [--repeat R] [--skip-telco] [--skip-synthetic]
 *
 * 1. Synthetic: bench/peers/tabular.py writes make_classification(N=100000, 30 features, 15 informative, seed 0) to
 *    bench/out/synthetic-N.csv; both sides read that CSV, train on the first 80% and score the last 20%: fit and
 *    predict seconds (wall and CPU) and ROC AUC for logistic regression (standardised), random forest (100 trees),
 *    HistGradientBoosting / XGBoost (100 trees, depth 6, lr 0.1, hist) and our GBDT with the same settings.
 * 2. Telco churn: one stratified 5-fold assignment written to bench/out/telco-folds.json, read by both sides.
 * 3. --repeat R (synthetic): R more rounds of GBDT vs XGBoost / HistGradientBoosting fits, alternating sides, each
 *    side in a fresh process (bench/tabular-fit.mjs fits twice: the first fit is cold, V8 compiling the kernels and
 *    the worker thread starting, the second shows the steady state; it runs the compiled library from dist/ in plain
 *    Node when built: `npm run build` first, or a stale dist/ is measured), so that one noisy spell of
 *    the machine does not decide the comparison; the ratios of the medians (and of the fastest fits) follow.
 * Prints one JSON line per measurement, then the ratios (peer / ours for time, ours - best peer for AUC).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable } from '../src/data/read.js';
import { GBDTClassifier } from '../src/tabular/gbdt/gbdt.js';
import { LogisticRegression } from '../src/tabular/linear/logistic.js';
import { type Matrix, fromColumns } from '../src/tabular/matrix.js';
import { rocAuc } from '../src/tabular/metrics/index.js';
import { defaultPipeline } from '../src/tabular/registry.js';
import { crossValidate } from '../src/tabular/selection/cross-validate.js';
import type { Estimator } from '../src/tabular/selection/estimator.js';
import { splitsFromAssignment, stratifiedFoldAssignment } from '../src/tabular/selection/splits.js';
import { prepareTabular } from '../src/tabular/task-data.js';
import { RandomForestClassifier } from '../src/tabular/tree/models.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const out = join(here, 'out');
mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const flag = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const rows = Number(flag('rows', '100000'));
const threads = Number(flag('threads', '2'));
const repeat = Number(flag('repeat', '0'));
const dataDir = resolve(root, process.env['RECKON_DATA'] ?? '../shared/data');
const PY = '/usr/bin/python3';
const PEER = join(here, 'peers', 'tabular.py');

interface Line {
  side: 'ours' | 'peer';
  task: string;
  model: string;
  [k: string]: unknown;
}
const results: Line[] = [];
function emit(l: Line): void {
  results.push(l);
  process.stdout.write(JSON.stringify(l) + '\n');
}

function peer(argv: string[], tag: Record<string, unknown> = {}): void {
  const text = execFileSync(PY, [PEER, ...argv], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, OMP_NUM_THREADS: String(threads) } });
  for (const line of text.trim().split('\n')) if (line.startsWith('{')) emit({ ...(JSON.parse(line) as Line), ...tag });
}

async function timed<T>(f: () => Promise<T> | T): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return { value, wall, cpu: (c.user + c.system) / 1e6 };
}

function positive(p: Float64Array): Float64Array {
  return Float64Array.from({ length: p.length / 2 }, (_, i) => p[2 * i + 1]);
}

async function synthetic(): Promise<void> {
  const csv = join(out, `synthetic-${rows}.csv`);
  if (!existsSync(csv)) execFileSync(PY, [PEER, 'generate', csv, String(rows)]);
  const read = await timed(() => readTable(csv));
  const frame = read.value;
  const n = frame.nRows;
  const d = frame.nCols - 1;
  const X = fromColumns(Array.from({ length: d }, (_, j) => frame.numeric(`f${j}`).values)).data;
  const y = Float64Array.from(frame.numeric('target').values);
  emit({ side: 'ours', task: 'synthetic', model: 'read-csv', rows: n, seconds: read.wall });
  const ntr = Math.floor(n * 0.8);
  const tr: Matrix = { data: X.subarray(0, ntr * d), rows: ntr, cols: d };
  const te: Matrix = { data: X.subarray(ntr * d), rows: n - ntr, cols: d };
  const ytr = y.subarray(0, ntr);
  const yte = y.subarray(ntr);
  // Standardise with training statistics for logistic regression (the peer uses StandardScaler).
  const mean = new Float64Array(d);
  const sd = new Float64Array(d);
  for (let i = 0; i < ntr; i++) for (let j = 0; j < d; j++) mean[j] += X[i * d + j] / ntr;
  for (let i = 0; i < ntr; i++) for (let j = 0; j < d; j++) sd[j] += (X[i * d + j] - mean[j]) ** 2 / ntr;
  const Z = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Z[i * d + j] = (X[i * d + j] - mean[j]) / Math.sqrt(sd[j]);
  const ztr: Matrix = { data: Z.subarray(0, ntr * d), rows: ntr, cols: d };
  const zte: Matrix = { data: Z.subarray(ntr * d), rows: n - ntr, cols: d };
  const models: [string, () => { fit(X: Matrix, y: Float64Array): Promise<unknown>; predictProba(X: Matrix): Float64Array }, boolean][] = [
    ['logistic', () => new LogisticRegression({ tol: 1e-4 }), true],
    ['forest', () => new RandomForestClassifier({ nEstimators: 100, threads }), false],
    ['gbdt', () => new GBDTClassifier({ nEstimators: 100, maxDepth: 6, learningRate: 0.1, threads }), false],
  ];
  for (const [name, make, scaled] of models) {
    const m = make();
    const fit = await timed(() => m.fit(scaled ? ztr : tr, ytr));
    const pred = await timed(() => m.predictProba(scaled ? zte : te));
    emit({ side: 'ours', task: 'synthetic', model: name, threads, fit_s: fit.wall, fit_cpu_s: fit.cpu, predict_s: pred.wall, auc: rocAuc(yte, positive(pred.value)) });
  }
  peer(['synthetic', csv, String(threads)]);
  for (let r = 1; r <= repeat; r++) {
    // The compiled library in plain Node when built (what a user's process loads), else the sources through tsx.
    const dist = existsSync(join(root, 'dist', 'tabular', 'gbdt', 'gbdt.js'));
    const args = [join(here, 'tabular-fit.mjs'), 'gbdt', String(threads), String(rows), '2'];
    const text = execFileSync(process.execPath, dist ? args : ['--import', 'tsx', ...args], { encoding: 'utf8', cwd: root, env: { ...process.env, RECKON_LIB: dist ? 'dist' : 'src' } });
    for (const line of text.trim().split('\n')) {
      if (!line.startsWith('{')) continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      emit({ side: 'ours', task: 'synthetic-repeat', model: o['fit'] === 1 ? 'gbdt (cold)' : 'gbdt (warm)', run: r, threads, lib: dist ? 'dist' : 'src', fit_s: o['fit_s'], fit_cpu_s: o['fit_cpu_s'], auc: o['auc'] });
    }
    peer(['synthetic', csv, String(threads), 'xgboost,histgb'], { task: 'synthetic-repeat', run: r });
  }
}

function median(a: number[]): number {
  const s = [...a].sort((p, q) => p - q);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? s[h] : (s[h - 1] + s[h]) / 2;
}

async function telco(): Promise<void> {
  const file = join(dataDir, 'churn', 'WA_Fn-UseC_-Telco-Customer-Churn.csv');
  if (!existsSync(file)) {
    process.stderr.write(`tabular bench: ${file} not found (set RECKON_DATA); skipping Telco\n`);
    return;
  }
  const data = prepareTabular(await readTable(file), 'Churn');
  const fold = stratifiedFoldAssignment(data.y, 5, 0);
  const foldsFile = join(out, 'telco-folds.json');
  writeFileSync(foldsFile, JSON.stringify([...fold]));
  const splits = splitsFromAssignment(fold);
  const configs: [string, string, Record<string, unknown>][] = [
    ['logistic', 'logistic', {}],
    ['forest', 'forest', { nEstimators: 100, threads }],
    ['gbdt (xgboost settings)', 'gbdt', { nEstimators: 100, maxDepth: 6, learningRate: 0.1, threads }],
    ['gbdt (200 trees, depth 3, lr 0.05)', 'gbdt', { nEstimators: 200, maxDepth: 3, learningRate: 0.05, threads }],
  ];
  for (const [label, name, params] of configs) {
    const est = defaultPipeline(name, 'classification', data.X, params) as unknown as Estimator;
    const r = await crossValidate(est, data.X, data.y, { cv: splits, metrics: ['auc'], seed: 0 });
    const a = r.metrics['auc'];
    emit({ side: 'ours', task: 'telco', model: label, threads, auc: a.mean, auc_std: a.std, folds: a.folds, fit_s: r.fitSeconds.reduce((p, q) => p + q, 0) / r.fitSeconds.length });
  }
  peer(['telco', file, foldsFile, String(threads)]);
}

if (!args.includes('--skip-synthetic')) await synthetic();
if (!args.includes('--skip-telco')) await telco();

// Ratios measured in this run.
const get = (side: string, task: string, model: string) => results.find((r) => r.side === side && r.task === task && r.model === model);
const pairs: [string, string][] = [['logistic', 'logistic'], ['forest', 'forest'], ['gbdt', 'xgboost'], ['gbdt', 'histgb']];
for (const [ours, theirs] of pairs) {
  const a = get('ours', 'synthetic', ours);
  const b = get('peer', 'synthetic', theirs);
  if (a === undefined || b === undefined) continue;
  process.stdout.write(JSON.stringify({ ratio: `${ours} vs ${theirs}`, fit_speedup_wall: Number(b['fit_s']) / Number(a['fit_s']), fit_speedup_cpu: Number(b['fit_cpu_s']) / Number(a['fit_cpu_s']), predict_speedup: Number(b['predict_s']) / Number(a['predict_s']), auc_diff: Number(a['auc']) - Number(b['auc']) }) + '\n');
}
// --repeat: medians and minima of the fit seconds over the rounds (each side in fresh processes, alternating).
const fitsOf = (side: string, model: string): number[] => results.filter((r) => r.side === side && r.task === 'synthetic-repeat' && r.model === model).map((r) => Number(r['fit_s']));
for (const ours of ['gbdt (cold)', 'gbdt (warm)']) {
  for (const theirs of ['xgboost', 'histgb']) {
    const a = fitsOf('ours', ours);
    const b = fitsOf('peer', theirs);
    if (a.length === 0 || b.length === 0) continue;
    process.stdout.write(JSON.stringify({ ratio: `${ours} vs ${theirs}, ${a.length} rounds`, ours_median_s: median(a), peer_median_s: median(b), fit_speedup_median: median(b) / median(a), fit_speedup_min: Math.min(...b) / Math.min(...a), ours_s: a, peer_s: b }) + '\n');
  }
}
