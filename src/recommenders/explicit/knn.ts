import { availableParallelism } from 'node:os';
import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamsOf } from '../../core/params.js';
import { fitBaselines } from './baselines.js';
import { ExplicitModel, FB_IMPOSSIBLE, FB_NOT_ENOUGH_NEIGHBOURS, type ModelState, SCALE_SPECS } from './base.js';
import { WorkerPool, kernelModuleUrl, sharedFloat32, toShared } from '../../core/pool.js';
import { type Compressed, MAX_SIM_ENTITIES, SIMILARITIES, type RatingSimilarityOptions, similarityRows } from './similarity.js';
import type { SimilarityArgs } from './similarity-kernel.js';

const SIM_KERNEL = kernelModuleUrl(import.meta.url, './similarity-kernel.js');

/** Params shared by the four KNN models; defaults are Surprise's (`k`, `min_k`, `sim_options`, `bsl_options`). */
export const KNN_SPECS = {
  k: { type: 'integer', default: 40, min: 1, doc: 'Maximum number of neighbours (Surprise `k`).' },
  minK: { type: 'integer', default: 1, min: 0, doc: 'Fewer neighbours with positive similarity than this falls back (Surprise `min_k`).' },
  similarity: { type: 'string', default: 'msd', choices: SIMILARITIES, doc: 'Similarity measure (Surprise `sim_options.name`).' },
  userBased: { type: 'boolean', default: true, doc: 'Similarities between users (true) or items (false) (Surprise `user_based`).' },
  minSupport: { type: 'integer', default: 1, min: 0, doc: 'Pairs with fewer common ratings get similarity 0 (Surprise `min_support`).' },
  shrinkage: { type: 'number', default: 100, min: 0, doc: 'Shrinkage of pearson_baseline (Surprise `shrinkage`).' },
  threads: { type: 'integer', default: 1, min: 0, doc: 'Worker threads for the similarity matrix (0 = all cores); results are identical for any count. Not in Surprise.' },
  baselineMethod: { type: 'string', default: 'als', choices: ['als', 'sgd'] as const, doc: 'Baseline fit for knn-baseline and pearson_baseline (Surprise `bsl_options.method`).' },
  baselineEpochs: { type: 'optional-integer', default: null, min: 1, doc: 'Baseline epochs; null = 10 (ALS) or 20 (SGD).' },
  baselineRegUser: { type: 'number', default: 15, min: 0, doc: 'Baseline ALS `reg_u`.' },
  baselineRegItem: { type: 'number', default: 10, min: 0, doc: 'Baseline ALS `reg_i`.' },
  baselineRegularization: { type: 'number', default: 0.02, min: 0, doc: 'Baseline SGD `reg`.' },
  baselineLearningRate: { type: 'number', default: 0.005, min: 0, exclusiveMin: true, doc: 'Baseline SGD `learning_rate`.' },
  ...SCALE_SPECS,
} as const;
export type KNNParams = ParamsOf<typeof KNN_SPECS>;

type Variant = 'basic' | 'means' | 'zscore' | 'baseline';

/**
 * Neighbourhood models (Surprise's knns module; Koren 2010 for the baseline variant). With x the side similarities
 * are computed on (users when `userBased`) and y the other side, the estimate of (u, i) uses the `k` x-neighbours most
 * similar to x among those who rated y (ties go to the lower index), counting only positive similarities.
 * Fit O(Σ_y |raters of y|²) time and O(n_x²) float32 memory for the similarity matrix; predict O(|raters of y| log k).
 */
abstract class KNNBase extends ExplicitModel<typeof KNN_SPECS> {
  protected abstract readonly variant: Variant;
  protected sim: Float32Array = new Float32Array(0);
  protected nx = 0;
  protected byX!: Compressed;
  protected byY!: Compressed;
  protected means: Float64Array = new Float64Array(0);
  protected sigmas: Float64Array = new Float64Array(0);
  protected bx: Float64Array = new Float64Array(0);
  protected by: Float64Array = new Float64Array(0);
  private heapSim: Float64Array = new Float64Array(0);
  private heapPos: Int32Array = new Int32Array(0);

