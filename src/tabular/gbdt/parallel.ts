import { getSharedPool, kernelModuleUrl, type WorkerPool } from '../../core/pool.js';
import { type HistogramBuilder, serialHistograms } from './grow.js';
import { WorkerError } from '../../core/errors.js';
import { CTL, type HistKernelArgs, type ServeArgs, buildPart, partBounds } from './hist-kernel.js';
import { addPacked, buildPackedHistogram, clearPacked, packedHistSize } from './histogram.js';

const KERNEL = kernelModuleUrl(import.meta.url, './hist-kernel.js');

/** Rows in a batch below which the histograms are built on this thread (a worker round trip costs more). */
const MIN_PARALLEL_ROWS = 8192;

/** A parallel histogram builder bound to a worker pool, with shared-memory buffers. */
export interface ParallelHistograms {
  builder: HistogramBuilder;
  /** Histogram pages: shared for the exact (feature-split) builder, ordinary for packed ones (only this thread writes them). */
  allocHist: (n: number, packed: boolean) => Float64Array;
  allocBins: (n: number) => Uint8Array;
  allocGh: (n: number) => Float64Array;
  allocRows: (n: number) => Int32Array;
  allocPacked: (n: number) => Float64Array;
  release(): void;
}

/**
 * Parallel histogram builders on `threads` threads (the calling one included, 0 = the pool size):
 * - packed (quantised) gradients: each batch job's ROWS are split into one contiguous part per thread; this thread
 *   builds part 0 into the node's histogram while workers build the other parts into scratch, then the parts are
 *   added. Packed sums are exact integers, so the histograms are bit-identical for any thread count.
 * - exact float gradients: each batch's FEATURES are split across the workers (see `histFeatures`), so every bin is
 *   summed by one thread in row order: bit-identical too.
 * Small batches stay on this thread. Returns undefined when one thread is asked for or available.
 */
