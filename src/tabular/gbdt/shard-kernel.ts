import { type BinIndex, type BinMapper, GRID, applyBinsRowsIndexed, fitBinCuts } from '../tree/binning.js';
import { addRangeValues, partition, rangeSums } from './grow.js';
import { PACKED_BLOCK, addPacked, buildPackedHistogram, clearPacked, copyPacked, subtractPacked } from './histogram.js';
import { type Objective, type ObjectiveName, makeObjective } from './objectives.js';
import { packRounded } from './quantize.js';
import { type SplitResult, findBestSplitPacked } from './split.js';
import { type WasmKernels, kernelsFor } from './wasm.js';

/**
 * Kernels of quantised (packed) boosting on row shards. The rows of a tree are cut into SHARDS fixed segments of the
 * row index; every node keeps one row range per shard, and partitioning a node moves rows only within their shard.
 * Each operation below is a batch of tasks (one per shard, or one per node) that the calling thread and resident
 * workers claim from an atomic counter, so one batch per tree level does the partitions AND the histograms of all
 * the level's nodes. A thread adds the shards it claimed into its own partial histogram; partial sums are exact
 * integers (see quantize.ts), and float sums (leaf refits) are kept per shard and added in shard order, so the model
 * is bit-identical for any thread count and any claiming order.
 */
export const SHARDS = 32;

/** Slots of the control block (Int32Array indices). */
export const CTL = {
  gen: 0,
  done: 1,
  exit: 2,
  nJobs: 3,
  nf: 4,
  op: 5,
  sleeping: 6,
  /** Rows of the tree (positions 0..nRows-1 of rowIdx). */
  nRows: 7,
  /** 1: rowIdx is the identity over all n rows (no row subsampling). */
  identity: 8,
  /** 1: the one-output objective's gradients are computed by the grad operation. */
  objective: 9,
  /** Output column of the tree being grown (gradients and margins are n x nOut). */
  column: 10,
  nOut: 11,
  /** Ranges of the rsums/margins operations. */
  nRanges: 12,
  /** Batch number of the current operation (for partial-histogram stamps). */
  batch: 13,
  /** Batch number of the level whose partial histograms an evaluate batch reduces. */
  levelBatch: 14,
  /** Tasks run by workers (not the calling thread) over the fit. */
  workerTasks: 15,
  /** Binning: most value bins per feature, and the feature blocks of the binCuts operation. */
  maxBins: 16,
  binBlocks: 17,
  /** Workers that entered serveShards. */
  serving: 18,
  /** 1: the level batch ran job by job (each small child's histogram built whole in its slot; no partials). */
  jobMajor: 19,
  size: 20,
} as const;

/** Operations. */
export const OP = { grad: 1, quantRoot: 2, quant: 3, root: 4, level: 5, evaluate: 6, rangeSums: 7, margins: 8, binCuts: 9, binRows: 10, levelJobs: 11 } as const;

/** Nodes per level/evaluate batch (larger levels go in several batches; bounds partial-histogram memory). */
export const MAX_JOBS = 32;
/** Final row ranges per rsums/margins batch. */
export const MAX_RANGES = 256;