  protected async fitModel(_seed: number, opts: FitOptions): Promise<void> {
    const p = this.params;
    this.setViews();
    const n = this.nx;
    if (n > MAX_SIM_ENTITIES) {
      throw new InvalidArgumentError(`${this.algorithm}: ${n} ${p.userBased ? 'users' : 'items'} need a ${n}x${n} similarity matrix; at most ${MAX_SIM_ENTITIES} are supported (try userBased=${!p.userBased})`, { n });
    }
    const needBaselines = this.variant === 'baseline' || p.similarity === 'pearson_baseline';
    if (needBaselines) {
      const b = fitBaselines(this.data, this.globalMean, {
        method: p.baselineMethod,
        epochs: p.baselineEpochs,
        regUser: p.baselineRegUser,
        regItem: p.baselineRegItem,
        regularization: p.baselineRegularization,
        learningRate: p.baselineLearningRate,
      });
      this.bx = p.userBased ? b.bu : b.bi;
      this.by = p.userBased ? b.bi : b.bu;
    } else {
      this.bx = new Float64Array(0);
      this.by = new Float64Array(0);
    }
    throwIfAborted(opts.signal, `${this.algorithm}.fit`);
    let devX: Float64Array | undefined;
    let devY: Float64Array | undefined;
    if (p.similarity === 'pearson_baseline') {
      devX = residuals(this.byX, this.globalMean, this.bx, this.by);
      devY = residuals(this.byY, this.globalMean, this.by, this.bx);
    }
    const o: RatingSimilarityOptions = { name: p.similarity, minSupport: p.minSupport, shrinkage: p.shrinkage };
    const threads = p.threads === 0 ? availableParallelism() : p.threads;
    if (threads > 1 && n >= 256) {
      this.sim = await parallelSimilarities(threads, n, this.byX, this.byY, o, devX, devY);
    } else {
      this.sim = new Float32Array(n * n);
      similarityRows(n, this.byX, this.byY, o, devX, devY, 0, n, this.sim);
    }
    this.computeMoments();
  }

  /** x-major and y-major views of the training ratings. */
  private setViews(): void {
    const csc = this.data.csc();
    const csr: Compressed = { indptr: this.data.indptr, indices: this.data.indices, values: this.data.values };
    const cc: Compressed = { indptr: csc.indptr, indices: csc.indices, values: csc.values };
    this.byX = this.params.userBased ? csr : cc;
    this.byY = this.params.userBased ? cc : csr;
    this.nx = this.params.userBased ? this.nUsers : this.nItems;
    this.heapSim = new Float64Array(this.params.k);
    this.heapPos = new Int32Array(this.params.k);
  }

  /** Per-x mean and population standard deviation (1 when zero), as Surprise's KNNWithMeans/ZScore. */
  private computeMoments(): void {
    const n = this.nx;
    this.means = new Float64Array(n);
    this.sigmas = new Float64Array(n);
    const { indptr, values } = this.byX;
    for (let x = 0; x < n; x++) {
      const a = indptr[x]!;
      const b = indptr[x + 1]!;
      if (a === b) continue;
      let s = 0;
      for (let k = a; k < b; k++) s += values[k]!;
      const m = s / (b - a);
      let v = 0;
      for (let k = a; k < b; k++) v += (values[k]! - m) * (values[k]! - m);
      const sd = Math.sqrt(v / (b - a));
      this.means[x] = m;
      this.sigmas[x] = sd === 0 ? 1 : sd;
    }
  }

