import { WorkerError } from '../../core/errors.js';
import { kernelModuleUrl, toShared, type WorkerPool } from '../../core/pool.js';
import { type Tree, TreeBuilder } from '../tree/tree.js';
import type { Matrix } from '../matrix.js';
import { type BinMapper, GRID, binIndex, binSampleRows } from '../tree/binning.js';
import { type BinnedData, type GrowParams, chooseSplits } from './grow.js';
import { packedHistSize } from './histogram.js';
import type { ObjectiveName } from './objectives.js';
import type { QuantLimits } from './quantize.js';
import { CLAIM_STRIDE, CTL, MAX_JOBS, MAX_RANGES, OP, SHARDS, type ShardArgs, EVAL_BLOCKS, blocksPerJob, claimTask, cutsMapper, evaluateTask, publishTasks, runShardTask, spinWhile } from './shard-kernel.js';
import { type SplitResult, leafWeight } from './split.js';
import { type ArraySpec, wasmArrays } from './wasm.js';

const KERNEL = kernelModuleUrl(import.meta.url, './shard-kernel.js');

/** A part not finished after this long means a worker is gone: fail instead of hanging. */
const WAIT_MS = 120_000;
/** How long the calling thread polls for the workers' last tasks before sleeping (short: on a busy machine a
 * descheduled worker needs the core back). */
const MAIN_SPIN_MS = 0.1;
/** Level batches of at least this many nodes per thread run job by job (see shard-kernel.ts levelTask). */
const JOB_MAJOR_PER_THREAD = 4;
/** Packed histogram slots kept in shared memory (where workers reduce and search them), within about 16 MB. */
const ARENA_BYTES = 16 * 2 ** 20;

/** What a sharded fit needs: the training values (binned by the engine, on its threads) and the fit's settings. */
export interface ShardedInit {
  m: Matrix;
  /** Binning: at most this many value bins per feature, edges from the rows binSampleRows(n, binSeed) picks (as fitBins). */
  maxBins: number;
  binSeed: number;
  p: GrowParams;
  lim: QuantLimits;
  nOut: number;
  /** One-output objectives compute their gradients on the shards. */
  objective: { name: ObjectiveName; y: Float64Array; yIndex: Int32Array | undefined; w: Float64Array };
  /** Worker threads besides this one come from `pool` (threads - 1 of them); 1 = this thread only. */
  threads: number;
  pool: WorkerPool | undefined;
  /**
   * 'wasm' (default): the hot loops (binning, gradients, quantisation, histograms, partitions, split search, leaf
   * sums) in WebAssembly (kernels.wat) where it runs and the arrays fit its 2 GB; 'js': the JavaScript kernels. Both
   * give the same model bit for bit.
   */
  kernels?: 'wasm' | 'js';
}

/**
 * A node of the tree being grown. The sums are declared NaN first so that V8 gives these fields a double
 * representation from the first node on: a first small-integer value would have it widen them later, at the first
 * node whose sum is not one (mid-fit), and drop every function compiled for the old object shape (seen as "wrong
 * map" deoptimisations of splitBatch in the first fit, each followed by a recompilation).
 */
class Node {
  node: number;
  depth: number;
  /** Integer sums of the quantised gradients, and their scaled values. */
  Gq = NaN;
  Hq = NaN;
  G = NaN;
  H = NaN;
  count: number;
  /** Row range per shard: [start, end) at 2s. */
  ranges: Int32Array;
  slot: number;
  split: SplitResult = new Split();
  constructor(node: number, depth: number, Gq: number, Hq: number, gScale: number, hScale: number, count: number, ranges: Int32Array, slot: number) {
    this.node = node;
    this.depth = depth;
    this.Gq = Gq;
    this.Hq = Hq;
    this.G = Gq * gScale;
    this.H = Hq * hScale;
    this.count = count;
    this.ranges = ranges;
    this.slot = slot;
  }
}

