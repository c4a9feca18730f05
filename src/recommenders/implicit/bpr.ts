import type { Artifact } from '../../core/artifact.js';
import { throwIfAborted } from '../../core/errors.js';
import type { FitOptions } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import { type BprStratumArgs, bprStratum } from './bpr-kernel.js';
import { FactorModel } from './factor-model.js';
import { runStrata } from './bpr-parallel.js';

const BPR_SPECS = {
  factors: { type: 'integer', default: 200, min: 1, max: 4096, doc: 'latent factors' },
  epochs: { type: 'integer', default: 15, min: 1, doc: 'passes; each draws as many samples as there are positives' },
  learningRate: { type: 'number', default: 0.075, min: 0, exclusiveMin: true, doc: 'SGD step' },
  regularization: { type: 'number', default: 0.001, min: 0, doc: 'L2 weight on factors and item biases' },
  threads: { type: 'integer', default: 1, min: 1, max: 64, doc: 'DSGD shards run in parallel; the model is reproducible for a fixed value' },
  seed: { type: 'integer', default: 42, doc: 'seed of initialisation and sampling' },
} as const satisfies ParamSpecs;

type BprParams = ParamsOf<typeof BPR_SPECS>;

/** `fit` options of {@link BprModel}: the common ones plus an optional per-epoch snapshot callback. */
export interface BprFitOptions extends FitOptions {
  /**
   * Called after each epoch with the model as it would be after a fit of that many epochs (the same factors, bit
   * for bit, since the init and every epoch's sampling stream do not depend on the epoch count). Meant for
   * validation curves: one fit of E epochs scores every epoch count up to E. The model is usable (recommend,
   * evaluate) inside the callback; the fit continues after the returned promise settles.
   */
  afterEpoch?: (epoch: number, model: BprModel) => void | Promise<void>;
}

/**
 * Bayesian Personalised Ranking (Rendle et al. 2009) with item biases, SGD over uniformly sampled (user, positive,
 * negative) triples, defaults after the Microsoft Recommenders benchmark's Cornac BPR (200 factors, 15 epochs,
 * lr 0.075, reg 0.001).
 *
 * Parallelism: with `threads` = T > 1, users and items are split into T shards (index mod T) and each epoch runs T
 * strata; in stratum s, shard a trains on its users' positives among items of shard (a + s) mod T, with negatives
 * drawn from that item shard (DSGD, Gemulla et al. 2011). Concurrent shards touch disjoint rows, and every block
 * draws from its own derived seed, so a fixed T gives the same model whatever the scheduling; different T give
 * different (equally valid) models. With T = 1 this is plain BPR with negatives from the whole catalog.
 *
 * Items without any training interaction ("cold" items, e.g. items of the id map seen only in a test part) carry no
 * signal: they are never drawn as negatives (as in Cornac, whose catalog is the training set's items), and after the
 * fit their factors are zero and their bias is a floor below every trained item's score for every user
 * (min_i b_i - max_u |x_u| max_i |y_i| - 1 over trained items i, by Cauchy-Schwarz). So they rank after all trained
 * items, among themselves by index (the tie order), instead of by their random initial vectors.
 */
export class BprModel extends FactorModel<typeof BPR_SPECS> {
  readonly algorithm: string = 'bpr';
  static readonly specs = BPR_SPECS;

  constructor(params?: Partial<BprParams>) {
    super(BPR_SPECS, 'BprModel', params);
  }

  async fit(data: Interactions, opts: BprFitOptions = {}): Promise<this> {
    this.beginFit(data);
    const f = this.params.factors;
    const T = Math.max(1, Math.min(this.params.threads, data.nUsers, data.nItems));
    const seed = opts.seed ?? this.params.seed;
    const rng = new Rng(seed);
    const plan = planBlocks(data, T);
    const userF = plan.alloc(data.nUsers * f);
    const itemF = plan.alloc(data.nItems * f);
    const itemBias = plan.alloc(data.nItems);
    for (let k = 0; k < userF.length; k++) userF[k] = (rng.float() - 0.5) / f;
    for (let k = 0; k < itemF.length; k++) itemF[k] = (rng.float() - 0.5) / f;
    const base: Omit<BprStratumArgs, 'stratum' | 'seed'> = {
      userF,
      itemF,
      itemBias,
      f,
      indptr: plan.share(data.indptr),
      indices: plan.share(data.indices),
      blockPtr: plan.blockPtr,
      blockPos: plan.blockPos,
      posUser: plan.posUser,
      shardPtr: plan.shardPtr,
      shardItems: plan.shardItems,
      shards: T,
      learningRate: this.params.learningRate,
      regularization: this.params.regularization,
    };
    const epochs = this.params.epochs;
    for (let e = 0; e < epochs; e++) {
      throwIfAborted(opts.signal, 'BPR fit');
      let used = 0;
      let skipped = 0;
      for (let s = 0; s < T; s++) {
        const args: BprStratumArgs = { ...base, stratum: s, seed: deriveSeed(seed, e * T + s) };
        const res = T === 1 ? [bprStratum(args, 0, 1)] : await runStrata(args, T);
        for (const [a, b] of res) {
          used += a;
          skipped += b;
        }
      }
      opts.onProgress?.({ step: 'epoch', done: e + 1, total: epochs, metrics: { samples: used, skipped } });
      if (opts.afterEpoch !== undefined && e + 1 < epochs) {
        this.finish(userF, itemF, itemBias, plan.trained, f);
        await opts.afterEpoch(e + 1, this);
      }
    }
    this.finish(userF, itemF, itemBias, plan.trained, f);
    await opts.afterEpoch?.(epochs, this);
    return this;
  }

