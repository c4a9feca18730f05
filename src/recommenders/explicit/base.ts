import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError, EmptyInputError, InvalidArgumentError, throwIfAborted } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { BaseModel, type FallbackReason, type FitOptions, type RatingPrediction, type RecommendOptions, type Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { Tensor } from '../../core/safetensors.js';
import { topK } from '../../core/topk.js';
import { Interactions } from '../../data/interactions.js';

/** Params every explicit model has: the declared rating scale (null = taken from the training ratings). */
export const SCALE_SPECS = {
  ratingMin: { type: 'optional-number', default: null, doc: 'Lowest rating of the scale; null = the smallest training rating. Training ratings below it are an error.' },
  ratingMax: { type: 'optional-number', default: null, doc: 'Highest rating of the scale; null = the largest training rating. Predictions are clipped to [ratingMin, ratingMax].' },
} as const;

/** Fallback codes set by `estimate` (numbers, so the hot path allocates nothing). */
export const FB_NONE = 0;
export const FB_UNKNOWN_USER = 1;
export const FB_UNKNOWN_ITEM = 2;
export const FB_UNKNOWN_BOTH = 3;
export const FB_NOT_ENOUGH_NEIGHBOURS = 4;
export const FB_IMPOSSIBLE = 5;

const FALLBACK_NAMES: readonly (FallbackReason | undefined)[] = [undefined, 'unknown-user', 'unknown-item', 'unknown-user-and-item', 'not-enough-neighbours', 'impossible'];

/** The fallback reason for a code (undefined for FB_NONE). */
export function fallbackName(code: number): FallbackReason | undefined {
  return FALLBACK_NAMES[code];
}

/** What subclasses add to an artifact. */
export interface ModelState {
  state: Record<string, unknown>;
  tensors: Record<string, Tensor>;
}

/**
 * Base of every explicit-rating model (after Surprise's AlgoBase): validates and keeps the training ratings (CSR),
 * the rating scale and the global mean, maps raw ids, clips estimates, records fallbacks, ranks items for
 * `recommend`, and writes/reads the common part of artifacts.
 *
 * A user (item) is *known* when it has at least one training rating: ids present in the shared IdMap but with no
 * rating in this training set (e.g. a user whose ratings all fell in the test fold) are unknown, as in Surprise.
 *
 * Subclasses implement `fitModel` (learned state from `this.data`), `estimate(u, i)` (unclipped; `u`/`i` are -1 when
 * unknown; may set `this.fb`), and `saveState`/`loadState`.
 */
export abstract class ExplicitModel<S extends ParamSpecs> extends BaseModel<S> {
  /** Training ratings (CSR with the id maps). */
  protected data!: Interactions;
  protected nUsers = 0;
  protected nItems = 0;
  protected globalMean = 0;
  protected lo = 0;
  protected hi = 0;
  /** Number of training ratings of each item. */
  protected itemCount: Int32Array = new Int32Array(0);
  /** Fallback code of the last `estimate` call. */
  protected fb = FB_NONE;

  protected constructor(specs: S, owner: string, params: Partial<ParamsOf<S>> | undefined) {
    super(specs, owner, params);
    const p = this.params as unknown as { ratingMin: number | null; ratingMax: number | null };
    if (p.ratingMin !== null && p.ratingMax !== null && !(p.ratingMin < p.ratingMax)) {
      throw new InvalidArgumentError(`${owner}: ratingMin (${p.ratingMin}) must be below ratingMax (${p.ratingMax})`, { ratingMin: p.ratingMin, ratingMax: p.ratingMax });
    }
  }

  /** Learns the model's state from `this.data` (already validated). */
  protected abstract fitModel(seed: number, opts: FitOptions): void | Promise<void>;
  /** Unclipped estimate for dense indices (-1 = unknown); sets `this.fb` when it falls back. */
  protected abstract estimate(u: number, i: number): number;
  protected abstract saveState(): ModelState;
  protected abstract loadState(artifact: Artifact): void;

  /** The seed: `opts.seed` when given, else the `seed` param (0 when the model has none). */
  protected seedOf(opts: FitOptions): number {
    const p = this.params as unknown as { seed?: number };
    return opts.seed ?? p.seed ?? 0;
  }

  /**
   * Fits on explicit ratings. Throws EmptyInputError on an empty training set and InvalidArgumentError on a rating
   * outside the declared scale (naming the user, the item, the value and the scale). Fitting again replaces all
   * learned state, so fit twice equals fit once.
   */
  async fit(data: Interactions, opts: FitOptions = {}): Promise<this> {
    if (!(data instanceof Interactions)) throw new InvalidArgumentError(`${this.algorithm}.fit: expected Interactions, got ${typeof data}`);
    if (data.nnz === 0) throw new EmptyInputError(`${this.algorithm}.fit: the training set has no ratings (${data.nUsers} users, ${data.nItems} items)`);
    throwIfAborted(opts.signal, `${this.algorithm}.fit`);
    const p = this.params as unknown as { ratingMin: number | null; ratingMax: number | null };
    const v = data.values;
    let mn = Infinity;
    let mx = -Infinity;
    let sum = 0;
    for (let k = 0; k < v.length; k++) {
      const r = v[k]!;
      if (r < mn) mn = r;
      if (r > mx) mx = r;
      sum += r;
    }
    const lo = p.ratingMin ?? mn;
    const hi = p.ratingMax ?? mx;
    if (mn < lo || mx > hi) {
      const bad = mn < lo ? mn : mx;
      const k = v.indexOf(bad);
      let u = 0;
      while (data.indptr[u + 1]! <= k) u++;
      throw new InvalidArgumentError(
        `${this.algorithm}.fit: rating ${bad} (user "${data.users.idAt(u)}", item "${data.items.idAt(data.indices[k]!)}") is outside the declared rating scale [${lo}, ${hi}]`,
        { value: bad, scale: [lo, hi] },
      );
    }
    this.fitted = false;
    this.data = data;
    this.nUsers = data.nUsers;
    this.nItems = data.nItems;
    this.lo = lo;
    this.hi = hi;
    this.globalMean = sum / v.length;
    this.itemCount = data.itemCounts();
    await this.fitModel(this.seedOf(opts), opts);
    this.fitted = true;
    return this;
  }

  /** The rating scale in use, [min, max]. */
  get ratingScale(): [number, number] {
    this.requireFitted();
    return [this.lo, this.hi];
  }

  /** Mean of the training ratings. */
  get trainMean(): number {
    this.requireFitted();
    return this.globalMean;
  }

  /** Training id maps (users, items). */
  get idMaps(): { users: IdMap; items: IdMap } {
    this.requireFitted();
    return { users: this.data.users, items: this.data.items };
  }

  protected userKnown(u: number): boolean {
    return u >= 0 && u < this.nUsers && this.data.indptr[u + 1]! > this.data.indptr[u]!;
  }

  protected itemKnown(i: number): boolean {
    return i >= 0 && i < this.nItems && this.itemCount[i]! > 0;
  }

  /**
   * Clipped estimate for dense indices of the training id maps; a user or item without training ratings is treated
   * as unknown. Returns the estimate; `lastFallback` tells whether (and why) it fell back.
   */
  predictIndex(u: number, i: number): number {
    const ku = this.userKnown(u) ? u : -1;
    const ki = this.itemKnown(i) ? i : -1;
    this.fb = ku < 0 ? (ki < 0 ? FB_UNKNOWN_BOTH : FB_UNKNOWN_USER) : ki < 0 ? FB_UNKNOWN_ITEM : FB_NONE;
    let est = this.estimate(ku, ki);
    if (!Number.isFinite(est)) {
      est = this.globalMean;
      if (this.fb === FB_NONE) this.fb = FB_IMPOSSIBLE;
    }
    return est < this.lo ? this.lo : est > this.hi ? this.hi : est;
  }

  /** Fallback code of the last `predictIndex`/`predict` call (FB_* constants). */
  get lastFallback(): number {
    return this.fb;
  }

  /** Predicts the rating of `item` by `user` (raw ids), clipped to the scale, with the fallback taken if any. */
  predict(user: string, item: string): RatingPrediction {
    this.requireFitted();
    const est = this.predictIndex(this.data.users.indexOf(user), this.data.items.indexOf(item));
    const out: RatingPrediction = { user, item, estimate: est, known: this.fb === FB_NONE || this.fb === FB_NOT_ENOUGH_NEIGHBOURS || this.fb === FB_IMPOSSIBLE };
    const reason = fallbackName(this.fb);
    if (reason !== undefined) out.fallback = reason;
    return out;
  }

  /**
   * The `k` items with the highest predicted rating for `user` (items without training ratings are not ranked).
   * Ranked by the unclipped estimate; `score` is the clipped predicted rating. Already-rated items are left out
   * unless `excludeSeen` is false. An unknown user gets the items ranked by the model's fallback (e.g. item bias).
   */
  recommend(user: string, k: number, opts: RecommendOptions = {}): Scored[] {
    this.requireFitted();
    if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`${this.algorithm}.recommend: k must be a non-negative integer, got ${k}`);
    const u0 = this.data.users.indexOf(user);
    const u = this.userKnown(u0) ? u0 : -1;
    const scores = new Float64Array(this.nItems).fill(-Infinity);
    if (opts.candidates !== undefined) {
      for (const id of opts.candidates) {
        const i = this.data.items.indexOf(id);
        if (this.itemKnown(i)) scores[i] = this.estimate(u, i);
      }
    } else {
      for (let i = 0; i < this.nItems; i++) if (this.itemCount[i]! > 0) scores[i] = this.estimate(u, i);
    }
    for (let i = 0; i < this.nItems; i++) if (Number.isNaN(scores[i]!)) scores[i] = -Infinity;
    const exclude = opts.excludeSeen !== false && u >= 0 ? this.data.rowIndices(u) : undefined;
    const top = topK(scores, k, exclude);
    const out: Scored[] = [];
    for (let r = 0; r < top.indices.length; r++) {
      const s = top.scores[r]!;
      out.push({ id: this.data.items.idAt(top.indices[r]!), score: s < this.lo ? this.lo : s > this.hi ? this.hi : s });
    }
    return out;
  }

  /** The artifact: params, id lists, scale, training ratings (CSR) and the subclass's learned state. */
  toArtifact(): Artifact {
    this.requireFitted();
    const own = this.saveState();
    return {
      meta: {
        algorithm: this.algorithm,
        params: { ...this.params } as Record<string, unknown>,
        state: { users: this.data.users.toJSON(), items: this.data.items.toJSON(), lo: this.lo, hi: this.hi, globalMean: this.globalMean, ...own.state },
      },
      tensors: {
        indptr: tensor(this.data.indptr),
        indices: tensor(this.data.indices),
        values: tensor(this.data.values),
        ...own.tensors,
      },
    };
  }

  /** Restores the common state and the subclass's state from an artifact; returns this model, fitted. */
  restore(artifact: Artifact): this {
    if (artifact.meta.algorithm !== this.algorithm) throw new ArtifactError(`${artifact.meta.algorithm} artifact`, `expected a "${this.algorithm}" model`);
    const st = artifact.meta.state ?? {};
    const users = st['users'];
    const items = st['items'];
    if (!Array.isArray(users) || !Array.isArray(items)) throw new ArtifactError(`${this.algorithm} artifact`, 'state lacks the users/items id lists');
    const um = IdMap.fromIds(users as string[]);
    const im = IdMap.fromIds(items as string[]);
    const indptr = requireTensor(artifact, 'indptr', Int32Array, [um.size + 1]);
    const nnz = indptr[um.size]!;
    const indices = requireTensor(artifact, 'indices', Int32Array, [nnz]);
    const values = requireTensor(artifact, 'values', Float32Array, [nnz]);
    this.data = new Interactions(um, im, indptr, indices, values);
    this.nUsers = um.size;
    this.nItems = im.size;
    this.lo = Number(st['lo']);
    this.hi = Number(st['hi']);
    this.globalMean = Number(st['globalMean']);
    this.itemCount = this.data.itemCounts();
    this.loadState(artifact);
    this.fitted = true;
    return this;
  }
}

/** Reads a numeric scalar from an artifact's state, or throws ArtifactError. */
export function stateNumber(artifact: Artifact, name: string): number {
  const v = artifact.meta.state?.[name];
  if (typeof v !== 'number') throw new ArtifactError(`${artifact.meta.algorithm} artifact`, `state lacks number "${name}"`);
  return v;
}
