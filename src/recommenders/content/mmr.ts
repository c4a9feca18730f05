import { InvalidArgumentError } from '../../core/errors.js';
import type { Scored } from '../../core/model.js';
import type { CsrMatrix } from '../../text/csr.js';
import type { IdMap } from '../../core/ids.js';
import { rowDot } from './explain.js';

/**
 * Maximal Marginal Relevance re-ranking (Carbonell & Goldstein 1998): greedily picks the candidate maximising
 * λ · relevance − (1 − λ) · max similarity to the items already picked. Relevance is min-max scaled over the
 * candidates so λ means the same whatever the model's score scale. λ = 1 keeps the original order.
 * O(k · candidates) similarity evaluations.
 *
 * `sim(a, b)` returns the similarity of candidates a and b (positions in `rel`).
 */
export function mmrOrder(rel: Float64Array, k: number, lambda: number, sim: (a: number, b: number) => number): Int32Array {
  if (!(lambda >= 0 && lambda <= 1)) throw new InvalidArgumentError(`mmr: lambda must be in [0, 1], got ${lambda}`);
  const n = rel.length;
  const m = Math.min(k, n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    if (rel[i]! < lo) lo = rel[i]!;
    if (rel[i]! > hi) hi = rel[i]!;
  }
  const span = hi > lo ? hi - lo : 1;
  const maxSim = new Float64Array(n);
  const taken = new Uint8Array(n);
  const out = new Int32Array(m);
  for (let t = 0; t < m; t++) {
    let best = -1;
    let bestV = -Infinity;
    for (let i = 0; i < n; i++) {
      if (taken[i]) continue;
      const v = (lambda * (rel[i]! - lo)) / span - (t === 0 ? 0 : (1 - lambda) * maxSim[i]!);
      if (v > bestV) {
        bestV = v;
        best = i;
      }
    }
    out[t] = best;
    taken[best] = 1;
    for (let i = 0; i < n; i++) if (!taken[i]) maxSim[i] = Math.max(maxSim[i]!, sim(i, best));
  }
  return out;
}

/** Re-ranks scored items with MMR using the cosine of their profiles (rows of X, indexed through `items`). */
export function mmrRerank(ranked: readonly Scored[], k: number, lambda: number, X: CsrMatrix, items: IdMap): Scored[] {
  const idx = Int32Array.from(ranked, (r) => items.indexOf(r.id));
  const rel = Float64Array.from(ranked, (r) => r.score);
  const order = mmrOrder(rel, k, lambda, (a, b) => (idx[a]! < 0 || idx[b]! < 0 ? 0 : rowDot(X, idx[a]!, idx[b]!)));
  return Array.from(order, (i) => ranked[i]!);
}
