import { AbortedError } from '../../core/errors.js';
import type { ProgressFn } from '../../core/progress.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { Matrix } from '../matrix.js';
import { type BinMapper, applyBins, fitBins, transposeBins } from '../tree/binning.js';
import type { Tree } from '../tree/tree.js';
import type { WorkerPool } from '../../core/pool.js';
import { type BinnedData, type GrowParams, type HistogramBuilder, HistSlots, HistTreeGrower, addBinnedPrediction, addRangePrediction, serialHistograms } from './grow.js';
import { histSize } from './histogram.js';
import type { Objective } from './objectives.js';
import { quantLimits, quantSeed } from './quantize.js';
import { ShardedBooster } from './sharded.js';
import { predictEnsemble } from '../tree/ensemble-predict.js';

/**
 * Values (rows x features) from which binning runs on the worker pool: below, binning on this thread takes well
 * under 0.3 s, less than starting cold workers and shipping the matrix to them costs (measured: 80k x 30 bins in
 * 90 ms here, 155-165 ms on a cold pool, 71-78 ms on a warm one).
 */
const PARALLEL_BIN_VALUES = 8_000_000;

/** Everything the boosting loop needs besides the data. */
export interface BoostParams extends GrowParams {
  nEstimators: number;
  subsample: number;
  colsampleBytree: number;
  maxBins: number;
  earlyStoppingRounds: number;
  seed: number;
  /** Split search on quantised packed gradients (exact leaf values); falls back to exact when n is too large. */
  quantized: boolean;
}

/** A trained ensemble: base margins, trees (round-major, nOut per round) and the per-round loss histories. */
export interface Booster {
  nOut: number;
  baseMargin: Float64Array;
  trees: Tree[];
  /** Validation loss after each round grown (empty without a validation set). */
  evalHistory: number[];
  /** Training loss (the objective's `loss`, unweighted, on all training rows) after each round grown; empty unless `recordTrainLoss`. */
  trainHistory: number[];
  bestRounds: number;
}

/** Optional hooks: parallel histograms, a validation set, progress and cancellation. */
export interface BoostRun {
  hist?: HistogramBuilder;
  /** Allocates histogram pages of the exact path (shared memory when workers fill them). */
  allocHist?: (n: number) => Float64Array;
  eval?: { m: Matrix; y: Float64Array; yIndex: Int32Array | undefined };
  onProgress?: ProgressFn | undefined;
  signal?: AbortSignal | undefined;
  /** Record the training loss after every round (`trainHistory`; one extra loss pass per round). */
  recordTrainLoss?: boolean;
  /** Allocates row-major bin storage (shared memory when workers read it). */
  allocBins?: ((n: number) => Uint8Array) | undefined;
  /** Allocates the interleaved gradient/hessian buffer (2n). */
  allocGh?: (n: number) => Float64Array;
  /** Allocates the row index buffer (n). */
  allocRows?: (n: number) => Int32Array;
  /** Bins on several threads (the same edges and bins as fitBins + applyBins + transposeBins). */
  bin?: (m: Matrix, maxBins: number, seed: number) => Promise<{ mapper: BinMapper; B: Uint8Array; Bc: Uint8Array }>;
  /** Quantised fits: worker threads for the shards (threads - 1 of them from `pool`; see sharded.ts). */
  pool?: WorkerPool | undefined;
  threads?: number;
  /** Kernels of the quantised engine (see ShardedInit.kernels); default WebAssembly where it runs. */
  kernels?: 'wasm' | 'js';
}

/**
 * Second-order gradient boosting on histogram bins (Friedman 2001; Chen & Guestrin 2016): per round, gradients and
 * hessians of the objective at the current margins, one tree per output grown on them, margins updated on bins.
 * Row subsampling (Bernoulli per round) and column subsampling (per tree) are seeded by `seed` and the round.
 * Early stopping keeps the rounds up to the best validation loss when no improvement came in `earlyStoppingRounds`.
 */