export async function parallelHistograms(threads: number, rows: number, d: number, pool?: WorkerPool): Promise<ParallelHistograms | undefined> {
  if (threads === 1 || rows < MIN_PARALLEL_ROWS) return undefined;
  const p = pool ?? getSharedPool();
  const size = threads === 0 ? p.size : Math.min(threads, p.size);
  if (size <= 1) return undefined;
  const shared64 = (n: number): Float64Array => new Float64Array(new SharedArrayBuffer(n * 8));
  const shared32 = (n: number): Int32Array => new Int32Array(new SharedArrayBuffer(n * 4));
  const hsize = packedHistSize(d);
  // Resident workers for packed batches (started on the first large batch; see serveHistograms).
  const ctl = shared32(CTL.size);
  ctl[CTL.parts] = size;
  ctl[CTL.next] = size;
  const jobsS = shared32(3 * MAX_BATCH_JOBS);
  const featsS = shared32(d);
  let serve: ServeArgs | undefined;
  let failure: Error | undefined;
  const startServing = (B: Uint8Array, q: Float64Array, rowIdx: Int32Array): ServeArgs => {
    const scratch: Float64Array[] = [];
    for (let t = 1; t < size; t++) scratch.push(shared64(MAX_BATCH_JOBS * hsize));
    const args: ServeArgs = { ctl, jobs: jobsS, feats: featsS, scratch, B, q, rowIdx, d, size: hsize };
    p.run<ServeArgs, void>({ module: KERNEL, fn: 'serveHistograms', args, total: size - 1, chunks: size - 1, offload: true }).catch((e: unknown) => {
      failure = e instanceof Error ? e : new Error(String(e));
      // Nobody will serve: let the calling thread take every part.
    });
    return args;
  };
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
    buildPacked(B, d, q, rowIdx, jobs, nJobs, feats, nf, s) {
      let total = 0;
      for (let j = 0; j < nJobs; j++) total += jobs[3 * j + 1] - jobs[3 * j];
      const shared = B.buffer instanceof SharedArrayBuffer && q.buffer instanceof SharedArrayBuffer && rowIdx !== undefined && rowIdx.buffer instanceof SharedArrayBuffer;
      if (total < MIN_PARALLEL_ROWS || (serve === undefined && !shared)) {
        serialHistograms.buildPacked(B, d, q, rowIdx, jobs, nJobs, feats, nf, s);
        return;
      }
      serve ??= startServing(B, q, rowIdx as Int32Array);
      if (serve.B !== B || serve.q !== q || (rowIdx !== undefined && serve.rowIdx !== rowIdx)) {
        serialHistograms.buildPacked(B, d, q, rowIdx, jobs, nJobs, feats, nf, s);
        return;
      }
      featsS.set(feats.subarray(0, nf));
      for (let j0 = 0; j0 < nJobs; j0 += MAX_BATCH_JOBS) {
        const nb = Math.min(MAX_BATCH_JOBS, nJobs - j0);
        jobsS.set(jobs.subarray(3 * j0, 3 * (j0 + nb)));
        runBatch(serve, nb, nf, rowIdx === undefined, size, failure !== undefined);
        // Part 0 into the nodes' own histograms, on this thread, while the workers build parts 1..size-1.
        for (let j = 0; j < nb; j++) {
          const buf = s.buffers[jobsS[3 * j + 2]];
          const [a, b] = partBounds(jobsS[3 * j], jobsS[3 * j + 1], 0, size);
          clearPacked(buf, 0, featsS, nf, d);
          buildPackedHistogram(B, d, rowIdx, a, b, q, featsS, nf, buf, 0);
        }
        finishBatch(serve, size);
        for (let j = 0; j < nb; j++) {
          const buf = s.buffers[jobsS[3 * j + 2]];
          for (let t = 1; t < size; t++) addPacked(buf, 0, serve.scratch[t - 1], j * hsize, featsS, nf, d);
        }
      }
    },
  };
  return {
    builder,
    allocHist: (n, packed) => (packed ? new Float64Array(n) : shared64(n)),
    allocBins: (n) => new Uint8Array(new SharedArrayBuffer(n)),
    allocGh: (n) => shared64(n),
    allocRows: (n) => shared32(n),
    allocPacked: (n) => shared64(n),
    release() {
      Atomics.store(ctl, CTL.exit, 1);
      Atomics.add(ctl, CTL.gen, 1);
      Atomics.notify(ctl, CTL.gen);
      serve = undefined;
    },
  };
}

/** Jobs per packed batch handed to the resident workers (larger batches go in groups; bounds scratch memory). */
const MAX_BATCH_JOBS = 32;
/** A part not finished after this long means a worker is gone: fail instead of hanging. */
const WAIT_MS = 120_000;

/** Publishes a batch (jobs and feats already written) and wakes the workers. */
function runBatch(a: ServeArgs, nJobs: number, nf: number, identity: boolean, parts: number, noWorkers: boolean): void {
  const ctl = a.ctl;
  ctl[CTL.nJobs] = nJobs;
  ctl[CTL.nf] = nf;
  ctl[CTL.identity] = identity ? 1 : 0;
  // Order matters: `done` is reset before parts become claimable.
  Atomics.store(ctl, CTL.done, 0);
  Atomics.store(ctl, CTL.next, 1);
  if (noWorkers) return;
  Atomics.add(ctl, CTL.gen, 1);
  Atomics.notify(ctl, CTL.gen);
  void parts;
}

/** Takes every part no worker has claimed, then waits for the claimed ones. */
function finishBatch(a: ServeArgs, parts: number): void {
  const ctl = a.ctl;
  for (;;) {
    const t = Atomics.add(ctl, CTL.next, 1);
    if (t >= parts) break;
    buildPart(a, t);
    Atomics.add(ctl, CTL.done, 1);
  }
  for (;;) {
    const done = Atomics.load(ctl, CTL.done);
    if (done >= parts - 1) return;
    if (Atomics.wait(ctl, CTL.done, done, WAIT_MS) === 'timed-out' && Atomics.load(ctl, CTL.done) === done) {
      throw new WorkerError(`gradient boosting: a histogram worker did not finish its part within ${WAIT_MS / 1000} s`);
    }
  }
}
