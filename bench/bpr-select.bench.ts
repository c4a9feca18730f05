/**
 * BPR settings chosen without looking at the test split: ml-100k is split by msr-stratified-75 (Microsoft's rows,
 * file order); the training part is split again per user 75/25 (msr-stratified-75 over the training entries, seed + 1)
 * into fit / validation. For every (factors, learningRate, regularization) of the grid one model is fitted on the fit
 * part for max(epochs) epochs and scored by NDCG@10 on the validation part (full ranking, training items excluded)
 * after each epoch count of the grid (BprModel's `afterEpoch` snapshots equal shorter fits bit for bit). The setting
 * with the highest validation NDCG@10 (first in grid order on a tie) is refitted on the whole training part and
 * evaluated once on test. One JSON line per grid point, then one for the chosen setting.
 *
 *   RECKON_DATA=/work/shared/data npm run bench -- bpr-select [--seed 42] [--factors 200] [--epochs 100,200]
 *       [--lr 0.005,0.01,0.02] [--reg 0.001] [--part I/N] [--no-test]
 *
 * `--part I/N` runs only the fits whose index in grid order is I mod N (to spread a grid over processes); a part, or
 * `--no-test`, prints the validation lines only, and the choice is then made over the union of the parts' lines by
 * the same rule (bench/results/implicit.md gives the command). Prints a skip line when ml-100k is absent.
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
const list = (name: string, def: string): number[] => arg(name, def).split(',').map(Number);
const seed = Number(arg('seed', '42'));
const factorsGrid = list('factors', '200');
const epochsGrid = list('epochs', '100,200').sort((a, b) => a - b);
const lrGrid = list('lr', '0.005,0.01,0.02');
const regGrid = list('reg', '0.001');
const [partI, partN] = arg('part', '0/1').split('/').map(Number) as [number, number];
const runTest = !args.includes('--no-test') && partN === 1;
for (const v of [...factorsGrid, ...epochsGrid, ...lrGrid, ...regGrid, seed, partI, partN]) {
  if (!Number.isFinite(v)) throw new Error(`bpr-select: bad number in arguments ${args.join(' ')}`);
}
if (!(partN >= 1 && partI >= 0 && partI < partN)) throw new Error(`bpr-select: --part must be I/N with 0 <= I < N`);
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

interface Setting { factors: number; epochs: number; learningRate: number; regularization: number }
let best: (Setting & { ndcg: number }) | undefined;
let fitIndex = 0;
const wanted = new Set(epochsGrid);
const maxEpochs = epochsGrid[epochsGrid.length - 1]!;
for (const factors of factorsGrid) {
  for (const learningRate of lrGrid) {
    for (const regularization of regGrid) {
      if (fitIndex++ % partN !== partI) continue;
      const t0 = performance.now();
      await new BprModel({ factors, epochs: maxEpochs, learningRate, regularization }).fit(inner.train, {
        afterEpoch: (epochs, m) => {
          if (!wanted.has(epochs)) return;
          const r = evaluateRanking(m, inner.train, inner.test, { k: 10, diversity: false });
          const ndcg = r['ndcg@10']!;
          emit({ what: 'validation', factors, epochs, learningRate, regularization, validNdcg10: ndcg, validPrecision10: r['precision@10'], secondsSinceFitStart: (performance.now() - t0) / 1000 });
          if (best === undefined || ndcg > best.ndcg) best = { factors, epochs, learningRate, regularization, ndcg };
        },
      });
    }
  }
}
if (runTest && best !== undefined) {
  const t0 = performance.now();
  const { factors, epochs, learningRate, regularization } = best;
  const m = await new BprModel({ factors, epochs, learningRate, regularization }).fit(outer.train);
  const r = evaluateRanking(m, outer.train, outer.test, { k: 10 });
  emit({ what: 'test, chosen on validation', factors, epochs, learningRate, regularization, validNdcg10: best.ndcg, ...r, fitAndEvalSeconds: (performance.now() - t0) / 1000 });
} else if (best !== undefined) {
  emit({ what: 'best of this part on validation (no test run)', ...best });
}