/** Everything shared by the calling thread and the resident workers for a whole fit (sent once). */
export interface ShardArgs {
  ctl: Int32Array;
  /** Claim words, one per thread (see claimTask). */
  claim: BigInt64Array;
  /** Level jobs: [feature, bin, defaultLeft, buildLeft] per job. */
  jobs: Int32Array;
  /** Job-major level batches: the arena slot of each job's small child. */
  jobSlots: Int32Array;
  /** Per job and shard, the parent's row range [start, end) at ((j * SHARDS + s) * 2); mids out at (j * SHARDS + s). */
  jobRanges: Int32Array;
  mids: Int32Array;
  /** stamps[t * MAX_JOBS + j] = batch when thread t's partial histogram of job j holds this batch's rows. */
  stamps: Int32Array;
  /** partials[t]: thread t's partial histograms, job j at j * size. */
  partials: Float64Array[];
  feats: Int32Array;
  nBins: Int32Array;
  /**
   * Scalars: quantisation gInv, hInv, gLevels, hLevels, 2^shift, seed (0-5); split search gScale, hScale, shift,
   * lambda, alpha, gamma, minChildWeight (8-14).
   */
  params: Float64Array;
  /** Packed histogram slots 0..arenaSlots-1 (slot s at s * size). */
  arena: Float64Array;
  /**
   * Evaluate jobs: [smallSlot, largeSlot (-1: none), evalSmall, evalLarge, GqS, HqS, GqL, HqL] in; per job, child and
   * feature block [gain, feature, bin, defaultLeft, GL, HL] out.
   */
  evalIn: Float64Array;
  evalOut: Float64Array;
  /** Per-shard results: [max |g|, max h, packed root sum, -] of the grad/root operations. */
  shardOut: Float64Array;
  /**
   * Final ranges, one record per range q and shard s at r = q * SHARDS + s: [start, end, feature, bin, defaultLeft, -]
   * at 6r (the layout of grow.ts's rangeSums / addRangeValues); sums out at 4r, leaf values in at 2r.
   */
  rangeInfo: Int32Array;
  rangeSums: Float64Array;
  rangeVals: Float64Array;
  objective: { name: ObjectiveName; y: Float64Array; yIndex: Int32Array | undefined; w: Float64Array } | undefined;
  margin: Float64Array;
  grad: Float64Array;
  hess: Float64Array;
  B: Uint8Array;
  Bc: Uint8Array;
  n: number;
  d: number;
  gh: Float64Array;
  q: Float64Array;
  rowIdx: Int32Array;
  /** Float64 slots of one packed histogram. */
  size: number;
  /** The raw training values (n x d, shared) until the bins exist (then emptied), and the rows bin edges are found from. */
  x: Float64Array | Float32Array;
  sample: Int32Array;
  /**
   * The bins' search index (binning.ts's BinIndex, shared): the binCuts tasks write each feature's edges (at f * 256)
   * and last edge index, the calling thread then the grid, and the binRows tasks read it.
   */
  binIdx: BinIndex;
  /** With `memory`: per-thread buffers for a shard's raw values (the WebAssembly binning reads them there). */
  xbuf: Float64Array[];
  /**
   * The WebAssembly memory that holds the engine's arrays (bins, gradients, packed values, row order, margins, arena,
   * partials, scratch; see sharded.ts): the hot loops then run kernels.wat on it. Undefined: the JavaScript kernels,
   * on shared buffers of their own.
   */
  memory: WebAssembly.Memory | undefined;
  /** The compiled kernels (compiled once, on the calling thread; see wasm.ts). */
  module: WebAssembly.Module | undefined;
  /** scratch[t]: thread t's partition buffer (one shard's rows) in `memory`; empty without it. */
  scratch: Int32Array[];
  /** io[t]: thread t's small kernel outputs (the gradients' largest sizes) in `memory`; empty without it. */
  io: Float64Array[];
}

let lastMemory: WebAssembly.Memory | undefined;
let lastKernels: WasmKernels | undefined;

/**
 * This thread's WebAssembly kernels on the fit's memory, or undefined for the JavaScript ones (kernelsFor's map,
 * with the last answer kept: several calls per task).
 */
function wasmOf(a: ShardArgs): WasmKernels | undefined {
  const m = a.memory;
  if (m === undefined) return undefined;
  if (m !== lastMemory) {
    lastKernels = kernelsFor(m, a.module);
    lastMemory = m;
  }
  return lastKernels;
}

/**
 * Adds the packed gradients of rows rowIdx[lo..hi) (`rows`) or lo..hi-1 themselves to `buf` at `off` over the
 * tree's features (buildPackedHistogram, or the same loops in WebAssembly).
 */
