import { InvalidArgumentError } from './errors.js';

/** The k best entries of a score array, best first. */
export interface TopK {
  indices: Int32Array;
  scores: Float64Array;
}

type Scores = Float32Array | Float64Array;

/** Top-k lists for many users: row r of the `rows x k` matrices, best first, padded with index -1. */
export interface TopKBatch {
  k: number;
  indices: Int32Array;
  scores: Float32Array;
}

/**
 * The `k` largest scores of `scores[0..n)` in descending order, with a bounded min-heap held in two typed arrays:
 * O(n log k) time, O(k) memory, no per-element objects. Ties go to the lower index. NaN and -Infinity never enter.
 *
 * `excludeSorted` (optional) is an ascending list of indices to skip (e.g. a CSR row of already-seen items); it is
 * walked alongside the scan, so exclusion costs O(|excluded|).
 */
export function topK(scores: Scores, k: number, excludeSorted?: Int32Array, n: number = scores.length): TopK {
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`topK: k must be a non-negative integer, got ${k}`);
  const cap = Math.min(k, n);
  const hIdx = new Int32Array(cap);
  const hVal = new Float64Array(cap);
  let size = 0;
  let ex = 0;
  const exLen = excludeSorted === undefined ? 0 : excludeSorted.length;
  for (let i = 0; i < n; i++) {
    if (ex < exLen) {
      while (ex < exLen && excludeSorted![ex]! < i) ex++;
      if (ex < exLen && excludeSorted![ex] === i) continue;
    }
    const v = scores[i]!;
    if (!(v > -Infinity)) continue;
    if (size < cap) {
      // sift up
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (worse(hVal[p]!, hIdx[p]!, v, i)) break;
        hVal[c] = hVal[p]!;
        hIdx[c] = hIdx[p]!;
        c = p;
      }
      hVal[c] = v;
      hIdx[c] = i;
    } else if (cap > 0 && worse(hVal[0]!, hIdx[0]!, v, i)) {
      siftDown(hVal, hIdx, size, v, i);
    }
  }
  return sortHeap(hVal, hIdx, size);
}

/** True when entry (va, ia) ranks below (vb, ib): lower score, or equal score and higher index. */
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

/** Pops a min-heap into descending order. */
function sortHeap(hVal: Float64Array, hIdx: Int32Array, size: number): TopK {
  const indices = new Int32Array(size);
  const scores = new Float64Array(size);
  for (let n = size; n > 0; n--) {
    indices[n - 1] = hIdx[0]!;
    scores[n - 1] = hVal[0]!;
    const lastV = hVal[n - 1]!;
    const lastI = hIdx[n - 1]!;
    siftDown(hVal, hIdx, n - 1, lastV, lastI);
  }
  return { indices, scores };
}

/** Reference twin for tests: full sort, same tie rule. O(n log n). */
export function topKReference(scores: Scores, k: number, excludeSorted?: Int32Array): TopK {
  const ex = new Set(excludeSorted ?? []);
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!ex.has(i) && scores[i]! > -Infinity) idx.push(i);
  idx.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const top = idx.slice(0, k);
  return { indices: Int32Array.from(top), scores: Float64Array.from(top, (i) => scores[i]!) };
}