/** A node's best split (none yet: gain 0, feature -1); NaN first for the doubles' representation, as in Node. */
class Split implements SplitResult {
  gain = NaN;
  feature = -1;
  bin = 0;
  defaultLeft = false;
  GL = NaN;
  HL = NaN;
  constructor() {
    this.gain = 0;
    this.GL = 0;
    this.HL = 0;
  }
}

/** A final row range: a leaf, or a last-level split whose two children are leaves. */
interface FinalRange {
  node: number;
  ranges: Int32Array;
  count: number;
}

/**
 * Quantised gradient boosting on row shards (see shard-kernel.ts): bins the training values on its threads, owns the
 * fit's shared arrays (bins, gradients, packed values, row order, margins; one WebAssembly memory where the kernels
 * run), the resident workers, and grows one tree per call. Bit-identical for any `threads` and either kernel set.
 */
export class ShardedBooster {
  readonly margin: Float64Array;
  readonly grad: Float64Array;
  readonly hess: Float64Array;
  readonly rowIdx: Int32Array;
  private readonly a: ShardArgs;
  private batch = 0;
  private noWorkers: boolean;
  private readonly arenaSlots: number;
  private readonly threads: number;
  private readonly overflow: Float64Array[] = [];
  private readonly freeSlots: number[] = [];
  private nextSlot = 0;
  private scales = { gScale: 1, hScale: 1, shift: 0 };
  private served: Promise<unknown> = Promise.resolve();
  private finals: FinalRange[] = [];
  private binThr: number[] = [];

  private readonly init: ShardedInit;
  /** The bins (in the engine's memory), counts and edges. */
  readonly data: BinnedData;
  readonly mapper: BinMapper;