function histogram(a: ShardArgs, rows: boolean, lo: number, hi: number, buf: Float64Array, off: number): void {
  const nf = a.ctl[CTL.nf];
  const K = wasmOf(a);
  if (K === undefined) {
    buildPackedHistogram(a.B, a.d, rows ? a.rowIdx : undefined, lo, hi, a.q, a.feats, nf, buf, off);
    return;
  }
  const d = a.d;
  const h = buf.byteOffset + 8 * off;
  if (nf !== d) K.histFeats(a.B.byteOffset, d, rows ? a.rowIdx.byteOffset : -1, lo, hi, a.q.byteOffset, a.feats.byteOffset, nf, h);
  else if (rows) K.histRows(a.B.byteOffset, d, a.rowIdx.byteOffset, lo, hi, a.q.byteOffset, h);
  else for (let f0 = 0; f0 < d; f0 += PACKED_BLOCK) K.histRange(a.B.byteOffset, d, lo, hi, a.q.byteOffset, h, f0, Math.min(d, f0 + PACKED_BLOCK));
}

/** dst (+|-)= src over features feats[0..nf) of packed histograms: addPacked / subtractPacked, or in WebAssembly when both are in the fit's memory. */
function combine(a: ShardArgs, subtract: boolean, dst: Float64Array, dOff: number, src: Float64Array, sOff: number, feats: Int32Array, nf: number): void {
  const K = wasmOf(a);
  const mem = a.arena.buffer;
  if (K === undefined || dst.buffer !== mem || src.buffer !== mem) {
    if (subtract) subtractPacked(dst, dOff, src, sOff, feats, nf, a.d);
    else addPacked(dst, dOff, src, sOff, feats, nf, a.d);
    return;
  }
  const pd = dst.byteOffset + 8 * dOff;
  const ps = src.byteOffset + 8 * sOff;
  // Two call sites, each with one target (a call through a variable holding either deoptimised when it met the
  // second), and the same loop for any feature count (a special case for all features was first met mid-fit).
  for (let p = 0; p < nf; p++) {
    const o = feats[p] << 11;
    if (subtract) K.subF64(pd + o, ps + o, 256);
    else K.addF64(pd + o, ps + o, 256);
  }
}

/** Range [s, e) of part t of [s0, e0) cut into `parts` (sizes differ by at most one). */
function partBounds(s0: number, e0: number, t: number, parts: number): [number, number] {
  const len = e0 - s0;
  return [s0 + Math.floor((t * len) / parts), s0 + Math.floor(((t + 1) * len) / parts)];
}

let objective: Objective | undefined;

/**
 * Shard s of the rows: the objective's gradients (one output, when asked), column c interleaved into gh, the
 * shard's largest |g| and h; with identity rows, rowIdx reset to the identity on the shard.
 */
function gradTask(a: ShardArgs, s: number, t: number): void {
  const ctl = a.ctl;
  const [lo, hi] = partBounds(0, a.n, s, SHARDS);
  const o = ctl[CTL.objective] === 1 ? (a.objective as NonNullable<ShardArgs['objective']>) : undefined;
  const K = wasmOf(a);
  if (K !== undefined && o?.name === 'binary' && o.yIndex !== undefined && o.yIndex.buffer === a.arena.buffer) {
    // The same gradients in WebAssembly, interleaved and their largest sizes found in the same pass.
    const io = a.io[t];
    K.gradBinary(a.margin.byteOffset, o.yIndex.byteOffset, o.w.byteOffset, a.grad.byteOffset, a.hess.byteOffset, a.gh.byteOffset, lo, hi, io.byteOffset);
    a.shardOut[4 * s] = io[0];
    a.shardOut[4 * s + 1] = io[1];
  } else {
    if (o !== undefined) {
      if (objective?.name !== o.name) objective = makeObjective(o.name, o.name === 'binary' ? 2 : 1);
      objective.gradients(a.margin.subarray(lo, hi), o.y.subarray(lo, hi), o.yIndex?.subarray(lo, hi), o.w.subarray(lo, hi), a.grad.subarray(lo, hi), a.hess.subarray(lo, hi));
    }
    interleaveShard(a, s, lo, hi);
  }
  if (ctl[CTL.identity] === 1) for (let i = lo; i < hi; i++) a.rowIdx[i] = i;
}