export async function trainBooster(m: Matrix, y: Float64Array, yIndex: Int32Array | undefined, w: Float64Array, obj: Objective, p: BoostParams, run: BoostRun = {}): Promise<Booster> {
  const n = m.rows;
  const d = m.cols;
  const lim = p.quantized ? quantLimits(n) : undefined;
  // The engine's workers boot and load their code while this thread prepares the fit.
  if (lim !== undefined) ShardedBooster.preload(run.pool, run.threads ?? 1);
  const k = obj.nOut;
  const base = obj.baseMargin(y, yIndex, w);
  // Quantised: the sharded engine bins the data on its threads and owns margins, gradients and row order; exact: the
  // histogram tree grower.
  const engine =
    lim !== undefined
      ? new ShardedBooster({ m, maxBins: p.maxBins, binSeed: deriveSeed(p.seed, 1), p, lim, nOut: k, objective: { name: obj.name, y, yIndex, w }, threads: run.threads ?? 1, pool: run.pool, ...(run.kernels === undefined ? {} : { kernels: run.kernels }) })
      : undefined;
  let data: BinnedData;
  if (engine !== undefined) data = engine.data;
  else {
    let mapper: BinMapper;
    let B: Uint8Array;
    let Bc: Uint8Array;
    if (run.bin !== undefined && n * d >= PARALLEL_BIN_VALUES) {
      ({ mapper, B, Bc } = await run.bin(m, p.maxBins, deriveSeed(p.seed, 1)));
    } else {
      mapper = fitBins(m, p.maxBins, deriveSeed(p.seed, 1));
      B = applyBins(m, mapper, run.allocBins?.(n * d));
      Bc = transposeBins(B, n, d, run.allocBins?.(n * d));
    }
    data = { B, Bc, n, d, nBins: Int32Array.from(mapper.cuts, (c) => c.length), cuts: mapper.cuts };
  }
  const { B, Bc } = data;
  const mapper: BinMapper = { cuts: data.cuts };
  try {
    const alloc = run.allocHist;
    const grower = engine === undefined ? new HistTreeGrower(data, p, run.hist ?? serialHistograms, new HistSlots(histSize(d), alloc === undefined ? undefined : alloc)) : undefined;
    const alloc64 = run.allocGh ?? ((len: number) => new Float64Array(len));
    const margin = engine?.margin ?? alloc64(n * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) margin[i * k + c] = base[c];
    const grad = engine?.grad ?? alloc64(n * k);
    const hess = engine?.hess ?? alloc64(n * k);
    const gh = engine === undefined ? (run.allocGh?.(2 * n) ?? new Float64Array(2 * n)) : new Float64Array(0);
    const rowIdx = engine?.rowIdx ?? run.allocRows?.(n) ?? new Int32Array(n);
    const feats = new Int32Array(d);
    const rng = new Rng(deriveSeed(p.seed, 2));
    const trees: Tree[] = [];
    // Validation set, binned with the training edges; margins kept up to date tree by tree.
    let evB: Uint8Array | undefined;
    let evMargin: Float64Array | undefined;
    const ev = run.eval;
    if (ev !== undefined) {
      evB = applyBins(ev.m, mapper);
      evMargin = new Float64Array(ev.m.rows * k);
      for (let i = 0; i < ev.m.rows; i++) for (let c = 0; c < k; c++) evMargin[i * k + c] = base[c];
    }
    const history: number[] = [];
    const trainHistory: number[] = [];
    let best = Infinity;
    let bestRound = 0;
    for (let round = 0; round < p.nEstimators; round++) {
      if (run.signal?.aborted) throw new AbortedError('gradient boosting fit');
      // One output on the sharded engine: gradients computed there, shard by shard.
      const shardGradients = engine !== undefined && k === 1;
      if (!shardGradients) obj.gradients(margin, y, yIndex, w, grad, hess);
      let nRows = 0;
      if (p.subsample < 1) {
        for (let i = 0; i < n; i++) if (rng.float() < p.subsample) rowIdx[nRows++] = i;
        if (nRows === 0) rowIdx[nRows++] = rng.int(n);
      } else {
        // (the sharded engine resets its row order itself, shard by shard)
        if (engine === undefined) for (let i = 0; i < n; i++) rowIdx[i] = i;
        nRows = n;
      }
      let nf = d;
      if (p.colsampleBytree < 1) {
        nf = Math.max(1, Math.round(d * p.colsampleBytree));
        const pick = rng.sampleWithoutReplacement(d, nf).sort();
        feats.set(pick);
      } else {
        for (let f = 0; f < d; f++) feats[f] = f;
      }
      for (let c = 0; c < k; c++) {
        let grown: { tree: Tree; binThreshold: Int32Array };
        if (engine !== undefined) {
          grown = engine.tree(c, feats, nf, nRows, nRows === n, quantSeed(p.seed, round * k + c), shardGradients);
          if (nRows !== n) addBinnedPrediction(grown.tree, grown.binThreshold, B, n, d, margin, k, c);
        } else {
          interleave(grad, hess, c * n, n, gh);
          const g = await (grower as HistTreeGrower).grow(gh, rowIdx, nRows, feats, nf);
          grown = g;
          if (nRows === n) addRangePrediction(g.tree, g.binThreshold, Bc, n, rowIdx, g.ranges, margin, k, c);
          else addBinnedPrediction(g.tree, g.binThreshold, B, n, d, margin, k, c);
        }
        const { tree, binThreshold } = grown;
        if (ev !== undefined && evB !== undefined && evMargin !== undefined) addBinnedPrediction(tree, binThreshold, evB, ev.m.rows, d, evMargin, k, c);
        trees.push(tree);
      }
      // One pass over the margins the round already updated: O(n k) with a log per row, only when asked.
      if (run.recordTrainLoss === true) trainHistory.push(obj.loss(margin, y, yIndex));
      if (ev !== undefined && evMargin !== undefined) {
        const loss = obj.loss(evMargin, ev.y, ev.yIndex);
        history.push(loss);
        if (loss < best - 1e-12) {
          best = loss;
          bestRound = round + 1;
        } else if (p.earlyStoppingRounds > 0 && round + 1 - bestRound >= p.earlyStoppingRounds) {
          break;
        }
      }
      if (run.onProgress !== undefined) {
        const metrics: Record<string, number> = {};
        if (trainHistory.length > 0) metrics['trainLoss'] = trainHistory[trainHistory.length - 1]!;
        if (history.length > 0) metrics['valLoss'] = history[history.length - 1]!;
        run.onProgress({ step: 'boost', done: round + 1, total: p.nEstimators, ...(trainHistory.length + history.length > 0 ? { metrics } : {}) });
      }
      if ((round & 7) === 7) await new Promise<void>((r) => setImmediate(r));
    }
    const grown = trees.length / k;
    // an early stop ends the bar at the rounds grown (the last event above said done < total)
    if (grown < p.nEstimators && grown > 0) run.onProgress?.({ step: 'boost', done: grown, total: grown });
    const rounds = ev !== undefined && p.earlyStoppingRounds > 0 ? bestRound : grown;
    return { nOut: k, baseMargin: base, trees: trees.slice(0, rounds * k), evalHistory: history, trainHistory, bestRounds: rounds };
  } finally {
    await engine?.release();
  }
}

