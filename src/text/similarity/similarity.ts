import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import type { RunOptions } from '../../core/progress.js';
import { topK } from '../../core/topk.js';
import { type CsrMatrix, csrTranspose } from '../csr.js';
import { type TopKKernelArgs, fn as topKKernel } from './topk-kernel.js';

/** The k nearest rows of every row: row-major n x k arrays, padded with -1 / NaN. */
export interface Neighbours {
  n: number;
  k: number;
  indices: Int32Array;
  scores: Float32Array;
}

/** Options of {@link SimilarityIndex.allTopK}. */
export interface AllTopKOptions extends RunOptions {
  /** Let a row be its own neighbour (default false). */
  includeSelf?: boolean;
  /** Rows per block of X · Xᵀ (default 2048): the unit of progress, cancellation and parallel work. */
  blockRows?: number;
}

/** A Float32Array over a SharedArrayBuffer (so worker threads can read it without a copy). */
function sharedF32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(Math.max(4, n * 4)), 0, n);
}
function sharedI32(n: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(Math.max(4, n * 4)), 0, n);
}
function shareI32(a: Int32Array): Int32Array {
  const s = sharedI32(a.length);
  s.set(a);
  return s;
}

/**
 * Cosine similarity over the rows of a sparse matrix (items x features). Keeps the rows L2-normalised in float32
 * together with the inverted index (the transpose), both in shared memory: O(nnz) memory, never n x n.
 *
 * - `allTopK(k)`: the k most similar rows of every row, by blocks of X · Xᵀ (see topk-kernel.ts);
 * - `neighboursOf(i, k)`: one row against all, via the inverted index;
 * - `query(indices, values, k)`: a new vector (e.g. a new item's TF-IDF) against all rows.
 */
export class SimilarityIndex {
  readonly n: number;
  readonly dims: number;
  readonly indptr: Int32Array;
  readonly indices: Int32Array;
  readonly values: Float32Array;
  readonly tIndptr: Int32Array;
  readonly tIndices: Int32Array;
  readonly tValues: Float32Array;
  private readonly acc: Float64Array;
  private readonly mark: Uint8Array;
  private readonly touched: Int32Array;

  /** `X` is copied and normalised; rows of norm 0 stay empty and match nothing. */
  constructor(X: CsrMatrix) {
    this.n = X.rows;
    this.dims = X.cols;
    this.indptr = shareI32(X.indptr);
    this.indices = shareI32(X.indices);
    const v = sharedF32(X.values.length);
    for (let r = 0; r < X.rows; r++) {
      const a = X.indptr[r]!;
      const b = X.indptr[r + 1]!;
      let s = 0;
      for (let p = a; p < b; p++) s += X.values[p]! * X.values[p]!;
      const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
      for (let p = a; p < b; p++) v[p] = X.values[p]! * inv;
    }
    this.values = v;
    const t = csrTranspose({ rows: this.n, cols: this.dims, indptr: this.indptr, indices: this.indices, values: v });
    this.tIndptr = shareI32(t.indptr);
    this.tIndices = shareI32(t.indices);
    const tv = sharedF32(t.values.length);
    tv.set(t.values);
    this.tValues = tv;
    this.acc = new Float64Array(this.n);
    this.mark = new Uint8Array(this.n);
    this.touched = new Int32Array(this.n);
  }

  /** Cosine of rows a and b. */
  cosine(a: number, b: number): number {
    this.checkRow(a);
    this.checkRow(b);
    let i = this.indptr[a]!;
    let j = this.indptr[b]!;
    const ie = this.indptr[a + 1]!;
    const je = this.indptr[b + 1]!;
    let s = 0;
    while (i < ie && j < je) {
      const ci = this.indices[i]!;
      const cj = this.indices[j]!;
      if (ci === cj) s += this.values[i++]! * this.values[j++]!;
      else if (ci < cj) i++;
      else j++;
    }
    return s;
  }