/** Column c of the gradients of rows [lo, hi) interleaved into gh, and the shard's largest |g| and |h| (one pass). */
function interleaveShard(a: ShardArgs, s: number, lo: number, hi: number): void {
  const off = a.ctl[CTL.column] * a.n;
  const gh = a.gh;
  const grad = a.grad;
  const hess = a.hess;
  let gm = 0;
  let hm = 0;
  for (let i = lo; i < hi; i++) {
    const g = grad[off + i];
    const h = hess[off + i];
    gh[2 * i] = g;
    gh[2 * i + 1] = h;
    const ag = Math.abs(g);
    const ah = Math.abs(h);
    if (ag > gm) gm = ag;
    if (ah > hm) hm = ah;
  }
  a.shardOut[4 * s] = gm;
  a.shardOut[4 * s + 1] = hm;
}

/** Quantises rows of shard s of [0, n). */
function quantTask(a: ShardArgs, s: number): void {
  const p = a.params;
  const [lo, hi] = partBounds(0, a.n, s, SHARDS);
  const K = wasmOf(a);
  if (K !== undefined) K.packRounded(a.gh.byteOffset, lo, hi, p[0], p[1], p[2], p[3], p[4], p[5] | 0, a.q.byteOffset);
  else packRounded(a.gh, lo, hi, p[0], p[1], p[2], p[3], p[4], p[5] | 0, a.q);
}

/** Adds the rows of shard s of the tree to this thread's partial root histogram (job 0) and sums their packed values. */
function rootTask(a: ShardArgs, s: number, t: number): void {
  const [lo, hi] = partBounds(0, a.ctl[CTL.nRows], s, SHARDS);
  const identity = a.ctl[CTL.identity] === 1;
  const q = a.q;
  let v = 0;
  if (identity) for (let i = lo; i < hi; i++) v += q[i];
  else for (let k = lo; k < hi; k++) v += q[a.rowIdx[k]];
  a.shardOut[4 * s + 2] = v;
  if (hi > lo) {
    const buf = partialFor(a, t, 0);
    histogram(a, !identity, lo, hi, buf, 0);
  }
}

/** Thread t's partial histogram buffer, with job j's area zeroed the first time t touches it in this batch. */
function partialFor(a: ShardArgs, t: number, j: number): Float64Array {
  const buf = a.partials[t];
  const k = t * MAX_JOBS + j;
  const batch = a.ctl[CTL.batch];
  if (a.stamps[k] !== batch) {
    clearPacked(buf, j * a.size, a.feats, a.ctl[CTL.nf], a.d);
    a.stamps[k] = batch;
  }
  return buf;
}

let scratch = new Int32Array(0);

/** Partitions job j's rows of shard s by the job's split (on thread t); records and returns the first right position. */
function partitionShard(a: ShardArgs, j: number, s: number, t: number, K: WasmKernels | undefined): number {
  const J = a.jobs;
  const r = 2 * (j * SHARDS + s);
  const lo = a.jobRanges[r];
  const hi = a.jobRanges[r + 1];
  let mid = lo;
  // (One test per path: empty ranges appear only in deep nodes, and a test first met there deoptimised this.)
  if (hi > lo) {
    if (K !== undefined) mid = K.partition(a.Bc.byteOffset, a.n, a.rowIdx.byteOffset, lo, hi, J[4 * j], J[4 * j + 1], J[4 * j + 2], a.scratch[t].byteOffset);
    else {
      if (scratch.length < hi - lo) scratch = new Int32Array(Math.max(hi - lo, 2 * scratch.length));
      mid = partition(a.Bc, a.n, a.rowIdx, lo, hi, J[4 * j], J[4 * j + 1], J[4 * j + 2] === 1, scratch);
    }
  }
  a.mids[j * SHARDS + s] = mid;
  return mid;
}

/**
 * Task `task` of a job-major level batch (many nodes: most have few rows per shard, and clearing and summing
 * per-thread partials would cost more than their rows): job j, every shard of it partitioned, the small child's
 * histogram built whole in its slot. (Its own operation and function: met only from the fourth level of the first
 * tree on, inside levelTask it deoptimised that.)
 */
