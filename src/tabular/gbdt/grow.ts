import { MISSING_BIN } from '../tree/binning.js';
import { type Tree, TreeBuilder } from '../tree/tree.js';
import { buildHistogram, clearHistogram, histSize, subtractHistogram } from './histogram.js';
import { type SplitParams, type SplitResult, findBestSplit, leafWeight } from './split.js';

/**
 * Binned training data: row-major n x d bins (histograms read a row's d bins together), the same bins column-major
 * (partitioning a node reads one feature of its rows: a contiguous column), value-bin counts and edges per feature.
 */
export interface BinnedData {
  B: Uint8Array;
  /** Column-major bins: Bc[f * n + i]. */
  Bc: Uint8Array;
  n: number;
  d: number;
  nBins: Int32Array;
  cuts: Float64Array[];
}

/** How one boosting tree grows. */
export interface GrowParams extends SplitParams {
  /** Depth limit (0 = none). */
  maxDepth: number;
  /** Leaf limit (0 = none). */
  maxLeaves: number;
  /** "depthwise": level by level (XGBoost default); "lossguide": best leaf first (LightGBM). */
  growPolicy: 'depthwise' | 'lossguide';
  learningRate: number;
}

/**
 * Builds histograms for a batch of nodes: `jobs` holds [start, end, slot] triples over `rowIdx`. The default runs on
 * the calling thread; a parallel implementation splits rows across workers and sums their partial histograms.
 */
export interface HistogramBuilder {
  build(B: Uint8Array, d: number, gh: Float64Array, rowIdx: Int32Array, jobs: Int32Array, nJobs: number, feats: Int32Array, nf: number, slots: HistSlots): void | Promise<void>;
}

/**
 * Histogram memory: fixed-size slots handed out and returned as nodes are created and finished. Slots live in
 * pages of `perPage` slots (one allocation each, shared memory when workers fill them); `buffers[s]` is slot s's view.
 */
export class HistSlots {
  readonly size: number;
  buffers: Float64Array[] = [];
  pages: Float64Array[] = [];
  private free: number[] = [];
  /** `size`: Float64 slots of one histogram ({@link histSize} or, for packed histograms, packedHistSize). */
  constructor(
    size: number,
    private readonly makeBuffer: (n: number) => Float64Array = (n) => new Float64Array(n),
    readonly perPage = 16,
  ) {
    this.size = size;
  }
  alloc(): number {
    const s = this.free.pop();
    if (s !== undefined) return s;
    const slot = this.buffers.length;
    if (slot % this.perPage === 0) this.pages.push(this.makeBuffer(this.size * this.perPage));
    const page = this.pages[this.pages.length - 1];
    const o = (slot % this.perPage) * this.size;
    this.buffers.push(page.subarray(o, o + this.size));
    return slot;
  }
  release(s: number): void {
    this.free.push(s);
  }
}

/** Single-threaded histogram building. */
export const serialHistograms: HistogramBuilder = {
  build(B, d, gh, rowIdx, jobs, nJobs, feats, nf, slots) {
    for (let j = 0; j < nJobs; j++) {
      const buf = slots.buffers[jobs[3 * j + 2]];
      clearHistogram(buf, 0, feats, nf, d);
      buildHistogram(B, d, rowIdx, jobs[3 * j], jobs[3 * j + 1], gh, feats, nf, buf, 0);
    }
  },
};

interface Cand {
  node: number;
  start: number;
  end: number;
  depth: number;
  G: number;
  H: number;
  slot: number;
  split: SplitResult;
}

/**
 * Grows one regression tree on gradients/hessians over binned data (Chen & Guestrin 2016, alg. 3 on histograms;
 * Ke et al. 2017 for leaf-wise growth). Rows are partitioned in place in `rowIdx` so each node owns a contiguous
 * range; only the smaller child's histogram is built, the larger one is parent minus smaller. Exact float
 * gradients; quantised fits grow on row shards instead (sharded.ts).
 */
export class HistTreeGrower {
  readonly slots: HistSlots;
  constructor(
    private readonly data: BinnedData,
    private readonly p: GrowParams,
    private readonly hist: HistogramBuilder = serialHistograms,
    slots?: HistSlots,
  ) {
    this.slots = slots ?? new HistSlots(histSize(data.d));
  }

