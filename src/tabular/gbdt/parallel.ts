import { getSharedPool, kernelModuleUrl, type WorkerPool } from '../../core/pool.js';
import { type HistogramBuilder, HistSlots, serialHistograms } from './grow.js';
import type { HistKernelArgs } from './hist-kernel.js';

const KERNEL = kernelModuleUrl(import.meta.url, './hist-kernel.js');

/** Rows in a batch below which the histograms are built on this thread (a worker round trip costs more). */
const MIN_PARALLEL_ROWS = 8192;

/** A parallel histogram builder bound to a worker pool, with shared-memory slots and buffers. */
export interface ParallelHistograms {
  builder: HistogramBuilder;
  slots: HistSlots;
  allocBins: (n: number) => Uint8Array;
  allocGh: (n: number) => Float64Array;
  allocRows: (n: number) => Int32Array;
  release(): void;
}

/**
 * A builder that splits each batch's features across the pool's threads (see `histFeatures`): bit-identical to the
 * serial builder. Small batches stay on this thread. Returns undefined when one thread is asked for or available.
 */
export async function parallelHistograms(threads: number, rows: number, d: number, pool?: WorkerPool): Promise<ParallelHistograms | undefined> {
  if (threads === 1 || rows < MIN_PARALLEL_ROWS) return undefined;
  const p = pool ?? getSharedPool();
  const size = threads === 0 ? p.size : Math.min(threads, p.size);
  if (size <= 1) return undefined;
  const shared64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(n * 8));
  const slots = new HistSlots(d, shared64);
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
    slots,
    allocBins: (n) => new Uint8Array(new SharedArrayBuffer(n)),
    allocGh: (n) => shared64(n),
    allocRows: (n) => new Int32Array(new SharedArrayBuffer(n * 4)),
    release() {
      slots.pages.length = 0;
      slots.buffers.length = 0;
    },
  };
}
