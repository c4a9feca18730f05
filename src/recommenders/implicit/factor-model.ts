import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { type TopK, topK } from '../../core/topk.js';
import { type WorkerPool, getSharedPool, kernelModuleUrl, toShared } from '../../core/pool.js';
import { ImplicitModel, type TopKBatch, toScored } from './base.js';
import { type RecommendBlockArgs, recommendBlock } from './recommend-all-kernel.js';
import { checkK } from './validate.js';

const RECOMMEND_KERNEL = kernelModuleUrl(import.meta.url, './recommend-all-kernel.js');

function padIdx(a: Int32Array, k: number): Int32Array {
  const out = new Int32Array(k).fill(-1);
  out.set(a.subarray(0, k));
  return out;
}

function padScore(a: Float64Array, k: number): Float32Array {
  const out = new Float32Array(k).fill(-Infinity);
  for (let c = 0; c < Math.min(k, a.length); c++) out[c] = a[c]!;
  return out;
}

/**
 * Base of latent-factor recommenders (ALS, BPR): user factors (users x f) and item factors (items x f), both
 * row-major Float32Array, plus an optional item bias. score(u, i) = x_u . y_i (+ b_i).
 */
export abstract class FactorModel<S extends ParamSpecs> extends ImplicitModel<S> {
  protected userF: Float32Array = new Float32Array(0);
  protected itemF: Float32Array = new Float32Array(0);
  protected itemBias: Float32Array | undefined;
  protected dim = 0;
  private itemNorms: Float32Array | undefined;

  protected constructor(specs: S, owner: string, params: Partial<ParamsOf<S>> | undefined) {
    super(specs, owner, params);
  }

  /** Number of latent factors. */
  get factorCount(): number {
    return this.dim;
  }

  /** User factors, users x factors row-major (a live view: do not modify). */
  get userFactors(): Float32Array {
    this.requireFitted();
    return this.userF;
  }

  /** Item factors, items x factors row-major (a live view: do not modify). */
  get itemFactors(): Float32Array {
    this.requireFitted();
    return this.itemF;
  }

  /** Item biases (BPR) or undefined. */
  get itemBiases(): Float32Array | undefined {
    return this.itemBias;
  }

  scoreInto(u: number, out: Float32Array): void {
    this.scoreVectorInto(this.userF.subarray(u * this.dim, (u + 1) * this.dim), out);
  }

  /** out[i] = vec . y_i (+ b_i) for every item. O(items x f). */
  scoreVectorInto(vec: Float32Array, out: Float32Array): void {
    const f = this.dim;
    const y = this.itemF;
    const b = this.itemBias;
    for (let i = 0, n = this.nItems; i < n; i++) {
      let s = b === undefined ? 0 : b[i]!;
      const o = i * f;
      for (let c = 0; c < f; c++) s += vec[c]! * y[o + c]!;
      out[i] = s;
    }
  }

