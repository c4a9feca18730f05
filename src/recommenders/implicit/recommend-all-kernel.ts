import { gemm } from '../../core/kernels/gemm.js';

/**
 * Arguments of {@link recommendBlock}: factor matrices, the seen pattern and the output matrices, all on shared
 * memory when run on the pool. Row r of the output belongs to `users[r]`.
 */
export interface RecommendBlockArgs {
  userF: Float32Array;
  itemF: Float32Array;
  /** Item biases or null. */
  itemBias: Float32Array | null;
  f: number;
  nItems: number;
  k: number;
  /** User indices; -1 = unknown (gets the fallback list). */
  users: Int32Array;
  /** Training CSR pattern (exclusions); rows with no entries get the popularity list below. */
  seenIndptr: Int32Array;
  seenIndices: Int32Array;
  exclude: boolean;
  /** Fallback top-k (popularity) for users without history: k indices and scores. */
  fallbackIdx: Int32Array;
  fallbackScore: Float32Array;
  outIdx: Int32Array;
  outScore: Float32Array;
  /** Users per matrix product (bounds the scratch to block x nItems floats). */
  block: number;
}

/**
 * Pool kernel: top-k items for output rows [start, end). Users are scored `block` at a time by one blocked matrix
 * product S = U_block Y^T (core gemm), then each row goes through the bounded heap with the user's seen items
 * excluded. Writes only its own rows, so the result does not depend on how rows are spread over threads.
 */
export function recommendBlock(args: RecommendBlockArgs, start: number, end: number): void {
  const { userF, itemF, itemBias, f, nItems, k, users, seenIndptr, seenIndices, outIdx, outScore } = args;
  const block = Math.max(1, args.block);
  const a = new Float32Array(block * f);
  const s = new Float32Array(block * nItems);
  const hv = new Float64Array(Math.max(1, k));
  const hi = new Int32Array(Math.max(1, k));
  for (let r0 = start; r0 < end; r0 += block) {
    const r1 = Math.min(end, r0 + block);
    const b = r1 - r0;
    for (let r = 0; r < b; r++) {
      const u = users[r0 + r]!;
      if (u >= 0) a.set(userF.subarray(u * f, (u + 1) * f), r * f);
      else a.fill(0, r * f, (r + 1) * f);
    }
    gemm(a, itemF, s, b, f, nItems, { transB: true });
    for (let r = 0; r < b; r++) {
      const row = r0 + r;
      const u = users[row]!;
      const o = row * k;
      outIdx.fill(-1, o, o + k);
      outScore.fill(-Infinity, o, o + k);
      const ss = u >= 0 ? seenIndptr[u]! : 0;
      const se = u >= 0 ? seenIndptr[u + 1]! : 0;
      if (se === ss) {
        outIdx.set(args.fallbackIdx.subarray(0, k), o);
        outScore.set(args.fallbackScore.subarray(0, k), o);
        continue;
      }
      const n = rowTopK(s, r * nItems, nItems, itemBias, args.exclude ? seenIndices : null, ss, se, k, hv, hi);
      for (let c = 0; c < n; c++) {
        outIdx[o + c] = hi[c]!;
        outScore[o + c] = hv[c]!;
      }
    }
  }
}

/** True when (va, ia) ranks below (vb, ib): lower score, or equal score and higher index (as in core topK). */
function worse(va: number, ia: number, vb: number, ib: number): boolean {
  return va < vb || (va === vb && ia > ib);
}

/**
 * Top-k of s[off .. off+n) (+ bias) skipping the sorted item list seen[ss..se), into hv/hi sorted best first;
 * returns how many were found. Same result as core `topK` (ties to the lower index, NaN and -Infinity skipped), but
 * the common case, a score not above the current k-th best, costs one comparison; the exclusion list is only
 * consulted for candidates.
 */
function rowTopK(
  s: Float32Array, off: number, n: number, bias: Float32Array | null, seen: Int32Array | null, ss: number, se: number,
  k: number, hv: Float64Array, hi: Int32Array,
): number {
  if (k === 0) return 0;
  let size = 0;
  let thr = -Infinity;
  let ex = ss;
  if (bias !== null) for (let i = 0; i < n; i++) s[off + i] = s[off + i]! + bias[i]!;
  const end = off + n;
  for (let j = off; j < end; j++) {
    const v = s[j]!;
    if (!(v > thr)) continue;
    const i = j - off;
    if (seen !== null && ex < se) {
      while (ex < se && seen[ex]! < i) ex++;
      if (ex < se && seen[ex] === i) continue;
    }
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (worse(hv[p]!, hi[p]!, v, i)) break;
        hv[c] = hv[p]!;
        hi[c] = hi[p]!;
        c = p;
      }
      hv[c] = v;
      hi[c] = i;
      if (size === k) thr = hv[0]!;
    } else {
      // replace the worst (the root) and sift down
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        let w = l;
        if (l + 1 < size && worse(hv[l + 1]!, hi[l + 1]!, hv[l]!, hi[l]!)) w = l + 1;
        if (!worse(hv[w]!, hi[w]!, v, i)) break;
        hv[c] = hv[w]!;
        hi[c] = hi[w]!;
        c = w;
      }
      hv[c] = v;
      hi[c] = i;
      thr = hv[0]!;
    }
  }
  // sort best first (insertion sort over at most k entries)
  for (let a = 1; a < size; a++) {
    const v = hv[a]!;
    const i = hi[a]!;
    let b = a - 1;
    while (b >= 0 && worse(hv[b]!, hi[b]!, v, i)) {
      hv[b + 1] = hv[b]!;
      hi[b + 1] = hi[b]!;
      b--;
    }
    hv[b + 1] = v;
    hi[b + 1] = i;
  }
  return size;
}
