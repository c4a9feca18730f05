import type { TopK } from '../../core/topk.js';

/**
 * Exact top-k inner product search with a norm bound (the Cauchy-Schwarz pruning of "budgeted" MIPS, e.g. Teflioudi
 * et al. 2015, LEMP): items are visited in decreasing order of |y_i|; since y_i . x <= |y_i| |x|, the scan stops as
 * soon as |y_next| |x| falls below the k-th best score found. Results equal a full scan followed by `topK` (same tie
 * rule: higher score, then lower index). On factor models trained on skewed (Zipf) data the scan typically touches a
 * few percent of the items. Build O(items x f + items log items); memory one permuted copy of the factors.
 */
export class NormBoundedIndex {
  private readonly order: Int32Array;
  private readonly norms: Float64Array;
  private readonly y: Float32Array;

  /** `y` row-major items x f. */
  constructor(
    y: Float32Array,
    private readonly f: number,
  ) {
    const n = y.length / f;
    const raw = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      const o = i * f;
      for (let c = 0; c < f; c++) s += y[o + c]! * y[o + c]!;
      raw[i] = Math.sqrt(s);
    }
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => raw[b]! - raw[a]! || a - b);
    this.order = order;
    // norms in visiting order, inflated by a relative 1e-9 so float rounding can never prune a true candidate
    this.norms = new Float64Array(n);
    this.y = new Float32Array(n * f);
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      this.norms[r] = raw[i]! * (1 + 1e-9);
      this.y.set(y.subarray(i * f, (i + 1) * f), r * f);
    }
  }

  get size(): number {
    return this.order.length;
  }

  /** Exact top-k of y_i . x over items not in `excludeSorted` (ascending item indices); `scanned` counts items scored. */
  topK(x: Float32Array, k: number, excludeSorted?: Int32Array): TopK & { scanned: number } {
    const f = this.f;
    const n = this.order.length;
    let xn = 0;
    for (let c = 0; c < f; c++) xn += x[c]! * x[c]!;
    xn = Math.sqrt(xn);
    const cap = Math.min(k, n);
    const hVal = new Float64Array(cap);
    const hIdx = new Int32Array(cap);
    let size = 0;
    let r = 0;
    const y = this.y;
    for (; r < n; r++) {
      if (size === cap && (cap === 0 || this.norms[r]! * xn < hVal[0]!)) break;
      const i = this.order[r]!;
      if (excludeSorted !== undefined && excludeSorted.length > 0 && contains(excludeSorted, i)) continue;
      const o = r * f;
      let s = 0;
      for (let c = 0; c < f; c++) s += y[o + c]! * x[c]!;
      // rounded like a Float32 score array, so ranks and ties match a full scan stored as float32 exactly
      s = Math.fround(s);
      if (!(s > -Infinity)) continue;
      if (size < cap) {
        let c = size++;
        while (c > 0) {
          const p = (c - 1) >> 1;
          if (worse(hVal[p]!, hIdx[p]!, s, i)) break;
          hVal[c] = hVal[p]!;
          hIdx[c] = hIdx[p]!;
          c = p;
        }
        hVal[c] = s;
        hIdx[c] = i;
      } else if (worse(hVal[0]!, hIdx[0]!, s, i)) {
        siftDown(hVal, hIdx, size, s, i);
      }
    }
    const indices = new Int32Array(size);
    const scores = new Float64Array(size);
    for (let m = size; m > 0; m--) {
      indices[m - 1] = hIdx[0]!;
      scores[m - 1] = hVal[0]!;
      siftDown(hVal, hIdx, m - 1, hVal[m - 1]!, hIdx[m - 1]!);
    }
    return { indices, scores, scanned: r };
  }
}

function contains(sorted: Int32Array, v: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = sorted[mid]!;
    if (m === v) return true;
    if (m < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** (va, ia) ranks below (vb, ib): lower score, or equal score and higher index. */
function worse(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

function siftDown(hVal: Float64Array, hIdx: Int32Array, size: number, v: number, i: number): void {
  let c = 0;
  for (;;) {
    const l = 2 * c + 1;
    if (l >= size) break;
    const r = l + 1;
    let m = l;
    if (r < size && worse(hVal[r]!, hIdx[r]!, hVal[l]!, hIdx[l]!)) m = r;
    if (!worse(hVal[m]!, hIdx[m]!, v, i)) break;
    hVal[c] = hVal[m]!;
    hIdx[c] = hIdx[m]!;
    c = m;
  }
  hVal[c] = v;
  hIdx[c] = i;
}