  /**
   * Grows a tree on rows rowIdx[0..nRows) (permuted in place) using features `feats[0..nf)`. Returns the tree (leaf
   * values already scaled by the learning rate), its split bins (for predicting on binned rows) and its final row
   * ranges ([start, end, node] each: a leaf, or a last-level split whose children are leaves).
   */
  async grow(gh: Float64Array, rowIdx: Int32Array, nRows: number, feats: Int32Array, nf: number): Promise<{ tree: Tree; binThreshold: Int32Array; ranges: Int32Array }> {
    this.ranges.length = 0;
    const { B, d, cuts } = this.data;
    const p = this.p;
    const tb = new TreeBuilder(1, 64);
    const binThr: number[] = [];
    let G = 0;
    let H = 0;
    for (let k = 0; k < nRows; k++) {
      G += gh[2 * rowIdx[k]];
      H += gh[2 * rowIdx[k] + 1];
    }
    const root: Cand = { node: tb.addLeaf(H), start: 0, end: nRows, depth: 0, G, H, slot: this.slots.alloc(), split: emptySplit() };
    const jobs = new Int32Array(3 * 64);
    jobs[0] = 0;
    jobs[1] = nRows;
    jobs[2] = root.slot;
    await this.hist.build(B, d, gh, rowIdx, jobs, 1, feats, nf, this.slots);
    this.evaluate(root, feats, nf);
    let cands: Cand[] = [root];
    let leaves = 1;
    const maxLeaves = p.maxLeaves > 0 ? p.maxLeaves : Infinity;
    let jobBuf = jobs;
    while (cands.length > 0) {
      // Choose the nodes to split in this round.
      const { chosen, finish, keep: rest } = chooseSplits(cands, p.growPolicy, leaves, maxLeaves);
      for (const c of finish) this.finishLeaf(tb, c);
      if (chosen.length === 0) break;
      // Split the chosen nodes, partition their rows, and build the smaller children's histograms in one batch.
      const children: Cand[] = [];
      const larger: Cand[] = [];
      const smaller: Cand[] = [];
      if (jobBuf.length < 3 * chosen.length) jobBuf = new Int32Array(6 * chosen.length);
      let nJobs = 0;
      for (const c of chosen) {
        const s = c.split;
        const f = s.feature;
        const HR = c.H - s.HL;
        const l = tb.split(c.node, f, cuts[f][s.bin], s.defaultLeft, s.gain, s.HL, HR);
        binThr[c.node] = s.bin;
        leaves++;
        if (p.maxDepth > 0 && c.depth + 1 >= p.maxDepth) {
          // Both children are final leaves: no partition and no histograms needed.
          tb.value[l] = p.learningRate * leafWeight(s.GL, s.HL, p);
          tb.value[l + 1] = p.learningRate * leafWeight(c.G - s.GL, HR, p);
          this.slots.release(c.slot);
          c.slot = -1;
          this.ranges.push(c.start, c.end, c.node);
          continue;
        }
        const mid = partition(this.data.Bc, this.data.n, rowIdx, c.start, c.end, f, s.bin, s.defaultLeft, this.scratch(rowIdx.length));
        const left: Cand = { node: l, start: c.start, end: mid, depth: c.depth + 1, G: s.GL, H: s.HL, slot: -1, split: emptySplit() };
        const right: Cand = { node: l + 1, start: mid, end: c.end, depth: c.depth + 1, G: c.G - s.GL, H: HR, slot: -1, split: emptySplit() };
        const leftSmall = mid - c.start <= c.end - mid;
        const sm = leftSmall ? left : right;
        const lg = leftSmall ? right : left;
        sm.slot = this.slots.alloc();
        lg.slot = c.slot;
        jobBuf[3 * nJobs] = sm.start;
        jobBuf[3 * nJobs + 1] = sm.end;
        jobBuf[3 * nJobs + 2] = sm.slot;
        nJobs++;
        smaller.push(sm);
        larger.push(lg);
        children.push(left, right);
      }
      if (nJobs > 0) await this.hist.build(B, d, gh, rowIdx, jobBuf, nJobs, feats, nf, this.slots);
      for (let i = 0; i < smaller.length; i++) subtractHistogram(this.slots.buffers[larger[i].slot], 0, this.slots.buffers[smaller[i].slot], 0, feats, nf);
      for (const ch of children) {
        if ((p.maxDepth > 0 && ch.depth >= p.maxDepth) || ch.end - ch.start < 2 || ch.H < 2 * p.minChildWeight) {
          this.finishLeaf(tb, ch);
        } else {
          this.evaluate(ch, feats, nf);
          rest.push(ch);
        }
      }
      cands = rest;
      if (leaves >= maxLeaves) {
        for (const c of cands) this.finishLeaf(tb, c);
        break;
      }
    }
    const tree = tb.finish();
    const bt = new Int32Array(tree.nNodes);
    for (let i = 0; i < tree.nNodes; i++) bt[i] = binThr[i] ?? 0;
    return { tree, binThreshold: bt, ranges: Int32Array.from(this.ranges) };
  }

