import { applyBinsRows, fitBinCuts } from '../tree/binning.js';
import { addRangeValues, partition, rangeSums } from './grow.js';
import { buildHistogramFeatures, buildPackedHistogram, clearPacked } from './histogram.js';
import { interleave } from './booster.js';
import { type Objective, type ObjectiveName, makeObjective } from './objectives.js';
import { packRounded } from './quantize.js';
import { type SplitParams, type SplitResult, findBestSplitPacked } from './split.js';

/** Arguments of {@link histFeatures}: shared binned rows, gradients, row order, jobs and histogram pages. */
export interface HistKernelArgs {
  B: Uint8Array;
  d: number;
  gh: Float64Array;
  rowIdx: Int32Array;
  /** [start, end, slot] per job. */
  jobs: Int32Array;
  nJobs: number;
  feats: Int32Array;
  pages: Float64Array[];
  perPage: number;
  size: number;
}

/**
 * Pool kernel: builds every job's histogram for the feature positions [start, end) (a chunk of `feats`). Chunks
 * write disjoint bins, so any number of threads gives the same histograms.
 */
export function histFeatures(a: HistKernelArgs, start: number, end: number): void {
  for (let j = 0; j < a.nJobs; j++) {
    const slot = a.jobs[3 * j + 2];
    const page = a.pages[(slot / a.perPage) | 0];
    const off = (slot % a.perPage) * a.size;
    buildHistogramFeatures(a.B, a.d, a.rowIdx, a.jobs[3 * j], a.jobs[3 * j + 1], a.gh, a.feats, start, end, page, off);
  }
}

/** Slots of the control block shared by {@link serveHistograms} and its caller (Int32Array indices). */
export const CTL = { gen: 0, done: 1, exit: 2, nJobs: 3, nf: 4, identity: 5, parts: 6, op: 7, sleeping: 8, stride: 9, offset: 10, size: 11 } as const;

/** Operations of a batch: histogram row parts, quantisation row parts, node partitions. */
export const OP = { hist: 1, quantize: 2, partition: 3, evaluate: 4, gradients: 5, rangeSums: 6, rangeMargins: 7 } as const;

/** Arguments of {@link serveHistograms}: everything shared for the whole fit (sent once). */
export interface ServeArgs {
  ctl: Int32Array;
  /**
   * The claim word: batch number (high 32 bits), next task (16 bits), task count (16 bits), published in one atomic
   * store and claimed by compare-exchange, so a thread that slept through a batch can never claim into the next.
   */
  claim: BigInt64Array;
  /** [start, end, slot] per job of the current batch; for partitions [start, end, feature, bin, defaultLeft, mid]. */
  jobs: Int32Array;
  feats: Int32Array;
  /** scratch[t - 1] holds part t's histogram of job j at j * size. */
  scratch: Float64Array[];
  /**
   * Scalars: quantisation gInv, hInv, gLevels, hLevels, 2^shift, seed, n (0-6); split search gScale, hScale,
   * shift, lambda, alpha, gamma, minChildWeight (8-14).
   */
  params: Float64Array;
  /** Packed histogram slots 0..arenaSlots-1 (slot s at s * size). */
  arena: Float64Array;
  nBins: Int32Array;
  /** Split search: [slot, Gq, Hq] per node in, [gain, feature, bin, defaultLeft, GL, HL] per node out. */
  evalIn: Float64Array;
  evalOut: Float64Array;
  /** Final row ranges of a tree: [start, end, feature, bin, defaultLeft, -] each, and their sums or values. */
  rangeInfo: Int32Array;
  rangeVals: Float64Array;
  /** The margins the tree's values are added to (shared), or undefined. */
  margin: Float64Array | undefined;
  /** One-output objective and its shared inputs/outputs (see FitArrays.objective); undefined: not shared. */
  objective: { name: ObjectiveName; margin: Float64Array; y: Float64Array; yIndex: Int32Array | undefined; w: Float64Array; grad: Float64Array; hess: Float64Array } | undefined;
  B: Uint8Array;
  Bc: Uint8Array;
  n: number;
  gh: Float64Array;
  q: Float64Array;
  rowIdx: Int32Array;
  d: number;
  size: number;
}

