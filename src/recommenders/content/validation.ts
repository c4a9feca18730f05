import { Rng } from '../../core/rng.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';

/**
 * Helpers for tuning on a validation split inside `fit` (hybrid blend weight): a per-user random hold-out and
 * NDCG@k over full rankings.
 */

/** Masks over stored entries: for each user with >= 2 interactions, ~`fraction` of them (at least 1) go to validation. */
export function perUserHoldout(data: Interactions, fraction: number, seed: number): { train: Interactions; valid: Interactions } {
  const rng = new Rng(seed);
  const trainMask = new Uint8Array(data.nnz).fill(1);
  for (let u = 0; u < data.nUsers; u++) {
    const a = data.indptr[u]!;
    const n = data.indptr[u + 1]! - a;
    if (n < 2) continue;
    const take = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
    const pick = rng.sampleWithoutReplacement(n, take);
    for (let m = 0; m < pick.length; m++) trainMask[a + pick[m]!] = 0;
  }
  const validMask = new Uint8Array(data.nnz);
  for (let k = 0; k < data.nnz; k++) validMask[k] = trainMask[k] ? 0 : 1;
  return { train: data.selectEntries(trainMask), valid: data.selectEntries(validMask) };
}

/**
 * A validation split that also simulates item cold start: `itemFraction` of the items with interactions are held out
 * entirely (all their entries go to validation and `heldOutItems[j] = 1`), then ~`fraction` of each user's
 * remaining interactions (see {@link perUserHoldout}).
 */
export function coldAndWarmHoldout(
  data: Interactions,
  fraction: number,
  itemFraction: number,
  seed: number,
): { train: Interactions; valid: Interactions; heldOutItems: Uint8Array } {
  const rng = new Rng(seed);
  const counts = data.itemCounts();
  const withData: number[] = [];
  for (let j = 0; j < data.nItems; j++) if (counts[j]! > 0) withData.push(j);
  rng.shuffle(withData);
  const heldOutItems = new Uint8Array(data.nItems);
  const nCold = Math.round(withData.length * itemFraction);
  for (let m = 0; m < nCold; m++) heldOutItems[withData[m]!] = 1;
  const trainMask = new Uint8Array(data.nnz);
  const row: number[] = [];
  for (let u = 0; u < data.nUsers; u++) {
    row.length = 0;
    for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) if (!heldOutItems[data.indices[p]!]) row.push(p);
    const take = row.length < 2 ? 0 : Math.min(row.length - 1, Math.max(1, Math.round(row.length * fraction)));
    const pick = rng.sampleWithoutReplacement(row.length, take);
    for (const p of row) trainMask[p] = 1;
    for (let m = 0; m < pick.length; m++) trainMask[row[pick[m]!]!] = 0;
  }
  const validMask = new Uint8Array(data.nnz);
  for (let k = 0; k < data.nnz; k++) validMask[k] = trainMask[k] ? 0 : 1;
  return { train: data.selectEntries(trainMask), valid: data.selectEntries(validMask), heldOutItems };
}

/**
 * NDCG@k of one ranking: `scores` over all items, `exclude` ascending items not to rank (seen in training),
 * `relevant` the held-out items (binary relevance). 0 when nothing relevant is ranked.
 */
export function ndcgAtK(scores: Float64Array, exclude: Int32Array | undefined, relevant: ArrayLike<number>, k: number): number {
  if (relevant.length === 0) return 0;
  const top = topK(scores, k, exclude);
  const rel = new Set<number>();
  for (let m = 0; m < relevant.length; m++) rel.add(relevant[m]!);
  let dcg = 0;
  for (let m = 0; m < top.indices.length; m++) if (rel.has(top.indices[m]!)) dcg += 1 / Math.log2(m + 2);
  let idcg = 0;
  for (let m = 0; m < Math.min(k, rel.size); m++) idcg += 1 / Math.log2(m + 2);
  return dcg / idcg;
}
