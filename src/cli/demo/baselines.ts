import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';

/**
 * The demo's own tiny baselines, used until real models are registered: a user/item bias model (Koren 2010,
 * "Factor in the neighbors", eq. 2; fitted by alternating least squares as Surprise's BaselineOnly does) and a
 * popularity ranker, with the metrics to score them. Train and test must share id maps (the splits guarantee it).
 */

/** Rating model r^ = mu + b_u + b_i, clipped to the scale. */
export interface BiasModel {
  mu: number;
  userBias: Float64Array;
  itemBias: Float64Array;
}

/**
 * Alternating least squares on the biases (Surprise BaselineOnly's 'als'): per epoch
 * b_i = sum_{u in R(i)} (r_ui - mu - b_u) / (regItem + |R(i)|), then
 * b_u = sum_{i in R(u)} (r_ui - mu - b_i) / (regUser + |R(u)|). O(epochs x nnz).
 */
export function fitBiasBaseline(train: Interactions, opts: { epochs?: number; regUser?: number; regItem?: number } = {}): BiasModel {
  const epochs = opts.epochs ?? 10;
  const regU = opts.regUser ?? 15;
  const regI = opts.regItem ?? 10;
  const mu = train.nnz === 0 ? 0 : train.meanValue();
  const bu = new Float64Array(train.nUsers);
  const bi = new Float64Array(train.nItems);
  const csc = train.csc();
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < train.nItems; i++) {
      let s = 0;
      for (let k = csc.indptr[i]!; k < csc.indptr[i + 1]!; k++) s += csc.values[k]! - mu - bu[csc.indices[k]!]!;
      bi[i] = s / (regI + csc.indptr[i + 1]! - csc.indptr[i]!);
    }
    for (let u = 0; u < train.nUsers; u++) {
      let s = 0;
      for (let k = train.indptr[u]!; k < train.indptr[u + 1]!; k++) s += train.values[k]! - mu - bi[train.indices[k]!]!;
      bu[u] = s / (regU + train.indptr[u + 1]! - train.indptr[u]!);
    }
  }
  return { mu, userBias: bu, itemBias: bi };
}

/** RMSE and MAE of a bias model (with `useBiases` false: the global mean alone) on every test entry, clipped to [lo, hi]. */
export function scoreRatings(m: BiasModel, test: Interactions, lo: number, hi: number, useBiases = true): { rmse: number; mae: number } {
  let se = 0;
  let ae = 0;
  for (let u = 0; u < test.nUsers; u++) {
    for (let k = test.indptr[u]!; k < test.indptr[u + 1]!; k++) {
      let p = useBiases ? m.mu + m.userBias[u]! + m.itemBias[test.indices[k]!]! : m.mu;
      p = p < lo ? lo : p > hi ? hi : p;
      const d = test.values[k]! - p;
      se += d * d;
      ae += Math.abs(d);
    }
  }
  const n = test.nnz;
  return n === 0 ? { rmse: NaN, mae: NaN } : { rmse: Math.sqrt(se / n), mae: ae / n };
}

/** Popularity scores: the number of training users per item. */
export function popularityScores(train: Interactions): Float64Array {
  const c = train.itemCounts();
  return Float64Array.from(c);
}

/** Mean top-k figures over users with at least one test item (Microsoft Recommenders' definitions). */
export interface RankingScores {
  users: number;
  hitRate: number;
  precision: number;
  recall: number;
  ndcg: number;
}

/**
 * Mean top-k figures over the users with test items: `topOf(u)` returns user u's list (item indices, best first, at
 * most k). Hit rate, precision@k = hits / k, recall@k = hits / |test|, NDCG@k with binary gains.
 */
export function scoreTopLists(topOf: (u: number) => Int32Array, test: Interactions, k: number): RankingScores {
  let users = 0;
  let hit = 0;
  let prec = 0;
  let rec = 0;
  let ndcg = 0;
  for (let u = 0; u < test.nUsers; u++) {
    const rel = test.rowIndices(u);
    if (rel.length === 0) continue;
    users++;
    const top = topOf(u);
    let hits = 0;
    let dcg = 0;
    for (let r = 0; r < Math.min(k, top.length); r++) {
      if (contains(rel, top[r]!)) {
        hits++;
        dcg += 1 / Math.log2(r + 2);
      }
    }
    let idcg = 0;
    for (let r = 0; r < Math.min(k, rel.length); r++) idcg += 1 / Math.log2(r + 2);
    if (hits > 0) hit++;
    prec += hits / k;
    rec += hits / rel.length;
    ndcg += dcg / idcg;
  }
  const d = Math.max(users, 1);
  return { users, hitRate: hit / d, precision: prec / d, recall: rec / d, ndcg: ndcg / d };
}

/** Scores one global ranking (the same `scores` for every user) with each user's training items excluded. */
export function scoreRanking(scores: Float64Array, train: Interactions, test: Interactions, k: number): RankingScores {
  return scoreTopLists((u) => topK(scores, k, train.rowIndices(u)).indices, test, k);
}

function contains(sorted: Int32Array, x: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const m = (lo + hi) >> 1;
    const v = sorted[m]!;
    if (v === x) return true;
    if (v < x) lo = m + 1;
    else hi = m - 1;
  }
  return false;
}