  /** Copies the training state into the model, with the cold-item fallback (zero factors, floor bias) applied. */
  private finish(userF: Float32Array, itemF: Float32Array, itemBias: Float32Array, trained: Uint8Array, f: number): void {
    this.userF = Float32Array.from(userF);
    this.itemF = Float32Array.from(itemF);
    this.itemBias = Float32Array.from(itemBias);
    this.dim = f;
    applyColdItemFloor(this.userF, this.itemF, this.itemBias, trained, f);
    this.resetCaches();
    this.fitted = true;
  }

  toArtifact(): Artifact {
    return this.factorArtifact();
  }

  static fromArtifact(a: Artifact): BprModel {
    const m = new BprModel(a.meta.params as Partial<BprParams>);
    m.restoreFactors(a);
    return m;
  }
}

/**
 * Zeroes the factors of items without training interactions (`trained[i]` = 0) and sets their bias to a floor below
 * min over trained items of b_i - |x_u| |y_i| for every user u, hence below every trained item's score x_u . y_i + b_i.
 */
export function applyColdItemFloor(userF: Float32Array, itemF: Float32Array, itemBias: Float32Array, trained: Uint8Array, f: number): void {
  const nItems = trained.length;
  let minBias = Infinity;
  let maxItemNorm = 0;
  let cold = 0;
  for (let i = 0; i < nItems; i++) {
    if (trained[i] === 0) {
      cold++;
      continue;
    }
    minBias = Math.min(minBias, itemBias[i]!);
    let s = 0;
    for (let c = 0; c < f; c++) s += itemF[i * f + c]! ** 2;
    maxItemNorm = Math.max(maxItemNorm, Math.sqrt(s));
  }
  if (cold === 0 || minBias === Infinity) return;
  let maxUserNorm = 0;
  for (let o = 0; o < userF.length; o += f) {
    let s = 0;
    for (let c = 0; c < f; c++) s += userF[o + c]! ** 2;
    maxUserNorm = Math.max(maxUserNorm, Math.sqrt(s));
  }
  const floor = minBias - maxUserNorm * maxItemNorm - 1;
  for (let i = 0; i < nItems; i++) {
    if (trained[i] !== 0) continue;
    itemF.fill(0, i * f, (i + 1) * f);
    itemBias[i] = floor;
  }
}

/**
 * Buckets CSR positions by (user shard, item shard) and lists each item shard's trained items (those with at least
 * one training interaction: the only negatives drawn). Shards are index mod T.
 */
function planBlocks(data: Interactions, T: number) {
  const shared = T > 1;
  const alloc = (n: number): Float32Array => (shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n));
  const share = (a: Int32Array): Int32Array => {
    if (!shared) return a;
    const out = new Int32Array(new SharedArrayBuffer(a.byteLength));
    out.set(a);
    return out;
  };
  const nb = T * T;
  const blockPtr = new Int32Array(nb + 1);
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) blockPtr[(u % T) * T + (data.indices[p]! % T) + 1]++;
  }
  for (let b = 0; b < nb; b++) blockPtr[b + 1] = blockPtr[b + 1]! + blockPtr[b]!;
  const next = blockPtr.slice(0, nb);
  const blockPos = new Int32Array(data.nnz);
  const posUser = new Int32Array(data.nnz);
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) {
      const q = next[(u % T) * T + (data.indices[p]! % T)]!++;
      blockPos[q] = p;
      posUser[q] = u;
    }
  }
  const trained = new Uint8Array(data.nItems);
  for (let p = 0; p < data.nnz; p++) trained[data.indices[p]!] = 1;
  const shardPtr = new Int32Array(T + 1);
  for (let i = 0; i < data.nItems; i++) if (trained[i] !== 0) shardPtr[(i % T) + 1]++;
  for (let b = 0; b < T; b++) shardPtr[b + 1] = shardPtr[b + 1]! + shardPtr[b]!;
  const sn = shardPtr.slice(0, T);
  const shardItems = new Int32Array(shardPtr[T]!);
  for (let i = 0; i < data.nItems; i++) if (trained[i] !== 0) shardItems[sn[i % T]!++] = i;
  return { alloc, share, trained, blockPtr: share(blockPtr), blockPos: share(blockPos), posUser: share(posUser), shardPtr: share(shardPtr), shardItems: share(shardItems) };
}
