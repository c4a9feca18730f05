import type { CsrMatrix } from '../../text/csr.js';
import type { ItemProfiler } from '../../text/profiles.js';

/**
 * Explanations for content-based results: which item of the user's history a result is closest to, and the
 * features (terms, categories) that contribute most to their cosine.
 */

/** Dot product of rows a and b of X (unit rows: their cosine). */
export function rowDot(X: CsrMatrix, a: number, b: number): number {
  let i = X.indptr[a]!;
  let j = X.indptr[b]!;
  const ie = X.indptr[a + 1]!;
  const je = X.indptr[b + 1]!;
  let s = 0;
  while (i < ie && j < je) {
    const ci = X.indices[i]!;
    const cj = X.indices[j]!;
    if (ci === cj) s += X.values[i++]! * X.values[j++]!;
    else if (ci < cj) i++;
    else j++;
  }
  return s;
}

/**
 * Labels of the `n` shared features of rows a and b with the largest product x_a·x_b (numeric fields are left out:
 * "year" explains nothing). Labels are terms ("cyberpunk") or "field: value" ("genres: Drama").
 */
export function sharedFeatures(X: CsrMatrix, a: number, b: number, profiler: ItemProfiler, n: number): string[] {
  if (n <= 0) return [];
  const cols: number[] = [];
  const prods: number[] = [];
  let i = X.indptr[a]!;
  let j = X.indptr[b]!;
  const ie = X.indptr[a + 1]!;
  const je = X.indptr[b + 1]!;
  while (i < ie && j < je) {
    const ci = X.indices[i]!;
    const cj = X.indices[j]!;
    if (ci === cj) {
      if (profiler.kindOf(ci) !== 'numeric') {
        cols.push(ci);
        prods.push(X.values[i]! * X.values[j]!);
      }
      i++;
      j++;
    } else if (ci < cj) i++;
    else j++;
  }
  const order = cols.map((_, k) => k).sort((x, y) => prods[y]! - prods[x]! || cols[x]! - cols[y]!);
  const labels = profiler.featureLabels;
  return order.slice(0, n).map((k) => labels[cols[k]!]!);
}

/** Among `candidates` (item rows), the one whose profile is closest to item `j`, or -1 when none shares a feature. */
export function closestItem(X: CsrMatrix, j: number, candidates: ArrayLike<number>, weights?: ArrayLike<number>): number {
  let best = -1;
  let bestS = 0;
  for (let m = 0; m < candidates.length; m++) {
    if (weights !== undefined && !(weights[m]! > 0)) continue;
    const h = candidates[m]!;
    const s = rowDot(X, j, h);
    if (s > bestS) {
      bestS = s;
      best = h;
    }
  }
  return best;
}

/** "Because you watched X: a, b, c" (or without the list when nothing is shared). */
export function becauseReason(verb: string, title: string, terms: readonly string[]): string {
  return terms.length > 0 ? `Because you ${verb} ${title}: ${terms.join(', ')}` : `Because you ${verb} ${title}`;
}
