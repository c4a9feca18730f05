import type { Scored } from '../../core/model.js';

/** Options of the co-occurrence index. */
export interface CoOccurrenceOptions {
  /** How many of a user's latest items pair with a new one (default 20). */
  window?: number;
  /** Most users whose recent items are remembered (least recently active dropped first; default 200,000). */
  maxUsers?: number;
}

/**
 * Incremental item-to-item co-occurrence: when a user touches item j, each of their last `window` distinct items i
 * gets c(i, j) += 1 and c(j, i) += 1. Similarity is the cosine of the binary co-occurrence vectors,
 * c(i, j) / sqrt(n_i n_j) (n = users per item). O(window) per event; memory O(pairs seen).
 */
export class CoOccurrence {
  private readonly pairs = new Map<string, Map<string, number>>();
  private readonly n = new Map<string, number>();
  private readonly recent = new Map<string, string[]>();
  private readonly window: number;
  private readonly maxUsers: number;

  constructor(opts: CoOccurrenceOptions = {}) {
    this.window = opts.window ?? 20;
    this.maxUsers = opts.maxUsers ?? 200_000;
  }

  /** Records that `user` interacted with `item` (repeat touches of a recent item are ignored). */
  add(user: string, item: string): void {
    let list = this.recent.get(user);
    if (list === undefined) {
      list = [];
      if (this.recent.size >= this.maxUsers) {
        const oldest = this.recent.keys().next();
        if (oldest.done !== true) this.recent.delete(oldest.value);
      }
    } else {
      this.recent.delete(user);
    }
    this.recent.set(user, list);
    if (list.includes(item)) return;
    this.n.set(item, (this.n.get(item) ?? 0) + 1);
    for (let k = 0; k < list.length; k++) {
      const other = list[k]!;
      this.inc(item, other);
      this.inc(other, item);
    }
    list.push(item);
    if (list.length > this.window) list.shift();
  }

  private inc(a: string, b: string): void {
    let m = this.pairs.get(a);
    if (m === undefined) {
      m = new Map();
      this.pairs.set(a, m);
    }
    m.set(b, (m.get(b) ?? 0) + 1);
  }

  /** Raw co-occurrence count of (a, b). */
  count(a: string, b: string): number {
    return this.pairs.get(a)?.get(b) ?? 0;
  }

  /** The `k` items most similar to `item` (cosine of co-occurrence), each with the count as its reason. */
  similar(item: string, k: number, accept?: (id: string) => boolean): Scored[] {
    const m = this.pairs.get(item);
    if (m === undefined) return [];
    const ni = this.n.get(item) ?? 1;
    const out: Scored[] = [];
    for (const [j, c] of m) {
      if (accept !== undefined && !accept(j)) continue;
      out.push({ id: j, score: c / Math.sqrt(ni * (this.n.get(j) ?? 1)), reason: `together with ${item} in ${c} user histories` });
    }
    out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return out.slice(0, k);
  }

  /**
   * Scores items by summed similarity to a history (most recent first; up to `window` used), excluding the history
   * itself; each result's reason names the history item that contributed most.
   */
  fromHistory(history: readonly string[], k: number, accept?: (id: string) => boolean): Scored[] {
    const seen = new Set(history);
    const score = new Map<string, number>();
    const best = new Map<string, { from: string; s: number }>();
    const upto = Math.min(history.length, this.window);
    for (let h = 0; h < upto; h++) {
      const src = history[h]!;
      const m = this.pairs.get(src);
      if (m === undefined) continue;
      const ns = this.n.get(src) ?? 1;
      for (const [j, c] of m) {
        if (seen.has(j)) continue;
        const s = c / Math.sqrt(ns * (this.n.get(j) ?? 1));
        score.set(j, (score.get(j) ?? 0) + s);
        const b = best.get(j);
        if (b === undefined || s > b.s) best.set(j, { from: src, s });
      }
    }
    const out: Scored[] = [];
    for (const [j, s] of score) {
      if (accept !== undefined && !accept(j)) continue;
      out.push({ id: j, score: s, reason: `often together with ${best.get(j)!.from}` });
    }
    out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
    return out.slice(0, k);
  }
}
