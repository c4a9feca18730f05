/**
 * Explicit ratings on MovieLens-100k, Surprise's protocol: 5-fold CV (shuffled, seeded), default params, RMSE/MAE,
 * total seconds = fit + test over all folds (data loading excluded). One JSON line per algorithm, with the ratio
 * against Surprise 1.1.4's time for the same run measured on this kind of machine (../shared/reference/peers.md;
 * Surprise cannot be installed here — no Cython build / pip — so its figures are taken from that page).
 *
 * When other jobs share the machine, wall time is inflated: `cpuSeconds` (this process's CPU time, all threads) and
 * `loadAverage1m` are printed too.
 *
 * Usage: npm run bench -- explicit [--algos svd,svdpp] [--workers N] [--best] [--seed N]
 *   --workers N  also run every algorithm with folds on a warmed-up pool of N worker threads
 *   --best       also run the tuned models and the blend (slow: several minutes)
 * Data: $RECKON_DATA/ml-100k (default ../shared/data relative to the repo root).
 */
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readRatingData } from '../src/cli/commands/rating-data.js';
import { crossValidateBlend } from '../src/eval/blend.js';
import { WorkerPool } from '../src/core/pool.js';
import { crossValidate } from '../src/eval/cv.js';
import '../src/recommenders/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(process.env['RECKON_DATA'] ?? resolve(root, '../shared/data'), 'ml-100k');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seed = Number(flag('--seed') ?? 0);
const workers = Number(flag('--workers') ?? 1);

/** Surprise 1.1.4 on ml-100k, 5-fold, measured on this machine kind (peers.md): RMSE, MAE, total seconds. */
const SURPRISE: Record<string, { label: string; rmse: number; mae: number; seconds: number; params?: Record<string, unknown> }> = {
  normal: { label: 'NormalPredictor', rmse: 1.5211, mae: 1.2202, seconds: 0.7 },
  baseline: { label: 'BaselineOnly (ALS)', rmse: 0.944, mae: 0.7484, seconds: 0.8 },
  svd: { label: 'SVD', rmse: 0.9344, mae: 0.7367, seconds: 4.8 },
  svdpp: { label: 'SVD++', rmse: 0.9187, mae: 0.7206, seconds: 96.6 },
  nmf: { label: 'NMF', rmse: 0.9634, mae: 0.758, seconds: 8.5 },
  'slope-one': { label: 'SlopeOne', rmse: 0.9459, mae: 0.7434, seconds: 13.1 },
  'co-clustering': { label: 'CoClustering', rmse: 0.9626, mae: 0.7532, seconds: 6.7 },
  'knn-basic': { label: 'KNNBasic (user, msd)', rmse: 0.9797, mae: 0.7736, seconds: 9.7 },
  'knn-means': { label: 'KNNWithMeans (user, msd)', rmse: 0.9511, mae: 0.7495, seconds: 10.4 },
  'knn-baseline': { label: 'KNNBaseline (user, msd)', rmse: 0.9307, mae: 0.7332, seconds: 10.8 },
  'knn-baseline-item': { label: 'KNNBaseline (item, pearson_baseline)', rmse: 0.9176, mae: 0.7196, seconds: 15.6, params: { userBased: false, similarity: 'pearson_baseline' } },
};
/** Surprise's published ml-100k RMSE (README) that the targets are based on; target = published + 0.003. */
const PUBLISHED: Record<string, number> = { baseline: 0.944, svd: 0.934, svdpp: 0.919, nmf: 0.963, 'slope-one': 0.946, 'knn-basic': 0.98, 'knn-means': 0.951, 'knn-baseline': 0.931, 'co-clustering': 0.963, normal: 1.52 };

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'explicit', data: 'ml-100k', folds: 5, seed, ...o, cpus: availableParallelism(), node: process.version, date: new Date().toISOString() }) + '\n');
}

