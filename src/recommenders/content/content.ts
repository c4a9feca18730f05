import type { Artifact } from '../../core/artifact.js';
import { fingerprintArrays } from '../../core/artifact.js';
import { InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import { BaseModel, type FitOptions, type RecommendOptions, type Recommender, type Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { TopKBatch } from '../../core/topk.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import type { ItemCatalog } from '../../text/profiles.js';
import { SimilarityIndex } from '../../text/similarity/similarity.js';
import {
  type CatalogState,
  type ItemFeatureAware,
  buildCatalogState,
  catalogFromArtifact,
  catalogToArtifactParts,
  profileOptions,
  requireItem,
  recommendIndicesVia,
  scoreIntoVia,
} from './catalog-model.js';
import { becauseReason, closestItem, sharedFeatures } from './explain.js';
import { mmrRerank } from './mmr.js';

/** Params of the item profiles, shared by content, hybrid and lightfm. */
export const PROFILE_SPECS = {
  textWeight: { type: 'number', default: 1, min: 0, doc: 'Weight of each text field (TF-IDF block) in the item profile' },
  categoricalWeight: { type: 'number', default: 1, min: 0, doc: 'Weight of each categorical field (genres, brand)' },
  numericWeight: { type: 'number', default: 0.5, min: 0, doc: 'Weight of each numeric field (min-max scaled)' },
  encoding: { type: 'string', default: 'onehot', choices: ['onehot', 'hashed'] as const, doc: 'Categorical encoding' },
  hashBuckets: { type: 'integer', default: 1024, min: 1, doc: 'Buckets per categorical field when encoding=hashed' },
  minDf: { type: 'number', default: 1, min: 0, doc: 'TF-IDF min document frequency (< 1: proportion, >= 1: count)' },
  maxDf: { type: 'number', default: 1, min: 0, doc: 'TF-IDF max document frequency (<= 1: proportion, > 1: count)' },
  ngramMax: { type: 'integer', default: 1, min: 1, max: 3, doc: 'Largest word n-gram in text fields' },
  sublinearTf: { type: 'boolean', default: false, doc: 'Use 1 + ln(tf) for text term counts' },
} as const satisfies ParamSpecs;

export const CONTENT_SPECS = {
  ...PROFILE_SPECS,
  halfLifeDays: {
    type: 'optional-number',
    default: null,
    min: 0,
    doc: "Time decay of a user's interactions: weight halves every this many days before the user's latest one (null: none)",
  },
  centerRatings: { type: 'boolean', default: false, doc: "Weight items by rating minus the user's mean (dislikes count against)" },
  explainTerms: { type: 'integer', default: 3, min: 0, max: 10, doc: 'Shared terms or attributes listed in each explanation' },
  mmrLambda: {
    type: 'optional-number',
    default: null,
    min: 0,
    max: 1,
    doc: 'MMR diversity re-ranking of the top 4k: lambda (1 = relevance only, lower = more diverse; null = off)',
  },
  verb: { type: 'string', default: 'watched', choices: ['watched', 'liked', 'bought', 'read', 'viewed'] as const, doc: 'Verb of the explanation' },
} as const satisfies ParamSpecs;

export type ContentParams = ParamsOf<typeof CONTENT_SPECS>;

/**
 * Content-based recommender: a user's profile is the weighted sum of the profiles of the items they interacted with
 * (weight = rating or event weight, optionally centred on the user's mean and halved every `halfLifeDays`), and
 * items are ranked by cosine with it. Each result carries "Because you watched X: term1, term2": X is the history
 * item closest to it, the terms are the features contributing most to their cosine.
 *
 * Items with metadata but no interactions are ranked like any other (item cold start). Unknown users get the most
 * popular items (reason "popular"). Cost per user: O(nnz of the history's profiles + nnz(X)).
 */
export class ContentRecommender extends BaseModel<typeof CONTENT_SPECS> implements Recommender, ItemFeatureAware {
  readonly algorithm: string = 'content';
  readonly needsItemFeatures = true as const;
  private catalog: ItemCatalog | undefined;
  protected s: CatalogState | undefined;
  private scratch: Float64Array | undefined;
  private simIndex: SimilarityIndex | undefined;

  constructor(params?: Partial<ContentParams>) {
    super(CONTENT_SPECS, 'content', params);
  }

  /** Item metadata (text, categories, numbers) used by `fit`. */
  setItemFeatures(catalog: ItemCatalog): this {
    this.catalog = catalog;
    return this;
  }

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    throwIfAborted(opts.signal, 'content fit');
    this.s = buildCatalogState(this.catalog, data, profileOptions(this.params), 'content');
    this.scratch = undefined;
    this.simIndex = undefined;
    this.fitted = true;
    opts.onProgress?.({ step: 'profiles', done: 1, total: 1 });
    return this;
  }

  /** The fitted catalog state (profiles, item index, history). */
  get state(): CatalogState {
    this.requireFitted();
    return this.s!;
  }

  /** Weights of user u's history items (aligned with the history row): value (centred) x time decay. */
  historyWeights(u: number): Float64Array {
    const s = this.state;
    const a = s.hist.indptr[u]!;
    const b = s.hist.indptr[u + 1]!;
    const w = new Float64Array(b - a);
    let mean = 0;
    if (this.params.centerRatings && b > a) {
      for (let k = a; k < b; k++) mean += s.hist.values[k]!;
      mean /= b - a;
    }
    const hl = this.params.halfLifeDays;
    const ts = s.hist.timestamps;
    let latest = -Infinity;
    if (hl !== null && ts !== undefined) for (let k = a; k < b; k++) latest = Math.max(latest, ts[k]!);
    for (let k = a; k < b; k++) {
      let x = s.hist.values[k]! - mean;
      if (hl !== null && ts !== undefined) x *= hl > 0 ? Math.pow(0.5, (latest - ts[k]!) / (hl * 86400)) : ts[k] === latest ? 1 : 0;
      w[k - a] = x;
    }
    return w;
  }

  /**
   * Cosine of user u's profile with every item (length = number of items), or undefined when the profile is empty.
   * Used by the hybrids.
   */
  scoreUser(u: number): Float64Array | undefined {
    const s = this.state;
    const X = s.X;
    if (this.scratch === undefined) this.scratch = new Float64Array(X.cols);
    const prof = this.scratch;
    const a = s.hist.indptr[u]!;
    const w = this.historyWeights(u);
    let any = false;
    for (let m = 0; m < w.length; m++) {
      const i = s.hist.indices[a + m]!;
      const wt = w[m]!;
      if (wt === 0) continue;
      for (let p = X.indptr[i]!; p < X.indptr[i + 1]!; p++) {
        prof[X.indices[p]!] = prof[X.indices[p]!]! + wt * X.values[p]!;
        any = true;
      }
    }
    let norm = 0;
    for (let f = 0; f < prof.length; f++) norm += prof[f]! * prof[f]!;
    if (!any || norm === 0) {
      prof.fill(0);
      return undefined;
    }
    const inv = 1 / Math.sqrt(norm);
    const scores = new Float64Array(X.rows);
    for (let j = 0; j < X.rows; j++) {
      let d = 0;
      for (let p = X.indptr[j]!; p < X.indptr[j + 1]!; p++) d += X.values[p]! * prof[X.indices[p]!]!;
      scores[j] = d * inv;
    }
    prof.fill(0);
    return scores;
  }

  recommend(user: string, k: number, opts: RecommendOptions = {}): Scored[] {
    const s = this.state;
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`content.recommend: k must be a non-negative integer, got ${k}`);
    const u = s.users.indexOf(user);
    const scores = u < 0 ? undefined : this.scoreUser(u);
    if (scores === undefined) return popular(s, u, k, opts);
    return this.explain(u, diversify(s, rankScores(s, scores, u, this.params.mmrLambda === null ? k : k * 4, opts), k, this.params.mmrLambda));
  }

  /** Adds "Because you watched X: terms" to each result (X: the positively weighted history item closest to it). */
  explain(u: number, ranked: Scored[]): Scored[] {
    const s = this.state;
    const a = s.hist.indptr[u]!;
    const hItems = s.hist.indices.subarray(a, s.hist.indptr[u + 1]!);
    const w = this.historyWeights(u);
    for (const r of ranked) {
      const j = s.items.indexOf(r.id);
      const h = closestItem(s.X, j, hItems, w);
      if (h >= 0) r.reason = becauseReason(this.params.verb, s.titles[h]!, sharedFeatures(s.X, j, h, s.profiler, this.params.explainTerms));
    }
    return ranked;
  }

  /** The k items whose profiles are closest to `item`'s, with the features they share. Unknown ids throw. */
  similarItems(item: string, k: number): Scored[] {
    const s = this.state;
    const i = requireItem(s, item);
    if (this.simIndex === undefined) this.simIndex = new SimilarityIndex(s.X);
    const top = this.simIndex.neighboursOf(i, k);
    const out: Scored[] = [];
    for (let m = 0; m < top.indices.length; m++) {
      const j = top.indices[m]!;
      const terms = sharedFeatures(s.X, i, j, s.profiler, this.params.explainTerms);
      const r: Scored = { id: s.items.idAt(j), score: top.scores[m]! };
      if (terms.length) r.reason = `Shares: ${terms.join(', ')}`;
      out.push(r);
    }
    return out;
  }

  /** Batch top-k in the training data's item index (see eval/ranking-eval.ts). */
  recommendIndices(users: Int32Array, k: number, exclude: boolean): TopKBatch {
    return recommendIndicesVia(this.state, (u) => this.scoreUser(u), users, k, exclude);
  }

  /** Full scores of training user u in the training data's item index. */
  scoreInto(u: number, out: Float32Array): void {
    scoreIntoVia(this.state, (u) => this.scoreUser(u), u, out);
  }

  /**
   * Query-time similarity for new items that were not in the catalog at fit time: `items` carries their fields (same
   * names as the catalog's; unknown terms and categories are ignored). Returns the k most similar known items of each.
   */
  similarToNew(items: ItemCatalog, k: number): Scored[][] {
    const s = this.state;
    const Q = s.profiler.transform(items);
    if (this.simIndex === undefined) this.simIndex = new SimilarityIndex(s.X);
    const out: Scored[][] = [];
    for (let r = 0; r < Q.rows; r++) {
      const a = Q.indptr[r]!;
      const b = Q.indptr[r + 1]!;
      const top = this.simIndex.query(Q.indices.subarray(a, b), Q.values.subarray(a, b), k);
      out.push(Array.from(top.indices, (j, m) => ({ id: s.items.idAt(j), score: top.scores[m]! })));
    }
    return out;
  }

  toArtifact(): Artifact {
    const s = this.state;
    const parts = catalogToArtifactParts(s);
    return {
      meta: { algorithm: this.algorithm, params: { ...this.params }, state: parts.state, fingerprint: fingerprintArrays(s.hist.indptr, s.hist.indices, s.hist.values) },
      tensors: parts.tensors,
    };
  }

  static fromArtifact(a: Artifact): ContentRecommender {
    const m = new ContentRecommender(a.meta.params as Partial<ContentParams>);
    m.s = catalogFromArtifact(a);
    m.fitted = true;
    return m;
  }
}

