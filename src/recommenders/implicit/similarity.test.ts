import { describe, expect, it } from 'vitest';
import { plantedInteractions } from './test-support.js';
import { type SimilarityKind, itemSimilarity, similarityAt, weightValues } from './similarity.js';

const data = plantedInteractions({ users: 40, items: 25, perUser: 6 });

/** Reference twin: dense item vectors, every pair by definition. */
function reference(kind: SimilarityKind, w: Float32Array, a = 0.5): number[][] {
  const nI = data.nItems;
  const vec = Array.from({ length: nI }, () => new Float64Array(data.nUsers));
  for (let u = 0; u < data.nUsers; u++) for (let p = data.indptr[u]!; p < data.indptr[u + 1]!; p++) vec[data.indices[p]!]![u] = w[p]!;
  const out: number[][] = [];
  for (let i = 0; i < nI; i++) {
    out.push([]);
    for (let j = 0; j < nI; j++) {
      let dot = 0;
      let co = 0;
      let ni = 0;
      let nj = 0;
      let si = 0;
      let sj = 0;
      for (let u = 0; u < data.nUsers; u++) {
        const x = vec[i]![u]!;
        const y = vec[j]![u]!;
        dot += x * y;
        si += x * x;
        sj += y * y;
        if (x !== 0) ni++;
        if (y !== 0) nj++;
        if (x !== 0 && y !== 0) co++;
      }
      let s = 0;
      if (i !== j && co > 0) {
        if (kind === 'cosine') s = dot / Math.sqrt(si * sj);
        else if (kind === 'dot') s = dot;
        else if (kind === 'asymmetric-cosine') s = dot / (Math.pow(si, a) * Math.pow(sj, 1 - a));
        else if (kind === 'jaccard') s = co / (ni + nj - co);
        else if (kind === 'lift') s = co / (ni * nj);
        else s = co;
      }
      out[i]!.push(s);
    }
  }
  return out;
}

describe('itemSimilarity against its dense reference twin', () => {
  it.each(['cosine', 'dot', 'asymmetric-cosine', 'jaccard', 'lift', 'cooccurrence'] as SimilarityKind[])('%s, all neighbours', (kind) => {
    const sim = itemSimilarity(data, { kind, weighting: 'none', neighbours: null, asymmetricAlpha: 0.3, minCount: 1, bm25K1: 1.2, bm25B: 0.75 });
    const ref = reference(kind, data.values, 0.3);
    for (let i = 0; i < data.nItems; i++) for (let j = 0; j < data.nItems; j++) expect(similarityAt(sim, i, j)).toBeCloseTo(ref[i]![j]!, 5);
  });

  it('keeps exactly the top-K neighbours per item, ascending by index', () => {
    const sim = itemSimilarity(data, { kind: 'cosine', weighting: 'bm25', neighbours: 5, asymmetricAlpha: 0.5, minCount: 1, bm25K1: 1.2, bm25B: 0.75 });
    const ref = reference('cosine', weightValues(data, 'bm25', 1.2, 0.75));
    for (let i = 0; i < data.nItems; i++) {
      const row = Array.from(sim.indices.subarray(sim.indptr[i]!, sim.indptr[i + 1]!));
      expect(row).toEqual([...row].sort((a, b) => a - b));
      const want = ref[i]!.map((s, j) => [s, j] as const).filter(([s]) => s > 0).sort((x, y) => y[0] - x[0] || x[1] - y[1]).slice(0, 5).map(([, j]) => j).sort((a, b) => a - b);
      expect(row).toEqual(want);
    }
  });

  it('BM25 and TF-IDF weights follow their formulas', () => {
    const u = 0;
    const p = data.indptr[u]!;
    const len = data.rowLength(u);
    const tfidf = weightValues(data, 'tfidf', 1.2, 0.75);
    expect(tfidf[p]).toBeCloseTo(Math.sqrt(data.values[p]!) * Math.log(data.nItems / (1 + len)), 5);
    const i = data.indices[p]!;
    let itemLen = 0;
    let total = 0;
    for (let q = 0; q < data.nnz; q++) {
      total += data.values[q]!;
      if (data.indices[q] === i) itemLen += data.values[q]!;
    }
    const norm = 0.25 + (0.75 * itemLen) / (total / data.nItems);
    const bm25 = weightValues(data, 'bm25', 1.2, 0.75);
    const v = data.values[p]!;
    expect(bm25[p]).toBeCloseTo(((v * 2.2) / (1.2 * norm + v)) * (Math.log(data.nItems) - Math.log1p(len)), 5);
  });
});