  private scratchBuf = new Int32Array(0);
  private scratch(n: number): Int32Array {
    if (this.scratchBuf.length < n) this.scratchBuf = new Int32Array(n);
    return this.scratchBuf;
  }

  private evaluate(c: Cand, feats: Int32Array, nf: number): void {
    findBestSplit(this.slots.buffers[c.slot], 0, feats, nf, this.data.nBins, c.G, c.H, this.p, c.split);
  }

  /** [start, end, node] per final row range: a leaf, or a last-level split whose children are leaves. */
  private readonly ranges: number[] = [];

  private finishLeaf(tb: TreeBuilder, c: Cand): void {
    tb.value[c.node] = this.p.learningRate * leafWeight(c.G, c.H, this.p);
    if (c.end > c.start) this.ranges.push(c.start, c.end, c.node);
    if (c.slot >= 0) this.slots.release(c.slot);
    c.slot = -1;
  }
}

/**
 * One round's plan: `chosen`, the nodes to split (lossguide: the one of largest positive gain, none once `maxLeaves`
 * is reached; depthwise: every node of positive gain, largest first, as many as `maxLeaves` leaves room for);
 * `finish`, the nodes that become leaves now (all of them when none is chosen; depthwise, every node not chosen);
 * `keep`, the candidates carried to the next round (lossguide's others). Each list keeps the order of `cands`.
 */
export function chooseSplits<C extends { split: SplitResult }>(cands: C[], policy: GrowParams['growPolicy'], leaves: number, maxLeaves: number): { chosen: C[]; finish: C[]; keep: C[] } {
  if (policy === 'lossguide') {
    let bi = -1;
    for (let i = 0; i < cands.length; i++) if (cands[i].split.gain > 0 && (bi < 0 || cands[i].split.gain > cands[bi].split.gain)) bi = i;
    if (bi < 0 || leaves >= maxLeaves) return { chosen: [], finish: cands, keep: [] };
    return { chosen: [cands[bi]], finish: [], keep: cands.filter((_, i) => i !== bi) };
  }
  const ok = cands.filter((c) => c.split.gain > 0).sort((a, b) => b.split.gain - a.split.gain);
  const room = maxLeaves - leaves;
  const chosen = ok.slice(0, Math.max(0, Math.min(ok.length, room === Infinity ? ok.length : room)));
  const set = new Set(chosen);
  return { chosen, finish: cands.filter((c) => !set.has(c)), keep: [] };
}

function emptySplit(): SplitResult {
  return { gain: 0, feature: -1, bin: 0, defaultLeft: false, GL: 0, HL: 0 };
}

/**
 * Stable partition of rowIdx[start..end): rows going left first, each side keeping ascending row order (so
 * histogram passes read memory forwards). Returns the first right position.
 */
export function partition(Bc: Uint8Array, n: number, rowIdx: Int32Array, start: number, end: number, f: number, bin: number, defaultLeft: boolean, scratch: Int32Array): number {
  // Branch-free (a data-dependent branch mispredicts about half the time): every row is written to both sides and
  // only the side it belongs to advances. Row r goes right iff key(b) > t, with key(b) = (b + a) & 255 and
  // t = min(bin, 254) + a, a = 1 when missing values go left: the shift sends MISSING_BIN to key 0 (left of any t)
  // and keeps the order of value bins; with a = 0, MISSING_BIN = 255 > t goes right.
  const a = defaultLeft ? 1 : 0;
  const t = Math.min(bin, MISSING_BIN - 1) + a;
  let w = start;
  let nr = 0;
  const col = (f * n) | 0;
  for (let k = start; k < end; k++) {
    const r = rowIdx[k];
    const right = (t - ((Bc[col + r] + a) & 255)) >>> 31;
    rowIdx[w] = r;
    scratch[nr] = r;
    w += 1 - right;
    nr += right;
  }
  // A native copy instead of a second loop: a second hot loop in the same function made V8 deoptimise it on
  // almost every call (its feedback was missing when the first loop was compiled on stack replacement).
  rowIdx.set(scratch.subarray(0, nr), w);
  return w;
}

/**
 * Exact sums of final row range q (info holds [start, end, feature, bin, defaultLeft, -] per range): for a leaf
 * (feature < 0) sum g, sum h, 0, 0; for a last-level split the left then the right child's sums; into out[4q..4q+3].
 */