  private checkRow(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.n) throw new InvalidArgumentError(`SimilarityIndex: row ${i} out of range [0, ${this.n})`);
  }

  /**
   * The k rows most similar to a sparse query vector (`qIdx` ascending or not, `qVal` any scale: it is normalised
   * here). `exclude` (optional) is a row to leave out. Cost: the sum of the document frequencies of the query's terms.
   */
  query(qIdx: ArrayLike<number>, qVal: ArrayLike<number>, k: number, exclude = -1): { indices: Int32Array; scores: Float64Array } {
    let norm = 0;
    for (let p = 0; p < qVal.length; p++) norm += qVal[p]! * qVal[p]!;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    const { acc, mark, touched } = this;
    let nt = 0;
    for (let p = 0; p < qIdx.length; p++) {
      const t = qIdx[p]!;
      if (t < 0 || t >= this.dims) throw new InvalidArgumentError(`SimilarityIndex.query: feature ${t} out of range [0, ${this.dims})`);
      const w = qVal[p]! * inv;
      for (let q = this.tIndptr[t]!; q < this.tIndptr[t + 1]!; q++) {
        const j = this.tIndices[q]!;
        if (mark[j] === 0) {
          mark[j] = 1;
          touched[nt++] = j;
        }
        acc[j] = acc[j]! + w * this.tValues[q]!;
      }
    }
    const compact = new Float64Array(nt);
    for (let m = 0; m < nt; m++) {
      const j = touched[m]!;
      compact[m] = j === exclude ? -Infinity : acc[j]!;
      acc[j] = 0;
      mark[j] = 0;
    }
    const top = topK(compact, k);
    const indices = new Int32Array(top.indices.length);
    for (let m = 0; m < indices.length; m++) indices[m] = touched[top.indices[m]!]!;
    return { indices, scores: top.scores };
  }

  /** The k rows most similar to row `i` (itself excluded). */
  neighboursOf(i: number, k: number): { indices: Int32Array; scores: Float64Array } {
    this.checkRow(i);
    const a = this.indptr[i]!;
    const b = this.indptr[i + 1]!;
    return this.query(this.indices.subarray(a, b), this.values.subarray(a, b), k, i);
  }

  /** Kernel arguments for the top-k of every row, with fresh shared output arrays (see topk-kernel.ts). */
  kernelArgs(k: number, includeSelf: boolean): TopKKernelArgs {
    if (!Number.isInteger(k) || k < 1) throw new InvalidArgumentError(`allTopK: k must be a positive integer, got ${k}`);
    return {
      n: this.n,
      k,
      includeSelf,
      indptr: this.indptr,
      indices: this.indices,
      values: this.values,
      tIndptr: this.tIndptr,
      tIndices: this.tIndices,
      tValues: this.tValues,
      outIdx: sharedI32(this.n * k),
      outScore: sharedF32(this.n * k),
    };
  }

  /** The k most similar rows of every row, block by block on this thread (see `cosineTopKParallel` for threads). */
  async allTopK(k: number, opts: AllTopKOptions = {}): Promise<Neighbours> {
    const block = opts.blockRows ?? 2048;
    if (!Number.isInteger(block) || block < 1) throw new InvalidArgumentError(`allTopK: blockRows must be a positive integer, got ${block}`);
    const args = this.kernelArgs(k, opts.includeSelf ?? false);
    for (let s = 0; s < this.n; s += block) {
      const e = Math.min(this.n, s + block);
      throwIfAborted(opts.signal, 'allTopK');
      topKKernel(args, s, e);
      opts.onProgress?.({ step: 'similar', done: e, total: this.n });
      if (e < this.n) await new Promise<void>((r) => setImmediate(r));
    }
    return { n: this.n, k, indices: args.outIdx, scores: args.outScore };
  }
}

/** Reference twin for tests: dense cosine of every pair, full sort. O(n² d); small inputs only. */
export function allTopKReference(X: CsrMatrix, k: number): { indices: number[][]; scores: number[][] } {
  const n = X.rows;
  const dense: Float64Array[] = [];
  for (let r = 0; r < n; r++) {
    const row = new Float64Array(X.cols);
    for (let p = X.indptr[r]!; p < X.indptr[r + 1]!; p++) row[X.indices[p]!] = X.values[p]!;
    let s = 0;
    for (let j = 0; j < X.cols; j++) s += row[j]! * row[j]!;
    if (s > 0) for (let j = 0; j < X.cols; j++) row[j] = row[j]! / Math.sqrt(s);
    dense.push(row);
  }
  const indices: number[][] = [];
  const scores: number[][] = [];
  for (let i = 0; i < n; i++) {
    const cand: [number, number][] = [];
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      let s = 0;
      for (let c = 0; c < X.cols; c++) s += dense[i]![c]! * dense[j]![c]!;
      if (s !== 0) cand.push([j, s]);
    }
    cand.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    indices.push(cand.slice(0, k).map((c) => c[0]));
    scores.push(cand.slice(0, k).map((c) => c[1]));
  }
  return { indices, scores };
}
