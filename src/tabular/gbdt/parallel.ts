import { getSharedPool, kernelModuleUrl, toShared, type WorkerPool } from '../../core/pool.js';
import { WorkerError } from '../../core/errors.js';
import { type FitArrays, type HistogramBuilder, partition, serialHistograms } from './grow.js';
import { type BinMapper, binSampleRows } from '../tree/binning.js';
import type { Matrix } from '../matrix.js';
import { type BinKernelArgs, CTL, ROW_TASKS, type HistKernelArgs, OP, type ServeArgs, claimTask, partBounds, publishTasks, runTask } from './hist-kernel.js';
import { addPacked, buildPackedHistogram, clearPacked, packedHistSize } from './histogram.js';
import { quantScales, quantizeGradients } from './quantize.js';

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
  /** Bin edges and bins (row- and column-major, shared) on the workers: the same as fitBins + applyBins. */
  bin(m: Matrix, maxBins: number, seed: number): Promise<{ mapper: BinMapper; B: Uint8Array; Bc: Uint8Array }>;
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
  // Resident workers for packed batches, partitions and quantisation (started by `bind`; see serveHistograms).
  const ctl = shared32(CTL.size);
  ctl[CTL.parts] = size;
  const claim = new BigInt64Array(new SharedArrayBuffer(8));
  let batch = 0;
  const jobsS = shared32(6 * MAX_BATCH_JOBS);
  const featsS = shared32(d);
  const params = shared64(16);
  // Packed histogram slots the workers can read (split search); later slots are ordinary memory.
  const arenaSlots = Math.max(16, Math.min(64, 16 * Math.floor(ARENA_BYTES / (16 * 8 * hsize))));
  let arena: Float64Array = new Float64Array(0);
  let arenaUsed = 0;
  const nBinsS = shared32(d);
  const evalIn = shared64(3 * MAX_BATCH_JOBS);
  const evalOut = shared64(6 * MAX_BATCH_JOBS);
  const rangeInfo = shared32(6 * MAX_RANGES);
  const rangeVals = shared64(4 * MAX_RANGES);
  let serve: ServeArgs | undefined;
  let noWorkers = false;
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
    bind(ctx: FitArrays) {
      const { B, Bc, gh, q, rowIdx } = ctx;
      const shared = (a: { buffer: ArrayBufferLike }): boolean => a.buffer instanceof SharedArrayBuffer;
      if (q === undefined || !shared(B) || !shared(Bc) || !shared(gh) || !shared(q) || !shared(rowIdx)) return;
      const scratch: Float64Array[] = [];
      for (let t = 1; t < size; t++) scratch.push(shared64(MAX_BATCH_JOBS * hsize));
      nBinsS.set(ctx.nBins);
      if (arena.length === 0) arena = shared64(arenaSlots * hsize);
      // The objective's arrays, when all shared (y, yIndex and w are copied once).
      const o = ctx.objective;
      const objective =
        o.nOut === 1 && shared(o.margin) && shared(o.grad) && shared(o.hess)
          ? { name: o.name, margin: o.margin, y: toShared(o.y), yIndex: o.yIndex === undefined ? undefined : toShared(o.yIndex), w: toShared(o.w), grad: o.grad, hess: o.hess }
          : undefined;
      const margin = shared(o.margin) ? o.margin : undefined;
      serve = { ctl, claim, jobs: jobsS, feats: featsS, scratch, params, arena, nBins: nBinsS, evalIn, evalOut, rangeInfo, rangeVals, margin, objective, B, Bc, n: ctx.n, gh, q, rowIdx, d, size: hsize };
      p.run<ServeArgs, void>({ module: KERNEL, fn: 'serveHistograms', args: serve, total: size - 1, chunks: size - 1, offload: true }).catch(() => {
        // Nobody serves: the calling thread takes every task (finishOp never waits for unclaimed ones).
        noWorkers = true;
      });
    },
    buildPacked(B, d, q, rowIdx, jobs, nJobs, feats, nf, s) {
      let total = 0;
      for (let j = 0; j < nJobs; j++) total += jobs[3 * j + 1] - jobs[3 * j];
      const a = serve;
      if (total < MIN_PARALLEL_ROWS || a === undefined || a.B !== B || a.q !== q || (rowIdx !== undefined && a.rowIdx !== rowIdx)) {
        serialHistograms.buildPacked(B, d, q, rowIdx, jobs, nJobs, feats, nf, s);
        return;
      }
      featsS.set(feats.subarray(0, nf));
      for (let j0 = 0; j0 < nJobs; j0 += MAX_BATCH_JOBS) {
        const nb = Math.min(MAX_BATCH_JOBS, nJobs - j0);
        jobsS.set(jobs.subarray(3 * j0, 3 * (j0 + nb)));
        ctl[CTL.nJobs] = nb;
        ctl[CTL.nf] = nf;
        ctl[CTL.identity] = rowIdx === undefined ? 1 : 0;
        startOp(a, ++batch, OP.hist, size, 1, noWorkers);
        // Part 0 into the nodes' own histograms, on this thread, while the workers build parts 1..size-1.
        for (let j = 0; j < nb; j++) {
          const buf = s.buffers[jobsS[3 * j + 2]];
          const [lo, hi] = partBounds(jobsS[3 * j], jobsS[3 * j + 1], 0, size);
          clearPacked(buf, 0, featsS, nf, d);
          buildPackedHistogram(B, d, rowIdx, lo, hi, q, featsS, nf, buf, 0);
        }
        finishOp(a, size - 1);
        for (let j = 0; j < nb; j++) {
          const buf = s.buffers[jobsS[3 * j + 2]];
          for (let t = 1; t < size; t++) addPacked(buf, 0, a.scratch[t - 1], j * hsize, featsS, nf, d);
        }
      }
    },
    partitionNodes(Bc, n, rowIdx, tasks, nTasks) {
      const a = serve;
      let total = 0;
      for (let t = 0; t < nTasks; t++) total += tasks[6 * t + 1] - tasks[6 * t];
      if (a === undefined || a.Bc !== Bc || a.rowIdx !== rowIdx || total < MIN_PARALLEL_ROWS) {
        const scratch = new Int32Array(total);
        for (let t = 0; t < nTasks; t++) tasks[6 * t + 5] = partition(Bc, n, rowIdx, tasks[6 * t], tasks[6 * t + 1], tasks[6 * t + 2], tasks[6 * t + 3], tasks[6 * t + 4] === 1, scratch);
        return;
      }
      for (let t0 = 0; t0 < nTasks; t0 += MAX_BATCH_JOBS) {
        const nb = Math.min(MAX_BATCH_JOBS, nTasks - t0);
        jobsS.set(tasks.subarray(6 * t0, 6 * (t0 + nb)));
        startOp(a, ++batch, OP.partition, nb, 0, noWorkers);
        finishOp(a, nb);
        for (let t = 0; t < nb; t++) tasks[6 * (t0 + t) + 5] = jobsS[6 * t + 5];
      }
    },
    evaluateNodes(slots, nodes, nNodes, feats, nf, nBins, sc, sp) {
      const a = serve;
      if (a === undefined || nNodes > MAX_BATCH_JOBS || slots.size !== hsize || a.arena !== arena) return undefined;
      for (let i = 0; i < nNodes; i++) if (nodes[3 * i] >= arenaSlots) return undefined;
      for (let f = 0; f < d; f++) if (nBins[f] !== nBinsS[f]) return undefined;
      featsS.set(feats.subarray(0, nf));
      ctl[CTL.nf] = nf;
      evalIn.set(nodes.subarray(0, 3 * nNodes));
      params[8] = sc.gScale;
      params[9] = sc.hScale;
      params[10] = sc.shift;
      params[11] = sp.lambda;
      params[12] = sp.alpha;
      params[13] = sp.gamma;
      params[14] = sp.minChildWeight;
      startOp(a, ++batch, OP.evaluate, nNodes, 0, noWorkers);
      finishOp(a, nNodes);
      return evalOut;
    },
    rangeSums(gh, rowIdx, Bc, n, info, nR) {
      const a = serve;
      if (a === undefined || nR > MAX_RANGES || a.gh !== gh || a.rowIdx !== rowIdx || a.Bc !== Bc) return undefined;
      rangeInfo.set(info.subarray(0, 6 * nR));
      startOp(a, ++batch, OP.rangeSums, nR, 0, noWorkers);
      finishOp(a, nR);
      return rangeVals;
    },
    rangeMargins(rowIdx, Bc, n, info, nR, vals, out, stride, offset) {
      const a = serve;
      if (a === undefined || nR > MAX_RANGES || a.margin !== out || a.rowIdx !== rowIdx || a.Bc !== Bc) return false;
      rangeInfo.set(info.subarray(0, 6 * nR));
      rangeVals.set(vals.subarray(0, 2 * nR));
      ctl[CTL.stride] = stride;
      ctl[CTL.offset] = offset;
      startOp(a, ++batch, OP.rangeMargins, nR, 0, noWorkers);
      finishOp(a, nR);
      return true;
    },
    gradients() {
      const a = serve;
      if (a === undefined || a.objective === undefined) return false;
      startOp(a, ++batch, OP.gradients, ROW_TASKS, 0, noWorkers);
      finishOp(a, ROW_TASKS);
      return true;
    },
    quantize(gh, n, lim, seed, q) {
      const a = serve;
      if (a === undefined || a.gh !== gh || a.q !== q) return quantizeGradients(gh, n, lim, seed, q);
      const sc = quantScales(gh, n, lim);
      params[0] = 1 / sc.gScale;
      params[1] = 1 / sc.hScale;
      params[2] = lim.gLevels;
      params[3] = lim.hLevels;
      params[4] = 2 ** lim.shift;
      params[5] = seed | 0;
      params[6] = n;
      startOp(a, ++batch, OP.quantize, ROW_TASKS, 0, noWorkers);
      finishOp(a, ROW_TASKS);
      return sc;
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
    allocHist: (n, packed) => {
      if (!packed) return shared64(n);
      if (arena.length === 0) arena = shared64(arenaSlots * hsize);
      if (arenaUsed + n > arena.length) return new Float64Array(n);
      arenaUsed += n;
      return arena.subarray(arenaUsed - n, arenaUsed);
    },
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

/**
 * Packed histogram slots in shared memory, where workers can search them for splits: up to 64 (depth-6 trees use at
 * most that many at once) within about 16 MB; further slots are ordinary memory and searched on the calling thread.
 */
const ARENA_BYTES = 16 * 2 ** 20;
/** Final row ranges of a tree handled by the workers (more: the calling thread does them). */
const MAX_RANGES = 1024;
/** Jobs per packed batch handed to the resident workers (larger batches go in groups; bounds scratch memory). */
const MAX_BATCH_JOBS = 32;
/** A part not finished after this long means a worker is gone: fail instead of hanging. */
const WAIT_MS = 120_000;

/** Publishes batch `batch` of operation `op` (arguments already written): tasks first..tasks-1, and wakes the workers. */
function startOp(a: ServeArgs, batch: number, op: number, tasks: number, first: number, noWorkers: boolean): void {
  const ctl = a.ctl;
  ctl[CTL.op] = op;
  // Only threads that claimed a task of this batch count it done, and none can claim before the publication below.
  Atomics.store(ctl, CTL.done, 0);
  publishTasks(a.claim, batch, first, tasks);
  if (noWorkers) return;
  Atomics.add(ctl, CTL.gen, 1);
  // A worker registers as sleeping before it waits on `gen`, and the wait rechecks `gen`: no wake-up is lost.
  if (Atomics.load(ctl, CTL.sleeping) > 0) Atomics.notify(ctl, CTL.gen);
}

/** Takes every task no worker has claimed, then waits until all `count` claimable tasks are done. */
function finishOp(a: ServeArgs, count: number): void {
  const ctl = a.ctl;
  for (;;) {
    const t = claimTask(a.claim);
    if (t < 0) break;
    runTask(a, t);
    Atomics.add(ctl, CTL.done, 1);
  }
  // The workers' last tasks are usually about to finish: poll briefly before sleeping.
  const until = performance.now() + 0.05;
  while (Atomics.load(ctl, CTL.done) < count && performance.now() < until);
  for (;;) {
    const done = Atomics.load(ctl, CTL.done);
    if (done >= count) return;
    if (Atomics.wait(ctl, CTL.done, done, WAIT_MS) === 'timed-out' && Atomics.load(ctl, CTL.done) === done) {
      throw new WorkerError(`gradient boosting: a worker did not finish its task within ${WAIT_MS / 1000} s`);
    }
  }
}