function levelJobsTask(a: ShardArgs, task: number, t: number): void {
  const J = a.jobs;
  const R = a.jobRanges;
  const K = wasmOf(a);
  const j = task;
  const off = a.jobSlots[j] * a.size;
  clearPacked(a.arena, off, a.feats, a.ctl[CTL.nf], a.d);
  for (let s = 0; s < SHARDS; s++) {
    const mid = partitionShard(a, j, s, t, K);
    const r = 2 * (j * SHARDS + s);
    const cs = J[4 * j + 3] === 1 ? R[r] : mid;
    const ce = J[4 * j + 3] === 1 ? mid : R[r + 1];
    if (ce > cs) histogram(a, true, cs, ce, a.arena, off);
  }
}

/**
 * Task `task` of a shard-major level batch (few large nodes): shard s of every node, partitioned by the node's split,
 * then the chosen (smaller) child's rows of the shard added to this thread's partial histogram of the job.
 */
function levelTask(a: ShardArgs, task: number, t: number): void {
  const J = a.jobs;
  const R = a.jobRanges;
  const K = wasmOf(a);
  const s = task;
  const nJobs = a.ctl[CTL.nJobs];
  for (let j = 0; j < nJobs; j++) {
    const mid = partitionShard(a, j, s, t, K);
    const r = 2 * (j * SHARDS + s);
    const cs = J[4 * j + 3] === 1 ? R[r] : mid;
    const ce = J[4 * j + 3] === 1 ? mid : R[r + 1];
    if (ce > cs) histogram(a, true, cs, ce, partialFor(a, t, j), j * a.size);
  }
}

/** Sums the stamped partial histograms of job j (batch `batch`) into `dst` at `off` over features feats[0..nf) (zeros when none). */
function reducePartials(a: ShardArgs, j: number, batch: number, dst: Float64Array, off: number, feats: Int32Array, nf: number): void {
  let first = true;
  for (let t = 0; t < a.partials.length; t++) {
    if (a.stamps[t * MAX_JOBS + j] !== batch) continue;
    // The first partial is copied (one pass instead of clearing and adding), the others added.
    if (first) copyPacked(dst, off, a.partials[t], j * a.size, feats, nf, a.d);
    else combine(a, false, dst, off, a.partials[t], j * a.size, feats, nf);
    first = false;
  }
  if (first) clearPacked(dst, off, feats, nf, a.d);
}

const split: SplitResult = { gain: 0, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0 };

/**
 * Most feature blocks per evaluate job. A batch of few nodes (the root, the first levels) cuts each node's search into
 * blocks so that every thread has a share; from 8 nodes on, one task per node (whole scans are cheaper per feature).
 */
export const EVAL_BLOCKS = 8;

/** Feature blocks per job for an evaluate batch of nJobs nodes. */
export function blocksPerJob(nJobs: number): number {
  return Math.max(1, Math.min(EVAL_BLOCKS, Math.floor(EVAL_BLOCKS / nJobs)));
}

let blockViews: Int32Array[][] = [];
let blockOf: Int32Array | undefined;
let blockNf = -1;

/** Feature positions of block b of `blocks` over nf features, as a view of feats (cached per feature count). */
function blockFeats(a: ShardArgs, b: number, blocks: number, nf: number): Int32Array {
  if (blockOf !== a.feats || blockNf !== nf) {
    blockViews = [];
    blockOf = a.feats;
    blockNf = nf;
  }
  let views = blockViews[blocks];
  if (views === undefined) {
    views = [];
    for (let k = 0; k < blocks; k++) views.push(a.feats.subarray(Math.floor((k * nf) / blocks), Math.floor(((k + 1) * nf) / blocks)));
    blockViews[blocks] = views;
  }
  return views[b];
}

/**
 * Evaluate task t: job j = t / bpj, feature block b = t % bpj (bpj = blocksPerJob(nJobs)). The small child's bins
 * of the block summed from the partials of level batch `levelBatch`, the large child's as its parent's minus the
 * small one (in the parent's slot; no large child for the root), then each asked-for child's best split over the
 * block's features, into evalOut[((j * 2 + c) * EVAL_BLOCKS + b) * 6]. Slots are in `bufOf(slot)` at `offOf(slot)`.
 */
