import { getSharedPool, kernelModuleUrl, toShared, type WorkerPool } from '../../core/pool.js';
import { type HistogramBuilder, serialHistograms } from './grow.js';
import { type BinMapper, binSampleRows } from '../tree/binning.js';
import type { Matrix } from '../matrix.js';
import { type BinKernelArgs, type HistKernelArgs } from './hist-kernel.js';

const KERNEL = kernelModuleUrl(import.meta.url, './hist-kernel.js');

/** Rows in a batch below which the histograms are built on this thread (a worker round trip costs more). */
const MIN_PARALLEL_ROWS = 8192;

/** A worker pool for one boosting fit, with shared-memory buffers for the exact path's parallel histograms. */
export interface ParallelHistograms {
  /** Exact float gradients: each batch's FEATURES split across the workers (see `histFeatures`), so every bin is
   * summed by one thread in row order: bit-identical for any thread count. */
  builder: HistogramBuilder;
  allocHist: (n: number) => Float64Array;
  allocBins: (n: number) => Uint8Array;
  allocGh: (n: number) => Float64Array;
  allocRows: (n: number) => Int32Array;
  /** Bin edges and bins (row- and column-major, shared) on the workers: the same as fitBins + applyBins. */
  bin(m: Matrix, maxBins: number, seed: number): Promise<{ mapper: BinMapper; B: Uint8Array; Bc: Uint8Array }>;
  /** The pool and the number of threads (this one included) a quantised fit shards its rows over (sharded.ts). */
  pool: WorkerPool;
  size: number;
}

/**
 * The threads of a boosting fit: `threads` (the calling one included, 0 = the pool size). Returns undefined when
 * one thread is asked for or available, or the data is too small for threads to pay.
 */
export async function parallelHistograms(threads: number, rows: number, d: number, pool?: WorkerPool): Promise<ParallelHistograms | undefined> {
  if (threads === 1 || rows < MIN_PARALLEL_ROWS) return undefined;
  const p = pool ?? getSharedPool();
  const size = threads === 0 ? p.size : Math.min(threads, p.size);
  if (size <= 1) return undefined;
  const shared64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(n * 8));
  const builder: HistogramBuilder = {
    build(B, d, gh, rowIdx, jobs, nJobs, feats, nf, s) {
      let total = 0;
      for (let j = 0; j < nJobs; j++) total += jobs[3 * j + 1] - jobs[3 * j];
      if (total < MIN_PARALLEL_ROWS || nf < 2) {
        serialHistograms.build(B, d, gh, rowIdx, jobs, nJobs, feats, nf, s);
        return;
      }
      const args: HistKernelArgs = { B, d, gh, rowIdx, jobs: jobs.slice(0, 3 * nJobs), nJobs, feats: feats.slice(0, nf), pages: s.pages, perPage: s.perPage, size: s.size };
      return p.run<HistKernelArgs, void>({ module: KERNEL, fn: 'histFeatures', args, total: nf, chunks: size }).then(() => undefined);
    },
  };
  return {
    builder,
    async bin(m, maxBins, seed) {
      const { rows: n, cols: nc } = m;
      const args: BinKernelArgs = { x: toShared(m.data), n, d: nc, rows: binSampleRows(n, seed), maxBins, cuts: [], B: new Uint8Array(new SharedArrayBuffer(n * nc)), Bc: new Uint8Array(new SharedArrayBuffer(n * nc)) };
      const parts = await p.run<BinKernelArgs, Float64Array[]>({ module: KERNEL, fn: 'binCuts', args, total: nc, chunks: size });
      args.cuts = parts.flat();
      await p.run<BinKernelArgs, void>({ module: KERNEL, fn: 'binRows', args, total: n, chunks: size });
      return { mapper: { cuts: args.cuts }, B: args.B, Bc: args.Bc };
    },
    allocHist: (n) => shared64(n),
    allocBins: (n) => new Uint8Array(new SharedArrayBuffer(n)),
    allocGh: (n) => shared64(n),
    allocRows: (n) => new Int32Array(new SharedArrayBuffer(n * 4)),
    pool: p,
    size,
  };
}
