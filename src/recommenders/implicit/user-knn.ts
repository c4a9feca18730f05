import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { topK } from '../../core/topk.js';
import { type CscView, Interactions } from '../../data/interactions.js';
import { ImplicitModel, toScored } from './base.js';
import { checkK } from './validate.js';

const USER_KNN_SPECS = {
  similarity: { type: 'string', default: 'cosine', choices: ['cosine', 'jaccard'], doc: 'user-user similarity over their item sets' },
  neighbours: { type: 'integer', default: 50, min: 1, doc: 'most similar users whose items are scored' },
  binary: { type: 'boolean', default: true, doc: 'treat every interaction as 1 (false: use values in similarity and scores)' },
} as const satisfies ParamSpecs;

type UserKnnParams = ParamsOf<typeof USER_KNN_SPECS>;

/**
 * User-based nearest neighbours for implicit feedback (Herlocker et al. 1999): the `neighbours` users most similar
 * to u (cosine or Jaccard over item sets) vote for their items, score(u, i) = sum over neighbours v of
 * sim(u, v) x value_vi. Similarities are computed at query time from the CSC view: O(sum over u's items of their
 * user counts + users) per user; memory O(nnz).
 */
export class UserKnnModel extends ImplicitModel<typeof USER_KNN_SPECS> {
  readonly algorithm: string = 'user-knn';
  static readonly specs = USER_KNN_SPECS;
  protected seenValues: Float32Array = new Float32Array(0);
  protected csc: CscView | undefined;
  protected userNormSq: Float64Array = new Float64Array(0);
  private simBuf: Float32Array = new Float32Array(0);

  constructor(params?: Partial<UserKnnParams>) {
    super(USER_KNN_SPECS, 'UserKnnModel', params);
  }

  async fit(data: Interactions, _opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    this.seenValues = data.values;
    this.prepare();
    this.fitted = true;
    return this;
  }

  private prepare(): void {
    const m = new Interactions(this.userIds, this.itemIds, this.seenIndptr, this.seenIndices, this.seenValues);
    this.csc = m.csc();
    const n = new Float64Array(this.nUsers);
    for (let u = 0; u < this.nUsers; u++) {
      let s = 0;
      for (let p = this.seenIndptr[u]!; p < this.seenIndptr[u + 1]!; p++) s += this.params.binary ? 1 : this.seenValues[p]! ** 2;
      n[u] = s;
    }
    this.userNormSq = n;
    this.simBuf = new Float32Array(this.nUsers);
  }

  /** Similarities of u with every user into simBuf (u itself gets -Infinity). */
  private userSims(u: number): Float32Array {
    const csc = this.csc!;
    const sims = this.simBuf;
    sims.fill(0);
    const bin = this.params.binary;
    for (let p = this.seenIndptr[u]!; p < this.seenIndptr[u + 1]!; p++) {
      const i = this.seenIndices[p]!;
      const wu = bin ? 1 : this.seenValues[p]!;
      for (let q = csc.indptr[i]!; q < csc.indptr[i + 1]!; q++) sims[csc.indices[q]!] += wu * (bin ? 1 : csc.values[q]!);
    }
    const nu = this.userNormSq[u]!;
    for (let v = 0; v < this.nUsers; v++) {
      const d = sims[v]!;
      if (d === 0) continue;
      if (this.params.similarity === 'cosine') sims[v] = d / Math.sqrt(nu * this.userNormSq[v]!);
      else sims[v] = d / (nu + this.userNormSq[v]! - d);
    }
    sims[u] = -Infinity;
    return sims;
  }

  scoreInto(u: number, out: Float32Array): void {
    out.fill(0);
    const top = topK(this.userSims(u), this.params.neighbours);
    const bin = this.params.binary;
    for (let r = 0; r < top.indices.length; r++) {
      const v = top.indices[r]!;
      const s = top.scores[r]!;
      if (!(s > 0)) break;
      for (let p = this.seenIndptr[v]!; p < this.seenIndptr[v + 1]!; p++) out[this.seenIndices[p]!] += s * (bin ? 1 : this.seenValues[p]!);
    }
  }

  protected override explain(): string {
    return 'liked by similar users';
  }

  /** Items with the highest cosine over their user sets (computed on demand); [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const csc = this.csc!;
    const acc = new Float32Array(this.nItems);
    for (let q = csc.indptr[j]!; q < csc.indptr[j + 1]!; q++) {
      const v = csc.indices[q]!;
      for (let p = this.seenIndptr[v]!; p < this.seenIndptr[v + 1]!; p++) acc[this.seenIndices[p]!]++;
    }
    const nj = csc.indptr[j + 1]! - csc.indptr[j]!;
    for (let i = 0; i < this.nItems; i++) if (acc[i]! > 0) acc[i] = acc[i]! / Math.sqrt(nj * (csc.indptr[i + 1]! - csc.indptr[i]!));
    const top = topK(acc, k, Int32Array.of(j));
    return toScored(this.itemIds, top.indices, top.scores);
  }

  toArtifact(): Artifact {
    return this.baseArtifact({ seenValues: tensor(this.seenValues) });
  }

  static fromArtifact(a: Artifact): UserKnnModel {
    const m = new UserKnnModel(a.meta.params as Partial<UserKnnParams>);
    m.restoreBase(a);
    m.seenValues = requireTensor(a, 'seenValues', Float32Array, [m.seenIndices.length]);
    m.prepare();
    return m;
  }
}

