import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { FitOptions, Scored } from '../../core/model.js';
import type { ParamSpecs, ParamsOf } from '../../core/params.js';
import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';
import { ImplicitModel, toScored } from './base.js';
import { type SparseSimilarity, itemSimilarity, scoreFromSimilarity, strongestContributor } from './similarity.js';
import { checkK } from './validate.js';

const ITEM_KNN_SPECS = {
  similarity: { type: 'string', default: 'cosine', choices: ['cosine', 'dot', 'jaccard', 'asymmetric-cosine'], doc: 'how item vectors are compared' },
  weighting: { type: 'string', default: 'none', choices: ['none', 'tfidf', 'bm25'], doc: 're-weighting of interaction values before comparing items' },
  neighbours: { type: 'integer', default: 100, min: 1, doc: 'most similar items kept per item' },
  asymmetricAlpha: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'exponent of asymmetric cosine (0.5 = cosine)' },
  bm25K1: { type: 'number', default: 1.2, min: 0, doc: 'BM25 term saturation' },
  bm25B: { type: 'number', default: 0.75, min: 0, max: 1, doc: 'BM25 length normalisation' },
  binary: { type: 'boolean', default: false, doc: 'treat every interaction as 1 (ignore values) when scoring users' },
} as const satisfies ParamSpecs;

type ItemKnnParams = ParamsOf<typeof ITEM_KNN_SPECS>;

/**
 * Item-based nearest neighbours for implicit feedback (Sarwar et al. 2001; Deshpande & Karypis 2004), as in the
 * implicit library's ItemItemRecommender: item-item similarities with the top `neighbours` kept per item; a user's
 * score for item i is sum over their items j of value_j * sim(j, i). Fit O(sum of squared user row lengths); memory
 * O(nItems x neighbours).
 */
export class ItemKnnModel extends ImplicitModel<typeof ITEM_KNN_SPECS> {
  readonly algorithm: string = 'item-knn';
  static readonly specs = ITEM_KNN_SPECS;
  protected sim: SparseSimilarity = { indptr: new Int32Array(1), indices: new Int32Array(0), values: new Float32Array(0) };
  protected seenValues: Float32Array = new Float32Array(0);

  constructor(params?: Partial<ItemKnnParams>) {
    super(ITEM_KNN_SPECS, 'ItemKnnModel', params);
  }

  async fit(data: Interactions, _opts: FitOptions = {}): Promise<this> {
    this.beginFit(data);
    this.seenValues = data.values;
    this.sim = itemSimilarity(data, {
      kind: this.params.similarity,
      weighting: this.params.weighting,
      neighbours: this.params.neighbours,
      asymmetricAlpha: this.params.asymmetricAlpha,
      minCount: 1,
      bm25K1: this.params.bm25K1,
      bm25B: this.params.bm25B,
    });
    this.fitted = true;
    return this;
  }

  private rowValues(u: number): Float32Array | undefined {
    return this.params.binary ? undefined : this.seenValues.subarray(this.seenIndptr[u]!, this.seenIndptr[u + 1]!);
  }

  scoreInto(u: number, out: Float32Array): void {
    scoreFromSimilarity(this.sim, this.seenItems(u), this.rowValues(u), out);
  }

  protected override explain(u: number, item: number): string | undefined {
    const j = strongestContributor(this.sim, this.seenItems(u), this.rowValues(u), item);
    return j < 0 ? undefined : `because you liked ${this.itemIds.idAt(j)}`;
  }

  /**
   * Scores from an ad-hoc history (raw item ids and values; unknown ids are ignored), for real-time use. Items in
   * the history are excluded. Returns [] when no history item is known.
   */
  recommendFromHistory(items: readonly string[], values: ArrayLike<number> | undefined, k: number): Scored[] {
    this.requireFitted();
    return recommendFromSparseHistory(this.sim, this.itemIds.indicesOf(items), values, k, (i) => this.itemIds.idAt(i));
  }

  /** The kept neighbours of `item`, most similar first; [] for an unknown item. */
  similarItems(item: string, k: number): Scored[] {
    this.requireFitted();
    checkK(k, 'similarItems');
    const j = this.itemIds.indexOf(item);
    if (j < 0) return [];
    const row = this.sim.values.subarray(this.sim.indptr[j]!, this.sim.indptr[j + 1]!);
    const top = topK(row, k);
    const idx = new Int32Array(top.indices.length);
    for (let r = 0; r < idx.length; r++) idx[r] = this.sim.indices[this.sim.indptr[j]! + top.indices[r]!]!;
    return toScored(this.itemIds, idx, top.scores);
  }

  toArtifact(): Artifact {
    return this.baseArtifact({
      seenValues: tensor(this.seenValues),
      simIndptr: tensor(this.sim.indptr),
      simIndices: tensor(this.sim.indices),
      simValues: tensor(this.sim.values),
    });
  }

  static fromArtifact(a: Artifact): ItemKnnModel {
    const m = new ItemKnnModel(a.meta.params as Partial<ItemKnnParams>);
    m.restoreBase(a);
    m.seenValues = requireTensor(a, 'seenValues', Float32Array, [m.seenIndices.length]);
    m.sim = {
      indptr: requireTensor(a, 'simIndptr', Int32Array, [m.nItems + 1]),
      indices: requireTensor(a, 'simIndices', Int32Array),
      values: requireTensor(a, 'simValues', Float32Array),
    };
    return m;
  }
}

/** Shared by ItemKNN and SAR: top-k from an ad-hoc history of item indices (-1 = unknown, skipped). */
export function recommendFromSparseHistory(
  sim: SparseSimilarity,
  rawIdx: Int32Array,
  values: ArrayLike<number> | undefined,
  k: number,
  idAt: (i: number) => string,
): Scored[] {
  checkK(k, 'recommendFromHistory');
  let n = 0;
  for (let h = 0; h < rawIdx.length; h++) if (rawIdx[h]! >= 0) n++;
  if (n === 0) return [];
  const items = new Int32Array(n);
  const vals = new Float32Array(n);
  n = 0;
  for (let h = 0; h < rawIdx.length; h++) {
    if (rawIdx[h]! < 0) continue;
    items[n] = rawIdx[h]!;
    vals[n++] = values === undefined ? 1 : values[h]!;
  }
  const out = new Float32Array(sim.indptr.length - 1);
  scoreFromSimilarity(sim, items, vals, out);
  const exclude = Int32Array.from(new Set(items)).sort();
  const top = topK(out, k, exclude);
  const res: Scored[] = [];
  for (let r = 0; r < top.indices.length; r++) {
    const i = top.indices[r]!;
    if (!(top.scores[r]! > 0)) break;
    const j = strongestContributor(sim, items, vals, i);
    const s: Scored = { id: idAt(i), score: top.scores[r]! };
    if (j >= 0) s.reason = `because you liked ${idAt(j)}`;
    res.push(s);
  }
  return res;
}