/**
 * Row-wise operations (gradients, quantisation) are cut into this many tasks whatever the thread count: results do
 * not depend on it, and a thread that got descheduled leaves more of the work to the others.
 */
export const ROW_TASKS = 16;

/** Row range of part `t` of [s, e) split into `parts` (sizes differ by at most one). */
export function partBounds(s: number, e: number, t: number, parts: number): [number, number] {
  const len = e - s;
  return [s + Math.floor((t * len) / parts), s + Math.floor(((t + 1) * len) / parts)];
}

/**
 * Builds part t (>= 1) of every job of the current batch into scratch[t - 1]: the job's rows split into `parts`
 * contiguous ranges, part t's range histogrammed. Used by both the workers and the calling thread.
 */
export function buildPart(a: ServeArgs, t: number): void {
  const ctl = a.ctl;
  const nJobs = ctl[CTL.nJobs];
  const nf = ctl[CTL.nf];
  const parts = ctl[CTL.parts];
  const rows = ctl[CTL.identity] === 1 ? undefined : a.rowIdx;
  const buf = a.scratch[t - 1];
  for (let j = 0; j < nJobs; j++) {
    const [s, e] = partBounds(a.jobs[3 * j], a.jobs[3 * j + 1], t, parts);
    const off = j * a.size;
    clearPacked(buf, off, a.feats, nf, a.d);
    buildPackedHistogram(a.B, a.d, rows, s, e, a.q, a.feats, nf, buf, off);
  }
}

/** Quantises rows of part t of [0, n) (the per-row random stream makes parts independent). */
export function quantizePart(a: ServeArgs, t: number): void {
  const p = a.params;
  const [s, e] = partBounds(0, p[6], t, ROW_TASKS);
  packRounded(a.gh, s, e, p[0], p[1], p[2], p[3], p[4], p[5], a.q);
}

let scratchRows = new Int32Array(0);

/** Partitions node `t` of the batch (jobs holds 6 ints per node) and stores its first right position. */
export function partitionTask(a: ServeArgs, t: number): void {
  const J = a.jobs;
  const o = 6 * t;
  const s = J[o];
  const e = J[o + 1];
  if (scratchRows.length < e - s) scratchRows = new Int32Array(Math.max(e - s, 2 * scratchRows.length));
  J[o + 5] = partition(a.Bc, a.n, a.rowIdx, s, e, J[o + 2], J[o + 3], J[o + 4] === 1, scratchRows);
}

const split: SplitResult = { gain: 0, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0 };

/** Best split of node t of the batch. */
export function evaluateTask(a: ServeArgs, t: number): void {
  const p = a.params;
  const sp: SplitParams = { lambda: p[11], alpha: p[12], gamma: p[13], minChildWeight: p[14] };
  const i = a.evalIn;
  findBestSplitPacked(a.arena, i[3 * t] * a.size, a.feats, a.ctl[CTL.nf], a.nBins, i[3 * t + 1], i[3 * t + 2], p[8], p[9], p[10], sp, split);
  const o = a.evalOut;
  o[6 * t] = split.gain;
  o[6 * t + 1] = split.feature;
  o[6 * t + 2] = split.bin;
  o[6 * t + 3] = split.defaultLeft ? 1 : 0;
  o[6 * t + 4] = split.GL;
  o[6 * t + 5] = split.HL;
}

let objective: Objective | undefined;

/** Gradients of rows of part t (one output): the objective on that row range, then interleaved into gh. */
export function gradientsTask(a: ServeArgs, t: number): void {
  const o = a.objective as NonNullable<ServeArgs['objective']>;
  if (objective?.name !== o.name) objective = makeObjective(o.name, o.name === 'binary' ? 2 : 1);
  const [s, e] = partBounds(0, a.n, t, ROW_TASKS);
  objective.gradients(o.margin.subarray(s, e), o.y.subarray(s, e), o.yIndex?.subarray(s, e), o.w.subarray(s, e), o.grad.subarray(s, e), o.hess.subarray(s, e));
  interleave(o.grad.subarray(s, e), o.hess.subarray(s, e), 0, e - s, a.gh.subarray(2 * s, 2 * e));
}