export function rangeSums(Bc: Uint8Array, n: number, rowIdx: Int32Array, gh: Float64Array, info: Int32Array, q: number, out: Float64Array): void {
  const s = info[6 * q];
  const e = info[6 * q + 1];
  const f = info[6 * q + 2];
  let GL = 0;
  let HL = 0;
  let GR = 0;
  let HR = 0;
  if (f < 0) {
    for (let k = s; k < e; k++) {
      const i = rowIdx[k];
      GL += gh[2 * i];
      HL += gh[2 * i + 1];
    }
  } else {
    // Branch-free, as in partition: lf = 1 for a left row, rf = 1 - lf. Multiplying by 1 or 0 and adding +-0 leave
    // each side's sum exactly what adding its own rows alone gives (the sums start at +0, so they never become -0).
    const a = info[6 * q + 4] === 1 ? 1 : 0;
    const t = Math.min(info[6 * q + 3], MISSING_BIN - 1) + a;
    const col = (f * n) | 0;
    for (let k = s; k < e; k++) {
      const i = rowIdx[k];
      const rf = (t - ((Bc[col + i] + a) & 255)) >>> 31;
      const lf = 1 - rf;
      const g = gh[2 * i];
      const h = gh[2 * i + 1];
      GL += g * lf;
      HL += h * lf;
      GR += g * rf;
      HR += h * rf;
    }
  }
  out[4 * q] = GL;
  out[4 * q + 1] = HL;
  out[4 * q + 2] = GR;
  out[4 * q + 3] = HR;
}

/**
 * Adds the leaf values of final row range q to out[row * stride + offset]: vals[2q] for a leaf, or vals[2q] /
 * vals[2q + 1] by the split of a last-level range (info as in {@link rangeSums}).
 */
export function addRangeValues(Bc: Uint8Array, n: number, rowIdx: Int32Array, info: Int32Array, q: number, vals: Float64Array, out: Float64Array, stride: number, offset: number): void {
  const s = info[6 * q];
  const e = info[6 * q + 1];
  const f = info[6 * q + 2];
  const vl = vals[2 * q];
  if (f < 0) {
    for (let k = s; k < e; k++) out[rowIdx[k] * stride + offset] += vl;
    return;
  }
  // Branch-free, as in partition: the value is vals[2q + (1 if right)].
  const a = info[6 * q + 4] === 1 ? 1 : 0;
  const t = Math.min(info[6 * q + 3], MISSING_BIN - 1) + a;
  const col = (f * n) | 0;
  const v0 = 2 * q;
  for (let k = s; k < e; k++) {
    const r = rowIdx[k];
    out[r * stride + offset] += vals[v0 + ((t - ((Bc[col + r] + a) & 255)) >>> 31)];
  }
}

/**
 * Adds the tree's leaf values for the rows it was grown on, from the final row ranges of `grow` (one bin lookup per
 * row at most, instead of a root-to-leaf walk). Valid only when the tree was grown on every row.
 */
export function addRangePrediction(
  tree: Tree,
  binThr: Int32Array,
  Bc: Uint8Array,
  n: number,
  rowIdx: Int32Array,
  ranges: Int32Array,
  out: Float64Array,
  stride: number,
  offset: number,
): void {
  const nR = ranges.length / 3;
  const info = new Int32Array(6 * nR);
  const vals = new Float64Array(2 * nR);
  for (let q = 0; q < nR; q++) {
    const node = ranges[3 * q + 2];
    const f = tree.feature[node];
    info[6 * q] = ranges[3 * q];
    info[6 * q + 1] = ranges[3 * q + 1];
    info[6 * q + 2] = f;
    if (f < 0) {
      vals[2 * q] = tree.value[node];
      continue;
    }
    info[6 * q + 3] = binThr[node];
    info[6 * q + 4] = tree.defaultLeft[node];
    vals[2 * q] = tree.value[tree.left[node]];
    vals[2 * q + 1] = tree.value[tree.right[node]];
  }
  for (let q = 0; q < nR; q++) addRangeValues(Bc, n, rowIdx, info, q, vals, out, stride, offset);
}

/** Adds `tree`'s leaf value to out[i * stride + offset] for every binned row (traversal on bins). */
export function addBinnedPrediction(tree: Tree, binThr: Int32Array, B: Uint8Array, n: number, d: number, out: Float64Array, stride: number, offset: number): void {
  const feature = tree.feature;
  const left = tree.left;
  const right = tree.right;
  const dl = tree.defaultLeft;
  const value = tree.value;
  for (let i = 0; i < n; i++) {
    let node = 0;
    const base = i * d;
    while (feature[node] >= 0) {
      const b = B[base + feature[node]];
      node = b === MISSING_BIN ? (dl[node] === 1 ? left[node] : right[node]) : b <= binThr[node] ? left[node] : right[node];
    }
    out[i * stride + offset] += value[node];
  }
}
