/**
 * Ranking metrics over top-k lists of item indices, with binary relevance (an item is relevant when it is in the
 * user's test set). Definitions follow the Microsoft Recommenders python_evaluation module, so figures compare with
 * its published tables:
 * - precision@k = hits / k (k, not the list length);
 * - recall@k = hits / |relevant|;
 * - NDCG@k = DCG / IDCG with DCG = sum over hit ranks r (1-based) of 1 / log2(r + 1), IDCG over min(k, |relevant|);
 * - AP@k = sum over hit ranks r of (hits up to r) / r, divided by min(k, |relevant|) (MAP@k is its user mean; as
 *   python_evaluation `map_at_k` today); `apRelevant` divides the same sum by |relevant| instead (python_evaluation
 *   `map`, which was its `map_at_k` up to 2023 and is the MAP of the published benchmark tables);
 * - reciprocal rank = 1 / rank of the first hit within the top k (0 when none); hit = 1 when any hit.
 * All per-user functions take the list (`rec`, entries -1 = padding), its usable length and the ascending relevant
 * indices; they allocate nothing.
 */

import type { TopKBatch } from '../core/topk.js';
export type { TopKBatch } from '../core/topk.js';

import { containsSorted } from '../core/sorted.js';
export { containsSorted } from '../core/sorted.js';

/** The per-user figures at cut-off k. */
export interface UserRankingScores {
  hits: number;
  precision: number;
  recall: number;
  ndcg: number;
  ap: number;
  /** The AP sum divided by |relevant| (Microsoft Recommenders' `map`). */
  apRelevant: number;
  rr: number;
}

/**
 * All per-user metrics in one pass over `rec[offset..offset+k)` (padding -1 ends the list). `out` is filled and
 * returned (reuse one object per evaluation to avoid allocation). Relevant must be non-empty.
 */
export function userRankingScores(rec: Int32Array, offset: number, k: number, relevant: Int32Array, out: UserRankingScores): UserRankingScores {
  let hits = 0;
  let dcg = 0;
  let apSum = 0;
  let rr = 0;
  for (let r = 0; r < k; r++) {
    const i = rec[offset + r]!;
    if (i < 0) break;
    if (containsSorted(relevant, i)) {
      hits++;
      dcg += 1 / Math.log2(r + 2);
      apSum += hits / (r + 1);
      if (rr === 0) rr = 1 / (r + 1);
    }
  }
  const ideal = Math.min(k, relevant.length);
  let idcg = 0;
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  out.hits = hits;
  out.precision = hits / k;
  out.recall = relevant.length === 0 ? 0 : hits / relevant.length;
  out.ndcg = idcg === 0 ? 0 : dcg / idcg;
  out.ap = ideal === 0 ? 0 : apSum / ideal;
  out.apRelevant = relevant.length === 0 ? 0 : apSum / relevant.length;
  out.rr = rr;
  return out;
}

/** precision@k for one user (see module doc). */
export function precisionAtK(rec: Int32Array, k: number, relevant: Int32Array): number {
  return userRankingScores(rec, 0, k, relevant, emptyScores()).precision;
}

/** recall@k for one user. */
export function recallAtK(rec: Int32Array, k: number, relevant: Int32Array): number {
  return userRankingScores(rec, 0, k, relevant, emptyScores()).recall;
}

/** NDCG@k (binary relevance) for one user. */
export function ndcgAtK(rec: Int32Array, k: number, relevant: Int32Array): number {
  return userRankingScores(rec, 0, k, relevant, emptyScores()).ndcg;
}

/** AP@k for one user. */
export function averagePrecisionAtK(rec: Int32Array, k: number, relevant: Int32Array): number {
  return userRankingScores(rec, 0, k, relevant, emptyScores()).ap;
}

/** Reciprocal rank of the first hit within the top k. */
export function reciprocalRank(rec: Int32Array, k: number, relevant: Int32Array): number {
  return userRankingScores(rec, 0, k, relevant, emptyScores()).rr;
}

/** A zeroed scores record (for reuse). */
export function emptyScores(): UserRankingScores {
  return { hits: 0, precision: 0, recall: 0, ndcg: 0, ap: 0, apRelevant: 0, rr: 0 };
}

