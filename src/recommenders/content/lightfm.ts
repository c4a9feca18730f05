import type { Artifact } from '../../core/artifact.js';
import { fingerprintArrays, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import { BaseModel, type FitOptions, type RecommendOptions, type Recommender, type Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { TopKBatch } from '../../core/topk.js';
import { Rng } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import type { ItemCatalog } from '../../text/profiles.js';
import { SimilarityIndex } from '../../text/similarity/similarity.js';
import { type CatalogState, type ItemFeatureAware, buildCatalogState, catalogFromArtifact, catalogToArtifactParts, profileOptions, recommendIndicesVia, requireItem, scoreIntoVia } from './catalog-model.js';
import { PROFILE_SPECS, popular, rankScores } from './content.js';
import { becauseReason, closestItem, sharedFeatures } from './explain.js';
import { type ItemFeatures, buildItemFeatures, trainEpoch } from './lightfm-train.js';

export const LIGHTFM_SPECS = {
  ...PROFILE_SPECS,
  factors: { type: 'integer', default: 32, min: 1, max: 1024, doc: 'Embedding dimension' },
  epochs: { type: 'integer', default: 30, min: 1, doc: 'Passes over the positive interactions' },
  learningRate: { type: 'number', default: 0.05, min: 0, exclusiveMin: true, doc: 'Adagrad learning rate' },
  regularization: { type: 'number', default: 1e-6, min: 0, doc: 'L2 penalty on user and feature embeddings (per update)' },
  loss: { type: 'string', default: 'warp', choices: ['warp', 'bpr'] as const, doc: 'WARP (Weston et al. 2011) or BPR (Rendle et al. 2009)' },
  maxSampled: { type: 'integer', default: 10, min: 1, doc: 'WARP: negatives tried per positive before giving up' },
  itemIdentity: { type: 'boolean', default: true, doc: 'Give every item with interactions its own identity feature besides its metadata' },
  seed: { type: 'integer', default: 42, min: 0, doc: 'Seed of the initialisation and sampling' },
} as const satisfies ParamSpecs;

export type LightFMParams = ParamsOf<typeof LIGHTFM_SPECS>;

/**
 * A LightFM-style hybrid factorisation (Kula 2015): an item's embedding is the weighted sum of the embeddings of its
 * features (its identity, when it has interactions, plus its metadata profile: terms, categories, scaled numbers;
 * rows normalised to sum 1) and a user's is their own; score = user · item + item bias. Trained by Adagrad SGD with
 * the WARP or BPR loss on the interactions (all treated as positives). An item with metadata but no interaction is
 * embedded through its features alone, so it is recommendable from day one (item cold start).
 */
export class LightFMRecommender extends BaseModel<typeof LIGHTFM_SPECS> implements Recommender, ItemFeatureAware {
  readonly algorithm: string = 'lightfm';
  readonly needsItemFeatures = true as const;
  private catalog: ItemCatalog | undefined;
  private s: CatalogState | undefined;
  /** users x factors. */
  private U: Float32Array | undefined;
  /** items x factors (item embeddings from their features) and item biases. */
  private R: Float32Array | undefined;
  private b: Float32Array | undefined;
  private simIndex: SimilarityIndex | undefined;

  constructor(params?: Partial<LightFMParams>) {
    super(LIGHTFM_SPECS, 'lightfm', params);
  }

  setItemFeatures(catalog: ItemCatalog): this {
    this.catalog = catalog;
    return this;
  }

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    const p = this.params;
    const s = buildCatalogState(this.catalog, data, profileOptions(p), 'lightfm');
    const feats: ItemFeatures = buildItemFeatures(s, p.itemIdentity);
    const f = p.factors;
    const rng = new Rng(opts.seed ?? p.seed);
    const nU = s.users.size;
    const U = new Float32Array(nU * f);
    const V = new Float32Array(feats.nFeatures * f);
    for (let i = 0; i < U.length; i++) U[i] = (rng.float() - 0.5) / f;
    for (let i = 0; i < V.length; i++) V[i] = (rng.float() - 0.5) / f;
    const model = { f, U, V, bv: new Float32Array(feats.nFeatures), gU: new Float32Array(U.length).fill(1), gV: new Float32Array(V.length).fill(1), gb: new Float32Array(feats.nFeatures).fill(1) };
    for (let e = 0; e < p.epochs; e++) {
      throwIfAborted(opts.signal, 'lightfm fit');
      const loss = trainEpoch(model, feats, s, { loss: p.loss, lr: p.learningRate, reg: p.regularization, maxSampled: p.maxSampled }, rng);
      opts.onProgress?.({ step: 'epoch', done: e + 1, total: p.epochs, metrics: { loss } });
      if (e % 5 === 4) await new Promise<void>((r) => setImmediate(r));
    }
    // item embeddings and biases from the features
    const nI = s.items.size;
    const R = new Float32Array(nI * f);
    const b = new Float32Array(nI);
    for (let i = 0; i < nI; i++) {
      for (let q = feats.indptr[i]!; q < feats.indptr[i + 1]!; q++) {
        const c = feats.indices[q]!;
        const w = feats.values[q]!;
        b[i] = b[i]! + w * model.bv[c]!;
        for (let d = 0; d < f; d++) R[i * f + d] = R[i * f + d]! + w * V[c * f + d]!;
      }
    }
    this.s = s;
    this.U = U;
    this.R = R;
    this.b = b;
    this.simIndex = undefined;
    this.fitted = true;
    return this;
  }

  get state(): CatalogState {
    this.requireFitted();
    return this.s!;
  }

  /** Scores of user u over all items. */
  scoreUser(u: number): Float64Array {
    const s = this.state;
    const f = this.params.factors;
    const U = this.U!;
    const R = this.R!;
    const out = new Float64Array(s.items.size);
    const ub = u * f;
    for (let j = 0; j < out.length; j++) {
      let d = this.b![j]!;
      const jb = j * f;
      for (let x = 0; x < f; x++) d += U[ub + x]! * R[jb + x]!;
      out[j] = d;
    }
    return out;
  }

  recommend(user: string, k: number, opts: RecommendOptions = {}): Scored[] {
    const s = this.state;
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`lightfm.recommend: k must be a non-negative integer, got ${k}`);
    const u = s.users.indexOf(user);
    if (u < 0 || s.hist.indptr[u + 1] === s.hist.indptr[u]) return popular(s, u, k, opts);
    const ranked = rankScores(s, this.scoreUser(u), u, k, opts);
    const hItems = s.hist.indices.subarray(s.hist.indptr[u]!, s.hist.indptr[u + 1]!);
    for (const r of ranked) {
      const j = s.items.indexOf(r.id);
      const h = closestItem(s.X, j, hItems);
      if (h >= 0) r.reason = becauseReason('watched', s.titles[h]!, sharedFeatures(s.X, j, h, s.profiler, 3));
    }
    return ranked;
  }

  /** Items closest by metadata profile (cosine); unknown ids throw. */
  similarItems(item: string, k: number): Scored[] {
    const s = this.state;
    const i = requireItem(s, item);
    if (this.simIndex === undefined) this.simIndex = new SimilarityIndex(s.X);
    const top = this.simIndex.neighboursOf(i, k);
    return Array.from(top.indices, (j, m) => ({ id: s.items.idAt(j), score: top.scores[m]! }));
  }

  /** Batch top-k in the training data's item index (see eval/ranking-eval.ts). */
  recommendIndices(users: Int32Array, k: number, exclude: boolean): TopKBatch {
    return recommendIndicesVia(this.state, (u) => (this.state.hist.indptr[u + 1] === this.state.hist.indptr[u] ? undefined : this.scoreUser(u)), users, k, exclude);
  }

  /** Full scores of training user u in the training data's item index. */
  scoreInto(u: number, out: Float32Array): void {
    scoreIntoVia(this.state, (u) => (this.state.hist.indptr[u + 1] === this.state.hist.indptr[u] ? undefined : this.scoreUser(u)), u, out);
  }

  toArtifact(): Artifact {
    const s = this.state;
    const parts = catalogToArtifactParts(s);
    return {
      meta: { algorithm: this.algorithm, params: { ...this.params }, state: parts.state, fingerprint: fingerprintArrays(s.hist.indptr, s.hist.indices) },
      tensors: { ...parts.tensors, user_factors: tensor(this.U!, [s.users.size, this.params.factors]), item_factors: tensor(this.R!, [s.items.size, this.params.factors]), item_bias: tensor(this.b!) },
    };
  }

  static fromArtifact(a: Artifact): LightFMRecommender {
    const m = new LightFMRecommender(a.meta.params as Partial<LightFMParams>);
    const s = catalogFromArtifact(a);
    const f = m.params.factors;
    m.s = s;
    m.U = requireTensor(a, 'user_factors', Float32Array, [s.users.size, f]);
    m.R = requireTensor(a, 'item_factors', Float32Array, [s.items.size, f]);
    m.b = requireTensor(a, 'item_bias', Float32Array, [s.items.size]);
    m.fitted = true;
    return m;
  }
}
