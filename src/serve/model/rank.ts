import type { Scored } from '../../core/model.js';
import type { LoadedModel } from '../registry.js';
import type { RecommendQuery, RecommendService } from '../service.js';
import type { HistoryEntry } from '../types.js';
import { topK } from '../../core/topk.js';
import { canFoldIn, canRankHistory, canRecommendKnown, factorMatrixOf, itemVectorsOf, rankedToScored } from './capabilities.js';
import { NormBoundedIndex } from './mips.js';
import { scoreAllItems } from './score.js';

const normIndexes = new WeakMap<Float32Array, NormBoundedIndex>();

/** The norm-ordered index of a factor matrix, built on first use and kept as long as the matrix lives. */
export function normIndexFor(y: Float32Array, f: number): NormBoundedIndex {
  let ix = normIndexes.get(y);
  if (ix === undefined) {
    ix = new NormBoundedIndex(y, f);
    normIndexes.set(y, ix);
  }
  return ix;
}

/** A ranked page and where it came from ("fold-in", "history", "model", "cooccurrence", "popular"). */
export interface Ranked {
  items: Scored[];
  source: string;
}

/** The history in the model's dense item space: ascending indices with their summed values. */
function denseHistory(lm: LoadedModel, history: readonly HistoryEntry[]): { items: Int32Array; values: Float32Array } {
  const space = lm.space!;
  const pairs: [number, number][] = [];
  for (const h of history) {
    const i = space.itemIndex(h.item);
    // fold-in solvers take confidences >= 0: negative feedback counts as none
    if (i >= 0) pairs.push([i, h.value > 0 ? h.value : 0]);
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const items = new Int32Array(pairs.length);
  const values = new Float32Array(pairs.length);
  for (let k = 0; k < pairs.length; k++) {
    items[k] = pairs[k]![0];
    values[k] = pairs[k]![1];
  }
  return { items, values };
}

/** Explains each factor-model result by the (most recent 50) history item whose embedding is closest to it. */
function explainByNearest(lm: LoadedModel, items: Scored[], history: readonly HistoryEntry[]): void {
  const vecOf = itemVectorsOf(lm.model);
  const space = lm.space;
  if (vecOf === undefined || space === undefined) return;
  const hist: { id: string; v: Float32Array }[] = [];
  for (let h = 0; h < history.length && hist.length < 50; h++) {
    const i = space.itemIndex(history[h]!.item);
    if (i >= 0) hist.push({ id: history[h]!.item, v: vecOf(i) });
  }
  if (hist.length === 0) return;
  for (const s of items) {
    const i = space.itemIndex(s.id);
    if (i < 0) continue;
    const v = vecOf(i);
    let best = -Infinity;
    let from = '';
    for (const h of hist) {
      let d = 0;
      for (let f = 0; f < v.length; f++) d += v[f]! * h.v[f]!;
      if (d > best) {
        best = d;
        from = h.id;
      }
    }
    s.reason = `because you interacted with ${from}`;
  }
}

/**
 * Ranks one page for a user: no history -> popular; a factor model -> fold-in of the live history (closed-form ALS
 * user solve) scored against fixed item factors; a neighbourhood model -> its history ranking; a model that only
 * knows its training users -> that; otherwise live co-occurrence. Hidden items, the category filter and (optionally)
 * seen items are filtered; the page is topped up from popular items when the model runs short.
 */
export function rankForUser(lm: LoadedModel | undefined, user: string, history: readonly HistoryEntry[], q: RecommendQuery, svc: RecommendService): Ranked {
  const need = q.offset + q.k;
  const seen = new Set<string>();
  if (q.excludeSeen) for (const h of history) seen.add(h.item);
  const accept = (id: string) => !seen.has(id) && svc.catalog.accepts(id, q.category);
  const selective = q.category !== undefined;
  let items: Scored[] = [];
  let source = 'popular';
  const m = lm?.model;
  if (history.length > 0 && lm !== undefined) {
    if (canFoldIn(m) && lm.space !== undefined) {
      const dh = denseHistory(lm, history);
      if (dh.items.length > 0) {
        const vec = m.foldInUser(dh.items, dh.values);
        const exclude = q.excludeSeen ? dh.items : undefined;
        const fm = factorMatrixOf(m);
        if (fm !== undefined && fm.f === vec.length && fm.bias === undefined) {
          // Exact norm-bounded search: scores only the items that can still enter the top k.
          const index = normIndexFor(fm.y, fm.f);
          items = svc.fetchFiltered((c) => rankedToScored(index.topK(vec, c, exclude), lm.space), need, accept, selective);
        } else if (fm !== undefined && fm.f === vec.length) {
          // Score all items once with the unrolled kernel; each filtering round only re-runs the top-k.
          const n = fm.y.length / fm.f;
          const scores = new Float32Array(n);
          scoreAllItems(fm.y, fm.f, n, vec, fm.bias, scores);
          items = svc.fetchFiltered((c) => rankedToScored(topK(scores, c, exclude), lm.space), need, accept, selective);
        } else {
          items = svc.fetchFiltered((c) => rankedToScored(m.recommendForVector(vec, c, exclude), lm.space), need, accept, selective);
        }
        explainByNearest(lm, items, history);
        source = 'fold-in';
      }
    } else if (canRankHistory(m)) {
      const ids: string[] = [];
      const values: number[] = [];
      for (const h of history) {
        ids.push(h.item);
        values.push(h.value > 0 ? h.value : 0);
      }
      items = svc.fetchFiltered((n) => rankedToScored(m.recommendFromHistory(ids, values, n), lm.space), need, accept, selective);
      source = 'history';
    } else if (canRecommendKnown(m)) {
      try {
        items = svc.fetchFiltered((n) => m.recommend(user, n, { excludeSeen: q.excludeSeen }), need, accept, selective);
        source = 'model';
      } catch {
        items = [];
      }
    }
  }
  if (items.length === 0 && history.length > 0) {
    const recent: string[] = [];
    for (const h of history) recent.push(h.item);
    items = svc.cooc.fromHistory(recent, need, accept);
    source = 'cooccurrence';
  }
  if (items.length === 0) source = 'popular';
  if (items.length < need) {
    const have = new Set<string>();
    for (const s of items) have.add(s.id);
    const more = svc.popularity.popular(need - items.length, 0, (id) => !have.has(id) && accept(id));
    for (const s of more) items.push(s);
  }
  const page = items.slice(q.offset, need);
  const algo = lm?.info.algorithm ?? 'cooccurrence';
  for (const s of page) {
    if (!Number.isFinite(s.score)) s.score = 0;
    if (s.reason === undefined) s.reason = `${algo}: from your ${history.length} interactions`;
  }
  return { items: page, source };
}
