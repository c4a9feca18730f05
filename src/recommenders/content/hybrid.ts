import type { Artifact } from '../../core/artifact.js';
import { requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError, InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import { BaseModel, type FitOptions, type RecommendOptions, type Recommender, type Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { TopKBatch } from '../../core/topk.js';
import { Rng, deriveSeed } from '../../core/rng.js';
import type { Interactions } from '../../data/interactions.js';
import type { ItemCatalog } from '../../text/profiles.js';
import { type CatalogState, type ItemFeatureAware, recommendIndicesVia, scoreIntoVia } from './catalog-model.js';
import { CONTENT_SPECS, ContentRecommender, type ContentParams, diversify, popular, rankScores } from './content.js';
import { type ItemCF, fitItemCF, scoreItemCF } from './item-cf.js';
import { coldAndWarmHoldout, ndcgAtK } from './validation.js';
import { CF_CHOICES, type ScoringModel, fitRegisteredCf, loadRegisteredCf, nestCfArtifact, scoreRegisteredCf } from './registered-cf.js';
import { SimilarityIndex } from '../../text/similarity/similarity.js';

export const HYBRID_SPECS = {
  ...CONTENT_SPECS,
  mode: { type: 'string', default: 'weighted', choices: ['weighted', 'switching'] as const, doc: 'weighted: blend CF and content; switching: content below minInteractions' },
  alpha: { type: 'optional-number', default: null, min: 0, max: 1, doc: 'Weight of CF in the blend for items with interactions (null: tuned on validation in fit)' },
  coldAlpha: {
    type: 'optional-number',
    default: null,
    min: 0,
    max: 1,
    doc: 'Weight of the mapped CF score in the blend for items without interactions (null: tuned on held-out validation items)',
  },
  cf: {
    type: 'string',
    default: 'item-cosine',
    choices: CF_CHOICES,
    doc: 'CF part: item-cosine (internal item-item cosine) or a registered implicit model by name (its default params), scores min-max scaled per user',
  },
  neighbours: { type: 'integer', default: 20, min: 1, doc: 'Neighbours per item of the item-item CF part (cf = item-cosine)' },
  minInteractions: { type: 'integer', default: 5, min: 0, doc: 'switching: users/items with fewer interactions use content' },
  validationFraction: { type: 'number', default: 0.1, min: 0, max: 0.5, exclusiveMin: true, doc: "Share of each user's interactions held out to tune alpha" },
  coldNeighbours: {
    type: 'integer',
    default: 20,
    min: 0,
    doc: 'Items without interactions get a CF score mapped from this many content-nearest items that have some (0: none)',
  },
  validationRounds: {
    type: 'integer',
    default: 3,
    min: 1,
    max: 20,
    doc: 'Validation splits (different held-out items and entries) averaged when tuning alpha and coldAlpha',
  },
  validationUsers: { type: 'integer', default: 1000, min: 1, doc: 'Users sampled to tune alpha' },
  seed: { type: 'integer', default: 42, min: 0, doc: 'Seed of the validation split and user sample' },
} as const satisfies ParamSpecs;

export type HybridParams = ParamsOf<typeof HYBRID_SPECS>;

const GRID = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Scales a score vector by its maximum (so both parts live in [0, 1] for a user); all-zero stays zero. */
function scaleByMax(x: Float64Array): Float64Array {
  let m = 0;
  for (let i = 0; i < x.length; i++) if (x[i]! > m) m = x[i]!;
  if (m > 0) for (let i = 0; i < x.length; i++) x[i] = x[i]! / m;
  return x;
}

/**
 * Hybrid of item-item CF and the content-based model (Burke 2002's taxonomy):
 * - `weighted`: score = α · cf + (1 − α) · content, each scaled to [0, 1] per user; α is tuned in `fit` by NDCG@10
 *   on a per-user validation hold-out (grid 0, 0.1, ..., 1) unless given;
 * - `switching`: users with fewer than `minInteractions` interactions get content scores; for the others, items
 *   with fewer than `minInteractions` interactions get content scores and the rest CF scores.
 * Cold items (metadata, no interactions) are reached through the content part. Explanations come from the content
 * part ("Because you watched X: ...").
 */
export class HybridRecommender extends BaseModel<typeof HYBRID_SPECS> implements Recommender, ItemFeatureAware {
  readonly algorithm: string = 'hybrid';
  readonly needsItemFeatures = true as const;
  private catalog: ItemCatalog | undefined;
  private content: ContentRecommender | undefined;
  private cf: ItemCF | undefined;
  private cfModel: ScoringModel | undefined;
  private cfBuf: Float32Array | undefined;
  private alphaUsed = 0.5;
  private coldAlphaUsed = 0.5;
  private cold: ColdMap | undefined;
  /** NDCG@10 on validation for each alpha of the grid (after a tuned fit): warm items, and held-out (cold) items. */
  validationCurve: { alpha: number; ndcg: number; ndcgCold: number }[] = [];

  constructor(params?: Partial<HybridParams>) {
    super(HYBRID_SPECS, 'hybrid', params);
  }

  setItemFeatures(catalog: ItemCatalog): this {
    this.catalog = catalog;
    return this;
  }

  private contentParams(): Partial<ContentParams> {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(CONTENT_SPECS)) out[key] = (this.params as Record<string, unknown>)[key];
    return out as Partial<ContentParams>;
  }

  /** The blend weight of CF in use for items with interactions (tuned or given). */
  get alpha(): number {
    this.requireFitted();
    return this.alphaUsed;
  }

  /** The blend weight of the mapped CF score for items without interactions (tuned or given). */
  get coldAlpha(): number {
    this.requireFitted();
    return this.coldAlphaUsed;
  }

  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    throwIfAborted(opts.signal, 'hybrid fit');
    const p = this.params;
    this.alphaUsed = p.alpha ?? 0.5;
    this.coldAlphaUsed = p.coldAlpha ?? 0.5;
    if (p.mode === 'weighted' && (p.alpha === null || p.coldAlpha === null)) {
      const curves: HybridRecommender['validationCurve'][] = [];
      for (let r = 0; r < p.validationRounds; r++) {
        const seed = deriveSeed(p.seed, r);
        const { train, valid, heldOutItems } = coldAndWarmHoldout(data, p.validationFraction, p.validationFraction, seed);
        const content = await new ContentRecommender(this.contentParams()).setItemFeatures(this.catalog!).fit(train, opts);
        const cf = await this.fitCf(content.state, train, opts);
        const cold = coldMap(content.state, p.coldNeighbours);
        curves.push(tuneAlpha(content, cf, cold, valid, heldOutItems, p.validationUsers, seed));
        throwIfAborted(opts.signal, 'hybrid fit');
      }
      this.validationCurve = GRID.map((alpha, g) => ({
        alpha,
        ndcg: curves.reduce((t, c) => t + c[g]!.ndcg, 0) / curves.length,
        ndcgCold: curves.reduce((t, c) => t + c[g]!.ndcgCold, 0) / curves.length,
      }));
      let best = this.validationCurve[0]!;
      let bestCold = this.validationCurve[0]!;
      for (const c of this.validationCurve) {
        if (c.ndcg > best.ndcg) best = c;
        if (c.ndcgCold > bestCold.ndcgCold) bestCold = c;
      }
      if (p.alpha === null) this.alphaUsed = best.alpha;
      if (p.coldAlpha === null) this.coldAlphaUsed = bestCold.alpha;
      opts.onProgress?.({ step: 'tune alpha', done: 1, total: 1, metrics: { alpha: this.alphaUsed, coldAlpha: this.coldAlphaUsed, ndcg10: best.ndcg, ndcg10Cold: bestCold.ndcgCold } });
    }
    throwIfAborted(opts.signal, 'hybrid fit');
    this.content = await new ContentRecommender(this.contentParams()).setItemFeatures(this.catalog!).fit(data, opts);
    const cf = await this.fitCf(this.content.state, data, opts);
    this.cf = cf.itemCf;
    this.cfModel = cf.model;
    this.cfBuf = new Float32Array(data.nItems);
    this.cold = coldMap(this.content.state, this.params.coldNeighbours);
    this.fitted = true;
    return this;
  }

  /** Fits the CF part chosen by `cf` on `data` (whose indices the catalog state `s` was built from). */
  private async fitCf(s: CatalogState, data: Interactions, opts: FitOptions): Promise<CfPart> {
    const p = this.params;
    if (p.cf === 'item-cosine') return { itemCf: await fitItemCF(s, p.neighbours), model: undefined, buf: undefined };
    return { itemCf: undefined, model: await fitRegisteredCf(p.cf, data, opts, p.seed), buf: new Float32Array(data.nItems) };
  }

  get state(): CatalogState {
    this.requireFitted();
    return this.content!.state;
  }

  /** Blended scores of user u over all items. */
  scoreUser(u: number): Float64Array {
    const s = this.state;
    const c = this.content!.scoreUser(u) ?? new Float64Array(s.items.size);
    const f = scoreCf({ itemCf: this.cf, model: this.cfModel, buf: this.cfBuf }, s, u);
    scaleByMax(c);
    scaleByMax(f);
    applyColdMap(this.cold!, f);
    if (this.params.mode === 'weighted') return blend(f, c, s.itemCounts, this.alphaUsed, this.coldAlphaUsed, f);
    const n = this.params.minInteractions;
    const userCount = s.hist.indptr[u + 1]! - s.hist.indptr[u]!;
    if (userCount < n) return c;
    for (let j = 0; j < f.length; j++) if (s.itemCounts[j]! < n) f[j] = c[j]!;
    return f;
  }

  recommend(user: string, k: number, opts: RecommendOptions = {}): Scored[] {
    const s = this.state;
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`hybrid.recommend: k must be a non-negative integer, got ${k}`);
    const u = s.users.indexOf(user);
    if (u < 0) return popular(s, u, k, opts);
    const lambda = this.params.mmrLambda;
    const ranked = diversify(s, rankScores(s, this.scoreUser(u), u, lambda === null ? k : k * 4, opts), k, lambda);
    return this.content!.explain(u, ranked);
  }

  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    return this.content!.similarItems(item, k);
  }

  /** Batch top-k in the training data's item index (see eval/ranking-eval.ts). */
  recommendIndices(users: Int32Array, k: number, exclude: boolean): TopKBatch {
    return recommendIndicesVia(this.state, (u) => this.scoreUser(u), users, k, exclude);
  }

  /** Full scores of training user u in the training data's item index. */
  scoreInto(u: number, out: Float32Array): void {
    scoreIntoVia(this.state, (u) => this.scoreUser(u), u, out);
  }

  toArtifact(): Artifact {
    const a = this.content!.toArtifact();
    a.meta.algorithm = this.algorithm;
    a.meta.params = { ...this.params };
    const k = this.cf?.k ?? 0;
    a.meta.state = { ...a.meta.state, alpha: this.alphaUsed, coldAlpha: this.coldAlphaUsed, neighbours: k, validationCurve: this.validationCurve, dataItems: this.cfBuf?.length ?? 0 };
    a.tensors['cf_indices'] = tensor(this.cf?.indices ?? new Int32Array(0));
    a.tensors['cf_scores'] = tensor(this.cf?.scores ?? new Float32Array(0));
    if (this.cfModel !== undefined) nestCfArtifact(a, this.cfModel);
    a.tensors['cold_indices'] = tensor(this.cold!.indices);
    a.tensors['cold_scores'] = tensor(this.cold!.scores);
    return a;
  }

  static fromArtifact(a: Artifact): HybridRecommender {
    const m = new HybridRecommender(a.meta.params as Partial<HybridParams>);
    const st = a.meta.state ?? {};
    if (typeof st['alpha'] !== 'number' || typeof st['neighbours'] !== 'number') throw new ArtifactError('hybrid artifact', 'state lacks alpha or neighbours');
    m.content = ContentRecommender.fromArtifact({ ...a, meta: { ...a.meta, algorithm: 'content', params: m.contentParams() as Record<string, unknown> } });
    const k = st['neighbours'];
    const n = m.content.state.items.size;
    if (m.params.cf === 'item-cosine') {
      m.cf = { k, indices: requireTensor(a, 'cf_indices', Int32Array, [n * k]), scores: requireTensor(a, 'cf_scores', Float32Array, [n * k]) };
    } else {
      m.cfModel = loadRegisteredCf(m.params.cf, a);
      const dn = st['dataItems'];
      if (typeof dn !== 'number') throw new ArtifactError('hybrid artifact', 'state lacks dataItems');
      m.cfBuf = new Float32Array(dn);
    }
    const cn = m.params.coldNeighbours;
    m.cold = { m: cn, items: n, indices: requireTensor(a, 'cold_indices', Int32Array, [n * cn]), scores: requireTensor(a, 'cold_scores', Float32Array, [n * cn]) };
    m.alphaUsed = st['alpha'];
    m.coldAlphaUsed = typeof st['coldAlpha'] === 'number' ? st['coldAlpha'] : 0.5;
    m.validationCurve = (st['validationCurve'] as HybridRecommender['validationCurve'] | undefined) ?? [];
    m.fitted = true;
    return m;
  }
}

