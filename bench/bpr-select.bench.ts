/**
 * BPR settings chosen without looking at the test split: ml-100k is split by msr-stratified-75 (Microsoft's rows,
 * file order); the training part is split again per user 75/25 (msr-stratified-75 over the training entries, seed + 1)
 * into fit / validation; every (epochs, learningRate) of the grid is fitted on the fit part and scored by NDCG@10 on
 * the validation part (full ranking, training items excluded); the best is refitted on the whole training part and
 * evaluated once on test. One JSON line per grid point, then one for the chosen setting.
 *
 *   RECKON_DATA=/work/shared/data npm run bench -- bpr-select [--seed 42] [--epochs 100,200] [--lr 0.005,0.01,0.02]
 *
 * Prints a skip line when ml-100k is absent.
 */
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { movieLensRatingsFile, ratingsRowOrder, readRatings } from '../src/data/movielens.js';
import { splitByProtocol } from '../src/eval/protocols.js';
import { evaluateRanking } from '../src/eval/ranking-eval.js';
import { BprModel } from '../src/recommenders/implicit/bpr.js';

const args = process.argv.slice(2);
const arg = (name: string, def: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : def;
};
const seed = Number(arg('seed', '42'));
const epochsGrid = arg('epochs', '100,200').split(',').map(Number);
const lrGrid = arg('lr', '0.005,0.01,0.02').split(',').map(Number);
const dataDir = join(process.env['RECKON_DATA'] ?? '/work/shared/data', 'ml-100k');

function emit(o: Record<string, unknown>): void {
  const cpu = process.cpuUsage();
  process.stdout.write(JSON.stringify({ bench: 'bpr-select', data: 'ml-100k', seed, ...o, processCpuSeconds: (cpu.user + cpu.system) / 1e6, load1m: loadavg()[0], date: new Date().toISOString() }) + '\n');
}

if (!existsSync(join(dataDir, 'u.data'))) {
  emit({ skipped: `no ${join(dataDir, 'u.data')}` });
  process.exit(0);
}

const file = movieLensRatingsFile(dataDir, 'ml-100k');
const data = await readRatings(file, { format: 'ml-100k' });
const outer = splitByProtocol('msr-stratified-75', data, seed, { rowOrder: await ratingsRowOrder(file, 'ml-100k', data) });
const inner = splitByProtocol('msr-stratified-75', outer.train, seed + 1);

let best: { epochs: number; learningRate: number; ndcg: number } | undefined;
for (const epochs of epochsGrid) {
  for (const learningRate of lrGrid) {
    const t0 = performance.now();
    const m = await new BprModel({ epochs, learningRate }).fit(inner.train);
    const r = evaluateRanking(m, inner.train, inner.test, { k: 10, diversity: false });
    const ndcg = r['ndcg@10']!;
    emit({ what: 'validation', epochs, learningRate, validNdcg10: ndcg, validPrecision10: r['precision@10'], fitAndEvalSeconds: (performance.now() - t0) / 1000 });
    if (best === undefined || ndcg > best.ndcg) best = { epochs, learningRate, ndcg };
  }
}
const t0 = performance.now();
const m = await new BprModel({ epochs: best!.epochs, learningRate: best!.learningRate }).fit(outer.train);
const r = evaluateRanking(m, outer.train, outer.test, { k: 10 });
emit({ what: 'test, chosen on validation', epochs: best!.epochs, learningRate: best!.learningRate, validNdcg10: best!.ndcg, ...r, fitAndEvalSeconds: (performance.now() - t0) / 1000 });
