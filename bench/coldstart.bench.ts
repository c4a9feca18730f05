/**
 * Item cold start on ml-100k with item metadata (u.item titles, genres, year). Positives = ratings >= 4 (binary).
 * 10% of the items with a positive are held out entirely from training (seeded); the remaining positives are split
 * 80/20 at random (seeded) into train and warm test.
 *
 * - cold NDCG@10: for each user with a positive on a held-out item, rank the held-out items only;
 * - warm NDCG@10: for each user with a warm test positive, rank the warm items (those with a training positive),
 *   training positives excluded.
 *
 * NDCG@10 is computed by a small local function (binary relevance, ideal DCG over min(10, #relevant)); the project's
 * src/eval/ranking.ts was not on main when this was written.
 *
 * Also fitted: the registered implicit CF models (ease, als, item-knn, user-knn, bpr, sar) by name, and the hybrid
 * with cf = ease; a summary line per weighted hybrid compares its warm NDCG@10 with the best pure CF model.
 *
 * Run: npm run bench -- coldstart [--seed N]
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Recommender, Scored } from '../src/core/model.js';
import { Rng } from '../src/core/rng.js';
import { Interactions } from '../src/data/interactions.js';
import { loadMovieLens } from '../src/data/movielens.js';
import { ContentRecommender } from '../src/recommenders/content/content.js';
import { HybridRecommender } from '../src/recommenders/content/hybrid.js';
import { LightFMRecommender } from '../src/recommenders/content/lightfm.js';
import type { ItemCatalog } from '../src/text/profiles.js';
import '../src/recommenders/implicit/registry.js';
import { getAlgorithm } from '../src/recommenders/registry.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const dataDir = resolve(process.env['RECKON_DATA'] ?? join(here, '..', '..', 'shared', 'data'));
const argv = process.argv.slice(2);
const seedAt = argv.indexOf('--seed');
const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : 42;

const ml = await loadMovieLens(join(dataDir, 'ml-100k'), 'ml-100k');
const R = ml.ratings;
const catalog: ItemCatalog = {
  ids: ml.items.map((m) => m.id),
  titles: ml.items.map((m) => m.title),
  text: { title: ml.items.map((m) => m.title.replace(/\(\d{4}\)\s*$/, '')) },
  categorical: { genres: ml.items.map((m) => m.genres.filter((g) => g !== 'unknown')) },
  numeric: { year: Float64Array.from(ml.items, (m) => m.year ?? NaN) },
};

// positives
const pu: string[] = [];
const pi: string[] = [];
for (let u = 0; u < R.nUsers; u++) {
  for (let p = R.indptr[u]!; p < R.indptr[u + 1]!; p++) {
    if (R.values[p]! >= 4) {
      pu.push(R.users.idAt(u));
      pi.push(R.items.idAt(R.indices[p]!));
    }
  }
}
const rng = new Rng(seed);
const posItems = [...new Set(pi)].sort();
rng.shuffle(posItems);
const cold = new Set(posItems.slice(0, Math.round(posItems.length * 0.1)));
const coldItems = catalog.ids.filter((id) => cold.has(id));
const trU: string[] = [];
const trI: string[] = [];
const coldTest = new Map<string, Set<string>>();
const warmTest = new Map<string, Set<string>>();
const add = (m: Map<string, Set<string>>, u: string, i: string) => {
  let s = m.get(u);
  if (s === undefined) m.set(u, (s = new Set()));
  s.add(i);
};
for (let k = 0; k < pu.length; k++) {
  if (cold.has(pi[k]!)) add(coldTest, pu[k]!, pi[k]!);
  else if (rng.uniform() < 0.2) add(warmTest, pu[k]!, pi[k]!);
  else {
    trU.push(pu[k]!);
    trI.push(pi[k]!);
  }
}
const train = Interactions.fromRaw(trU, trI, new Float32Array(trU.length).fill(1));
// warm items: those with a training positive (items whose ratings are all below 4 and that were not held out are in
// neither candidate list: to a model trained on positives they are indistinguishable from new items)
const warmItems = catalog.ids.filter((id) => train.items.has(id));

function ndcg10(recs: Scored[], rel: Set<string>): number {
  let dcg = 0;
  for (let m = 0; m < recs.length; m++) if (rel.has(recs[m]!.id)) dcg += 1 / Math.log2(m + 2);
  let idcg = 0;
  for (let m = 0; m < Math.min(10, rel.size); m++) idcg += 1 / Math.log2(m + 2);
  return dcg / idcg;
}

function evaluate(model: Recommender, test: Map<string, Set<string>>, candidates: string[]): number {
  let s = 0;
  for (const [u, rel] of test) s += ndcg10(model.recommend(u, 10, { candidates }), rel);
  return s / test.size;
}

/**
 * Popularity: training counts. Cold items have none, so ties decide: `popularity` breaks them at random (seeded);
 * `popularity (ties by id)` by catalog position, which on ml-100k leaks popularity (low ids are the popular films).
 */