/** The CF part: the internal item-item cosine model, or a registered model with its score buffer. */
interface CfPart {
  itemCf: ItemCF | undefined;
  model: ScoringModel | undefined;
  buf: Float32Array | undefined;
}

/** CF scores of user u on the model's item index (a fresh array). */
function scoreCf(cf: CfPart, s: CatalogState, u: number): Float64Array {
  if (cf.model !== undefined) return scoreRegisteredCf(cf.model, s, u, cf.buf!);
  return scoreItemCF(cf.itemCf!, s, u);
}

/** out = α·f + (1 − α)·c for items with interactions, coldα·f + (1 − coldα)·c for the others (out may alias f). */
function blend(f: Float64Array, c: Float64Array, counts: Int32Array, a: number, coldA: number, out: Float64Array): Float64Array {
  for (let j = 0; j < f.length; j++) {
    const w = counts[j]! > 0 ? a : coldA;
    out[j] = w * f[j]! + (1 - w) * c[j]!;
  }
  return out;
}

/**
 * NDCG@10 for each alpha of the grid over a seeded sample of validation users: on the warm validation entries
 * (all items ranked, training items excluded), and on the held-out items (only held-out items ranked).
 */
function tuneAlpha(
  content: ContentRecommender,
  cf: CfPart,
  cold: ColdMap,
  valid: Interactions,
  heldOut: Uint8Array,
  maxUsers: number,
  seed: number,
): HybridRecommender['validationCurve'] {
  const s = content.state;
  const users: number[] = [];
  for (let u = 0; u < valid.nUsers; u++) if (valid.rowLength(u) > 0) users.push(u);
  const rng = new Rng(seed);
  rng.shuffle(users);
  const sample = users.slice(0, maxUsers);
  const nI = s.items.size;
  // model index of each held-out item, and the exclusion list that leaves only held-out items in the ranking
  const heldModel = new Uint8Array(nI);
  for (let j = 0; j < heldOut.length; j++) if (heldOut[j]) heldModel[s.items.indexOf(valid.items.idAt(j))] = 1;
  const notHeld: number[] = [];
  for (let j = 0; j < nI; j++) if (!heldModel[j]) notHeld.push(j);
  const excludeWarm = Int32Array.from(notHeld);
  const sums = new Float64Array(GRID.length);
  const sumsCold = new Float64Array(GRID.length);
  let nWarm = 0;
  let nCold = 0;
  const mixed = new Float64Array(nI);
  const relW: number[] = [];
  const relC: number[] = [];
  for (const u of sample) {
    relW.length = 0;
    relC.length = 0;
    const vi = valid.rowIndices(u);
    for (let m = 0; m < vi.length; m++) {
      const j = s.items.indexOf(valid.items.idAt(vi[m]!));
      (heldModel[j] ? relC : relW).push(j);
    }
    const c = scaleByMax(content.scoreUser(u) ?? new Float64Array(nI));
    const f = scaleByMax(scoreCf(cf, s, u));
    applyColdMap(cold, f);
    const seen = s.hist.indices.subarray(s.hist.indptr[u]!, s.hist.indptr[u + 1]!);
    if (relW.length) nWarm++;
    if (relC.length) nCold++;
    for (let g = 0; g < GRID.length; g++) {
      const a = GRID[g]!;
      blend(f, c, s.itemCounts, a, a, mixed);
      if (relW.length) sums[g] = sums[g]! + ndcgAtK(mixed, seen, relW, 10);
      if (relC.length) sumsCold[g] = sumsCold[g]! + ndcgAtK(mixed, excludeWarm, relC, 10);
    }
  }
  return GRID.map((alpha, g) => ({ alpha, ndcg: nWarm ? sums[g]! / nWarm : 0, ndcgCold: nCold ? sumsCold[g]! / nCold : 0 }));
}