  /**
   * Selects the top-k neighbours of x among the raters of y into the scratch heap; returns how many were kept.
   * Heap entries are positions into byY's row y.
   */
  private selectNeighbours(x: number, y: number): number {
    const k = this.params.k;
    const hs = this.heapSim;
    const hp = this.heapPos;
    const sim = this.sim;
    const row = x * this.nx;
    const yi = this.byY.indices;
    const a = this.byY.indptr[y]!;
    const b = this.byY.indptr[y + 1]!;
    let size = 0;
    for (let m = a; m < b; m++) {
      const s = sim[row + yi[m]!]!;
      if (size < k) {
        // sift up in a min-heap ordered by (sim, then later position is smaller)
        let c = size++;
        while (c > 0) {
          const par = (c - 1) >> 1;
          if (hs[par]! < s || (hs[par] === s && hp[par]! > m)) break;
          hs[c] = hs[par]!;
          hp[c] = hp[par]!;
          c = par;
        }
        hs[c] = s;
        hp[c] = m;
      } else if (s > hs[0]!) {
        let c = 0;
        for (;;) {
          const l = 2 * c + 1;
          if (l >= size) break;
          const r = l + 1;
          let w = l;
          if (r < size && (hs[r]! < hs[l]! || (hs[r] === hs[l] && hp[r]! > hp[l]!))) w = r;
          if (hs[w]! > s || (hs[w] === s && hp[w]! < m)) break;
          hs[c] = hs[w]!;
          hp[c] = hp[w]!;
          c = w;
        }
        hs[c] = s;
        hp[c] = m;
      }
    }
    return size;
  }

  protected estimate(u: number, i: number): number {
    const ub = this.params.userBased;
    const x = ub ? u : i;
    const y = ub ? i : u;
    const v = this.variant;
    let base: number;
    if (v === 'baseline') {
      base = this.globalMean;
      if (u >= 0) base += ub ? this.bx[u]! : this.by[u]!;
      if (i >= 0) base += ub ? this.by[i]! : this.bx[i]!;
    } else if (v === 'basic') {
      base = this.globalMean;
    } else {
      base = x >= 0 ? this.means[x]! : this.globalMean;
    }
    if (x < 0 || y < 0) return base;
    const size = this.selectNeighbours(x, y);
    const hs = this.heapSim;
    const hp = this.heapPos;
    const yi = this.byY.indices;
    const yv = this.byY.values;
    let sumSim = 0;
    let sumR = 0;
    let actual = 0;
    const mu = this.globalMean;
    const byY = v === 'baseline' ? this.by[y]! : 0;
    for (let t = 0; t < size; t++) {
      const s = hs[t]!;
      if (!(s > 0)) continue;
      const m = hp[t]!;
      const nb = yi[m]!;
      const r = yv[m]!;
      sumSim += s;
      actual++;
      if (v === 'basic') sumR += s * r;
      else if (v === 'means') sumR += s * (r - this.means[nb]!);
      else if (v === 'zscore') sumR += (s * (r - this.means[nb]!)) / this.sigmas[nb]!;
      else sumR += s * (r - (mu + this.bx[nb]! + byY));
    }
    if (actual < this.params.minK || sumSim === 0) {
      this.fb = actual < this.params.minK ? FB_NOT_ENOUGH_NEIGHBOURS : FB_IMPOSSIBLE;
      return base;
    }
    if (v === 'basic') return sumR / sumSim;
    if (v === 'zscore') return base + (sumR / sumSim) * this.sigmas[x]!;
    return base + sumR / sumSim;
  }

  /** The similarity matrix (row-major n_x x n_x float32, a view). */
  get similarities(): Float32Array {
    this.requireFitted();
    return this.sim;
  }

  protected saveState(): ModelState {
    const t: ModelState['tensors'] = { sim: tensor(this.sim, [this.nx, this.nx]) };
    if (this.bx.length > 0) {
      t['bx'] = tensor(this.bx);
      t['by'] = tensor(this.by);
    }
    return { state: {}, tensors: t };
  }

  protected loadState(a: Artifact): void {
    this.setViews();
    this.sim = requireTensor(a, 'sim', Float32Array, [this.nx, this.nx]);
    if (a.tensors['bx'] !== undefined) {
      this.bx = requireTensor(a, 'bx', Float64Array, [this.nx]);
      this.by = requireTensor(a, 'by', Float64Array, [this.params.userBased ? this.nItems : this.nUsers]);
    }
    this.computeMoments();
  }
}

