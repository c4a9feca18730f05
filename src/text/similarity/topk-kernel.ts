import { topK } from '../../core/topk.js';

/**
 * Kernel: top-k neighbours of rows [start, end) of a row-normalised sparse matrix X (n x d) by cosine, computing
 * the block of X · Xᵀ one row at a time through the inverted index (Xᵀ in CSR form): for row i, every document j that
 * shares a term t gets acc[j] += x_it · x_jt. Only the documents touched are scanned for the top k, so the cost per row
 * is the sum over its terms of their document frequency and the dense n x n matrix never exists.
 *
 * Arguments are plain typed arrays (SharedArrayBuffer-backed when run on worker threads); results are written into
 * `outIdx`/`outScore` (n x k, row-major), padded with -1 / NaN when a row has fewer than k neighbours. Rows of the
 * output are disjoint between calls, so blocks can run on any number of threads with the same result.
 */
export interface TopKKernelArgs {
  /** Number of rows of X (documents). */
  n: number;
  k: number;
  /** Whether row i may list itself (false for "similar items"). */
  includeSelf: boolean;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
  /** Xᵀ in CSR (= X in CSC): for term t, the documents tIndices[tIndptr[t]..tIndptr[t+1]) with tValues. */
  tIndptr: Int32Array;
  tIndices: Int32Array;
  tValues: Float32Array;
  outIdx: Int32Array;
  outScore: Float32Array;
}

/** Computes rows [start, end); see {@link TopKKernelArgs}. Scratch is O(n), allocated once per call. */
export function fn(args: TopKKernelArgs, start: number, end: number): void {
  const { n, k, includeSelf, indptr, indices, values, tIndptr, tIndices, tValues, outIdx, outScore } = args;
  const acc = new Float64Array(n);
  const touched = new Int32Array(n);
  const mark = new Uint8Array(n);
  const compact = new Float64Array(n);
  for (let i = start; i < end; i++) {
    let nt = 0;
    for (let p = indptr[i]!; p < indptr[i + 1]!; p++) {
      const t = indices[p]!;
      const w = values[p]!;
      for (let q = tIndptr[t]!; q < tIndptr[t + 1]!; q++) {
        const j = tIndices[q]!;
        if (mark[j] === 0) {
          mark[j] = 1;
          touched[nt++] = j;
        }
        acc[j] = acc[j]! + w * tValues[q]!;
      }
    }
    for (let m = 0; m < nt; m++) {
      const j = touched[m]!;
      compact[m] = includeSelf || j !== i ? acc[j]! : -Infinity;
      acc[j] = 0;
      mark[j] = 0;
    }
    const top = topK(compact, k, undefined, nt);
    const base = i * k;
    const got = top.indices.length;
    for (let m = 0; m < got; m++) {
      outIdx[base + m] = touched[top.indices[m]!]!;
      outScore[base + m] = top.scores[m]!;
    }
    for (let m = got; m < k; m++) {
      outIdx[base + m] = -1;
      outScore[base + m] = NaN;
    }
  }
}