  /** Kernel arguments for scoring `users` (private copies, or shared buffers for the pool). */
  private blockArgs(users: Int32Array, k: number, exclude: boolean, shared: boolean): RecommendBlockArgs {
    const sh = <T extends Float32Array | Int32Array>(a: T): T => (shared ? toShared(a) : a);
    const fb = topK(this.fallbackScores(), k);
    const n = users.length * k;
    return {
      userF: sh(this.userF),
      itemF: sh(this.itemF),
      itemBias: this.itemBias === undefined ? null : sh(this.itemBias),
      f: this.dim,
      nItems: this.nItems,
      k,
      users: sh(users),
      seenIndptr: sh(this.seenIndptr),
      seenIndices: sh(this.seenIndices),
      exclude,
      fallbackIdx: padIdx(fb.indices, k),
      fallbackScore: padScore(fb.scores, k),
      outIdx: shared ? new Int32Array(new SharedArrayBuffer(n * 4)) : new Int32Array(n),
      outScore: shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n),
      block: Math.max(1, Math.min(512, Math.floor(8_000_000 / Math.max(1, this.nItems)))),
    };
  }

  /**
   * Batch top-k by blocked matrix products on this thread (the evaluation path); same contract as the base
   * (users without history and indices outside [0, nUsers) get popularity).
   */
  override recommendIndices(users: Int32Array, k: number, exclude = true): TopKBatch {
    this.requireFitted();
    checkK(k, 'recommendIndices');
    const safe = Int32Array.from(users, (u) => (u >= 0 && u < this.nUsers ? u : -1));
    const args = this.blockArgs(safe, k, exclude, false);
    recommendBlock(args, 0, users.length);
    return { k, indices: args.outIdx, scores: args.outScore };
  }

  /**
   * Top-k for many users (all by default) on the worker pool: rows are split over threads, each scoring blocks of
   * users with one matrix product and a bounded heap per user. The result equals `recommendIndices` exactly.
   */
  override async recommendAll(k: number, opts: { users?: Int32Array; exclude?: boolean; pool?: WorkerPool } = {}): Promise<TopKBatch> {
    this.requireFitted();
    checkK(k, 'recommendAll');
    const users = opts.users ?? Int32Array.from({ length: this.nUsers }, (_, u) => u);
    const pool = opts.pool ?? getSharedPool();
    const safe = Int32Array.from(users, (u) => (u >= 0 && u < this.nUsers ? u : -1));
    const args = this.blockArgs(safe, k, opts.exclude ?? true, pool.size > 1);
    await pool.run<RecommendBlockArgs, void>({ module: RECOMMEND_KERNEL, fn: 'recommendBlock', args, total: users.length, minChunkSize: 64 });
    return { k, indices: args.outIdx, scores: args.outScore };
  }

  /** Top-k item indices for an arbitrary user vector (e.g. a fold-in), skipping `excludeSorted`. */
  recommendForVector(vec: Float32Array, k: number, excludeSorted?: Int32Array): TopK {
    this.requireFitted();
    checkK(k, 'recommendForVector');
    if (vec.length !== this.dim) throw new InvalidArgumentError(`recommendForVector: vector has ${vec.length} entries, expected ${this.dim} factors`);
    const out = new Float32Array(this.nItems);
    this.scoreVectorInto(vec, out);
    return topK(out, k, excludeSorted);
  }

  private norms(): Float32Array {
    if (this.itemNorms === undefined) {
      const f = this.dim;
      const nrm = new Float32Array(this.nItems);
      for (let i = 0; i < this.nItems; i++) {
        let s = 0;
        for (let c = 0; c < f; c++) s += this.itemF[i * f + c]! ** 2;
        nrm[i] = Math.sqrt(s);
      }
      this.itemNorms = nrm;
    }
    return this.itemNorms;
  }

  private cosine(i: number, j: number): number {
    const f = this.dim;
    let s = 0;
    for (let c = 0; c < f; c++) s += this.itemF[i * f + c]! * this.itemF[j * f + c]!;
    const d = this.norms()[i]! * this.norms()[j]!;
    return d > 0 ? s / d : 0;
  }

  protected override explain(u: number, item: number): string | undefined {
    const hist = this.seenItems(u);
    let best = -1;
    let bestV = 0;
    for (let h = 0; h < hist.length; h++) {
      const c = this.cosine(hist[h]!, item);
      if (c > bestV) {
        bestV = c;
        best = hist[h]!;
      }
    }
    return best < 0 ? undefined : `because you liked ${this.itemIds.idAt(best)}`;
  }

  /** Items whose factor vectors have the largest cosine with `item`'s; [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const out = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) out[i] = this.cosine(i, j);
    const top = topK(out, k, Int32Array.of(j));
    return toScored(this.itemIds, top.indices, top.scores);
  }

  protected factorArtifact(state: Record<string, unknown> = {}): Artifact {
    const t: Record<string, ReturnType<typeof tensor>> = {
      userFactors: tensor(this.userF, [this.nUsers, this.dim]),
      itemFactors: tensor(this.itemF, [this.nItems, this.dim]),
    };
    if (this.itemBias !== undefined) t['itemBias'] = tensor(this.itemBias);
    return this.baseArtifact(t, { factors: this.dim, ...state });
  }

  protected restoreFactors(a: Artifact): void {
    this.restoreBase(a);
    const f = a.meta.state?.['factors'];
    this.dim = typeof f === 'number' ? f : 0;
    this.userF = requireTensor(a, 'userFactors', Float32Array, [this.nUsers, this.dim]);
    this.itemF = requireTensor(a, 'itemFactors', Float32Array, [this.nItems, this.dim]);
    this.itemBias = a.tensors['itemBias'] === undefined ? undefined : requireTensor(a, 'itemBias', Float32Array, [this.nItems]);
    this.itemNorms = undefined;
  }

  /** Drops caches derived from the factors (call after training). */
  protected resetCaches(): void {
    this.itemNorms = undefined;
  }
}
