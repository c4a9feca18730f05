import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import { ImplicitModel, toScored } from './base.js';
import { recommendFromSparseHistory } from './item-knn.js';
import { type SparseSimilarity, itemSimilarity, scoreFromSimilarity, strongestContributor } from './similarity.js';
import { checkK } from './validate.js';

const SAR_SPECS = {
  similarity: { type: 'string', default: 'jaccard', choices: ['jaccard', 'lift', 'cooccurrence'], doc: 'item-item similarity from co-occurrence counts' },
  timeDecay: { type: 'boolean', default: true, doc: 'weight events by 2^(-(now - t) / halfLife) in user affinity' },
  halfLifeDays: { type: 'number', default: 30, min: 0, exclusiveMin: true, doc: 'half-life of user affinity, days' },
  now: { type: 'optional-number', default: null, doc: 'reference time, seconds since the epoch (null = latest event)' },
  threshold: { type: 'integer', default: 1, min: 1, doc: 'minimum co-occurrence count for a pair to be similar' },
  neighbours: { type: 'optional-integer', default: null, min: 1, doc: 'similar items kept per item (null = all)' },
} as const satisfies ParamSpecs;

type SarParams = ParamsOf<typeof SAR_SPECS>;

/**
 * SAR, Smart Adaptive Recommendations (as in Microsoft Recommenders): item-item similarity from co-occurrence
 * counts C = X^T X of the binary user-item matrix (pairs under `threshold` dropped), normalised by Jaccard
 * c_ij / (c_ii + c_jj - c_ij), lift c_ij / (c_ii c_jj) or left as counts; user affinity a_ui = value x
 * 2^(-(now - t) / halfLife) (value alone without time decay); scores = A S. Fit O(sum of squared row lengths),
 * memory O(co-occurring pairs).
 */
export class SarModel extends ImplicitModel<typeof SAR_SPECS> {
  readonly algorithm: string = 'sar';
  static readonly specs = SAR_SPECS;
  protected sim: SparseSimilarity = { indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };
  /** Affinity aligned with the training CSR entries. */
  protected affinity: Float32Array = new Float32Array(0);

  constructor(params?: Partial<SarParams>) {
    super(SAR_SPECS, 'SarModel', params);
  }

  async fit(data: Interactions, _opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    const aff = new Float32Array(data.nnz);
    if (this.params.timeDecay) {
      const ts = data.timestamps;
      if (ts === undefined) throw new InvalidArgumentError('SarModel.fit: timeDecay needs timestamps and the interactions have none; set timeDecay=false');
      let now = this.params.now ?? -Infinity;
      if (this.params.now === null) for (let k = 0; k < ts.length; k++) if (ts[k]! > now) now = ts[k]!;
      const half = this.params.halfLifeDays * 86400;
      for (let k = 0; k < data.nnz; k++) aff[k] = data.values[k]! * Math.pow(2, -(now - ts[k]!) / half);
    } else aff.set(data.values);
    this.affinity = aff;
    this.sim = itemSimilarity(data, {
      kind: this.params.similarity,
      weighting: 'none',
      neighbours: this.params.neighbours,
      asymmetricAlpha: 0.5,
      minCount: this.params.threshold,
      bm25K1: 1.2,
      bm25B: 0.75,
    });
    this.fitted = true;
    return this;
  }

  private rowAffinity(u: number): Float32Array {
    return this.affinity.subarray(this.seenIndptr[u]!, this.seenIndptr[u + 1]!);
  }

  scoreInto(u: number, out: Float32Array): void {
    scoreFromSimilarity(this.sim, this.seenItems(u), this.rowAffinity(u), out);
  }

  protected override explain(u: number, item: number): string | undefined {
    const j = strongestContributor(this.sim, this.seenItems(u), this.rowAffinity(u), item);
    return j < 0 ? undefined : `because you liked ${this.itemIds.idAt(j)}`;
  }

  /** Scores from an ad-hoc history (raw item ids with affinities; unknown ids ignored); [] when none is known. */
  recommendFromHistory(items: readonly string[], values: ArrayLike<number> | undefined, k: number): Scored[] {
    this.requireFitted();
    return recommendFromSparseHistory(this.sim, this.itemIds.indicesOf(items), values, k, (i) => this.itemIds.idAt(i));
  }

  /** Most similar items by the SAR similarity; [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const s = this.sim.indptr[j]!;
    const top = topK(this.sim.values.subarray(s, this.sim.indptr[j + 1]!), k);
    const idx = Int32Array.from(top.indices, (r) => this.sim.indices[s + r]!);
    return toScored(this.itemIds, idx, top.scores);
  }

  toArtifact(): Artifact {
    return this.baseArtifact({
      affinity: tensor(this.affinity),
      simIndptr: tensor(this.sim.indptr),
      simIndices: tensor(this.sim.indices),
      simValues: tensor(this.sim.values),
    });
  }

  static fromArtifact(a: Artifact): SarModel {
    const m = new SarModel(a.meta.params as Partial<SarParams>);
    m.restoreBase(a);
    m.affinity = requireTensor(a, 'affinity', Float32Array, [m.seenIndices.length]);
    m.sim = {
      indptr: requireTensor(a, 'simIndptr', Int32Array, [m.nItems + 1]),
      indices: requireTensor(a, 'simIndices', Int32Array),
      values: requireTensor(a, 'simValues', Float32Array),
    };
    return m;
  }
}