/**
 * AUC for one user over the full candidate set: the probability that a relevant item scores above an irrelevant
 * one (ties count 1/2), among items 0..n-1 not in `excludeSorted`. O(n log n) (sorts the candidate scores).
 * Returns NaN when there is no relevant or no irrelevant candidate.
 */
export function userAuc(scores: Float32Array, excludeSorted: Int32Array | undefined, relevant: Int32Array): number {
  const n = scores.length;
  const cand = new Float64Array(n);
  const isRel = new Uint8Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (excludeSorted !== undefined && containsSorted(excludeSorted, i)) continue;
    cand[m] = scores[i]!;
    isRel[m] = containsSorted(relevant, i) ? 1 : 0;
    m++;
  }
  const order = new Int32Array(m);
  for (let t = 0; t < m; t++) order[t] = t;
  order.sort((a, b) => cand[a]! - cand[b]!);
  // rank-sum (Mann-Whitney U) with average ranks for ties
  let nPos = 0;
  let rankSum = 0;
  let t = 0;
  while (t < m) {
    let e = t;
    while (e + 1 < m && cand[order[e + 1]!] === cand[order[t]!]) e++;
    const avgRank = (t + e) / 2 + 1;
    for (let q = t; q <= e; q++) {
      if (isRel[order[q]!] === 1) {
        nPos++;
        rankSum += avgRank;
      }
    }
    t = e + 1;
  }
  const nNeg = m - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Share of the catalog that appears in at least one list. */
export function catalogCoverage(batch: TopKBatch, nItems: number): number {
  if (nItems === 0) return 0;
  const seen = new Uint8Array(nItems);
  let c = 0;
  for (let p = 0; p < batch.indices.length; p++) {
    const i = batch.indices[p]!;
    if (i >= 0 && seen[i] === 0) {
      seen[i] = 1;
      c++;
    }
  }
  return c / nItems;
}

/**
 * Mean self-information of recommended items, -log2(pop(i) / nUsers), where pop(i) is the number of training users
 * of item i (items never seen in training count as 1 user). Higher = less popular recommendations.
 */
export function novelty(batch: TopKBatch, itemUserCounts: ArrayLike<number>, nUsers: number): number {
  let s = 0;
  let n = 0;
  for (let p = 0; p < batch.indices.length; p++) {
    const i = batch.indices[p]!;
    if (i < 0) continue;
    const pop = Math.max(1, itemUserCounts[i]!);
    s += -Math.log2(pop / nUsers);
    n++;
  }
  return n === 0 ? 0 : s / n;
}

/**
 * Intra-list diversity: mean over lists (with >= 2 items) of the mean over item pairs of 1 - sim(i, j), where `sim`
 * is any item similarity in [0, 1] (e.g. cosine of the items' training columns, see `cosineOfColumns`).
 */
export function intraListDiversity(batch: TopKBatch, sim: (i: number, j: number) => number): number {
  const k = batch.k;
  const rows = k === 0 ? 0 : batch.indices.length / k;
  let total = 0;
  let lists = 0;
  for (let r = 0; r < rows; r++) {
    let len = 0;
    while (len < k && batch.indices[r * k + len]! >= 0) len++;
    if (len < 2) continue;
    let s = 0;
    for (let a = 0; a < len; a++) for (let b = a + 1; b < len; b++) s += 1 - sim(batch.indices[r * k + a]!, batch.indices[r * k + b]!);
    total += s / ((len * (len - 1)) / 2);
    lists++;
  }
  return lists === 0 ? 0 : total / lists;
}

/**
 * Binary cosine between two items' user sets, given a CSC pattern (item -> ascending users):
 * |U_i & U_j| / sqrt(|U_i| |U_j|). O(|U_i| + |U_j|).
 */
export function cosineOfColumns(indptr: Int32Array, indices: Int32Array, i: number, j: number): number {
  let a = indptr[i]!;
  const ae = indptr[i + 1]!;
  let b = indptr[j]!;
  const be = indptr[j + 1]!;
  const ni = ae - a;
  const nj = be - b;
  if (ni === 0 || nj === 0) return 0;
  let common = 0;
  while (a < ae && b < be) {
    const x = indices[a]!;
    const y = indices[b]!;
    if (x === y) {
      common++;
      a++;
      b++;
    } else if (x < y) a++;
    else b++;
  }
  return common / Math.sqrt(ni * nj);
}