/** Similarity rows spread over a worker pool of `threads`; inputs are copied to shared memory once. */
async function parallelSimilarities(
  threads: number,
  n: number,
  byX: Compressed,
  byY: Compressed,
  o: RatingSimilarityOptions,
  devX: Float64Array | undefined,
  devY: Float64Array | undefined,
): Promise<Float32Array> {
  const share = (m: Compressed): Compressed => ({ indptr: toShared(m.indptr), indices: toShared(m.indices), values: toShared(m.values) });
  const out = sharedFloat32(n * n);
  const args: SimilarityArgs = { n, byX: share(byX), byY: share(byY), o, devX: devX === undefined ? undefined : toShared(devX), devY: devY === undefined ? undefined : toShared(devY), out };
  const pool = new WorkerPool({ size: threads });
  try {
    await pool.run<SimilarityArgs, number>({ module: SIM_KERNEL, fn: 'similarityKernel', args, total: n, minChunkSize: 64 });
  } finally {
    await pool.close();
  }
  return out;
}

/** r - (mu + b_row + b_col) for every stored entry of `m`. */
function residuals(m: Compressed, mu: number, bRow: Float64Array, bCol: Float64Array): Float64Array {
  const out = new Float64Array(m.indices.length);
  const n = m.indptr.length - 1;
  for (let r = 0; r < n; r++) {
    const e = m.indptr[r + 1]!;
    for (let k = m.indptr[r]!; k < e; k++) out[k] = m.values[k]! - (mu + bRow[r]! + bCol[m.indices[k]!]!);
  }
  return out;
}

/** KNNBasic: r̂ = Σ sim·r / Σ sim over the neighbours. Falls back to the global mean. */
export class KNNBasic extends KNNBase {
  readonly algorithm = 'knn-basic';
  protected readonly variant = 'basic';
  constructor(params?: Partial<KNNParams>) {
    super(KNN_SPECS, 'knn-basic', params);
  }
  static fromArtifact(a: Artifact): KNNBasic {
    return new KNNBasic(a.meta.params as Partial<KNNParams>).restore(a);
  }
}

/** KNNWithMeans: r̂ = μ_x + Σ sim·(r - μ_nb) / Σ sim. Falls back to μ_x (or the global mean when x is unknown). */
export class KNNWithMeans extends KNNBase {
  readonly algorithm = 'knn-means';
  protected readonly variant = 'means';
  constructor(params?: Partial<KNNParams>) {
    super(KNN_SPECS, 'knn-means', params);
  }
  static fromArtifact(a: Artifact): KNNWithMeans {
    return new KNNWithMeans(a.meta.params as Partial<KNNParams>).restore(a);
  }
}

/** KNNWithZScore: r̂ = μ_x + σ_x Σ sim·(r - μ_nb)/σ_nb / Σ sim. Falls back to μ_x (or the global mean). */
export class KNNWithZScore extends KNNBase {
  readonly algorithm = 'knn-zscore';
  protected readonly variant = 'zscore';
  constructor(params?: Partial<KNNParams>) {
    super(KNN_SPECS, 'knn-zscore', params);
  }
  static fromArtifact(a: Artifact): KNNWithZScore {
    return new KNNWithZScore(a.meta.params as Partial<KNNParams>).restore(a);
  }
}

/** KNNBaseline: r̂ = b_ui + Σ sim·(r - b_nb,y) / Σ sim with baselines b = mu + b_u + b_i. Falls back to b_ui. */
export class KNNBaseline extends KNNBase {
  readonly algorithm = 'knn-baseline';
  protected readonly variant = 'baseline';
  constructor(params?: Partial<KNNParams>) {
    super(KNN_SPECS, 'knn-baseline', params);
  }
  static fromArtifact(a: Artifact): KNNBaseline {
    return new KNNBaseline(a.meta.params as Partial<KNNParams>).restore(a);
  }
}