/** For each item without interactions, its `m` content-nearest items that have some (-1 padded), with cosines. */
interface ColdMap {
  m: number;
  items: number;
  indices: Int32Array;
  scores: Float32Array;
}

/** Builds the cold-item map from the content profiles (only items with no interactions get neighbours). */
function coldMap(s: CatalogState, m: number): ColdMap {
  const n = s.items.size;
  const indices = new Int32Array(n * m).fill(-1);
  const scores = new Float32Array(n * m);
  if (m === 0) return { m, items: n, indices, scores };
  let index: SimilarityIndex | undefined;
  for (let j = 0; j < n; j++) {
    if (s.itemCounts[j]! > 0) continue;
    index ??= new SimilarityIndex(s.X);
    const top = index.neighboursOf(j, m * 4);
    let w = 0;
    for (let q = 0; q < top.indices.length && w < m; q++) {
      const h = top.indices[q]!;
      if (s.itemCounts[h]! === 0) continue;
      indices[j * m + w] = h;
      scores[j * m + w] = top.scores[q]!;
      w++;
    }
  }
  return { m, items: n, indices, scores };
}

/** Replaces the (zero) CF score of each cold item by the similarity-weighted mean CF score of its mapped items. */
function applyColdMap(c: ColdMap, f: Float64Array): void {
  const m = c.m;
  if (m === 0) return;
  for (let j = 0; j < c.items; j++) {
    const base = j * m;
    if (c.indices[base]! < 0) continue;
    let num = 0;
    let den = 0;
    for (let q = 0; q < m; q++) {
      const h = c.indices[base + q]!;
      if (h < 0) break;
      num += c.scores[base + q]! * f[h]!;
      den += c.scores[base + q]!;
    }
    f[j] = den > 0 ? num / den : 0;
  }
}