const tieRng = new Rng(seed + 1);
const tie = new Map(catalog.ids.map((id) => [id, tieRng.uniform()]));
const counts = new Map<string, number>();
for (const i of trI) counts.set(i, (counts.get(i) ?? 0) + 1);
const seenBy = new Map<string, Set<string>>();
for (let k = 0; k < trU.length; k++) add(seenBy, trU[k]!, trI[k]!);
function popularityModel(byId: boolean): Recommender {
  return {
    recommend(user, k, opts = {}) {
      const seen = seenBy.get(user) ?? new Set<string>();
      return (opts.candidates ?? catalog.ids)
        .filter((id) => !seen.has(id))
        .map((id, n) => ({ id, score: (counts.get(id) ?? 0) + (byId ? -n * 1e-9 : tie.get(id)! * 1e-3) }))
        .sort((a, b) => b.score - a.score)
        .slice(0, k);
    },
  };
}

type Fitted = { name: string; model: Recommender; fitS: number; note?: string };
const models: Fitted[] = [
  { name: 'popularity', model: popularityModel(false), fitS: 0, note: 'ties (all cold items) broken at random' },
  { name: 'popularity (ties by id)', model: popularityModel(true), fitS: 0, note: 'ties broken by catalog position: leaks ml-100k id order' },
];
async function fitModel(name: string, make: () => { fit(d: Interactions, o?: { seed?: number }): Promise<Recommender> }, note?: string): Promise<void> {
  const t = performance.now();
  const model = await make().fit(train, { seed });
  const entry: Fitted = { name, model, fitS: (performance.now() - t) / 1000 };
  if (note !== undefined) entry.note = note;
  models.push(entry);
}
await fitModel('item-item CF (cosine, 20 neighbours)', () => new HybridRecommender({ alpha: 1, coldAlpha: 1, coldNeighbours: 0, neighbours: 20 }).setItemFeatures(catalog), 'pure CF: cold items score 0');
// registered implicit CF models (src/recommenders/implicit): pure CF, they never saw the cold items (cold NDCG 0)
const implicitCf: [string, Record<string, unknown>][] = [
  ['ease', {}],
  ['als', { alpha: 2, regularization: 50, factors: 64, seed }],
  ['item-knn', {}],
  ['user-knn', {}],
  ['bpr', { seed }],
  ['sar', { timeDecay: false }],
];
const cfNames: string[] = ['item-item CF (cosine, 20 neighbours)'];
for (const [name, params] of implicitCf) {
  const label = `${name} ${JSON.stringify(params)}`;
  cfNames.push(label);
  await fitModel(label, () => getAlgorithm(name, 'ranking').create(params), 'pure CF (registered implicit model): cold items unknown to it');
}
await fitModel('content', () => new ContentRecommender().setItemFeatures(catalog));
await fitModel('hybrid weighted (alpha tuned)', () => new HybridRecommender({ seed }).setItemFeatures(catalog));
if (process.env['COLD_DEBUG']) {
  for (const ca of [0, 0.5, 1]) await fitModel(`hybrid alpha 0.7 coldAlpha ${ca}`, () => new HybridRecommender({ alpha: 0.7, coldAlpha: ca }).setItemFeatures(catalog));
}
await fitModel('hybrid weighted cf=ease (alpha tuned)', () => new HybridRecommender({ cf: 'ease', seed }).setItemFeatures(catalog));
await fitModel('hybrid switching (n = 5)', () => new HybridRecommender({ mode: 'switching', minInteractions: 5 }).setItemFeatures(catalog));
await fitModel('lightfm warp', () => new LightFMRecommender({ seed }).setItemFeatures(catalog));
await fitModel('lightfm bpr', () => new LightFMRecommender({ loss: 'bpr', seed }).setItemFeatures(catalog));

const warmScores = new Map<string, number>();
for (const m of models) {
  const line: Record<string, unknown> = {
    bench: 'coldstart',
    data: 'ml-100k',
    seed,
    model: m.name,
    fit_s: +m.fitS.toFixed(3),
    cold_items: coldItems.length,
    cold_users: coldTest.size,
    ndcg10_cold: +evaluate(m.model, coldTest, coldItems).toFixed(4),
    warm_users: warmTest.size,
    ndcg10_warm: +evaluate(m.model, warmTest, warmItems).toFixed(4),
  };
  if (m.model instanceof HybridRecommender && m.name.startsWith('hybrid weighted')) Object.assign(line, { alpha: m.model.alpha, cold_alpha: m.model.coldAlpha, validation: m.model.validationCurve.map((c) => [c.alpha, +c.ndcg.toFixed(4), +c.ndcgCold.toFixed(4)]) });
  if (m.note !== undefined) line['note'] = m.note;
  warmScores.set(m.name, line['ndcg10_warm'] as number);
  process.stdout.write(JSON.stringify(line) + '\n');
}
// the "done when" line: the hybrid's warm NDCG@10 against the best pure CF model
let bestCf = cfNames[0]!;
for (const n of cfNames) if ((warmScores.get(n) ?? -1) > (warmScores.get(bestCf) ?? -1)) bestCf = n;
for (const m of models) {
  if (!m.name.startsWith('hybrid weighted')) continue;
  const h = warmScores.get(m.name)!;
  const b = warmScores.get(bestCf)!;
  const rel = (h - b) / b;
  process.stdout.write(JSON.stringify({ bench: 'coldstart', seed, summary: 'warm vs best pure CF', hybrid: m.name, hybrid_ndcg10_warm: h, best_cf: bestCf, best_cf_ndcg10_warm: b, relative: +rel.toFixed(4), within_2pct: rel >= -0.02 }) + '\n');
}
process.exit(0);