export function evaluateTask(a: ShardArgs, t: number, levelBatch: number, bufOf: (s: number) => Float64Array, offOf: (s: number) => number): void {
  const bpj = blocksPerJob(a.ctl[CTL.nJobs]);
  const j = Math.floor(t / bpj);
  const b = t - j * bpj;
  const feats = blockFeats(a, b, bpj, a.ctl[CTL.nf]);
  const nfb = feats.length;
  const e = a.evalIn;
  const out = a.evalOut;
  const i = 8 * j;
  // Slots come out of a Float64Array: `| 0` makes them (and the offsets computed from them) small integers. Passed
  // on as doubles, they taught V8 to do the histogram kernels' index arithmetic in floating point (the split scan
  // ran at 10.5 instead of 5.7 ns a bin).
  const sSlot = e[i] | 0;
  const small = bufOf(sSlot);
  const sOff = offOf(sSlot);
  // (A job-major level built the small child in its slot already.)
  if (a.ctl[CTL.jobMajor] !== 1) reducePartials(a, j, levelBatch, small, sOff, feats, nfb);
  const lSlot = e[i + 1] | 0;
  const large = lSlot >= 0 ? bufOf(lSlot) : small;
  const lOff = lSlot >= 0 ? offOf(lSlot) : 0;
  if (lSlot >= 0) combine(a, true, large, lOff, small, sOff, feats, nfb);
  for (let c = 0; c < 2; c++) {
    const o = ((j * 2 + c) * EVAL_BLOCKS + b) * 6;
    if (e[i + 2 + c] !== 1 || nfb === 0) {
      out[o] = 0;
      out[o + 1] = -1;
      continue;
    }
    bestSplit(a, c === 0 ? small : large, c === 0 ? sOff : lOff, feats, e[i + 4 + 2 * c], e[i + 5 + 2 * c], split);
    out[o] = split.gain;
    out[o + 1] = split.feature;
    out[o + 2] = split.bin;
    out[o + 3] = split.defaultLeft ? 1 : 0;
    out[o + 4] = split.GL;
    out[o + 5] = split.HL;
  }
}

/** Best split of a packed histogram with the fit's scales and split parameters. */
function bestSplit(a: ShardArgs, hist: Float64Array, off: number, feats: Int32Array, Gq: number, Hq: number, out: SplitResult): SplitResult {
  const p = a.params;
  return findBestSplitPacked(hist, off, feats, feats.length, a.nBins, Gq, Hq, p[8], p[9], p[10], { lambda: p[11], alpha: p[12], gamma: p[13], minChildWeight: p[14] }, out);
}

/** Shard s of every final range: its exact sums (see rangeSums) into rangeSums at ((q * SHARDS + s) * 4). */
function rangeSumsTask(a: ShardArgs, s: number): void {
  const nR = a.ctl[CTL.nRanges];
  const K = wasmOf(a);
  const I = a.rangeInfo;
  for (let q = 0; q < nR; q++) {
    const r = q * SHARDS + s;
    if (K === undefined) rangeSums(a.Bc, a.n, a.rowIdx, a.gh, I, r, a.rangeSums);
    else K.rangeSums(a.Bc.byteOffset, a.n, a.rowIdx.byteOffset, a.gh.byteOffset, I[6 * r], I[6 * r + 1], I[6 * r + 2], I[6 * r + 3], I[6 * r + 4] === 1 ? 1 : 0, a.rangeSums.byteOffset + 32 * r);
  }
}