/** Top k of `scores` for user u (u < 0: nobody), honouring excludeSeen and candidates. */
export function rankScores(s: CatalogState, scores: Float64Array, u: number, k: number, opts: RecommendOptions): Scored[] {
  const exclude = opts.excludeSeen !== false && u >= 0 ? s.hist.indices.subarray(s.hist.indptr[u]!, s.hist.indptr[u + 1]!) : undefined;
  if (opts.candidates !== undefined) {
    const masked = new Float64Array(scores.length).fill(-Infinity);
    for (const id of opts.candidates) {
      const j = s.items.indexOf(id);
      if (j >= 0) masked[j] = scores[j]!;
    }
    scores = masked;
  }
  const top = topK(scores, k, exclude);
  const out: Scored[] = [];
  for (let m = 0; m < top.indices.length; m++) out.push({ id: s.items.idAt(top.indices[m]!), score: top.scores[m]! });
  return out;
}

/** Most interacted items (the fallback for users without a usable profile). */
export function popular(s: CatalogState, u: number, k: number, opts: RecommendOptions): Scored[] {
  const scores = Float64Array.from(s.itemCounts);
  return rankScores(s, scores, u, k, opts).map((r) => ({ ...r, reason: 'popular' }));
}

/** MMR re-ranking of `ranked` down to k by profile cosine when `lambda` is set; otherwise `ranked` as is. */
export function diversify(s: CatalogState, ranked: Scored[], k: number, lambda: number | null): Scored[] {
  return lambda === null ? ranked : mmrRerank(ranked, k, lambda, s.X, s.items);
}
