import type { Artifact } from '../../core/artifact.js';
import { requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { Interactions } from '../../data/interactions.js';
import { topK } from '../../core/topk.js';
import { ImplicitModel, toScored } from './base.js';

/**
 * A model whose scores are one per item, the same for every user (popularity, trending): scoring, the fallback,
 * "similar items" (the best other items) and the artifact are shared; subclasses only compute `scores` in `fit`.
 */
abstract class ItemScoreModel<S extends ParamSpecs> extends ImplicitModel<S> {
  protected scores: Float32Array = new Float32Array(0);

  scoreInto(_u: number, out: Float32Array): void {
    out.set(this.scores);
  }

  protected override fallbackScores(): Float32Array {
    return this.scores;
  }

  protected override explain(): string {
    return this.algorithm;
  }

  /** No item-item notion: similar items are the best-scored other items. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    const i = this.itemIds.indexOf(item);
    if (i < 0) return [];
    const top = topK(this.scores, k, Int32Array.of(i));
    return toScored(this.itemIds, top.indices, top.scores, this.algorithm);
  }

  toArtifact(): Artifact {
    return this.baseArtifact({ scores: tensor(this.scores) });
  }

  /** Restores the shared state of `a` into this (new) model. */
  protected restoreScores(a: Artifact): this {
    this.restoreBase(a);
    this.scores = requireTensor(a, 'scores', Float32Array, [this.nItems]);
    return this;
  }
}

const POPULAR_SPECS = {
  weighting: { type: 'string', default: 'count', choices: ['count', 'sum'], doc: 'count = number of users per item; sum = sum of interaction values' },
} as const satisfies ParamSpecs;

/** Non-personalised baseline: every user gets the most popular items they have not seen. O(nnz) fit. */
export class PopularityModel extends ItemScoreModel<typeof POPULAR_SPECS> {
  readonly algorithm: string = 'popular';
  static readonly specs = POPULAR_SPECS;
  constructor(params?: Partial<ParamsOf<typeof POPULAR_SPECS>>) {
    super(POPULAR_SPECS, 'PopularityModel', params);
  }

  async fit(data: Interactions, _opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const s = new Float32Array(data.nItems);
    if (this.params.weighting === 'count') s.set(this.itemPopularity);
    else for (let k = 0; k < data.nnz; k++) s[data.indices[k]!] = s[data.indices[k]!]! + data.values[k]!;
    this.scores = s;
    this.fitted = true;
    return this;
  }

  static fromArtifact(a: Artifact): PopularityModel {
    return new PopularityModel(a.meta.params as Partial<ParamsOf<typeof POPULAR_SPECS>>).restoreScores(a);
  }
}

const TRENDING_SPECS = {
  halfLifeDays: { type: 'number', default: 7, min: 0, exclusiveMin: true, doc: 'an event loses half its weight every this many days' },
  now: { type: 'optional-number', default: null, doc: 'reference time in seconds since the epoch (null = latest event in the data)' },
} as const satisfies ParamSpecs;

/**
 * Time-decayed popularity: item score = sum over its events of 2^(-(now - t) / halfLife). Needs timestamps.
 * O(nnz) fit.
 */
export class TrendingModel extends ItemScoreModel<typeof TRENDING_SPECS> {
  readonly algorithm: string = 'trending';
  static readonly specs = TRENDING_SPECS;
  constructor(params?: Partial<ParamsOf<typeof TRENDING_SPECS>>) {
    super(TRENDING_SPECS, 'TrendingModel', params);
  }

  async fit(data: Interactions, _opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const ts = data.timestamps;
    if (ts === undefined) throw new InvalidArgumentError('TrendingModel.fit: the interactions have no timestamps; trending needs event times (use "popular" otherwise)');
    let now = this.params.now ?? -Infinity;
    if (this.params.now === null) for (let k = 0; k < ts.length; k++) if (ts[k]! > now) now = ts[k]!;
    const halfLife = this.params.halfLifeDays * 86400;
    const s = new Float32Array(data.nItems);
    for (let k = 0; k < ts.length; k++) s[data.indices[k]!] = s[data.indices[k]!]! + Math.pow(2, -(now - ts[k]!) / halfLife);
    this.scores = s;
    this.fitted = true;
    return this;
  }

  static fromArtifact(a: Artifact): TrendingModel {
    return new TrendingModel(a.meta.params as Partial<ParamsOf<typeof TRENDING_SPECS>>).restoreScores(a);
  }
}