/** Shard s of every final range: adds the range's leaf value(s) to margin[row * nOut + column]. */
function marginsTask(a: ShardArgs, s: number): void {
  const nR = a.ctl[CTL.nRanges];
  const stride = a.ctl[CTL.nOut];
  const c = a.ctl[CTL.column];
  const K = wasmOf(a);
  const I = a.rangeInfo;
  const V = a.rangeVals;
  for (let q = 0; q < nR; q++) {
    const r = q * SHARDS + s;
    if (K === undefined) addRangeValues(a.Bc, a.n, a.rowIdx, I, r, V, a.margin, stride, c);
    else K.addRangeValues(a.Bc.byteOffset, a.n, a.rowIdx.byteOffset, I[6 * r], I[6 * r + 1], I[6 * r + 2], I[6 * r + 3], I[6 * r + 4] === 1 ? 1 : 0, V[2 * r], V[2 * r + 1], a.margin.byteOffset, stride, c);
  }
}

/** Feature block t of the binCuts operation: the block's bin edges (fitBinCuts) into cutsOut / cutLens. */
function binCutsTask(a: ShardArgs, t: number): void {
  const [f0, f1] = partBounds(0, a.d, t, a.ctl[CTL.binBlocks]);
  const cuts = fitBinCuts({ data: a.x, rows: a.n, cols: a.d }, a.sample, a.ctl[CTL.maxBins], f0, f1);
  for (let f = f0; f < f1; f++) {
    a.binIdx.edges.set(cuts[f - f0], f << 8);
    a.binIdx.last[f] = cuts[f - f0].length - 1;
  }
}

/** The fit's bin edges (as the binCuts tasks left them in the index) as a mapper. */
export function cutsMapper(a: ShardArgs): BinMapper {
  const { edges, last } = a.binIdx;
  return { cuts: Array.from({ length: a.d }, (_, f) => edges.slice(f << 8, (f << 8) + last[f] + 1)) };
}

/**
 * Shard s of the rows binned (row- and column-major) with the fit's index: in WebAssembly (the shard's raw values
 * copied into this thread's buffer first) or in JavaScript.
 */
function binRowsTask(a: ShardArgs, s: number, t: number): void {
  const [lo, hi] = partBounds(0, a.n, s, SHARDS);
  const K = wasmOf(a);
  const I = a.binIdx;
  if (K === undefined) {
    applyBinsRowsIndexed({ data: a.x, rows: a.n, cols: a.d }, I, a.B, a.Bc, lo, hi);
    return;
  }
  const buf = a.xbuf[t];
  buf.set(a.x.subarray(lo * a.d, hi * a.d));
  K.binRows(buf.byteOffset, hi - lo, a.d, lo, a.n, I.edges.byteOffset, I.last.byteOffset, I.lo.byteOffset, I.scale.byteOffset, I.start.byteOffset, GRID, a.B.byteOffset, a.Bc.byteOffset);
}

const NO_VALUES = new Float64Array(0);

/** Evaluate tasks of the workers and of the calling thread's shared-arena path: every slot is in the arena. */
function evaluateInArena(a: ShardArgs, task: number): void {
  evaluateTask(
    a,
    task,
    a.ctl[CTL.levelBatch],
    () => a.arena,
    (slot) => slot * a.size,
  );
}

function quantRootTask(a: ShardArgs, task: number, t: number): void {
  quantTask(a, task);
  rootTask(a, task, t);
}

/**
 * The task function of each operation, called through this table rather than a chain of direct calls: a call site
 * that sees many targets is not inlined, so V8 compiles each task function once per thread instead of again inside
 * every function that inlines the dispatcher (the tree-growing methods all call `run`). With direct calls the first
 * fit spent ~0.2 s of background compiler time on those copies, on a machine whose two cores the fit needs.
 */
const TASKS: ((a: ShardArgs, task: number, t: number) => void)[] = [];
TASKS[OP.grad] = gradTask;
TASKS[OP.quantRoot] = quantRootTask;
TASKS[OP.quant] = quantTask;
TASKS[OP.root] = rootTask;
TASKS[OP.level] = levelTask;
TASKS[OP.levelJobs] = levelJobsTask;
TASKS[OP.evaluate] = evaluateInArena;
TASKS[OP.rangeSums] = rangeSumsTask;
TASKS[OP.margins] = marginsTask;
TASKS[OP.binCuts] = binCutsTask;
TASKS[OP.binRows] = binRowsTask;

