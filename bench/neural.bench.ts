/**
 * Neural recommenders on MovieLens-100k: NDCG@10 and hit@10 under `leave-last-1` (chronological leave-one-out, full
 * ranking) for every model, beside popularity, ItemKNN and EASE fitted and evaluated in the same run on the same
 * split; NeuMF also under `msr-stratified-75` beside the published NCF NDCG@10 0.396 (Microsoft Recommenders
 * benchmark). Time per epoch and total fit seconds; epochs are capped (see --epochs) so a run takes minutes.
 *
 * Item cold start (--cold): 10% of the items (seeded) lose all their interactions in training; the two-tower model
 * (features: title words/bigrams, genres, year) ranks only those cold items for every user who rated one, against
 * a seeded random ranking of the same candidates.
 *
 * Usage: npm run bench -- neural [--algos sasrec,gru4rec,neumf,...] [--epochs N] [--seed N] [--msr] [--only-msr] [--cold] [--set key=value]
 * Data: $RECKON_DATA/ml-100k (default ../shared/data relative to the repo root).
 */
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMovieLens, movieLensRatingsFile, ratingsRowOrder } from '../src/data/movielens.js';
import { splitByProtocol } from '../src/eval/protocols.js';
import { evaluateRanking } from '../src/eval/ranking-eval.js';
import { getAlgorithm } from '../src/recommenders/registry.js';
import type { Interactions } from '../src/data/interactions.js';
import type { RankingEvaluable } from '../src/eval/ranking-eval.js';
import { Rng } from '../src/core/rng.js';
import { topK } from '../src/core/topk.js';
import { emptyScores, userRankingScores } from '../src/eval/ranking.js';
import { TwoTowerModel } from '../src/recommenders/neural/two-tower.js';
import type { SideFeatures } from '../src/recommenders/neural/features.js';
import '../src/recommenders/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(process.env['RECKON_DATA'] ?? resolve(root, '../shared/data'), 'ml-100k');
const argv = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const seed = Number(flag('--seed') ?? 42);
const epochCap = flag('--epochs');
/** `--set key=value` (repeatable): params applied to every neural model of the run (after BENCH_PARAMS). */
const overrides: Record<string, unknown> = {};
for (let a = 0; a < argv.length; a++) {
  if (argv[a] !== '--set') continue;
  const [k, v] = (argv[a + 1] ?? '').split('=');
  if (k !== undefined && v !== undefined) overrides[k] = v === 'true' ? true : v === 'false' ? false : Number(v);
}
const chosen = (flag('--algos') ?? 'popular,item-knn,ease,gru4rec,sasrec,gmf,mlp,neumf').split(',');

/**
 * Per-model settings of this bench (a loaded 2-core machine allows only a few epochs): a larger Adam step than the
 * papers' 1e-3 so the capped epochs get far; everything else at the defaults.
 */
const BENCH_PARAMS: Record<string, Record<string, unknown>> = {
  'two-tower': { epochs: 15, patience: 3 },
  sasrec: { learningRate: 0.005, epochs: 8, patience: 2 },
  gru4rec: { learningRate: 0.005, epochs: 8, patience: 2 },
  gmf: { epochs: 10, patience: 2 },
  mlp: { epochs: 10, patience: 2 },
  neumf: { epochs: 10, patience: 2 },
};

/** Published NCF (NeuMF) NDCG@10 on ml-100k, Microsoft Recommenders benchmark, msr-stratified-75 split. */
const PUBLISHED_NCF_NDCG = 0.396;

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ bench: 'neural', data: 'ml-100k', seed, ...o, processCpuSeconds: process.cpuUsage().user / 1e6, load1m: loadavg()[0], cpus: availableParallelism(), node: process.version, date: new Date().toISOString() }) + '\n');
}

const { ratings, items: movies } = await loadMovieLens(dataDir, 'ml-100k');
// file row order, so the msr-* protocols hold out the rows Microsoft Recommenders' splitters hold out
const rowOrder = await ratingsRowOrder(movieLensRatingsFile(dataDir, 'ml-100k'), 'ml-100k', ratings);
const movieFeatures: SideFeatures = {
  ids: movies.map((m) => m.id),
  text: movies.map((m) => m.title.replace(/\(\d{4}\)\s*$/, '')),
  categorical: movies.map((m) => m.genres),
  numeric: { data: Float64Array.from(movies.map((m) => m.year ?? NaN)), cols: 1 },
};