  constructor(init: ShardedInit) {
    const { m, nOut, objective } = init;
    const n = m.rows;
    const d = m.cols;
    const threads = init.pool === undefined ? 1 : Math.max(1, Math.min(init.threads, init.pool.size));
    this.noWorkers = threads === 1;
    this.threads = threads;
    const f64 = (len: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, len)));
    const i32 = (len: number): Int32Array => new Int32Array(new SharedArrayBuffer(4 * Math.max(1, len)));
    const size = packedHistSize(d);
    this.arenaSlots = Math.max(16, Math.min(128, Math.floor(ARENA_BYTES / (8 * size))));
    // The arrays the hot loops touch live in one WebAssembly memory when the kernels can run there; otherwise in
    // shared buffers of their own.
    const perShard = Math.ceil(n / SHARDS) + 1;
    const perThread = <S extends ArraySpec>(spec: S): S[] => Array.from({ length: threads }, () => spec);
    const wasm =
      init.kernels === 'js'
        ? undefined
        : wasmArrays({
            B: { kind: 'u8', len: n * d },
            Bc: { kind: 'u8', len: n * d },
            gh: { kind: 'f64', len: 2 * n },
            q: { kind: 'f64', len: n },
            rowIdx: { kind: 'i32', len: n },
            feats: { kind: 'i32', len: d },
            nBins: { kind: 'i32', len: d },
            margin: { kind: 'f64', len: n * nOut },
            grad: { kind: 'f64', len: n * nOut },
            hess: { kind: 'f64', len: n * nOut },
            yIndex: { kind: 'i32', len: objective.yIndex === undefined ? 0 : n },
            w: { kind: 'f64', len: n },
            rangeSums: { kind: 'f64', len: 4 * SHARDS * MAX_RANGES },
            arena: { kind: 'f64', len: this.arenaSlots * size },
            partials: perThread({ kind: 'f64', len: MAX_JOBS * size }),
            scratch: perThread({ kind: 'i32', len: perShard }),
            io: perThread({ kind: 'f64', len: 2 }),
            xbuf: perThread({ kind: 'f64', len: perShard * d }),
            binEdges: { kind: 'f64', len: d << 8 },
            binLast: { kind: 'i32', len: d },
            binLo: { kind: 'f64', len: d },
            binScale: { kind: 'f64', len: d },
            binStart: { kind: 'u8', len: d * (GRID + 1) },
          });
    const w = wasm?.arrays;
    const B = w?.B ?? new Uint8Array(new SharedArrayBuffer(Math.max(1, n * d)));
    const Bc = w?.Bc ?? new Uint8Array(new SharedArrayBuffer(Math.max(1, n * d)));
    this.margin = w?.margin ?? f64(n * nOut);
    this.grad = w?.grad ?? f64(n * nOut);
    this.hess = w?.hess ?? f64(n * nOut);
    // One-output objectives' targets and weights (in the memory for the WebAssembly gradients).
    const inMemory = <T extends Int32Array | Float64Array>(src: T, dst: T | undefined): T => {
      if (dst === undefined) return toShared(src);
      dst.set(src);
      return dst;
    };
    this.rowIdx = w?.rowIdx ?? i32(n);
    this.init = init;
    this.a = {
      ctl: i32(CTL.size),
      claim: new BigInt64Array(new SharedArrayBuffer(8 * CLAIM_STRIDE * threads)),
      jobs: i32(4 * MAX_JOBS),
      jobSlots: i32(MAX_JOBS),
      jobRanges: i32(2 * SHARDS * MAX_JOBS),
      mids: i32(SHARDS * MAX_JOBS),
      stamps: i32(threads * MAX_JOBS).fill(-1),
      partials: w?.partials ?? Array.from({ length: threads }, () => f64(MAX_JOBS * size)),
      feats: w?.feats ?? i32(d),
      nBins: w?.nBins ?? i32(d),
      params: f64(16),
      arena: w?.arena ?? f64(this.arenaSlots * size),
      evalIn: f64(8 * MAX_JOBS),
      evalOut: f64(12 * EVAL_BLOCKS * MAX_JOBS),
      shardOut: f64(4 * SHARDS),
      rangeInfo: i32(6 * SHARDS * MAX_RANGES),
      rangeSums: w?.rangeSums ?? f64(4 * SHARDS * MAX_RANGES),
      rangeVals: f64(2 * SHARDS * MAX_RANGES),
      objective:
        nOut === 1
          ? { name: objective.name, y: toShared(objective.y), yIndex: objective.yIndex === undefined ? undefined : inMemory(objective.yIndex, w?.yIndex), w: inMemory(objective.w, w?.w) }
          : undefined,
      margin: this.margin,
      grad: this.grad,
      hess: this.hess,
      B,
      Bc,
      n,
      d,
      gh: w?.gh ?? f64(2 * n),
      q: w?.q ?? f64(n),
      rowIdx: this.rowIdx,
      size,
      memory: wasm?.memory,
      module: wasm?.module,
      scratch: w?.scratch ?? [],
      io: w?.io ?? [],
      x: m.data.buffer instanceof SharedArrayBuffer ? m.data : toShared(m.data),
      sample: toShared(binSampleRows(n, init.binSeed)),
      binIdx: {
        edges: w?.binEdges ?? f64(d << 8),
        last: w?.binLast ?? i32(d),
        lo: w?.binLo ?? f64(d),
        scale: w?.binScale ?? f64(d),
        start: w?.binStart ?? new Uint8Array(new SharedArrayBuffer(d * (GRID + 1))),
      },
      xbuf: w?.xbuf ?? [],
    };
    this.a.ctl[CTL.nOut] = nOut;
    const p = this.a.params;
    p[11] = init.p.lambda;
    p[12] = init.p.alpha;
    p[13] = init.p.gamma;
    p[14] = init.p.minChildWeight;
    if (!this.noWorkers && init.pool !== undefined) {
      this.served = init.pool.run<ShardArgs, void>({ module: KERNEL, fn: 'serveShards', args: this.a, total: threads - 1, chunks: threads - 1, offload: true }).catch(() => {
        // Nobody serves: this thread claims every task (run never waits for unclaimed ones).
        this.noWorkers = true;
      });
    }
    // Bin on the threads: the workers join as soon as they are up (a cold one takes tens of milliseconds).
    try {
      this.mapper = this.bin(init.maxBins, threads);
    } catch (e) {
      void this.release();
      throw e;
    }
    const nBins = this.a.nBins;
    for (let f = 0; f < d; f++) nBins[f] = this.mapper.cuts[f].length;
    this.data = { B, Bc, n, d, nBins, cuts: this.mapper.cuts };
  }

  /**
   * Bin edges (feature blocks as tasks) then bins (row shards as tasks): the same edges and bins as fitBins +
   * applyBins + transposeBins with the same sample.
   */
  private bin(maxBins: number, threads: number): BinMapper {
    const ctl = this.a.ctl;
    ctl[CTL.maxBins] = maxBins;
    // One feature block per thread: each block reads every sampled row once (more blocks cost more passes).
    ctl[CTL.binBlocks] = Math.min(this.a.d, threads);
    this.run(OP.binCuts, ctl[CTL.binBlocks]);
    // The edges are in the index; its grid, once, on this thread.
    const mapper = cutsMapper(this.a);
    const idx = binIndex(mapper, this.a.d);
    const I = this.a.binIdx;
    I.lo.set(idx.lo);
    I.scale.set(idx.scale);
    I.start.set(idx.start);
    this.run(OP.binRows, SHARDS);
    this.a.x = new Float64Array(0);
    return mapper;
  }

  /** Tasks the workers (not this thread) have run so far. */
  get workerTasks(): number {
    return Atomics.load(this.a.ctl, CTL.workerTasks);
  }

  /**
   * Has `threads - 1` pool workers start and import the task module now (a cold worker takes 0.1-0.3 s to boot and
   * load it): called at the start of a fit, so the workers are up by the time the engine hands out its first tasks.
   */
  static preload(pool: WorkerPool | undefined, threads: number): void {
    if (pool !== undefined && threads > 1) pool.preload(KERNEL, Math.min(threads, pool.size) - 1);
  }

  /**
   * Stops the resident workers. The promise settles once the workers that were serving have returned to the pool
   * (so the next fit finds them idle instead of starting new ones); workers that never started serving are not
   * waited for (they see the stop flag when they start).
   */
  release(): Promise<void> {
    const ctl = this.a.ctl;
    Atomics.store(ctl, CTL.exit, 1);
    Atomics.add(ctl, CTL.gen, 1);
    Atomics.notify(ctl, CTL.gen);
    return Atomics.load(ctl, CTL.serving) > 0 ? this.served.then(() => undefined) : Promise.resolve();
  }

  /** Runs operation `op` as `tasks` tasks on this thread and the workers; returns when all are done. */
  private run(op: number, tasks: number): void {
    const a = this.a;
    const ctl = a.ctl;
    ctl[CTL.op] = op;
    const batch = ++this.batch;
    ctl[CTL.batch] = batch;
    if (this.noWorkers || tasks === 1) {
      for (let t = 0; t < tasks; t++) runShardTask(a, t, 0);
      return;
    }
    Atomics.store(ctl, CTL.done, 0);
    publishTasks(a.claim, batch, tasks);
    Atomics.add(ctl, CTL.gen, 1);
    // A worker registers as sleeping before it waits on `gen`, and the wait rechecks `gen`: no wake-up is lost.
    if (Atomics.load(ctl, CTL.sleeping) > 0) Atomics.notify(ctl, CTL.gen);
    for (;;) {
      const t = claimTask(a.claim, 0);
      if (t < 0) break;
      runShardTask(a, t, 0);
      Atomics.add(ctl, CTL.done, 1);
    }
    // The workers' last tasks are usually about to finish: poll before sleeping.
    const until = performance.now() + MAIN_SPIN_MS;
    for (let done = Atomics.load(ctl, CTL.done); done < tasks && performance.now() < until; done = Atomics.load(ctl, CTL.done)) spinWhile(ctl, CTL.done, done, MAIN_SPIN_MS);
    for (;;) {
      const done = Atomics.load(ctl, CTL.done);
      if (done >= tasks) return;
      if (Atomics.wait(ctl, CTL.done, done, WAIT_MS) === 'timed-out' && Atomics.load(ctl, CTL.done) === done) {
        throw new WorkerError(`gradient boosting: a worker did not finish its task within ${WAIT_MS / 1000} s`);
      }
    }
  }

  private alloc(): number {
    const s = this.freeSlots.pop();
    if (s !== undefined) return s;
    const slot = this.nextSlot++;
    if (slot >= this.arenaSlots) this.overflow.push(new Float64Array(this.a.size));
    return slot;
  }
  private release1(s: number): void {
    if (s >= 0) this.freeSlots.push(s);
  }
  private buf(s: number): Float64Array {
    return s < this.arenaSlots ? this.a.arena : this.overflow[s - this.arenaSlots];
  }
  private off(s: number): number {
    return s < this.arenaSlots ? s * this.a.size : 0;
  }

  /**
   * Grows the tree of output column `c` on rows rowIdx[0..nRows) (`identity`: all n rows in order; rowIdx is reset
   * by this call) with features feats[0..nf), and adds its values to the margins. `shardGradients`: compute the
   * one-output objective's gradients here (else grad/hess already hold them). Returns the tree (leaf values scaled by
   * the learning rate and refitted on the exact gradients) and its split bins.
   */
  tree(c: number, feats: Int32Array, nf: number, nRows: number, identity: boolean, seed: number, shardGradients: boolean): { tree: Tree; binThreshold: Int32Array } {
    const a = this.a;
    const ctl = a.ctl;
    const { lim } = this.init;
    const data = this.data;
    ctl[CTL.column] = c;
    ctl[CTL.objective] = shardGradients ? 1 : 0;
    ctl[CTL.identity] = identity ? 1 : 0;
    ctl[CTL.nRows] = nRows;
    ctl[CTL.nf] = nf;
    a.feats.set(feats.subarray(0, nf));
    this.run(OP.grad, SHARDS);
    let gMax = 0;
    let hMax = 0;
    for (let s = 0; s < SHARDS; s++) {
      gMax = Math.max(gMax, a.shardOut[4 * s]);
      hMax = Math.max(hMax, a.shardOut[4 * s + 1]);
    }
    const sc = { gScale: gMax > 0 ? gMax / lim.gLevels : 1, hScale: hMax > 0 ? hMax / lim.hLevels : 1, shift: lim.shift };
    this.scales = sc;
    const P = a.params;
    P[0] = 1 / sc.gScale;
    P[1] = 1 / sc.hScale;
    P[2] = lim.gLevels;
    P[3] = lim.hLevels;
    P[4] = 2 ** lim.shift;
    P[5] = seed | 0;
    P[8] = sc.gScale;
    P[9] = sc.hScale;
    P[10] = sc.shift;
    ctl[CTL.jobMajor] = 0;
    if (identity) this.run(OP.quantRoot, SHARDS);
    else {
      this.run(OP.quant, SHARDS);
      this.run(OP.root, SHARDS);
    }
    const rootBatch = this.batch;
    let Vq = 0;
    for (let s = 0; s < SHARDS; s++) Vq += a.shardOut[4 * s + 2];
    const two = 2 ** sc.shift;
    const Gq = Math.floor(Vq / two);
    const Hq = Vq - Gq * two;
    const tb = new TreeBuilder(1, 64);
    this.finals = [];
    this.binThr = [];
    const rootRanges = new Int32Array(2 * SHARDS);
    for (let s = 0; s < SHARDS; s++) {
      rootRanges[2 * s] = Math.floor((s * nRows) / SHARDS);
      rootRanges[2 * s + 1] = Math.floor(((s + 1) * nRows) / SHARDS);
    }
    const root = new Node(tb.addLeaf(Hq * sc.hScale), 0, Gq, Hq, sc.gScale, sc.hScale, nRows, rootRanges, this.alloc());
    this.setEval(0, root, undefined, true, false);
    this.evaluate(1, rootBatch, root.slot < this.arenaSlots);
    this.readSplit(0, 0, root.split);
    this.growFrom(tb, root);
    this.refit(tb, nRows === data.n && identity);
    const tree = tb.finish();
    const bt = new Int32Array(tree.nNodes);
    for (let i = 0; i < tree.nNodes; i++) bt[i] = this.binThr[i] ?? 0;
    return { tree, binThreshold: bt };
  }

  /** Splits nodes level by level (or best first) from `root` until no split gains or a limit is reached. */
  private growFrom(tb: TreeBuilder, root: Node): void {
    const p = this.init.p;
    const { cuts } = this.data;
    const sc = this.scales;
    let cands: Node[] = [root];
    let leaves = 1;
    const maxLeaves = p.maxLeaves > 0 ? p.maxLeaves : Infinity;
    while (cands.length > 0) {
      const { chosen, finish, keep: rest } = chooseSplits(cands, p.growPolicy, leaves, maxLeaves);
      for (const c of finish) this.finishLeaf(tb, c);
      if (chosen.length === 0) break;
      const jobs: { c: Node; l: number; GqL: number; HqL: number }[] = [];
      for (const c of chosen) {
        const s = c.split;
        const f = s.feature;
        const HL = s.HL * sc.hScale;
        const HR = (c.Hq - s.HL) * sc.hScale;
        const l = tb.split(c.node, f, cuts[f][s.bin], s.defaultLeft, s.gain, HL, HR);
        this.binThr[c.node] = s.bin;
        leaves++;
        if (p.maxDepth > 0 && c.depth + 1 >= p.maxDepth) {
          // Both children are final leaves: no partition and no histograms; the refit splits the range by bin.
          tb.value[l] = p.learningRate * leafWeight(s.GL * sc.gScale, HL, p);
          tb.value[l + 1] = p.learningRate * leafWeight((c.Gq - s.GL) * sc.gScale, HR, p);
          this.finals.push({ node: c.node, ranges: c.ranges, count: c.count });
          this.release1(c.slot);
          c.slot = -1;
          continue;
        }
        jobs.push({ c, l, GqL: s.GL, HqL: s.HL });
      }
      for (let j0 = 0; j0 < jobs.length; j0 += MAX_JOBS) rest.push(...this.splitBatch(tb, jobs.slice(j0, j0 + MAX_JOBS)));
      cands = rest;
      if (leaves >= maxLeaves) {
        for (const c of cands) this.finishLeaf(tb, c);
        break;
      }
    }
  }

  /**
   * One level batch: partitions the nodes' rows and builds their smaller children's histograms (one operation over
   * the shards), then reduces, subtracts and searches the children (one operation over the nodes). Returns the
   * children that may split further; the others become leaves.
   */
  private splitBatch(tb: TreeBuilder, jobs: { c: Node; l: number; GqL: number; HqL: number }[]): Node[] {
    const a = this.a;
    const sc = this.scales;
    const nJobs = jobs.length;
    for (let j = 0; j < nJobs; j++) {
      const { c, HqL } = jobs[j];
      a.jobs[4 * j] = c.split.feature;
      a.jobs[4 * j + 1] = c.split.bin;
      a.jobs[4 * j + 2] = c.split.defaultLeft ? 1 : 0;
      // Build the child with the smaller hessian sum (any choice gives the same exact integer histograms).
      a.jobs[4 * j + 3] = HqL <= c.Hq - HqL ? 1 : 0;
      a.jobRanges.set(c.ranges, 2 * SHARDS * j);
    }
    a.ctl[CTL.nJobs] = nJobs;
    // The small children's slots, now: a job-major batch builds their histograms in them.
    const smallSlots = new Int32Array(nJobs);
    let slotsInArena = true;
    for (let j = 0; j < nJobs; j++) {
      smallSlots[j] = this.alloc();
      if (smallSlots[j] >= this.arenaSlots) slotsInArena = false;
    }
    const jobMajor = nJobs >= JOB_MAJOR_PER_THREAD * this.threads && slotsInArena;
    a.ctl[CTL.jobMajor] = jobMajor ? 1 : 0;
    if (jobMajor) a.jobSlots.set(smallSlots);
    if (jobMajor) this.run(OP.levelJobs, nJobs);
    else this.run(OP.level, SHARDS);
    const levelBatch = this.batch;
    const pairs: [Node, Node][] = [];
    let inArena = true;
    for (let j = 0; j < nJobs; j++) {
      const { c, l, GqL, HqL } = jobs[j];
      const lr = new Int32Array(2 * SHARDS);
      const rr = new Int32Array(2 * SHARDS);
      let nl = 0;
      let nr = 0;
      for (let s = 0; s < SHARDS; s++) {
        const lo = c.ranges[2 * s];
        const hi = c.ranges[2 * s + 1];
        const mid = a.mids[j * SHARDS + s];
        lr[2 * s] = lo;
        lr[2 * s + 1] = mid;
        rr[2 * s] = mid;
        rr[2 * s + 1] = hi;
        nl += mid - lo;
        nr += hi - mid;
      }
      const GqR = c.Gq - GqL;
      const HqR = c.Hq - HqL;
      const left = new Node(l, c.depth + 1, GqL, HqL, sc.gScale, sc.hScale, nl, lr, -1);
      const right = new Node(l + 1, c.depth + 1, GqR, HqR, sc.gScale, sc.hScale, nr, rr, -1);
      const buildLeft = a.jobs[4 * j + 3] === 1;
      const small = buildLeft ? left : right;
      const large = buildLeft ? right : left;
      small.slot = smallSlots[j];
      large.slot = c.slot;
      c.slot = -1;
      if (small.slot >= this.arenaSlots || large.slot >= this.arenaSlots) inArena = false;
      this.setEval(j, small, large, this.splittable(small), this.splittable(large));
      pairs.push([small, large]);
    }
    this.evaluate(nJobs, levelBatch, inArena);
    const out: Node[] = [];
    for (let j = 0; j < nJobs; j++) {
      for (let k = 0; k < 2; k++) {
        const ch = pairs[j][k];
        if (a.evalIn[8 * j + 2 + k] !== 1) {
          this.finishLeaf(tb, ch);
          continue;
        }
        this.readSplit(j, k, ch.split);
        out.push(ch);
      }
    }
    return out;
  }

  /** Evaluate job j: the small child (built from partials) and the large one (parent minus small), if any. */
  private setEval(j: number, small: Node, large: Node | undefined, evalSmall: boolean, evalLarge: boolean): void {
    const e = this.a.evalIn;
    e[8 * j] = small.slot;
    e[8 * j + 1] = large?.slot ?? -1;
    e[8 * j + 2] = evalSmall ? 1 : 0;
    e[8 * j + 3] = evalLarge ? 1 : 0;
    e[8 * j + 4] = small.Gq;
    e[8 * j + 5] = small.Hq;
    e[8 * j + 6] = large?.Gq ?? 0;
    e[8 * j + 7] = large?.Hq ?? 0;
  }

  /** Runs the evaluate jobs 0..nJobs-1 (on the threads when every slot is in the shared arena). */
  private evaluate(nJobs: number, levelBatch: number, inArena: boolean): void {
    const a = this.a;
    a.ctl[CTL.nJobs] = nJobs;
    a.ctl[CTL.levelBatch] = levelBatch;
    const tasks = nJobs * blocksPerJob(nJobs);
    if (inArena) this.run(OP.evaluate, tasks);
    else
      for (let t = 0; t < tasks; t++)
        evaluateTask(
          a,
          t,
          levelBatch,
          (s) => this.buf(s),
          (s) => this.off(s),
        );
  }

  /** The best split of child c of evaluate job j over its feature blocks (the first best in feature order). */
  private readSplit(j: number, c: number, out: SplitResult): void {
    const r = this.a.evalOut;
    out.gain = 0;
    out.feature = -1;
    const blocks = blocksPerJob(this.a.ctl[CTL.nJobs]);
    for (let b = 0; b < blocks; b++) {
      const o = ((j * 2 + c) * EVAL_BLOCKS + b) * 6;
      if (r[o + 1] < 0 || (out.feature >= 0 && !(r[o] > out.gain))) continue;
      out.gain = r[o];
      out.feature = r[o + 1];
      out.bin = r[o + 2];
      out.defaultLeft = r[o + 3] === 1;
      out.GL = r[o + 4];
      out.HL = r[o + 5];
    }
  }

  private splittable(c: Node): boolean {
    const p = this.init.p;
    return !((p.maxDepth > 0 && c.depth >= p.maxDepth) || c.count < 2 || c.H < 2 * p.minChildWeight);
  }

  private finishLeaf(tb: TreeBuilder, c: Node): void {
    tb.value[c.node] = this.init.p.learningRate * leafWeight(c.G, c.H, this.init.p);
    if (c.count > 0) this.finals.push({ node: c.node, ranges: c.ranges, count: c.count });
    this.release1(c.slot);
    c.slot = -1;
  }

  /**
   * Replaces every leaf value and cover by the EXACT gradient sums of its rows (per shard, added in shard order), as
   * LightGBM's quantised training; then adds the tree to the margins (on the shards when the tree saw every row in
   * order, else by a walk over the bins of every row).
   */
  private refit(tb: TreeBuilder, ranged: boolean): void {
    const a = this.a;
    const p = this.init.p;
    const lr = p.learningRate;
    const fin = this.finals;
    for (let q0 = 0; q0 < fin.length; q0 += MAX_RANGES) {
      const nR = Math.min(MAX_RANGES, fin.length - q0);
      for (let q = 0; q < nR; q++) {
        const { node, ranges } = fin[q0 + q];
        for (let s = 0; s < SHARDS; s++) {
          const o = 6 * (q * SHARDS + s);
          a.rangeInfo[o] = ranges[2 * s];
          a.rangeInfo[o + 1] = ranges[2 * s + 1];
          a.rangeInfo[o + 2] = tb.feature[node];
          a.rangeInfo[o + 3] = this.binThr[node] ?? 0;
          a.rangeInfo[o + 4] = tb.defaultLeft[node];
        }
      }
      a.ctl[CTL.nRanges] = nR;
      this.run(OP.rangeSums, SHARDS);
      for (let q = 0; q < nR; q++) {
        let GL = 0;
        let HL = 0;
        let GR = 0;
        let HR = 0;
        for (let s = 0; s < SHARDS; s++) {
          const o = 4 * (q * SHARDS + s);
          GL += a.rangeSums[o];
          HL += a.rangeSums[o + 1];
          GR += a.rangeSums[o + 2];
          HR += a.rangeSums[o + 3];
        }
        const node = fin[q0 + q].node;
        if (tb.feature[node] < 0) {
          tb.value[node] = lr * leafWeight(GL, HL, p);
          tb.cover[node] = HL;
          for (let s = 0; s < SHARDS; s++) a.rangeVals[2 * (q * SHARDS + s)] = tb.value[node];
          continue;
        }
        const l = tb.left[node];
        const r = tb.right[node];
        tb.value[l] = lr * leafWeight(GL, HL, p);
        tb.cover[l] = HL;
        tb.value[r] = lr * leafWeight(GR, HR, p);
        tb.cover[r] = HR;
        for (let s = 0; s < SHARDS; s++) {
          a.rangeVals[2 * (q * SHARDS + s)] = tb.value[l];
          a.rangeVals[2 * (q * SHARDS + s) + 1] = tb.value[r];
        }
      }
      if (ranged) this.run(OP.margins, SHARDS);
    }
    // Children come after their parent: covers of inner nodes bottom-up.
    for (let i = tb.n - 1; i >= 0; i--) if (tb.feature[i] >= 0) tb.cover[i] = tb.cover[tb.left[i]] + tb.cover[tb.right[i]];
  }
}
