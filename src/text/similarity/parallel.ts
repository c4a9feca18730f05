import { throwIfAborted } from '../../core/errors.js';
import { WorkerPool, getSharedPool, kernelModuleUrl } from '../../core/pool.js';
import type { CsrMatrix } from '../csr.js';
import { type AllTopKOptions, type Neighbours, SimilarityIndex } from './similarity.js';
import type { TopKKernelArgs } from './topk-kernel.js';

const KERNEL = kernelModuleUrl(import.meta.url, './topk-kernel.js');

/** Options of {@link cosineTopKParallel}. */
export interface ParallelTopKOptions extends Omit<AllTopKOptions, 'runBlock'> {
  /** Worker threads (default: the shared pool, sized by RECKON_THREADS or the machine); 1 runs on this thread. */
  threads?: number;
  /** A pool to use instead of the shared one. */
  pool?: WorkerPool;
}

/**
 * Top-k cosine neighbours of every row of `X` (rows need not be normalised), by blocks of X · Xᵀ computed on the
 * worker pool: the normalised rows and the inverted index live on SharedArrayBuffers that every thread reads, and
 * each block writes its own rows of the n x k output. Memory O(nnz + n·k + threads·n); the result does not depend
 * on the number of threads. Returns n x k indices/scores, padded with -1/NaN.
 */
export async function cosineTopKParallel(X: CsrMatrix, k: number, opts: ParallelTopKOptions = {}): Promise<Neighbours> {
  const index = new SimilarityIndex(X);
  return similarityTopKParallel(index, k, opts);
}

/** {@link cosineTopKParallel} over an existing index. */
export async function similarityTopKParallel(index: SimilarityIndex, k: number, opts: ParallelTopKOptions = {}): Promise<Neighbours> {
  const { threads, pool: given, ...rest } = opts;
  if (given === undefined && threads === 1) return index.allTopK(k, rest);
  const own = given === undefined && threads !== undefined ? new WorkerPool({ size: threads }) : undefined;
  const pool = given ?? own ?? getSharedPool();
  try {
    if (pool.size <= 1) return await index.allTopK(k, rest);
    throwIfAborted(opts.signal, 'cosine top-k');
    const args = index.kernelArgs(k, rest.includeSelf ?? false);
    const block = rest.blockRows ?? Math.max(128, Math.ceil(index.n / (pool.size * 8)));
    await pool.run<TopKKernelArgs, void>({ module: KERNEL, fn: 'fn', args, total: index.n, chunks: Math.ceil(index.n / block) });
    opts.onProgress?.({ step: 'similar', done: index.n, total: index.n });
    return { n: index.n, k, indices: args.outIdx, scores: args.outScore };
  } finally {
    if (own !== undefined) await own.close();
  }
}
