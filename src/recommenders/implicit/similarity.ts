import { topK } from '../../core/topk.js';
import type { Interactions } from '../../data/interactions.js';

/**
 * Item-item similarity in sparse form: row j lists the kept neighbours of item j in ascending item index with their
 * similarity. Self-similarity is never stored.
 */
export interface SparseSimilarity {
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** How two item vectors are compared. */
export type SimilarityKind = 'cosine' | 'dot' | 'jaccard' | 'asymmetric-cosine' | 'lift' | 'cooccurrence';
export const SIMILARITY_KINDS: readonly SimilarityKind[] = ['cosine', 'dot', 'jaccard', 'asymmetric-cosine', 'lift', 'cooccurrence'];

/** How interaction values are re-weighted before comparing items (per implicit's nearest-neighbour models). */
export type Weighting = 'none' | 'tfidf' | 'bm25';
export const WEIGHTINGS: readonly Weighting[] = ['none', 'tfidf', 'bm25'];

export interface SimilarityOptions {
  kind: SimilarityKind;
  weighting: Weighting;
  /** Neighbours kept per item (null = all with a non-zero similarity). */
  neighbours: number | null;
  /** Exponent of asymmetric cosine (Aiolli 2013): dot / (|i|^(2a) |j|^(2(1-a))); 0.5 = cosine. */
  asymmetricAlpha: number;
  /** Pairs co-occurring for fewer users than this are dropped (SAR's threshold). */
  minCount: number;
  /** BM25 term saturation and length normalisation. */
  bm25K1: number;
  bm25B: number;
}

/**
 * Re-weights the user x item values, treating each item as a document and each user as a term (as implicit's
 * `tfidf_weight`/`bm25_weight` on the item-user matrix): TF-IDF: sqrt(v) * idf(u); BM25: v (K1 + 1) /
 * (K1 ((1 - B) + B len(i)/avglen) + v) * idf(u), with idf(u) = log(nItems) - log1p(len(u)), len(i) = sum of item i's
 * values. Returns a new values array aligned with `data.values`.
 */
export function weightValues(data: Interactions, weighting: Weighting, k1: number, b: number): Float32Array {
  const v = data.values;
  if (weighting === 'none') return v;
  const nI = data.nItems;
  const out = new Float32Array(v.length);
  const idf = new Float64Array(data.nUsers);
  for (let u = 0; u < data.nUsers; u++) {
    const len = data.indptr[u + 1]! - data.indptr[u]!;
    idf[u] = weighting === 'tfidf' ? Math.log(nI / (1 + len)) : Math.log(nI) - Math.log1p(len);
  }
  if (weighting === 'tfidf') {
    for (let u = 0; u < data.nUsers; u++) for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) out[p] = Math.sqrt(v[p]!) * idf[u]!;
    return out;
  }
  const itemLen = new Float64Array(nI);
  let total = 0;
  for (let p = 0; p < v.length; p++) {
    itemLen[data.indices[p]!] = itemLen[data.indices[p]!]! + v[p]!;
    total += v[p]!;
  }
  const avg = total / nI;
  for (let u = 0; u < data.nUsers; u++) {
    for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) {
      const norm = 1 - b + (b * itemLen[data.indices[p]!]!) / avg;
      out[p] = ((v[p]! * (k1 + 1)) / (k1 * norm + v[p]!)) * idf[u]!;
    }
  }
  return out;
}

/**
 * Item-item similarities with the top-`neighbours` kept per item. For each item i, walks its users and their rows
 * to accumulate dot products (and co-occurrence counts) with every co-rated item: O(sum over users of row length^2)
 * time, O(nItems) scratch, O(nItems x neighbours) output.
 */