async function run(algo: string, protocol: string, params: Record<string, unknown>): Promise<void> {
  const split = splitByProtocol(protocol, ratings, seed, { rowOrder });
  const entry = getAlgorithm(algo, 'ranking');
  const p: Record<string, unknown> = { ...params };
  if (epochCap !== undefined && 'epochs' in entry.specs) p['epochs'] = Number(epochCap);
  if ('patience' in entry.specs) Object.assign(p, overrides);
  const model = entry.create(p);
  if (model instanceof TwoTowerModel) model.withFeatures(movieFeatures);
  const t0 = performance.now();
  await model.fit(split.train as Interactions, {
    seed,
    onProgress: (e) => {
      if (e.step === 'epoch') process.stderr.write(`${algo} epoch ${e.done}/${e.total} ${JSON.stringify(e.metrics)} ${((performance.now() - t0) / 1000).toFixed(1)}s\n`);
    },
  });
  const fitSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const report = evaluateRanking(model as unknown as RankingEvaluable, split.train, split.test, { k: 10, diversity: false });
  const evalSeconds = (performance.now() - t1) / 1000;
  const curve = (model as { learningCurve?: { epoch: number; loss: number; ndcg: number; seconds: number }[] }).learningCurve;
  const epochs = curve?.length;
  const o: Record<string, unknown> = {
    algo,
    protocol,
    params: model.getParams(),
    'ndcg@10': report['ndcg@10'],
    'hit@10': report['hit@10'],
    'recall@10': report['recall@10'],
    users: report['users'],
    fitSeconds,
    evalSeconds,
  };
  if (curve !== undefined) {
    o['epochsRun'] = epochs;
    o['bestEpoch'] = (model as { bestEpoch?: number }).bestEpoch;
    o['secondsPerEpoch'] = curve.reduce((s, r) => s + r.seconds, 0) / Math.max(1, curve.length);
    o['curve'] = curve.map((r) => [r.epoch, Number(r.loss.toFixed(4)), Number.isNaN(r.ndcg) ? null : Number(r.ndcg.toFixed(4))]);
  }
  if (protocol === 'msr-stratified-75') o['publishedNcfNdcg'] = PUBLISHED_NCF_NDCG;
  emit(o);
}

if (!argv.includes('--only-msr')) for (const algo of chosen) await run(algo, 'leave-last-1', BENCH_PARAMS[algo] ?? {});
if (argv.includes('--msr')) {
  for (const algo of ['popular', 'ease', 'gmf', 'mlp', 'neumf']) if (chosen.includes(algo)) await run(algo, 'msr-stratified-75', BENCH_PARAMS[algo] ?? {});
}

/** Item cold start: see the module doc. */
async function coldStart(): Promise<void> {
  const rng = new Rng(seed);
  const nI = ratings.nItems;
  const coldList = rng.sampleWithoutReplacement(nI, Math.round(0.1 * nI)).sort();
  const isCold = new Uint8Array(nI);
  for (const i of coldList) isCold[i] = 1;
  const trainMask = new Uint8Array(ratings.nnz);
  for (let p = 0; p < ratings.nnz; p++) trainMask[p] = isCold[ratings.indices[p]!] ? 0 : 1;
  const train = ratings.selectEntries(trainMask);
  const test = ratings.selectEntries(trainMask.map((v) => 1 - v));
  const p: Record<string, unknown> = { ...BENCH_PARAMS['two-tower'] };
  if (epochCap !== undefined) p['epochs'] = Number(epochCap);
  const model = new TwoTowerModel(p).withFeatures(movieFeatures);
  const t0 = performance.now();
  await model.fit(train, { seed });
  const fitSeconds = (performance.now() - t0) / 1000;
  const scores = new Float32Array(nI);
  const coldScores = new Float32Array(coldList.length);
  const s = emptyScores();
  const sums = { model: { ndcg: 0, hit: 0 }, random: { ndcg: 0, hit: 0 } };
  let users = 0;
  const rand = new Rng(seed + 1);
  for (let u = 0; u < ratings.nUsers; u++) {
    if (test.rowLength(u) === 0 || train.rowLength(u) === 0) continue;
    users++;
    const rel = test.rowIndices(u);
    model.scoreInto(u, scores);
    for (let c = 0; c < coldList.length; c++) coldScores[c] = scores[coldList[c]!]!;
    for (const which of ['model', 'random'] as const) {
      if (which === 'random') for (let c = 0; c < coldList.length; c++) coldScores[c] = rand.float();
      const top = topK(coldScores, 10);
      const rec = new Int32Array(10).fill(-1);
      for (let r = 0; r < top.indices.length; r++) rec[r] = coldList[top.indices[r]!]!;
      userRankingScores(rec, 0, 10, rel, s);
      sums[which].ndcg += s.ndcg;
      sums[which].hit += s.hits > 0 ? 1 : 0;
    }
  }
  emit({
    algo: 'two-tower',
    protocol: 'cold-items-10pct',
    coldItems: coldList.length,
    users,
    'ndcg@10': sums.model.ndcg / users,
    'hit@10': sums.model.hit / users,
    'random ndcg@10': sums.random.ndcg / users,
    'random hit@10': sums.random.hit / users,
    fitSeconds,
    epochsRun: model.learningCurve.length,
  });
}

if (argv.includes('--cold')) await coldStart();