/** Runs task t of the current batch's operation. */
export function runTask(a: ServeArgs, t: number): void {
  const op = a.ctl[CTL.op];
  if (op === OP.hist) buildPart(a, t);
  else if (op === OP.quantize) quantizePart(a, t);
  else if (op === OP.partition) partitionTask(a, t);
  else if (op === OP.evaluate) evaluateTask(a, t);
  else if (op === OP.gradients) gradientsTask(a, t);
  else if (op === OP.rangeSums) rangeSums(a.Bc, a.n, a.rowIdx, a.gh, a.rangeInfo, t, a.rangeVals);
  else addRangeValues(a.Bc, a.n, a.rowIdx, a.rangeInfo, t, a.rangeVals, a.margin as Float64Array, a.ctl[CTL.stride], a.ctl[CTL.offset]);
}

/** Claims the next task of the current batch, or returns -1 when none is left. */
export function claimTask(word: BigInt64Array): number {
  for (;;) {
    const w = Atomics.load(word, 0);
    const next = Number((w >> 16n) & 0xffffn);
    if (next >= Number(w & 0xffffn)) return -1;
    if (Atomics.compareExchange(word, 0, w, w + 0x10000n) === w) return next;
  }
}

/** Publishes batch `batch` with tasks first..tasks-1 claimable. */
export function publishTasks(word: BigInt64Array, batch: number, first: number, tasks: number): void {
  Atomics.store(word, 0, (BigInt(batch >>> 0) << 32n) | (BigInt(first) << 16n) | BigInt(tasks));
}

/**
 * Pool kernel that stays resident for a whole fit: sleeps on the control block's generation counter, and for every
 * new batch claims tasks (an atomic counter, so the calling thread takes whatever no worker got to) until none are
 * left, then sleeps again; returns when `exit` is set. No message per batch: one futex wake instead.
 */
export function serveHistograms(a: ServeArgs): void {
  const ctl = a.ctl;
  for (;;) {
    if (Atomics.load(ctl, CTL.exit) === 1) return;
    const gen = Atomics.load(ctl, CTL.gen);
    for (;;) {
      const t = claimTask(a.claim);
      if (t < 0) break;
      runTask(a, t);
      Atomics.add(ctl, CTL.done, 1);
      Atomics.notify(ctl, CTL.done);
    }
    // Batches of a tree level come back to back: poll briefly before sleeping, so most need no wake-up call.
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctl, CTL.gen) === gen && performance.now() < until);
    if (Atomics.load(ctl, CTL.gen) !== gen) continue;
    Atomics.add(ctl, CTL.sleeping, 1);
    Atomics.wait(ctl, CTL.gen, gen);
    Atomics.sub(ctl, CTL.sleeping, 1);
  }
}

/** How long an idle worker polls for the next batch before sleeping (ms). */
const SPIN_MS = 0.05;

/** Arguments of the binning kernels: the shared training matrix and, for {@link binRows}, edges and outputs. */
export interface BinKernelArgs {
  x: Float64Array | Float32Array;
  n: number;
  d: number;
  rows: Int32Array;
  maxBins: number;
  cuts: Float64Array[];
  B: Uint8Array;
  Bc: Uint8Array;
}

/** Pool kernel: bin edges of features [start, end). */
export function binCuts(a: BinKernelArgs, start: number, end: number): Float64Array[] {
  return fitBinCuts({ data: a.x, rows: a.n, cols: a.d }, a.rows, a.maxBins, start, end);
}

/** Pool kernel: bins of rows [start, end), row- and column-major. */
export function binRows(a: BinKernelArgs, start: number, end: number): void {
  applyBinsRows({ data: a.x, rows: a.n, cols: a.d }, { cuts: a.cuts }, a.B, a.Bc, start, end);
}
