import { gemm } from '../../core/kernels/gemm.js';
import { topK } from '../../core/topk.js';

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
      const sc = s.subarray(r * nItems, (r + 1) * nItems);
      if (itemBias !== null) for (let i = 0; i < nItems; i++) sc[i] = sc[i]! + itemBias[i]!;
      const top = topK(sc, k, args.exclude ? seenIndices.subarray(ss, se) : undefined);
      for (let c = 0; c < top.indices.length; c++) {
        outIdx[o + c] = top.indices[c]!;
        outScore[o + c] = top.scores[c]!;
      }
    }
  }
}