const { data } = await readRatingData(dataDir, 'ml-100k');
const scale = { ratingMin: 1, ratingMax: 5 };
const chosen = (flag('--algos') ?? Object.keys(SURPRISE).concat('knn-zscore').join(',')).split(',');

async function run(key: string, w: number): Promise<void> {
  const peer = SURPRISE[key];
  const algo = key === 'knn-baseline-item' ? 'knn-baseline' : key;
  const params = { ...scale, ...(peer?.params ?? {}) };
  const load = loadavg()[0];
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await crossValidate(algo, params, data, w > 1 && pool !== undefined ? { cv: 5, seed, pool } : { cv: 5, seed });
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0);
  const fitTest = r.fitSeconds.folds.reduce((a, b) => a + b, 0) + r.testSeconds.folds.reduce((a, b) => a + b, 0);
  // with workers, fold times overlap: the run's cost is the wall time
  const total = w > 1 ? wall : fitTest;
  const rmse = r.metrics['rmse']!.mean;
  const published = key === 'knn-baseline-item' ? undefined : PUBLISHED[key];
  emit({
    algo: key,
    params: peer?.params ?? {},
    workers: w,
    rmse,
    rmseStd: r.metrics['rmse']!.std,
    mae: r.metrics['mae']!.mean,
    fitSecondsPerFold: r.fitSeconds.mean,
    testSecondsPerFold: r.testSeconds.mean,
    totalSeconds: total,
    wallSeconds: wall,
    // CPU seconds of this process (all threads): the cost of the run when other jobs share the cores
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    loadAverage1m: load,
    speedupByCpu: peer === undefined ? null : peer.seconds / ((cpu.user + cpu.system) / 1e6),
    surprise: peer === undefined ? null : { rmse: peer.rmse, mae: peer.mae, totalSeconds: peer.seconds },
    speedup: peer === undefined ? null : peer.seconds / total,
    target: published === undefined ? null : published + 0.003,
    meetsTarget: published === undefined ? null : rmse <= published + 0.003,
  });
}

// a pool started once and warmed up (its threads load the models' modules), as a long-lived process would keep it
const pool = workers > 1 ? new WorkerPool({ size: workers }) : undefined;
if (pool !== undefined) await crossValidate('baseline', scale, data, { cv: 5, seed, pool });

for (const key of chosen) {
  await run(key, 1);
  if (workers > 1) await run(key, workers);
}

if (argv.includes('--best')) {
  const tuned: Array<{ algo: string; params: Record<string, unknown> }> = [
    { algo: 'svd', params: { factors: 200, epochs: 80, learningRate: 0.005, regularization: 0.1 } },
    { algo: 'svdpp', params: { epochs: 40, learningRate: 0.005, regularization: 0.05 } },
    { algo: 'knn-baseline', params: { userBased: false, similarity: 'pearson_baseline', k: 60 } },
    { algo: 'knn-baseline', params: { similarity: 'pearson_baseline' } },
  ];
  for (const t of tuned) {
    const r = await crossValidate(t.algo, { ...scale, ...t.params }, data, pool !== undefined ? { cv: 5, seed, pool } : { cv: 5, seed });
    emit({ algo: `${t.algo} (tuned)`, params: t.params, rmse: r.metrics['rmse']!.mean, mae: r.metrics['mae']!.mean, fitSecondsPerFold: r.fitSeconds.mean });
  }
  const t0 = performance.now();
  if (pool !== undefined) await pool.close();
  const b = await crossValidateBlend(tuned.map((t) => ({ algo: t.algo, params: { ...scale, ...t.params } })), data, { cv: 5, seed, scale: [1, 5] });
  emit({ algo: 'blend', members: tuned, rmse: b.metrics['rmse']!.mean, rmseFolds: b.metrics['rmse']!.folds, mae: b.metrics['mae']!.mean, weightsFold1: b.weights[0], totalSeconds: (performance.now() - t0) / 1000 });
}
if (pool !== undefined && !pool.isClosed) await pool.close();