/** Runs task `task` of the current batch on thread t (0 = the calling thread). */
export function runShardTask(a: ShardArgs, task: number, t: number): void {
  const op = a.ctl[CTL.op];
  // Once the bins exist, this thread's reference to the raw values can go.
  if (op !== OP.binCuts && op !== OP.binRows && a.x.length > 0) a.x = NO_VALUES;
  TASKS[op](a, task, t);
}

/** BigInt64 slots between two threads' claim words (one 64-byte cache line each). */
export const CLAIM_STRIDE = 8;

/**
 * Claims a task of the current batch for thread t, or returns -1 when none is left. Each thread has a home block of
 * the tasks (see publishTasks) that it takes from the front; when its own block is empty it takes from the BACK of
 * the other threads' blocks. Shard tasks therefore mostly stay on the same thread from one operation to the next,
 * so the rows, gradients and row order a thread wrote stay in its core's cache (taking tasks from one shared counter
 * moved about half of them between cores at every operation, and each thread's tasks ran 1.3-1.5x slower).
 */
export function claimTask(word: BigInt64Array, t: number): number {
  const T = word.length / CLAIM_STRIDE;
  for (let k = 0; k < T; k++) {
    const slot = ((t + k) % T) * CLAIM_STRIDE;
    for (;;) {
      const w = Atomics.load(word, slot);
      const next = Number((w >> 16n) & 0xffffn);
      const end = Number(w & 0xffffn);
      if (next >= end) break;
      if (k === 0) {
        if (Atomics.compareExchange(word, slot, w, w + 0x10000n) === w) return next;
      } else if (Atomics.compareExchange(word, slot, w, w - 1n) === w) return end - 1;
    }
  }
  return -1;
}

/**
 * Publishes batch `batch` with tasks 0..tasks-1 claimable: thread t's home block is [t tasks / T, (t + 1) tasks / T).
 * Each word holds batch (high 32 bits), next task (16 bits) and block end (16 bits); the batch makes a stale
 * compare-and-swap from an earlier batch fail.
 */
export function publishTasks(word: BigInt64Array, batch: number, tasks: number): void {
  const T = word.length / CLAIM_STRIDE;
  const hi = BigInt(batch >>> 0) << 32n;
  for (let t = 0; t < T; t++) {
    const s = Math.floor((t * tasks) / T);
    const e = Math.floor(((t + 1) * tasks) / T);
    Atomics.store(word, t * CLAIM_STRIDE, hi | (BigInt(s) << 16n) | BigInt(e));
  }
}

/**
 * Polls until ctl[slot] !== value or `ms` have passed (the clock read every 1024 polls: reading it costs more than a
 * poll). Returns whether the value changed.
 */
export function spinWhile(ctl: Int32Array, slot: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let k = 0; k < 1024; k++) if (Atomics.load(ctl, slot) !== value) return true;
    if (performance.now() >= until) return false;
  }
}

/** How long an idle worker polls for the next batch before sleeping (ms): batches of a tree come back to back. */
const SPIN_MS = 0.25;

/**
 * Pool kernel resident for a whole fit (worker t = start + 1): sleeps on the generation counter, and for every new
 * batch claims tasks until none are left, then polls briefly and sleeps again; returns when `exit` is set.
 */
export function serveShards(a: ShardArgs, start: number): void {
  const ctl = a.ctl;
  Atomics.add(ctl, CTL.serving, 1);
  const t = start + 1;
  for (;;) {
    if (Atomics.load(ctl, CTL.exit) === 1) return;
    const gen = Atomics.load(ctl, CTL.gen);
    for (;;) {
      const task = claimTask(a.claim, t);
      if (task < 0) break;
      runShardTask(a, task, t);
      Atomics.add(ctl, CTL.workerTasks, 1);
      Atomics.add(ctl, CTL.done, 1);
      Atomics.notify(ctl, CTL.done);
    }
    if (spinWhile(ctl, CTL.gen, gen, SPIN_MS)) continue;
    Atomics.add(ctl, CTL.sleeping, 1);
    Atomics.wait(ctl, CTL.gen, gen);
    Atomics.sub(ctl, CTL.sleeping, 1);
  }
}
