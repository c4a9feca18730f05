import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { ArtifactError } from '../../core/errors.js';
import { IdMap } from '../../core/ids.js';
import { BaseModel, type RecommendOptions, type Recommender, type Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import type { Tensor } from '../../core/safetensors.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import type { TopKBatch } from '../../core/topk.js';
import { checkImplicitInput, checkK } from './validate.js';

export type { TopKBatch };

/**
 * Shared base of every implicit-feedback recommender. It keeps what all of them need at serving time: the id maps,
 * the training matrix's sparsity pattern (to exclude seen items) and item popularity (the fallback for unknown users
 * and users without training interactions). A subclass fills scores for one known user in `scoreInto`; this base
 * turns that into `recommend`, `recommendIndices` (the batch API used by evaluation) and artifacts.
 */
export abstract class ImplicitModel<S extends ParamSpecs> extends BaseModel<S> implements Recommender {
  protected userIds: IdMap = new IdMap();
  protected itemIds: IdMap = new IdMap();
  /** Training CSR pattern (rows = users, ascending item indices). */
  protected seenIndptr: Int32Array = new Int32Array(1);
  protected seenIndices: Int32Array = new Int32Array(0);
  /** Number of training users per item. */
  protected itemPopularity: Float32Array = new Float32Array(0);

  protected constructor(specs: S, owner: string, params: Partial<ParamsOf<S>> | undefined) {
    super(specs, owner, params);
  }

  get nUsers(): number {
    return this.userIds.size;
  }

  get nItems(): number {
    return this.itemIds.size;
  }

  /** User id map (read-only use). */
  get users(): IdMap {
    return this.userIds;
  }

  /** Item id map (read-only use). */
  get items(): IdMap {
    return this.itemIds;
  }

  /** Items user `u` had in training (ascending view). */
  seenItems(u: number): Int32Array {
    return this.seenIndices.subarray(this.seenIndptr[u]!, this.seenIndptr[u + 1]!);
  }

  /** Validates the input and records ids, seen pattern and popularity. Subclasses call this first in `fit`. */
  protected beginFit(data: Interactions): void {
    checkImplicitInput(data, this.algorithm);
    this.userIds = data.users;
    this.itemIds = data.items;
    this.seenIndptr = data.indptr;
    this.seenIndices = data.indices;
    const pop = new Float32Array(data.nItems);
    for (let k = 0; k < data.indices.length; k++) pop[data.indices[k]!]++;
    this.itemPopularity = pop;
  }

  /**
   * Writes the score of every item for the known user index `u` into `out` (length nItems). Higher is better.
   * Not called for users without training interactions (they get the popularity fallback).
   */
  abstract scoreInto(u: number, out: Float32Array): void;

  /** Items most similar to `item`, best first; [] for an unknown item. */
  abstract similarItems(item: string, k: number): Scored[];

  /** Scores for users the model cannot personalise (unknown, or no training history): item popularity by default. */
  protected fallbackScores(): Float32Array {
    return this.itemPopularity;
  }

  /** Optional explanation for item `item` recommended to user `u` (e.g. "because you liked X"). */
  protected explain(_u: number, _item: number): string | undefined {
    return undefined;
  }

  /** True when `u` is a known user with at least one training interaction. */
  protected hasHistory(u: number): boolean {
    return u >= 0 && u < this.nUsers && this.seenIndptr[u + 1]! > this.seenIndptr[u]!;
  }

  /**
   * Top-k items for a raw user id. Unknown users and users without training interactions get the most popular
   * items (reason "popular"). `excludeSeen` (default true) leaves out training items; `candidates` restricts the
   * ranking to those ids (unknown candidate ids are ignored). k larger than the catalog returns the whole ranking.
   */
  recommend(user: string, k: number, opts: RecommendOptions = {}): Scored[] {
    this.requireFitted();
    checkK(k, 'recommend');
    const u = this.userIds.indexOf(user);
    const known = this.hasHistory(u);
    const scores = new Float32Array(this.nItems);
    if (known) this.scoreInto(u, scores);
    else scores.set(this.fallbackScores());
    if (opts.candidates !== undefined) maskToCandidates(scores, this.itemIds.indicesOf(opts.candidates));
    const exclude = known && opts.excludeSeen !== false ? this.seenItems(u) : undefined;
    const top = topK(scores, k, exclude);
    const out: Scored[] = [];
    for (let r = 0; r < top.indices.length; r++) {
      const i = top.indices[r]!;
      const s: Scored = { id: this.itemIds.idAt(i), score: top.scores[r]! };
      const reason = known ? this.explain(u, i) : 'popular';
      if (reason !== undefined) s.reason = reason;
      out.push(s);
    }
    return out;
  }

  /**
   * Batch top-k over user indices (the evaluation path): returns `users.length x k` matrices (see {@link TopKBatch}).
   * Indices outside [0, nUsers) and users without history get popularity. `exclude` leaves out training items.
   */
  recommendIndices(users: Int32Array, k: number, exclude = true): TopKBatch {
    this.requireFitted();
    checkK(k, 'recommendIndices');
    const indices = new Int32Array(users.length * k).fill(-1);
    const scoresOut = new Float32Array(users.length * k).fill(-Infinity);
    const buf = new Float32Array(this.nItems);
    for (let r = 0; r < users.length; r++) {
      const u = users[r]!;
      const known = this.hasHistory(u);
      if (known) this.scoreInto(u, buf);
      else buf.set(this.fallbackScores());
      const top = topK(buf, k, known && exclude ? this.seenItems(u) : undefined);
      for (let c = 0; c < top.indices.length; c++) {
        indices[r * k + c] = top.indices[c]!;
        scoresOut[r * k + c] = top.scores[c]!;
      }
    }
    return { k, indices, scores: scoresOut };
  }

  /**
   * Top-k for many users (all by default), for batch precomputation. Here: the single-thread batch path; factor
   * models override it with blocked matrix products on the worker pool.
   */
  async recommendAll(k: number, opts: { users?: Int32Array; exclude?: boolean } = {}): Promise<TopKBatch> {
    const users = opts.users ?? Int32Array.from({ length: this.nUsers }, (_, u) => u);
    return this.recommendIndices(users, k, opts.exclude ?? true);
  }

  /** Artifact of the shared state plus the subclass's tensors and JSON state. */
  protected baseArtifact(tensors: Record<string, Tensor>, state: Record<string, unknown> = {}): Artifact {
    this.requireFitted();
    return {
      meta: {
        algorithm: this.algorithm,
        params: { ...this.params },
        state: { users: this.userIds.toArray(), items: this.itemIds.toArray(), ...state },
      },
      tensors: {
        seenIndptr: tensor(this.seenIndptr),
        seenIndices: tensor(this.seenIndices),
        itemPopularity: tensor(this.itemPopularity),
        ...tensors,
      },
    };
  }

  /** Restores the shared state from an artifact written by {@link baseArtifact}. */
  protected restoreBase(a: Artifact): void {
    const state = a.meta.state ?? {};
    const users = state['users'];
    const items = state['items'];
    if (!Array.isArray(users) || !Array.isArray(items)) throw new ArtifactError(`${this.algorithm} artifact`, 'state lacks the users/items id lists');
    this.userIds = IdMap.fromIds(users as string[]);
    this.itemIds = IdMap.fromIds(items as string[]);
    this.seenIndptr = requireTensor(a, 'seenIndptr', Int32Array, [this.nUsers + 1]);
    this.seenIndices = requireTensor(a, 'seenIndices', Int32Array);
    this.itemPopularity = requireTensor(a, 'itemPopularity', Float32Array, [this.nItems]);
    if (this.seenIndices.length !== this.seenIndptr[this.nUsers]) throw new ArtifactError(`${this.algorithm} artifact`, 'seenIndices length does not match seenIndptr');
    this.fitted = true;
  }
}

/** Sets every score not in `candidates` (indices, -1 = unknown, ignored) to -Infinity. */
function maskToCandidates(scores: Float32Array, candidates: Int32Array): void {
  const keep = new Uint8Array(scores.length);
  for (let c = 0; c < candidates.length; c++) if (candidates[c]! >= 0) keep[candidates[c]!] = 1;
  for (let i = 0; i < scores.length; i++) if (keep[i] === 0) scores[i] = -Infinity;
}

/** Converts a top-k index list into Scored entries (used by similarItems). */
export function toScored(ids: IdMap, indices: Int32Array, scores: Float64Array, reason?: string): Scored[] {
  const out: Scored[] = [];
  for (let r = 0; r < indices.length; r++) {
    const s: Scored = { id: ids.idAt(indices[r]!), score: scores[r]! };
    if (reason !== undefined) s.reason = reason;
    out.push(s);
  }
  return out;
}