export function itemSimilarity(data: Interactions, opts: SimilarityOptions): SparseSimilarity {
  const nI = data.nItems;
  const w = weightValues(data, opts.weighting, opts.bm25K1, opts.bm25B);
  const csc = data.csc();
  // csc values re-weighted: map each CSC entry to its CSR position by walking rows in order
  const cw = new Float32Array(csc.indices.length);
  {
    const next = csc.indptr.slice(0, nI);
    for (let u = 0; u < data.nUsers; u++) for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) cw[next[data.indices[p]!]!++] = w[p]!;
  }
  const normSq = new Float64Array(nI);
  const count = new Float64Array(nI);
  for (let i = 0; i < nI; i++) {
    let s = 0;
    for (let p = csc.indptr[i]!; p < csc.indptr[i + 1]!; p++) s += cw[p]! * cw[p]!;
    normSq[i] = s;
    count[i] = csc.indptr[i + 1]! - csc.indptr[i]!;
  }
  const dot = new Float64Array(nI);
  const co = new Int32Array(nI);
  const touched = new Int32Array(nI);
  const sims = new Float32Array(nI);
  const keep = opts.neighbours ?? nI;
  const indptr = new Int32Array(nI + 1);
  let outIdx = new Int32Array(Math.min(nI * Math.min(keep, 64), 1 << 24) + 16);
  let outVal = new Float32Array(outIdx.length);
  let nnz = 0;
  const kind = opts.kind;
  const a = opts.asymmetricAlpha;
  for (let i = 0; i < nI; i++) {
    let nt = 0;
    for (let p = csc.indptr[i]!; p < csc.indptr[i + 1]!; p++) {
      const u = csc.indices[p]!;
      const wi = cw[p]!;
      for (let q = data.indptr[u]!; q < data.indptr[u + 1]!; q++) {
        const j = data.indices[q]!;
        if (j === i) continue;
        if (co[j] === 0) touched[nt++] = j;
        co[j]++;
        dot[j] += wi * w[q]!;
      }
    }
    let ns = 0;
    for (let t = 0; t < nt; t++) {
      const j = touched[t]!;
      const c = co[j]!;
      let s = 0;
      if (c >= opts.minCount) {
        switch (kind) {
          case 'cosine': {
            const d = Math.sqrt(normSq[i]! * normSq[j]!);
            s = d > 0 ? dot[j]! / d : 0;
            break;
          }
          case 'dot':
            s = dot[j]!;
            break;
          case 'asymmetric-cosine': {
            const d = Math.pow(normSq[i]!, a) * Math.pow(normSq[j]!, 1 - a);
            s = d > 0 ? dot[j]! / d : 0;
            break;
          }
          case 'jaccard':
            s = c / (count[i]! + count[j]! - c);
            break;
          case 'lift':
            s = c / (count[i]! * count[j]!);
            break;
          case 'cooccurrence':
            s = c;
            break;
        }
      }
      sims[t] = s;
      if (s !== 0) ns++;
      co[j] = 0;
      dot[j] = 0;
    }
    // keep the top neighbours among touched entries, stored in ascending item order
    const top = topK(sims, Math.min(keep, ns), undefined, nt);
    const kept = new Int32Array(top.indices.length);
    for (let r = 0; r < kept.length; r++) kept[r] = touched[top.indices[r]!]!;
    for (let r = 0; r < kept.length; r++) dot[kept[r]!] = top.scores[r]!;
    kept.sort();
    if (nnz + kept.length > outIdx.length) {
      const cap = Math.max(outIdx.length * 2, nnz + kept.length);
      const ni = new Int32Array(cap);
      ni.set(outIdx.subarray(0, nnz));
      const nv = new Float32Array(cap);
      nv.set(outVal.subarray(0, nnz));
      outIdx = ni;
      outVal = nv;
    }
    for (let r = 0; r < kept.length; r++) {
      const j = kept[r]!;
      outIdx[nnz] = j;
      outVal[nnz++] = dot[j]!;
      dot[j] = 0;
    }
    indptr[i + 1] = nnz;
  }
  return { indptr, indices: outIdx.slice(0, nnz), values: outVal.slice(0, nnz) };
}

/**
 * Scores all items from a history: out[i] = sum over history items j of value_j * sim(j, i). `out` is zeroed first.
 * O(sum over history items of their neighbour count).
 */
export function scoreFromSimilarity(sim: SparseSimilarity, items: Int32Array, values: Float32Array | undefined, out: Float32Array): void {
  out.fill(0);
  for (let h = 0; h < items.length; h++) {
    const j = items[h]!;
    const wj = values === undefined ? 1 : values[h]!;
    for (let p = sim.indptr[j]!; p < sim.indptr[j + 1]!; p++) out[sim.indices[p]!] += wj * sim.values[p]!;
  }
}

/** sim(j, i) or 0 when i is not a kept neighbour of j (binary search in j's ascending row). */
export function similarityAt(sim: SparseSimilarity, j: number, i: number): number {
  let lo = sim.indptr[j]!;
  let hi = sim.indptr[j + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sim.indices[mid]!;
    if (v === i) return sim.values[mid]!;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

/**
 * The history item contributing most to item `i`'s score, as "because you liked X", or undefined when none does.
 */
export function strongestContributor(sim: SparseSimilarity, items: Int32Array, values: Float32Array | undefined, i: number): number {
  let best = -1;
  let bestV = 0;
  for (let h = 0; h < items.length; h++) {
    const c = (values === undefined ? 1 : values[h]!) * similarityAt(sim, items[h]!, i);
    if (c > bestV) {
      bestV = c;
      best = items[h]!;
    }
  }
  return best;
}