/** gh[2i] = grad[o + i], gh[2i + 1] = hess[o + i]. */
export function interleave(grad: Float64Array, hess: Float64Array, o: number, n: number, gh: Float64Array): void {
  for (let i = 0; i < n; i++) {
    gh[2 * i] = grad[o + i];
    gh[2 * i + 1] = hess[o + i];
  }
}

/** Raw margins n x nOut for a matrix (batch descent on raw values; NaN follows each split's default direction). */
export function boosterMargin(b: Booster, m: Matrix, threads = 1): Float64Array {
  // Rows in blocks (their features stay in cache while every tree descends them); each row adds its trees' values in
  // tree order, on whichever thread: the same sums as tree by tree.
  return predictEnsemble(b.trees, m.data, m.rows, m.cols, 'boost', b.nOut, Float64Array.from(b.baseMargin), threads);
}

/** Total split gain per feature over all trees, normalised to sum 1 ("gain" importance). */
export function gainImportance(trees: readonly Tree[], d: number): Float64Array {
  const imp = new Float64Array(d);
  for (const t of trees) for (let i = 0; i < t.nNodes; i++) if (t.feature[i] >= 0) imp[t.feature[i]] += t.gain[i];
  let s = 0;
  for (let j = 0; j < d; j++) s += imp[j];
  if (s > 0) for (let j = 0; j < d; j++) imp[j] /= s;
  return imp;
}
